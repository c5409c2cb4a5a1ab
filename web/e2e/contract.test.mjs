// The response check of the browser tests (contract.mjs) on a small document of the shapes the
// server's generator emits. Run by ctest (WebE2E.ContractCheck): node --test e2e/contract.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeContract } from './contract.mjs';

const error = { $ref: '#/components/responses/Error' };
const doc = {
  openapi: '3.0.3',
  paths: {
    '/api/v1/things/{id}': {
      get: { responses: { 200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } }, 404: error, default: error } },
      delete: { responses: { 204: { description: 'No Content' }, default: error } },
    },
    '/api/v1/things/summary': {
      get: { responses: { 200: { content: { 'application/json': { schema: { type: 'object', properties: { count: { type: 'integer', format: 'int32' } }, required: ['count'] } } } } } },
    },
    '/api/v1/things/{id}/file': { get: { responses: { 200: { content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }, default: error } } },
    '/api/v1/loose': { get: { responses: { 200: { description: 'OK' }, default: error } } },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        properties: {
          id: { type: 'integer', format: 'int64' },
          kind: { type: 'string', enum: ['a', 'b'], nullable: true },
          on: { type: 'string', format: 'date' },
          at: { type: 'string', format: 'date-time', nullable: true },
          parent: { allOf: [{ $ref: '#/components/schemas/Ref' }], nullable: true },
        },
        required: ['id', 'on', 'at'],
      },
      Ref: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
      Error: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] } }, required: ['error'] },
    },
    responses: { Error: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
  },
};
const JSON_TYPE = 'application/json; charset=utf-8';
const check = (c, method, path, status, body, type = JSON_TYPE) =>
  c.check(method, `http://127.0.0.1:1${path}`, status, type, async () => (typeof body === 'string' ? body : JSON.stringify(body)));
const thing = { id: 7, kind: null, on: '2026-09-02', at: '2026-09-02T01:02:03Z', parent: null };

test('a body as the document says passes: nullable fields, $ref, allOf + nullable, formats', async () => {
  const c = makeContract(doc);
  assert.equal(await check(c, 'GET', '/api/v1/things/7', 200, thing), '');
  assert.equal(await check(c, 'GET', '/api/v1/things/7', 200, { ...thing, kind: 'a', parent: { id: 1 } }), '');
  assert.equal(await check(c, 'GET', '/api/v1/things/7', 404, { error: { code: 'x.not_found' } }), '');
  assert.equal(await check(c, 'DELETE', '/api/v1/things/7', 204, '', ''), '');
  assert.equal(await check(c, 'GET', '/api/v1/things/7/file', 200, '%PDF', 'application/pdf'), '');
  assert.equal(c.stats.failed, 0);
});

test('a mismatch names the method, path, status, operation and what is wrong', async () => {
  const c = makeContract(doc);
  const missing = await check(c, 'GET', '/api/v1/things/7', 200, { id: 7, on: '2026-09-02' });
  assert.match(missing, /^GET \/api\/v1\/things\/7 → 200 \(GET \/api\/v1\/things\/\{id\}\): .*must have required property 'at'/);
  assert.match(await check(c, 'GET', '/api/v1/things/7', 200, { ...thing, kind: 'c' }), /\/kind must be equal to one of the allowed values/);
  assert.match(await check(c, 'GET', '/api/v1/things/7', 200, { ...thing, on: '02/09/2026' }), /\/on must match format "date"/);
  assert.match(await check(c, 'GET', '/api/v1/things/7', 200, { ...thing, parent: { id: 'x' } }), /\/parent/);
  assert.match(await check(c, 'GET', '/api/v1/things/7', 400, { message: 'x' }), /→ 400 .*must have required property 'error'/, 'default: the Error shape');
  assert.match(await check(c, 'GET', '/api/v1/things/7/file', 200, '{}'), /content type application\/json, the document says application\/pdf/);
  assert.match(await check(c, 'GET', '/api/v1/things/summary', 200, { count: 2 ** 40 }), /\/count must match format "int32"/);
  assert.match(await check(c, 'GET', '/api/v1/summary', 200, {}), /no operation of the OpenAPI document/);
  assert.match(await check(c, 'GET', '/api/v1/things/summary', 500, {}), /lists no response for status 500/);
  assert.match(await check(c, 'GET', '/api/v1/things/7', 200, '{"id":'), /not JSON/);
  assert.equal(c.stats.failed, 10);
});

test('a literal segment wins over a parameter; checked responses are counted', async () => {
  const c = makeContract(doc);
  assert.equal(await check(c, 'GET', '/api/v1/things/summary', 200, { count: 3 }), '');
  assert.match(c.summary(), /1 response\(s\) of 1 route\(s\) \(GET \/api\/v1\/things\/summary ×1\) match .* 0 mismatch/);
  assert.equal(await check(makeContract(doc), 'GET', '/api/v1/loose', 200, { anything: true }).then((m) => /says no body/.test(m)), true, 'declared routes without content must not answer one');
});

test('a body the browser no longer holds is the caller\'s to list, never a mismatch', async () => {
  const c = makeContract(doc);
  class Gone extends Error {}
  const read = async () => {
    throw new Gone('No resource with given identifier found');
  };
  await assert.rejects(c.check('GET', 'http://127.0.0.1:1/api/v1/things/7', 200, 'application/json', read), Gone);
  assert.equal(c.stats.failed, 0);
});
