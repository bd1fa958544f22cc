import type { APIGatewayProxyStructuredResultV2 as Result } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminActions } from '../../functions/admin-api/actions.ts';
import { financeActions } from '../../functions/finance-api/actions.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { adminRoutes } from '../../shared/http/routes/admin.ts';
import { financeRoutes } from '../../shared/http/routes/finance.ts';
import { wireIdempotency } from '../../shared/wiring.ts';
import { apiEvent, claims, lambdaContext } from '../support/events.ts';
import { seed } from '../support/seed.ts';
import { depsFor, freshTable } from '../support/table.ts';

// The finance API through its handler against DynamoDB Local: what it refuses, and how (422 naming each
// field, 404, 409), the agreements' versions, and a programme of another scheme.

let t: Awaited<ReturnType<typeof freshTable>>;
const now = '2026-12-01T10:00:00.000Z';

async function call(handler: ReturnType<typeof apiHandler>, e: ReturnType<typeof apiEvent>) {
  const r = (await handler(e, lambdaContext())) as Result;
  return { status: r.statusCode, json: r.body ? JSON.parse(r.body) : undefined };
}
const finance = (method: string, path: string, o: { route?: string; body?: unknown; query?: Record<string, string>; params?: Record<string, string> } = {}) => {
  const deps = depsFor(t, { now: () => new Date(now) });
  return call(apiHandler(financeRoutes, financeActions(deps), { idempotency: wireIdempotency(deps) }), apiEvent({ method, path, claims: claims.finance, ...o }));
};
const admin = (method: string, path: string, o: { route: string; body: unknown; params: Record<string, string> }) => {
  const deps = depsFor(t, { now: () => new Date(now) });
  return call(apiHandler(adminRoutes, adminActions(deps), { idempotency: wireIdempotency(deps) }), apiEvent({ method, path, claims: claims.admin, ...o }));
};
const pay = (body: Record<string, unknown>) => finance('POST', '/v1/finance/payments', { body: {
  providerId: 'soar-valley', programmeId: 'haf-christmas-2026', amountPence: 1000, paidOn: '2026-11-30', reference: 'R-1', ...body,
} });
const agreementRoute = '/v1/admin/programmes/{programmeId}/agreements/{providerId}';

beforeAll(async () => {
  t = await freshTable();
  const make = seed(depsFor(t, { now: () => new Date(now) }));
  await make.programme('haf-christmas-2026');
  await make.programme('af-2026', { scheme: 'ACTIVE_FAMILIES', name: 'Active Families 2026' });
  await make.provider('soar-valley');
  await make.provider('wreake-kids', { name: 'Wreake Kids Club' });
  await make.agreement('haf-christmas-2026', 'soar-valley');
});
afterAll(async () => t?.drop());

