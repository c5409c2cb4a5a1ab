// The one way the UI talks to the server: JSON in and out, the CSRF header on every change,
// and every failure turned into an ApiError carrying the server's two-language message.
// `call` reads a route the OpenAPI document declares, with the types generated from it
// (src/api/schema.d.ts, by scripts/build-web.sh): its path, parameters, body and answer are
// the document's, so a change of the contract that the UI does not follow fails `tsc`.
// `callForm` posts a multipart form (an upload, with progress) to a declared route the same way.
// `api<T>` remains for the routes the server has not declared yet (their answer is untyped in
// the document).
import type { components, paths } from '../api/schema';

export interface ApiProblem {
  message: string;
  message_en: string;
}

export class ApiError extends Error {
  readonly status: number; // HTTP status; 0 = the request never reached the server
  readonly code: string; // "auth.required", "dossier.version_conflict", … or "network"
  readonly messageVi: string;
  readonly messageEn: string;
  readonly requestId: string;
  readonly problems: ApiProblem[];

  constructor(init: {
    status: number;
    code: string;
    messageVi?: string;
    messageEn?: string;
    requestId?: string;
    problems?: ApiProblem[];
  }) {
    super(init.messageEn || init.messageVi || init.code);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.messageVi = init.messageVi ?? '';
    this.messageEn = init.messageEn ?? '';
    this.requestId = init.requestId ?? '';
    this.problems = init.problems ?? [];
  }
}

export function csrfToken(): string {
  const m = document.cookie.match(/(?:^|;\s*)tinhso_csrf=([^;]*)/);
  return m ? decodeURIComponent(m[1]) : '';
}

/** Reads the server's error body {"error":{code,message,message_en,request_id}} if any. */
export function errorFromBody(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as { error?: Record<string, unknown> };
    const e = body.error;
    if (e && typeof e === 'object') {
      return new ApiError({
        status,
        code: String(e.code ?? `http.${status}`),
        messageVi: typeof e.message === 'string' ? e.message : '',
        messageEn: typeof e.message_en === 'string' ? e.message_en : '',
        requestId: typeof e.request_id === 'string' ? e.request_id : '',
        problems: Array.isArray(e.problems) ? (e.problems as ApiProblem[]) : [],
      });
    }
  } catch {
    /* not JSON: fall through */
  }
  return new ApiError({ status, code: `http.${status}` });
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown; // JSON-serialised unless a string or Blob
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Listeners told when the server says the session is gone (401), to refresh the header. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(fn: () => void): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    if (typeof opts.body === 'string' || opts.body instanceof Blob) {
      body = opts.body;
      if (!headers['Content-Type']) headers['Content-Type'] = 'application/json';
    } else {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] = 'application/json';
    }
  }
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken();
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'network' });
  }
  const text = await res.text();
  if (!res.ok) {
    const err = errorFromBody(res.status, text);
    if (res.status === 401 && !path.endsWith('/auth/login')) {
      unauthorizedListeners.forEach((fn) => fn());
    }
    throw err;
  }
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError({ status: res.status, code: 'bad_response' });
  }
}

/**
 * A multipart/form-data POST through XMLHttpRequest, for uploads: `onProgress(loaded, total)`
 * follows the bytes of the body sent (fetch cannot tell upload progress). The browser sets the
 * Content-Type with its boundary and streams the files from disk.
 */
export function uploadForm<T>(
  path: string,
  form: FormData,
  opts: {
    headers?: Record<string, string>;
    onProgress?: (loaded: number, total: number) => void;
    signal?: AbortSignal;
  } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let total = 0;
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('X-CSRF-Token', csrfToken());
    for (const [k, v] of Object.entries(opts.headers ?? {})) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      total = e.total;
      opts.onProgress?.(e.loaded, e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        opts.onProgress?.(total, total);
        try {
          resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
        } catch {
          reject(new ApiError({ status: xhr.status, code: 'bad_response' }));
        }
      } else {
        if (xhr.status === 401) unauthorizedListeners.forEach((fn) => fn());
        reject(errorFromBody(xhr.status, xhr.responseText));
      }
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'network' }));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    if (opts.signal?.aborted) {
      reject(new DOMException('aborted', 'AbortError')); // abort() before send() fires no event
      return;
    }
    opts.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}

