import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 as Result } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminActions } from '../../functions/admin-api/actions.ts';
import { startDfeDouble, type DfeDouble } from '../../infra/local/dfe-double.ts';
import { DfeEligibilityClient } from '../../shared/eligibility/dfe-client.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { adminRoutes } from '../../shared/http/routes/admin.ts';
import { requestDigestWith } from '../../shared/secrets/request-digest.ts';
import { wireIdempotency, type Deps } from '../../shared/wiring.ts';
import { apiEvent, claims, lambdaContext } from '../support/events.ts';
import { seed } from '../support/seed.ts';
import { depsFor, freshTable } from '../support/table.ts';
import { publicEdge } from '../support/public-edge.ts';

// Creates other than sign-ups (eligibility checks, code loads) answer a retry with the same
// Idempotency-Key from a record of the first answer, one item per key; the same key with another body
// is a 422; concurrent repeats make one check.

let t: Awaited<ReturnType<typeof freshTable>>;
let deps: Deps;
let dfe: DfeDouble;
let pub: ReturnType<typeof publicEdge>;
let admin: ReturnType<typeof apiHandler<typeof adminRoutes>>;

const answer = (r: Result) => ({ status: r.statusCode, headers: (r.headers ?? {}) as Record<string, string>, json: r.body ? JSON.parse(r.body) : undefined });
const check = async (body: unknown, key: string) =>
  answer((await pub(apiEvent({ method: 'POST', path: '/v1/eligibility-checks', body, headers: { 'idempotency-key': key } }), lambdaContext())) as Result);
const generate = async (key: string, count = 5) => answer((await admin(apiEvent({
  method: 'POST', path: '/v1/admin/eligibility-codes', body: { programmeId: 'haf-idem', generate: { count, outcome: 'eligible' } },
  claims: claims.admin, headers: { 'idempotency-key': key },
}), lambdaContext())) as Result);
const parent = { lastName: 'Smith', dateOfBirth: '1990-02-03', nationalInsuranceNumber: 'AB123456C' };

beforeAll(async () => {
  t = await freshTable();
  dfe = await startDfeDouble({ port: 0, clientId: 'c', clientSecret: 's', processingMs: 20 });
  deps = depsFor(t, { now: () => new Date(), checker: new DfeEligibilityClient({ baseUrl: dfe.url, credentials: { clientId: 'c', clientSecret: 's' } }) });
  pub = publicEdge(deps, { idempotency: wireIdempotency(deps) });
  admin = apiHandler(adminRoutes, adminActions(deps), { idempotency: wireIdempotency(deps) });
  await seed(deps).programme('haf-idem');
});
afterAll(async () => {
  await dfe?.stop();
  await t?.drop();
});