describe('payments', () => {
  it('422 for each field of a malformed line', async () => {
    const r = await pay({ amountPence: 0, paidOn: '2026-02-30', reference: '=cmd', kind: 'gift', providerId: 'Not A Slug' });
    expect(r.status).toBe(422);
    expect(r.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['amountPence', 'kind', 'paidOn', 'providerId', 'reference']);
    expect((await pay({ kind: 'reversal' })).json.errors).toEqual([{ path: 'reverses', message: expect.stringMatching(/required for a reversal/) }]);
    expect((await pay({ reverses: 'R-0' })).json.errors).toEqual([{ path: 'reverses', message: expect.stringMatching(/only for a reversal/) }]);
  });

  it('422 for a provider with no agreement, an unknown provider or programme, and a day still to come', async () => {
    expect((await pay({ providerId: 'wreake-kids' })).json.errors).toEqual([{ path: 'providerId', message: expect.stringMatching(/no agreement/) }]);
    expect((await pay({ providerId: 'nobody', programmeId: 'nothing' })).json.errors.map((e: { path: string }) => e.path)).toEqual(['programmeId', 'providerId']);
    expect((await pay({ paidOn: '2026-12-02' })).json.errors).toEqual([{ path: 'paidOn', message: 'must not be in the future' }]);
  });

  it('reverses only a line of the same provider, for its amount, and not a reversal', async () => {
    expect((await pay({ reference: 'R-ORIG', amountPence: 2500 })).status).toBe(201);
    expect((await pay({ kind: 'reversal', reverses: 'R-NONE', reference: 'R-X1' })).json.errors[0]).toMatchObject({ path: 'reverses' });
    expect((await pay({ kind: 'reversal', reverses: 'R-ORIG', reference: 'R-X2', amountPence: 2000 })).json.errors)
      .toEqual([{ path: 'amountPence', message: 'must be the amount of the line reversed (2500)' }]);
    const reversal = await pay({ kind: 'reversal', reverses: 'R-ORIG', reference: 'R-X3', amountPence: 2500 });
    expect(reversal.json).toMatchObject({ kind: 'reversal', effectPence: -2500, postedBy: 'staff-finance-1' });
    expect((await pay({ kind: 'reversal', reverses: 'R-X3', reference: 'R-X4', amountPence: 2500 })).json.errors[0].message).toMatch(/itself a reversal/);
    expect((await pay({ kind: 'reversal', reverses: 'R-ORIG', reference: 'R-X5', amountPence: 2500 })).status).toBe(409);
  });
});

describe('reports', () => {
  it('refuse a programme of another scheme with a 422 that says why, and an unknown one with a 404', async () => {
    const r = await finance('GET', '/v1/finance/reconciliation', { query: { programme: 'af-2026' } });
    expect(r.status).toBe(422);
    expect(r.json.errors).toEqual([{ path: 'programme', message: expect.stringMatching(/ACTIVE_FAMILIES programme.*HAF programmes/) }]);
    expect((await finance('GET', '/v1/finance/returns/haf', { query: { programme: 'af-2026' } })).status).toBe(422);
    expect((await finance('GET', '/v1/finance/reconciliation', { query: { programme: 'no-such' } })).status).toBe(404);
    expect((await finance('GET', '/v1/finance/reconciliation')).json.errors).toEqual([{ path: 'programme', message: 'is required' }]);
  });

  it('409 when reopening a programme that is open', async () => {
    const r = await finance('POST', '/v1/finance/programmes/haf-christmas-2026/reopen', {
      route: '/v1/finance/programmes/{programmeId}/reopen', params: { programmeId: 'haf-christmas-2026' }, body: { reason: 'why not' },
    });
    expect(r.status).toBe(409);
  });
});

describe('agreements', () => {
  it('keep every version with who made it and when, and finance reads them all', async () => {
    const path = '/v1/admin/programmes/haf-christmas-2026/agreements/wreake-kids';
    const params = { programmeId: 'haf-christmas-2026', providerId: 'wreake-kids' };
    const body = { grantAllocationPence: 500_000, ratePencePerChildDay: 2200, placesCommissioned: 200, paymentBasis: 'attended' };
    expect((await admin('PUT', path, { route: agreementRoute, params, body })).json).toMatchObject({ version: 1, updatedBy: 'staff-admin-1' });
    const changed = await admin('PUT', path, { route: agreementRoute, params, body: { ...body, rates: { sendUplift: 400 }, advanceShare: 0.75, attendanceThreshold: 0.6 } });
    expect([changed.status, changed.json.version]).toEqual([200, 2]);
    const { json } = await finance('GET', '/v1/finance/agreements', { query: { programme: 'haf-christmas-2026', provider: 'wreake-kids' } });
    expect(json.items.map((v: { version: number; current: boolean; rates?: unknown }) => [v.version, v.current, v.rates])).toEqual([
      [1, false, undefined], [2, true, { sendUplift: 400 }],
    ]);
    const bad = await admin('PUT', path, { route: agreementRoute, params, body: { ...body, advanceShare: 1.5, rates: { fsm: -1 } } });
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['advanceShare', 'rates.fsm']);
  });
});
