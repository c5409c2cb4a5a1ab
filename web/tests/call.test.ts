import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, fillPath } from '../src/lib/api';
import type { CalendarDay } from '../src/lib/types';

afterEach(() => vi.unstubAllGlobals());

describe('calls typed by the OpenAPI document', () => {
  it('fills the path template, encoded, and refuses a missing parameter', () => {
    expect(fillPath('/api/v1/calendar/{year}', { year: 2026 })).toBe('/api/v1/calendar/2026');
    expect(fillPath('/api/v1/procedures/{code}', { code: '1.0/01 x' })).toBe('/api/v1/procedures/1.0%2F01%20x');
    expect(() => fillPath('/api/v1/calendar/{year}', {})).toThrow(/year/);
  });

  it('sends the method, path and query, and answers the JSON', async () => {
    const seen: string[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      seen.push(`${init.method} ${url}`);
      return new Response(JSON.stringify({ count: 0, items: [] }), { status: 200 });
    });
    const r = await call('get', '/api/v1/procedures', { query: { q: 'khai sinh', level: 'commune' } });
    expect(r.items).toEqual([]);
    expect(seen).toEqual(['GET /api/v1/procedures?q=khai+sinh&level=commune']);
  });

  it('types what the document says, and nothing else (checked by tsc on this file)', () => {
    const day: CalendarDay = { date: '2026-09-02', kind: 'holiday', name_vi: 'Quốc khánh', name_en: 'National Day', overridden: false };
    // @ts-expect-error: the document's CalendarDay kinds are an enum
    const wrongKind: CalendarDay = { ...day, kind: 'weekend' };
    // @ts-expect-error: a field the document does not have
    const extra: CalendarDay = { ...day, holiday_name: 'x' };
    const typeOnly = (f: () => unknown) => f; // never run: these would reach the network
    // @ts-expect-error: a path the document does not have
    typeOnly(() => call('get', '/api/v1/no-such-route'));
    // @ts-expect-error: the path parameter is required
    typeOnly(() => call('get', '/api/v1/calendar/{year}'));
    // @ts-expect-error: the body must be the document's CalendarOverrideInput
    typeOnly(() => call('put', '/api/v1/calendar/overrides/{date}', { path: { date: '2026-09-02' }, body: { kind: 'weekend' } }));
    typeOnly(async () => {
      const year = await call('get', '/api/v1/calendar/{year}', { path: { year: 2026 } });
      // @ts-expect-error: the answer is the document's CalendarYear
      return year.day_list;
    });
    // @ts-expect-error: the sign-in mode is the document's enum
    typeOnly(() => call('post', '/api/v1/auth/login', { body: { login: 'a', password: 'b', mode: 'session' } }));
    typeOnly(async () => {
      const me = await call('get', '/api/v1/auth/me');
      // @ts-expect-error: an account's agency is null for citizens and businesses
      const agency: number = me.agency_id;
      return agency;
    });
    expect([wrongKind.kind, extra.date]).toEqual(['weekend', '2026-09-02']);
  });
});
