// The data-integration gateway's administration (LGSP, issue 17): the words for its error codes,
// the summary of a page of its message log, the form checks that mirror the server's
// (src/gateway/registry.cpp), and where a server error belongs in a form.
import type { Key } from '../i18n';
import { ApiError } from './api';
import type { Schema } from './api';

export type LogEntry = Schema<'LogView'>;

/** LGSP's error codes and the gateway's own (src/gateway/gateway.hpp, LgspCode). */
export const LGSP_CODES = ['100', '101', '106', '108', '200', '201', '302', '500', '413', '429', '502', '503', '504'] as const;

/** The dictionary key of a log record's error code ("100" → "Xác thực thất bại"); null when it has none. */
export function lgspCodeKey(code: string): Key | null {
  if (!code) return null;
  return (LGSP_CODES as readonly string[]).includes(code) ? (`admin.gw.code.${code}` as Key) : 'admin.gw.code.other';
}

export interface LogSummary {
  calls: number;
  /** Calls the gateway passed on and the upstream answered with 2xx or 3xx. */
  succeeded: number;
  /** The gateway's refusals and failures by error code, most frequent first. */
  refusals: { code: string; count: number }[];
  /** Answers with an upstream error status (4xx/5xx) and no error code of the gateway. */
  upstreamErrors: number;
  medianMs: number | null;
  p95Ms: number | null;
}

/** The value at quantile q (0–1) of sorted values, by the nearest-rank method. */
export function nearestRank(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** Figures of the records shown (not of the whole log: the API gives pages, not totals). */
export function summarise(items: LogEntry[]): LogSummary {
  const byCode = new Map<string, number>();
  let succeeded = 0;
  let upstreamErrors = 0;
  for (const r of items) {
    if (r.error_code) byCode.set(r.error_code, (byCode.get(r.error_code) ?? 0) + 1);
    else if (r.status >= 400) upstreamErrors++;
    else succeeded++;
  }
  const ms = items.map((r) => r.duration_us / 1000).sort((a, b) => a - b);
  return {
    calls: items.length,
    succeeded,
    refusals: [...byCode].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    upstreamErrors,
    medianMs: nearestRank(ms, 0.5),
    p95Ms: nearestRank(ms, 0.95),
  };
}

/** "0,8 ms" / "12 ms" / "1,2 s" in the language's number format. */
export function formatMs(ms: number, lang: 'vi' | 'en'): string {
  const locale = lang === 'vi' ? 'vi-VN' : 'en-US';
  // A refusal takes tens of microseconds: "< 0,1 ms" rather than a misleading "0 ms".
  if (ms > 0 && ms < 0.05) return `< ${new Intl.NumberFormat(locale).format(0.1)} ms`;
  if (ms >= 1000) return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: ms < 10 ? 1 : 0 }).format(ms)} ms`;
}

// ---- Form checks: the server's rules, so that most mistakes show on their field before sending.

/** Members', systems' and services' codes (IsCode in src/gateway/registry.cpp). */
export const CODE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export type FieldErrors<F extends string> = Partial<Record<F, Key>>;

export function checkMember(f: { code: string; name: string }): FieldErrors<'code' | 'name'> {
  const e: FieldErrors<'code' | 'name'> = {};
  if (!CODE_PATTERN.test(f.code.trim())) e.code = 'admin.gw.check.member_code';
  if (!f.name.trim()) e.name = 'admin.gw.check.required';
  return e;
}

export function checkSubsystem(f: { member_code: string; name: string; rate_per_second: string; allowed_ips: string }): FieldErrors<'member_code' | 'name' | 'rate_per_second'> {
  const e: FieldErrors<'member_code' | 'name' | 'rate_per_second'> = {};
  if (!f.member_code) e.member_code = 'admin.gw.check.choose';
  if (!CODE_PATTERN.test(f.name.trim())) e.name = 'admin.gw.check.system_name';
  if (!inRange(f.rate_per_second, 1, 100_000)) e.rate_per_second = 'admin.gw.check.rate';
  return e;
}

/** A system's limits as its edit form holds them: the rate, and addresses as typed. */
export function checkLimits(f: { rate_per_second: string }): FieldErrors<'rate_per_second'> {
  return inRange(f.rate_per_second, 1, 100_000) ? {} : { rate_per_second: 'admin.gw.check.rate' };
}

export type ServiceForm = {
  code: string;
  provider_code: string;
  name: string;
  description: string;
  upstream_url: string;
  timeout_ms: string;
  max_request_bytes: string;
  max_response_bytes: string;
  enabled: boolean;
};
type ServiceField = Exclude<keyof ServiceForm, 'enabled' | 'description'>;

export function checkService(f: ServiceForm): FieldErrors<ServiceField> {
  const e: FieldErrors<ServiceField> = {};
  if (!CODE_PATTERN.test(f.code.trim())) e.code = 'admin.gw.check.service_code';
  if (!f.provider_code) e.provider_code = 'admin.gw.check.choose';
  if (!f.name.trim()) e.name = 'admin.gw.check.required';
  if (!/^https?:\/\/\S+$/.test(f.upstream_url.trim())) e.upstream_url = 'admin.gw.check.url';
  if (!inRange(f.timeout_ms, 100, 300_000)) e.timeout_ms = 'admin.gw.check.timeout';
  if (!inRange(f.max_request_bytes, 1, 2 ** 30)) e.max_request_bytes = 'admin.gw.check.size';
  if (!inRange(f.max_response_bytes, 1, 2 ** 30)) e.max_response_bytes = 'admin.gw.check.size';
  return e;
}

export function checkRight(f: { client: string; service: string; per_minute: string; per_day: string }): FieldErrors<'client' | 'service' | 'per_minute' | 'per_day'> {
  const e: FieldErrors<'client' | 'service' | 'per_minute' | 'per_day'> = {};
  if (!f.client) e.client = 'admin.gw.check.choose';
  if (!f.service) e.service = 'admin.gw.check.choose';
  if (!inRange(f.per_minute, 0, 100_000_000)) e.per_minute = 'admin.gw.check.quota';
  if (!inRange(f.per_day, 0, 1_000_000_000)) e.per_day = 'admin.gw.check.quota';
  return e;
}

function inRange(text: string, min: number, max: number): boolean {
  if (!/^\d+$/.test(text.trim())) return false;
  const n = Number(text);
  return n >= min && n <= max;
}

// ---- Server errors on their fields ------------------------------------------------------------

/**
 * The form field a server error is about, or null (then the form shows it above its button).
 * The error body names no field: the request decoder quotes it in its message ("Field 'name' …",
 * reason request.invalid_field), and the gateway's own reasons each concern one field of a form,
 * given by `byReason`; a reason that may concern several fields gives a function of the error.
 */
export function errorField<F extends string>(
  e: unknown,
  fields: readonly F[],
  byReason: Record<string, F | ((e: ApiError) => F | null)> = {},
): F | null {
  if (!(e instanceof ApiError)) return null;
  if (e.code === 'request.invalid_field') {
    const named = /'([^']+)'/.exec(e.messageEn || e.messageVi)?.[1]?.split(/[.[]/)[0];
    return named && (fields as readonly string[]).includes(named) ? (named as F) : null;
  }
  const rule = byReason[e.code];
  if (typeof rule === 'function') return rule(e);
  return rule ?? null;
}

/** The error's message in the reader's language. */
export function errorText(e: ApiError, lang: 'vi' | 'en'): string {
  return lang === 'en' ? e.messageEn || e.messageVi : e.messageVi || e.messageEn;
}
