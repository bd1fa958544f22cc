import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.ts';
import { groupRoles, roles, scopeRoles, type GroupRole, type ScopeRole } from '../../shared/http/roles.ts';
import { routeKey, routes, type OperationId, type Route, type RouteDef } from '../../shared/http/routes/index.ts';
import { day, instant } from '../support/clock.ts';

// Every route in the table against every kind of caller, generated from the table and roles.ts, so a
// route or role added later is covered without anyone remembering to add a test for it.

let stack: LocalStack;
const programmeId = 'e2e-matrix';
const providers = {
  A: { id: 'e2e-matrix-alpha', name: 'Alpha Play Rangers', clientId: 'e2e-matrix-alpha-client', session: 'e2e-matrix-alpha-games' },
  B: { id: 'e2e-matrix-beta', name: 'Beta Kids Club', clientId: 'e2e-matrix-beta-client', session: 'e2e-matrix-beta-games' },
};
type Side = keyof typeof providers;

/** A caller that holds a token: a staff member in a group, or a provider A or B's machine client. */
interface Caller { label: string; role: GroupRole | ScopeRole; side?: Side }
const staff: Caller[] = groupRoles.map((role) => ({ label: role, role }));
const machines = (side: Side): Caller[] => scopeRoles.map((role) => ({ label: `${role} ${side}`, role, side }));
const callers = [...staff, ...machines('A'), ...machines('B')];
/** Bearer tokens by caller label, including `forged …` and `expired …`; `no token` has none. */
const tokens: Record<string, string> = {};

// Values a path parameter takes; any other is a made-up slug.
const params: Record<string, string> = { programmeId, providerId: providers.A.id };
const pathOf = (route: Route, sessionId: string) =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'sessionId' ? sessionId : (params[name] ?? 'e2e-unknown')));
// A body that passes validation where ownership is checked only after it, so ownership decides provider B's answer.
const bodies: Partial<Record<OperationId, unknown>> = { putRegister: { records: [{ bookingId: 'HAF-7K3M9Q2A-1-1', present: true }] } };

/** `through`: past the gateway and the role check, to the handler's own answer (never 401 or 403). */
type Want = 401 | 403 | 404 | 'through';
interface Case { name: string; route: Route; path: string; caller: string; want: Want }

function casesFor(route: Route): Case[] {
  const at = (caller: string, want: Want, sessionId = providers.A.session, note = ''): Case => ({
    name: `${routeKey(route)} as ${caller}${note} → ${want === 'through' ? 'not 401/403' : want}`,
    route, path: pathOf(route, sessionId), caller, want,
  });
  const kind = roles[route.role].kind;
  const others = [...staff, ...machines('A')].map((c) => c.label);
  const anyone = ['no token', ...others.flatMap((l) => [l, `forged ${l}`, `expired ${l}`])];
  // A site form is refused without the session (and token) its page gave, whatever bearer token comes with it.
  if ((route as RouteDef).kind === 'page' && route.method === 'POST') return anyone.map((l) => at(l, 403, providers.A.session, ' (a form post without its page’s session)'));
  // A public route that also takes a signed-in caller checks a token sent to it: a forged or expired one is a 401.
  if (kind === 'public' && (route as RouteDef).token === 'optional') return anyone.map((l) => at(l, /^(forged|expired) /.test(l) ? 401 : 'through'));
  if (kind === 'public') return anyone.map((l) => at(l, 'through'));
  const self = kind === 'group' ? route.role : `${route.role} A`;
  const matrix = [
    at('no token', 401), at(`forged ${self}`, 401), at(`expired ${self}`, 401),
    ...others.filter((l) => l !== self).map((l) => at(l, 403)), at(self, 'through'),
  ];
  if (kind === 'group') return matrix;
  const other = `${route.role} B`;
  if (!route.path.includes('{sessionId}')) return [...matrix, at(other, 'through')];
  return [...matrix, at(other, 404, providers.A.session, ' on provider A’s session'), at(other, 'through', providers.B.session, ' on its own session')];
}
const cases = routes.flatMap(casesFor);

const admin = () => tokens.admin!;
const put = (path: string, body: unknown) => fetch(`${stack.url}${path}`, {
  method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: `Bearer ${admin()}` },
});

/** The same claims signed by a key the gateway has never seen. */
async function forge(token: string) {
  const { kid } = decodeProtectedHeader(token);
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: 'RS256', kid: kid! }).sign(privateKey);
}

beforeAll(async () => {
  const { startLocalStack } = await import('../../infra/local/stack.ts');
  stack = await startLocalStack({ port: 0, dynamoPort: 0, sesPort: 0, seed: false, quiet: true });
  tokens.admin = await stack.mintToken('admin');
  expect((await put(`/v1/admin/programmes/${programmeId}`, { scheme: 'HAF', name: 'HAF matrix week', startDate: day(10), endDate: day(14),
    bookingOpensAt: instant(-1), bookingClosesAt: instant(9) })).status).toBe(201);
  for (const p of Object.values(providers)) {
    expect((await put(`/v1/admin/providers/${p.id}`, { name: p.name, contactEmail: `${p.id}@example.org`, districts: ['Charnwood'],
      clientId: p.clientId })).status).toBe(201);
    expect((await put(`/v1/admin/sessions/${p.session}`, { programmeId, providerId: p.id, title: 'Games and Lunch', date: day(11),
      startTime: '10:00', endTime: '14:00', venue: { name: 'Brook Hall', postcode: 'LE7 7XX', district: 'Charnwood' },
      ageMin: 5, ageMax: 11, capacity: 10, mealProvided: true, sendSupport: false })).status).toBe(201);
  }
  const now = Math.floor(Date.now() / 1000);
  for (const c of callers) {
    const mint = (claims?: Record<string, unknown>) => stack.mintToken(c.role, c.side && providers[c.side].id, claims);
    tokens[c.label] = await mint();
    tokens[`forged ${c.label}`] = await forge(tokens[c.label]!);
    tokens[`expired ${c.label}`] = await mint({ iat: now - 7200, exp: now - 3600 });
  }
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('the authorisation matrix', () => {
  it('covers every row of the route table', () => {
    expect(new Set(cases.map((c) => c.route)).size).toBe(routes.length);
  });

  // One `it` per case rather than it.each, whose $name interpolation cuts long names short.
  for (const { name, route, path, caller, want } of cases) it(name, async () => {
    const token = tokens[caller];
    // A label with no token would silently test an anonymous caller.
    expect(token !== undefined || caller === 'no token').toBe(true);
    const body = route.method === 'PUT' || route.method === 'POST' ? JSON.stringify(bodies[route.operationId] ?? {}) : undefined;
    const res = await fetch(`${stack.url}${path}`, {
      method: route.method, body,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    const answer = `${res.status} ${await res.text()}`;
    expect(res.status, answer).toBeLessThan(500);
    if (want === 'through') expect([401, 403], answer).not.toContain(res.status);
    else expect(res.status, answer).toBe(want);
  });
});
