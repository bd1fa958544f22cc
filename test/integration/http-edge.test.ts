import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 as Result } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminActions } from '../../functions/admin-api/actions.ts';
import { handler as docs } from '../../functions/docs/handler.ts';
import { publicActions } from '../../functions/public-api/actions.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { publicRoutes } from '../../shared/http/routes/public.ts';
import { adminRoutes } from '../../shared/http/routes/admin.ts';
import { routes, type RouteDef } from '../../shared/http/routes/index.ts';
import { apiEvent, claims, lambdaContext } from '../support/events.ts';
import * as f from '../support/fixtures.ts';
import { depsFor, freshTable } from '../support/table.ts';
import { wireIdempotency } from '../../shared/wiring.ts';

let t: Awaited<ReturnType<typeof freshTable>>;
let admin: ReturnType<typeof apiHandler<typeof adminRoutes>>;
let pub: ReturnType<typeof apiHandler<typeof publicRoutes>>;
const now = () => new Date('2026-11-23T10:00:00Z');

const call = async (h: typeof admin | typeof pub | typeof docs, e: Parameters<typeof admin>[0]) => {
  const r = (await h(e, lambdaContext())) as Result;
  return { ...r, json: r.body ? JSON.parse(r.body) : undefined, headers: r.headers as Record<string, string> };
};
const putProgramme = (body: unknown, opts: Partial<Parameters<typeof apiEvent>[0]> = {}) =>
  call(admin, apiEvent({
    method: 'PUT', path: '/v1/admin/programmes/haf-christmas-2026', route: '/v1/admin/programmes/{programmeId}',
    params: { programmeId: 'haf-christmas-2026' }, body, claims: claims.admin, ...opts,
  }));

// A table per test: one test writes a programme, another proves that a refused body writes none.
beforeEach(async () => {
  t = await freshTable();
  const deps = depsFor(t, { now });
  admin = apiHandler(adminRoutes, adminActions(deps), { idempotency: wireIdempotency(deps) });
  pub = apiHandler(publicRoutes, publicActions(deps));
});
afterEach(async () => t?.drop());

describe('authorisation', () => {
  it('401 without a token, 403 with the wrong role, as problem documents', async () => {
    const anonymous = await putProgramme(f.programme(), { claims: {} });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(anonymous.json).toMatchObject({ status: 401, title: 'Unauthorised', type: expect.stringMatching(/^https:/) });
    expect((await putProgramme(f.programme(), { claims: claims.finance })).statusCode).toBe(403);
    expect((await putProgramme(f.programme(), { claims: claims.provider('soar-valley') })).statusCode).toBe(403);
  });
});

describe('request bodies', () => {
  it('400 for malformed JSON, 415 for another content type, 413 over 64 KiB', async () => {
    expect((await putProgramme(undefined, { rawBody: '{"scheme": "HAF",' })).statusCode).toBe(400);
    expect((await putProgramme(undefined, { rawBody: '' })).statusCode).toBe(400);
    expect((await putProgramme(f.programme(), { contentType: 'text/plain' })).statusCode).toBe(415);
    expect((await putProgramme(f.programme(), { contentType: null })).statusCode).toBe(415);
    const big = await putProgramme({ ...f.programme(), name: 'x'.repeat(70_000) });
    expect(big.statusCode).toBe(413);
  });

  it('422 listing every failing field, and nothing is written', async () => {
    const r = await putProgramme({ scheme: 'BINGO', name: '', startDate: '2026-02-30', bookingOpensAt: 'soon', maxDaysPerChild: 0, discretionaryShare: 0.5 });
    expect(r.statusCode).toBe(422);
    expect(r.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['bookingClosesAt', 'bookingOpensAt', 'discretionaryShare', 'endDate', 'maxDaysPerChild', 'name', 'scheme', 'startDate'],
    );
    expect(r.json.errors.find((e: { path: string }) => e.path === 'endDate').message).toBe('is required');
    const list = await call(pub, apiEvent({ method: 'GET', path: '/v1/programmes' }));
    expect(list.json.items).toEqual([]);
  });

  it('names nested fields by their dotted path', async () => {
    await putProgramme(f.programme());
    const r = await call(admin, apiEvent({
      method: 'PUT', path: '/v1/admin/sessions/s1', route: '/v1/admin/sessions/{sessionId}', params: { sessionId: 's1' },
      claims: claims.admin, body: f.session({ venue: { name: 'Hall', postcode: 'NOT A POSTCODE', district: 'Atlantis' }, startTime: '25:00' }),
    }));
    expect(r.statusCode).toBe(422);
    expect(r.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['startTime', 'venue.district', 'venue.postcode']);
  });

  it('treats hostile JSON as invalid input, never a 500', async () => {
    for (const rawBody of ['{"__proto__": {"admin": true}}', '[]', 'null', '"text"', '1e999', '{"scheme": {"$ne": null}}']) {
      const r = await putProgramme(undefined, { rawBody });
      expect([400, 422]).toContain(r.statusCode);
    }
    const badId = await call(admin, apiEvent({
      method: 'PUT', path: '/v1/admin/programmes/..%2F', route: '/v1/admin/programmes/{programmeId}',
      params: { programmeId: '../' }, body: f.programme(), claims: claims.admin,
    }));
    expect(badId.statusCode).toBe(422);
    expect(badId.json.errors[0].path).toBe('programmeId');
  });

  it('accepts Unicode names with apostrophes and hyphens', async () => {
    const r = await call(admin, apiEvent({
      method: 'PUT', path: '/v1/admin/providers/zoe', route: '/v1/admin/providers/{providerId}', params: { providerId: 'zoe' },
      claims: claims.admin, body: f.provider({ name: "Zoë O'Brien-Nguyễn Sports" }),
    }));
    expect(r.statusCode).toBe(201);
    expect(r.json.name).toBe("Zoë O'Brien-Nguyễn Sports");
  });
});