/**
 * Can sending the same request again succeed? Yes when it never reached the server (network),
 * timed out (408), was throttled (429), or met a server fault (5xx); no for the other 4xx
 * answers (a file too large, of the wrong type, a field to correct, no right, a version
 * conflict): the user must change something first. Anything else: yes.
 */
export function retryable(e: unknown): boolean {
  if (!(e instanceof ApiError)) return true;
  const s = e.status;
  if (s >= 400 && s < 500) return s === 408 || s === 429;
  return true;
}

export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

// ---- Calls typed by the OpenAPI document ------------------------------------------------------

/** A named schema of the document (components/schemas), e.g. Schema<'CalendarDay'>. */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];

export type ApiMethod = 'get' | 'put' | 'patch' | 'post' | 'delete';
type Operation<P extends keyof paths, M extends ApiMethod> = NonNullable<paths[P][M]>;
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
/** The answer of a success status: its JSON, or undefined for 204 No Content. */
type Answer<O> = O extends { responses: infer R }
  ? { [S in keyof R]: S extends 200 | 201 | 202 ? JsonOf<R[S]> : S extends 204 ? undefined : never }[keyof R]
  : never;
/**
 * The paths whose `M` operation the document declares with a typed answer. A route the server
 * has not declared yet answers nothing typed (never) and so is not among them.
 */
export type DeclaredPath<M extends ApiMethod> = {
  [P in keyof paths]: [Answer<Operation<P, M>>] extends [never] ? never : P;
}[keyof paths];

type Params<O> = O extends { parameters: infer X } ? X : never;
type PathParams<O> = Params<O> extends { path: infer X } ? X : never;
type QueryParams<O> = Params<O> extends { query?: infer X } ? NonNullable<X> : never;
type JsonBody<O> = O extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
type CallInit<O> = { signal?: AbortSignal; headers?: Record<string, string> } & ([PathParams<O>] extends [never]
  ? { path?: undefined }
  : { path: PathParams<O> }) &
  ([QueryParams<O>] extends [never] ? { query?: undefined } : { query?: QueryParams<O> }) &
  ([JsonBody<O>] extends [never] ? { body?: undefined } : { body: JsonBody<O> });
/** `init` may be left out when nothing in it is required. */
type CallArgs<O> = object extends CallInit<O> ? [init?: CallInit<O>] : [init: CallInit<O>];

/** "/api/v1/calendar/{year}" with { year: 2026 } → "/api/v1/calendar/2026". */
export function fillPath(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`no value for {${name}} in ${template}`);
    return encodeURIComponent(String(params[name]));
  });
}

/**
 * Calls a declared route: `call('get', '/api/v1/calendar/{year}', { path: { year } })`. The
 * path is the document's template; the answer's type is the document's.
 */
export function call<M extends ApiMethod, P extends DeclaredPath<M>>(
  method: M,
  path: P,
  ...[init]: CallArgs<Operation<P, M>>
): Promise<Answer<Operation<P, M>>> {
  const i = (init ?? {}) as { path?: Record<string, string | number>; query?: Query; body?: unknown; signal?: AbortSignal; headers?: Record<string, string> };
  return api(fillPath(path, i.path), {
    method: method.toUpperCase() as RequestOptions['method'],
    query: i.query,
    body: i.body,
    signal: i.signal,
    headers: i.headers,
  });
}

type FormOf<O> = O extends { requestBody: { content: { 'multipart/form-data': infer F } } } ? F : never;
/** The paths whose POST the document declares with a multipart/form-data body (the uploads). */
export type FormPath = {
  [P in DeclaredPath<'post'>]: [FormOf<Operation<P, 'post'>>] extends [never] ? never : P;
}[DeclaredPath<'post'>];
type FormInit<O> = {
  form: FormData;
  headers?: Record<string, string>;
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
} & ([PathParams<O>] extends [never] ? { path?: undefined } : { path: PathParams<O> });

/**
 * Posts a form to a declared upload route, with upload progress (uploadForm):
 * `callForm('/api/v1/dossiers/{id}/supplement', { path: { id }, form })`. The path and the
 * answer are the document's; the parts are the caller's FormData.
 */
export function callForm<P extends FormPath>(path: P, init: FormInit<Operation<P, 'post'>>): Promise<Answer<Operation<P, 'post'>>> {
  const { form, path: params, ...opts } = init as FormInit<unknown> & { path?: Record<string, string | number> };
  return uploadForm(fillPath(path, params), form, opts);
}
