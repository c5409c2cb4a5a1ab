import { describe, expect, it } from 'vitest';
import { vi as viCore } from '../src/i18n/vi';
import { viStaff } from '../src/i18n/vi-staff';
import { en } from '../src/i18n/en';
import { interpolate } from '../src/i18n';

const viDict = { ...viCore, ...viStaff };

describe('i18n dictionaries', () => {
  it('keep the officers’ words out of the portal’s dictionary, each word in one place', () => {
    for (const k of Object.keys(viStaff)) expect(Object.keys(viCore), k).not.toContain(k);
    expect(Object.keys(viStaff).every((k) => /^(admin|od|counter|dash|ws|queue)\./.test(k))).toBe(true);
  });
  it('have the same keys in Vietnamese and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(viDict).sort());
  });
  it('have no empty text', () => {
    for (const d of [viDict, en] as Record<string, string>[]) {
      for (const [k, v] of Object.entries(d)) expect(v.trim(), k).not.toBe('');
    }
  });
  it('use the same placeholders in both languages', () => {
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join(',');
    for (const k of Object.keys(viDict) as (keyof typeof viDict)[]) expect(ph(en[k]), k).toBe(ph(viDict[k]));
  });
  it('translate every status, role, channel and dossier action', () => {
    const keys = new Set(Object.keys(viDict));
    for (let s = 1; s <= 10; s++) expect(keys.has(`status.${s}`)).toBe(true);
    for (const r of ['admin', 'leader', 'officer', 'reception', 'clerk', 'citizen', 'business']) expect(keys.has(`role.${r}`)).toBe(true);
    for (const c of ['online', 'counter', 'postal']) expect(keys.has(`channel.${c}`)).toBe(true);
    for (const a of ['accept', 'request_completion', 'reject', 'return', 'assign', 'forward', 'request_supplement', 'request_payment', 'confirm_payment', 'consult', 'issue_result', 'answer_consultation', 'stop', 'apologise', 'supplement', 'withdraw', 'rate'])
      expect(keys.has(`action.${a}`), a).toBe(true);
  });
  it('fills placeholders', () => {
    expect(interpolate('Trang {page}/{pages}', { page: 2, pages: 5 })).toBe('Trang 2/5');
    expect(interpolate('{x} stays', {})).toBe('{x} stays');
  });
});