describe('a create repeated under one Idempotency-Key', () => {
  it('answers a retried eligibility check with the first answer, without asking DfE again', async () => {
    const first = await check(parent, 'check-once');
    const checks = dfe.stats.checks;
    const again = await check(parent, 'check-once');
    expect(first.status).toBe(201);
    expect(again).toMatchObject({ status: 201, json: first.json });
    expect(dfe.stats.checks).toBe(checks);
  });

  it('refuses the key with another body as a 422 on Idempotency-Key', async () => {
    await check(parent, 'check-other-body');
    const other = await check({ ...parent, nationalInsuranceNumber: 'AB123458C' }, 'check-other-body');
    expect([other.status, other.json.errors]).toEqual([422, [{ path: 'Idempotency-Key', message: expect.stringMatching(/different body/) }]]);
  });

  it('makes one check of twenty concurrent repeats; each caller gets its answer or a 409 with Retry-After', async () => {
    const checks = dfe.stats.checks;
    const answers = await Promise.all(Array.from({ length: 20 }, () => check(parent, 'check-twenty')));
    const ok = answers.filter((a) => a.status === 201);
    expect(ok.length).toBeGreaterThan(0);
    expect(new Set(ok.map((a) => a.json.checkId)).size).toBe(1);
    for (const a of answers.filter((x) => x.status !== 201)) expect([a.status, a.headers['retry-after']]).toEqual([409, '1']);
    expect(dfe.stats.checks - checks).toBe(1);
  });

  it('gives back the same generated codes on a retry, and makes none twice', async () => {
    const first = await generate('make-codes-once');
    const again = await generate('make-codes-once');
    expect(first.status).toBe(200);
    expect(again.json).toEqual(first.json);
    const codes = (await t.db.send(new ScanCommand({ TableName: t.tableName, FilterExpression: 'entity = :e', ExpressionAttributeValues: { ':e': 'EligibilityCode' } }))).Items ?? [];
    expect(codes.filter((c) => (first.json.codes as { code: string }[]).some((m) => m.code === c.code))).toHaveLength(5);
    expect(codes).toHaveLength(5);
  });

  it('keeps nothing of a request that failed, so its retry runs afresh', async () => {
    const missing = answer((await admin(apiEvent({
      method: 'POST', path: '/v1/admin/eligibility-codes', body: { programmeId: 'not-yet', codes: [{ code: 'LATE-0001', outcome: 'eligible' }] },
      claims: claims.admin, headers: { 'idempotency-key': 'load-too-soon' },
    }), lambdaContext())) as Result);
    expect(missing.status).toBe(422);
    await seed(deps).programme('not-yet');
    const retried = answer((await admin(apiEvent({
      method: 'POST', path: '/v1/admin/eligibility-codes', body: { programmeId: 'not-yet', codes: [{ code: 'LATE-0001', outcome: 'eligible' }] },
      claims: claims.admin, headers: { 'idempotency-key': 'load-too-soon' },
    }), lambdaContext())) as Result);
    expect(retried).toMatchObject({ status: 200, json: { loaded: 1 } });
  });

  it('keeps one record per key, each in its own partition, holding no personal data', async () => {
    for (const key of ['record-a', 'record-b', 'record-c']) await check(parent, key);
    const records = (await t.db.send(new ScanCommand({ TableName: t.tableName, FilterExpression: 'entity = :e', ExpressionAttributeValues: { ':e': 'IdempotentRequest' } }))).Items ?? [];
    expect(records.length).toBeGreaterThan(2);
    expect(new Set(records.map((r) => r.pk)).size).toBe(records.length);
    expect(JSON.stringify(records)).not.toMatch(/Smith|1990-02-03|AB12345/);
  });

  it('keeps a digest of the body keyed with the server secret: another secret does not match it, the same one does', async () => {
    const under = (secret: string) => publicEdge(deps, { idempotency: wireIdempotency({ ...deps, requestDigest: requestDigestWith(async () => secret) }) });
    const send = async (edge: ReturnType<typeof publicEdge>) =>
      answer((await edge(apiEvent({ method: 'POST', path: '/v1/eligibility-checks', body: parent, headers: { 'idempotency-key': 'keyed-digest' } }), lambdaContext())) as Result);
    const first = await send(under('the-secret-of-this-deployment-000'));
    const record = ((await t.db.send(new ScanCommand({ TableName: t.tableName, FilterExpression: 'entity = :e', ExpressionAttributeValues: { ':e': 'IdempotentRequest' } }))).Items ?? [])
      .filter((r) => r.state === 'complete');
    const plain = createHash('sha256').update(`keyed-digest\u0000${JSON.stringify(parent)}`).digest('base64url');
    expect(record.length).toBeGreaterThan(0);
    expect(record.map((r) => r.digest)).not.toContain(plain);
    // Another container reading the same secret gives the first answer; a digest made under another secret never matches.
    expect(await send(under('the-secret-of-this-deployment-000'))).toMatchObject({ status: 201, json: first.json });
    expect(await send(under('a-different-secret-entirely-11111'))).toMatchObject({ status: 422, json: { errors: [{ path: 'Idempotency-Key' }] } });
  });
});

