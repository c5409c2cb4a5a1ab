// Checks real API responses against the OpenAPI document (`tinhso openapi`): the browser tests
// hand every response under /api/ to check(), which finds the operation by method and path
// template, picks the response the document gives for the status (the status, else `default`),
// and validates the JSON body with ajv against its schema, converted from OpenAPI 3.0 to JSON
// Schema (nullable, $ref to components, formats). A mismatch names the method, path, status and
// ajv's message. Every route is declared (tests/app: ApiDocumentTest.EveryRouteIsDeclared), so
// every response is checked.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const REF_PREFIX = '#/components/schemas/';
const ROOT_ID = 'tinhso-openapi';

/**
 * OpenAPI 3.0 schema object → JSON Schema (draft-07, as ajv reads it): `nullable: true` allows
 * null, references point into one root schema, OpenAPI-only keywords are dropped.
 */
export function toJsonSchema(s) {
  if (Array.isArray(s)) return s.map(toJsonSchema);
  if (!s || typeof s !== 'object') return s;
  if (typeof s.$ref === 'string') {
    if (!s.$ref.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref ${s.$ref}`);
    return { $ref: `${ROOT_ID}#/definitions/${s.$ref.slice(REF_PREFIX.length)}` };
  }
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'nullable' || k === 'example' || k === 'xml' || k === 'externalDocs' || k === 'discriminator' || k === 'deprecated' || k.startsWith('x-')) continue;
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v).map(([n, p]) => [n, toJsonSchema(p)]));
    else if (['items', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf'].includes(k)) out[k] = toJsonSchema(v);
    else out[k] = v;
  }
  if (s.nullable !== true) return out;
  if (typeof out.type === 'string' && !out.allOf && !out.anyOf && !out.oneOf) {
    const nullable = { ...out, type: [out.type, 'null'] };
    if (Array.isArray(out.enum)) nullable.enum = [...out.enum, null];
    return nullable;
  }
  return { anyOf: [out, { type: 'null' }] };
}

function makeAjv(doc) {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  // OpenAPI's numeric and binary formats, which JSON Schema does not define.
  ajv.addFormat('int32', { type: 'number', validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('binary', true);
  ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
  const schemas = Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => [name, toJsonSchema(schema)]);
  ajv.addSchema({ $id: ROOT_ID, definitions: Object.fromEntries(schemas) });
  return ajv;
}

/** Path templates by method, literal segments before parameters ("queues" before "{id}"). */
function makeRouter(doc) {
  const routes = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const segments = template.split('/');
    for (const method of Object.keys(item)) {
      if (['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method)) routes.push({ method: method.toUpperCase(), template, segments, op: item[method] });
    }
  }
  const literals = (r) => r.segments.filter((x) => !x.startsWith('{')).length;
  routes.sort((a, b) => literals(b) - literals(a));
  return (method, pathname) => {
    const parts = pathname.split('/');
    return routes.find((r) => r.method === method && r.segments.length === parts.length && r.segments.every((s, i) => (s.startsWith('{') ? parts[i] !== '' : s === decodeURIComponent(parts[i]))));
  };
}

const mediaType = (contentType) => (contentType ?? '').split(';')[0].trim().toLowerCase();

/**
 * A checker of responses against `doc`: check(method, url, status, contentType, readBody) →
 * an error message, or '' when the response is as the document says (or not checked).
 * readBody() returns the body text; it is called only for a JSON body the document describes.
 */
export function makeContract(doc) {
  const ajv = makeAjv(doc);
  const find = makeRouter(doc);
  const validators = new Map();
  const stats = { checked: new Map(), failed: 0 };
  const count = (map, name) => map.set(name, (map.get(name) ?? 0) + 1);

  const responseFor = (op, status) => {
    let r = op.responses?.[String(status)] ?? op.responses?.[`${String(status)[0]}XX`] ?? op.responses?.default;
    if (r?.$ref) r = doc.components.responses[r.$ref.split('/').pop()];
    return r;
  };
  const validator = (key, schema) => {
    let v = validators.get(key);
    if (!v) validators.set(key, (v = ajv.compile(toJsonSchema(schema))));
    return v;
  };

  async function check(method, url, status, contentType, readBody) {
    const { pathname } = new URL(url);
    if (!pathname.startsWith('/api/') || status === 304) return '';
    const route = find(method, pathname);
    const what = `${method} ${pathname} → ${status}`;
    if (!route) {
      stats.failed++;
      return `${what}: no operation of the OpenAPI document has this method and path`;
    }
    const name = `${route.method} ${route.template}`;
    const response = responseFor(route.op, status);
    const fail = (message) => {
      stats.failed++;
      return `${what} (${name}): ${message}`;
    };
    if (!response) return fail(`the document lists no response for status ${status}`);
    const media = mediaType(contentType);
    const content = response.content ?? {};
    if (Object.keys(content).length === 0) {
      const body = status === 204 ? '' : await readBody();
      if (body) return fail(`the document says no body, the server sent ${media || 'one'}`);
      count(stats.checked, name);
      return '';
    }
    if (!(media in content)) return fail(`content type ${media || '(none)'}, the document says ${Object.keys(content).join(' or ')}`);
    const schema = content[media].schema;
    if (media !== 'application/json' || !schema) {
      count(stats.checked, name);
      return '';
    }
    // Read outside the try: a body the browser no longer has (the page moved on) is the caller's
    // to list, not a mismatch.
    const text = await readBody();
    let body;
    try {
      body = JSON.parse(text);
    } catch (e) {
      return fail(`the body is not JSON (${e.message})`);
    }
    const validate = validator(`${name} ${status} ${media}`, schema);
    if (validate(body)) {
      count(stats.checked, name);
      return '';
    }
    const errors = validate.errors.slice(0, 5).map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`);
    return fail(`the body does not match the document: ${errors.join('; ')}`);
  }

  /** Responses checked (by route) and mismatches. */
  function summary() {
    const list = (map) => {
      const n = [...map.values()].reduce((a, b) => a + b, 0);
      return `${n} response(s) of ${map.size} route(s)${map.size ? ` (${[...map.entries()].sort().map(([r, c]) => `${r} ×${c}`).join(', ')})` : ''}`;
    };
    return `contract: ${list(stats.checked)} match the OpenAPI document, ${stats.failed} mismatch(es)`;
  }

  return { check, summary, stats };
}
