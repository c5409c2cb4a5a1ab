import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/lib/api';
import { checkRight, checkService, checkSubsystem, errorField, formatMs, LGSP_CODES, lgspCodeKey, nearestRank, summarise } from '../src/lib/gateway';
import type { LogEntry } from '../src/lib/gateway';
import { en } from '../src/i18n/en';
import { viStaff } from '../src/i18n/vi-staff';

function entry(seq: number, status: number, error_code: string, duration_us: number): LogEntry {
  return {
    seq, at_ms: 0, request_id: '', client: 'H55.19/motcua', client_ip: '127.0.0.1', service: 'csdl', method: 'GET', path: '/',
    status, error_code, request_bytes: 0, response_bytes: 0, request_sha256: '', response_sha256: '', duration_us, hash: '', bodies_kept: false, stamp_id: null,
  };
}

describe('the gateway log summary', () => {
  it('counts refusals by code, upstream errors apart, and the median and p95 durations', () => {
    const items = [
      entry(1, 200, '', 1_000), entry(2, 403, '100', 2_000), entry(3, 403, '100', 3_000), entry(4, 429, '429', 4_000),
      entry(5, 500, '', 5_000), entry(6, 200, '', 6_000), entry(7, 200, '', 7_000), entry(8, 200, '', 8_000),
      entry(9, 200, '', 9_000), entry(10, 200, '', 100_000),
    ];
    const s = summarise(items);
    expect(s.calls).toBe(10);
    expect(s.succeeded).toBe(6);
    expect(s.upstreamErrors).toBe(1);
    expect(s.refusals).toEqual([{ code: '100', count: 2 }, { code: '429', count: 1 }]);
    expect(s.medianMs).toBe(5); // nearest rank: the 5th of 10
    expect(s.p95Ms).toBe(100); // the 10th of 10
  });
  it('has no durations for an empty page', () => {
    expect(summarise([])).toMatchObject({ calls: 0, medianMs: null, p95Ms: null, refusals: [] });
    expect(nearestRank([3], 0.95)).toBe(3);
    expect(nearestRank([1, 2, 3, 4], 0.5)).toBe(2);
  });
  it('writes durations as each language writes numbers', () => {
    expect(formatMs(0.75, 'vi')).toBe('0,8 ms');
    expect(formatMs(0.75, 'en')).toBe('0.8 ms');
    expect(formatMs(1534, 'vi')).toBe('1,5 s');
    expect(formatMs(42.4, 'en')).toBe('42 ms');
    expect(formatMs(0.04, 'vi')).toBe('< 0,1 ms');
    expect(formatMs(0, 'en')).toBe('0 ms');
  });
});

describe('LGSP error codes', () => {
  it('has words for every code in both languages', () => {
    for (const c of LGSP_CODES) {
      const key = lgspCodeKey(c)!;
      expect(key).toBe(`admin.gw.code.${c}`);
      expect(viStaff[key as keyof typeof viStaff]).toBeTruthy();
      expect(en[key]).toBeTruthy();
    }
    expect(viStaff['admin.gw.code.100']).toBe('Xác thực thất bại');
    expect(lgspCodeKey('')).toBeNull();
    expect(lgspCodeKey('999')).toBe('admin.gw.code.other');
  });
});

describe('the gateway forms', () => {
  it('checks what the server checks', () => {
    expect(checkSubsystem({ member_code: 'H55.19', name: 'mot cua', rate_per_second: '0', allowed_ips: '' })).toEqual({ name: 'admin.gw.check.system_name', rate_per_second: 'admin.gw.check.rate' });
    const service = { code: 'csdl-dancu', provider_code: 'H55/x', name: 'Dân cư', description: '', upstream_url: 'ftp://x', timeout_ms: '99', max_request_bytes: '1', max_response_bytes: String(2 ** 30 + 1), enabled: true };
    expect(checkService(service)).toEqual({ upstream_url: 'admin.gw.check.url', timeout_ms: 'admin.gw.check.timeout', max_response_bytes: 'admin.gw.check.size' });
    expect(checkRight({ client: 'a', service: 'b', per_minute: '0', per_day: '-1' })).toEqual({ per_day: 'admin.gw.check.quota' });
  });
  it('places a server error on the field it names, else by its reason', () => {
    const decoder = new ApiError({ status: 400, code: 'request.invalid_field', messageEn: "Field 'timeout_ms' must be an integer from 100 to 300000." });
    expect(errorField(decoder, ['name', 'timeout_ms'] as const)).toBe('timeout_ms');
    expect(errorField(decoder, ['name'] as const)).toBeNull();
    const unknown = new ApiError({ status: 404, code: 'gateway.not_found', messageEn: 'The registry has no member X.' });
    expect(errorField(unknown, ['member_code'] as const, { 'gateway.not_found': 'member_code' })).toBe('member_code');
    expect(errorField(unknown, ['a', 'b'] as const, { 'gateway.not_found': (e) => (e.messageEn.includes('member') ? 'b' : 'a') })).toBe('b');
    expect(errorField(new ApiError({ status: 500, code: 'internal' }), ['a'] as const, { x: 'a' })).toBeNull();
    expect(errorField(new Error('no'), ['a'] as const)).toBeNull();
  });
});