describe('queries', () => {
  it('422 for each bad query parameter', async () => {
    const r = await call(pub, apiEvent({ method: 'GET', path: '/v1/sessions', query: { age: 'seven', limit: '500', district: 'Atlantis', date: '2026-13-01', sendSupport: 'yes' } }));
    expect(r.statusCode).toBe(422);
    expect(r.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['age', 'date', 'district', 'limit', 'sendSupport']);
    const cursor = await call(pub, apiEvent({ method: 'GET', path: '/v1/sessions', query: { cursor: 'bm90LWEtY3Vyc29y' } }));
    expect(cursor.statusCode).toBe(422);
  });
});

describe('every answer', () => {
  it('carries security headers and the caller’s correlation id', async () => {
    const r = await call(pub, apiEvent({ method: 'GET', path: '/v1/schemes', headers: { 'x-correlation-id': 'abc-123' } }));
    expect(r.statusCode).toBe(200);
    expect(r.json.items.map((s: { id: string }) => s.id)).toEqual(['HAF', 'ACTIVE_FAMILIES', 'YOUTH_CARD']);
    expect(r.headers).toMatchObject({ 'x-correlation-id': 'abc-123', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
    const generated = await call(pub, apiEvent({ method: 'GET', path: '/v1/schemes', headers: { 'x-correlation-id': 'bad id\n' } }));
    expect(generated.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a route this function does not serve is a 404 problem', async () => {
    const r = await call(pub, apiEvent({ method: 'PUT', path: '/v1/admin/programmes/x', route: '/v1/admin/programmes/{programmeId}', claims: claims.admin }));
    expect(r.statusCode).toBe(404);
  });

  it('cannot be built without the record of answers its routes promise to keep', () => {
    expect(() => apiHandler(adminRoutes, adminActions(depsFor(t, { now })))).toThrow(/POST \/v1\/admin\/eligibility-codes/);
  });

  it('503 with Retry-After when DynamoDB is down, not a 500', async () => {
    const down = DynamoDBDocumentClient.from(new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9', region: 'eu-west-2', maxAttempts: 1, credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    }));
    const h = apiHandler(publicRoutes, publicActions(depsFor({ db: down, tableName: 'nowhere' })));
    const r = await call(h, apiEvent({ method: 'GET', path: '/v1/programmes' }));
    expect(r.statusCode).toBe(503);
    expect(r.headers['retry-after']).toBe('2');
  });
});

describe('the OpenAPI document', () => {
  it('describes every route in the route table', async () => {
    const r = await call(docs, apiEvent({ method: 'GET', path: '/v1/openapi.json' }));
    expect(r.json.openapi).toBe('3.1.0');
    // The site's pages are HTML, not part of the JSON API: the document leaves them out (API.md).
    for (const route of routes as readonly RouteDef[]) {
      if (route.kind === 'page') expect(r.json.paths[route.path]).toBeUndefined();
      else expect(r.json.paths[route.path][route.method.toLowerCase()].operationId).toBe(route.operationId);
    }
    const session = r.json.paths['/v1/admin/sessions/{sessionId}'].put.requestBody.content['application/json'].schema;
    expect(session.required).toContain('capacity');
  });

  it('names the headers a route reads and every status it answers with', async () => {
    const { paths } = (await call(docs, apiEvent({ method: 'GET', path: '/v1/openapi.json' }))).json;
    const headersOf = (op: { parameters: { in: string; name: string; required: boolean }[] }) =>
      op.parameters.filter((p) => p.in === 'header').map((p) => [p.name, p.required]);
    expect(headersOf(paths['/v1/applications'].post)).toEqual([['Idempotency-Key', false]]);
    expect(headersOf(paths['/v1/eligibility-checks'].post)).toEqual([['Idempotency-Key', false]]);
    expect(headersOf(paths['/v1/applications/{reference}'].get)).toEqual([['X-Manage-Token', true]]);
    expect(headersOf(paths['/v1/bookings/{bookingId}'].delete)).toEqual([['X-Manage-Token', true]]);
    const codes = paths['/v1/admin/eligibility-codes'].post.responses;
    expect(Object.keys(codes)).toContain('200');
    expect(Object.keys(codes)).not.toContain('201');
    expect(Object.keys(paths['/v1/applications/{reference}'].get.responses)).toContain('409');
    expect(paths['/v1/applications'].post.responses['201'].headers).toHaveProperty('Location');
    expect(paths['/v1/applications'].post.responses['429'].headers).toHaveProperty('Retry-After');
  });
});
