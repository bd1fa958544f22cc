import createClient from 'openapi-fetch';
import type { paths } from './api.ts';

// A client as an outside developer would write it: types generated from the served OpenAPI document
// (openapi-typescript, into api.ts by test/e2e/openapi-client.test.ts) and openapi-fetch. If the
// document is wrong about a path, a body or a header, this does not compile.

export interface Family {
  programmeId: string; sessionId: string; code: string;
  parent: { firstName: string; lastName: string; email: string; postcode: string };
  child: { firstName: string; lastName: string; dateOfBirth: string };
}

export async function bookPlace(baseUrl: string, f: Family) {
  const api = createClient<paths>({ baseUrl });
  const check = await api.POST('/v1/eligibility-checks', { body: { code: f.code }, params: { header: { 'Idempotency-Key': `check-${f.code}` } } });
  if (!check.data) throw new Error(`eligibility check: ${JSON.stringify(check.error)}`);
  const created = await api.POST('/v1/applications', {
    params: { header: { 'Idempotency-Key': `client-${f.code}` } },
    body: {
      scheme: 'HAF', programmeId: f.programmeId, parent: f.parent, eligibility: { checkId: check.data.checkId },
      children: [{ ...f.child, sessionIds: [f.sessionId] }], consent: { dataProcessing: true },
    },
  });
  if (!created.data) throw new Error(`application: ${JSON.stringify(created.error)}`);
  const view = await api.GET('/v1/applications/{reference}', {
    params: { path: { reference: created.data.reference }, header: { 'X-Manage-Token': created.data.manageToken } },
  });
  if (!view.data) throw new Error(`view: ${JSON.stringify(view.error)}`);
  // The view is a union over the schemes; the client narrows it on `scheme` as any caller must.
  if (view.data.scheme !== 'HAF') throw new Error(`view: expected a HAF application, got ${view.data.scheme}`);
  return { outcome: check.data.outcome, reference: created.data.reference, status: view.data.status, bookings: view.data.children.flatMap((c) => c.bookings.map((b) => b.status)) };
}
