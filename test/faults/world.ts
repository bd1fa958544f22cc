import { expect } from 'vitest';
import type { LocalStack, LocalStackOptions } from '../../infra/local/stack.ts';
import { bornYearsAgo, day, instant } from '../support/clock.ts';
import { name } from '../support/names.ts';

// One local stack per fault file, with a HAF programme, a provider with a grant agreement and sessions
// of its own, and the few calls every fault test makes over HTTP.

export interface Answer { status: number; headers: Headers; json: Record<string, unknown>; ms: number }
export interface Email { subject: string; destination: { to: string[] } }

export interface World {
  stack: LocalStack;
  programmeId: string;
  admin: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** A session of `capacity` places on a day of the holiday. */
  session(id: string, capacity: number): Promise<void>;
  /** Family `i`'s HAF application for one session, with a council code loaded for it. */
  family(i: number, sessionId: string): Promise<Family>;
  apply(f: Family, headers?: Record<string, string>): Promise<Answer>;
  emails(): Promise<Email[]>;
  /** The finance officer's reconciliation row for the world's provider. */
  reconciliation(): Promise<Record<string, unknown>>;
}

export interface Family { code: string; body: Record<string, unknown>; email: string }

export async function startWorld(programmeId: string, opts: Pick<LocalStackOptions, 'wrapNotifier'> = {}): Promise<World> {
  const { startLocalStack } = await import('../../infra/local/stack.ts');
  const stack = await startLocalStack({ port: 0, dynamoPort: 0, sesPort: 0, seed: false, quiet: true, ...opts });
  const admin = await stack.mintToken('admin');
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const started = Date.now();
    const res = await fetch(`${stack.url}${path}`, {
      method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers }, body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json().catch(() => undefined)) as Record<string, unknown>;
    return { status: res.status, headers: res.headers, json, ms: Date.now() - started };
  };
  const asAdmin = (method: string, path: string, body: unknown) => call(method, path, body, { authorization: `Bearer ${admin}` });
  const providerId = `${programmeId}-provider`;
  expect((await asAdmin('PUT', `/v1/admin/programmes/${programmeId}`, {
    scheme: 'HAF', name: `Faults: ${programmeId}`, startDate: day(30), endDate: day(40),
    bookingOpensAt: new Date(Date.now() - 3600_000).toISOString(), bookingClosesAt: instant(25), maxDaysPerChild: 4,
  })).status).toBe(201);
  expect((await asAdmin('PUT', `/v1/admin/providers/${providerId}`, { name: 'Fault Test Sports CIC', contactEmail: 'faults@example.org', districts: ['Blaby'] })).status)
    .toBeLessThan(300);
  expect((await asAdmin('PUT', `/v1/admin/programmes/${programmeId}/agreements/${providerId}`, {
    grantAllocationPence: 1_000_000, ratePencePerChildDay: 2_500, placesCommissioned: 100, paymentBasis: 'booked',
  })).status).toBeLessThan(300);

  return {
    stack, programmeId, admin, call,
    async session(id, capacity) {
      expect((await asAdmin('PUT', `/v1/admin/sessions/${id}`, {
        programmeId, providerId, title: `Fault session ${id}`, date: day(31), startTime: '09:30', endTime: '13:30',
        venue: { name: 'Enderby Fields Sports Hall', postcode: 'LE19 4AD', district: 'Blaby' }, ageMin: 5, ageMax: 16, capacity, mealProvided: true, sendSupport: false,
      })).status).toBe(201);
    },
    async family(i, sessionId) {
      const code = `${programmeId.toUpperCase().replace(/[^A-Z0-9]/g, '')}-${i}`;
      expect((await asAdmin('POST', '/v1/admin/eligibility-codes', { programmeId, codes: [{ code, outcome: 'eligible' }] })).status).toBe(200);
      const email = `faults.${programmeId}.${i}@example.org`;
      return {
        code, email,
        body: {
          scheme: 'HAF', programmeId, eligibility: { code }, consent: { dataProcessing: true },
          parent: { firstName: name('Parentname', i), lastName: name('Familyname', i), email, postcode: 'LE3 8AA' },
          children: [{ firstName: name('Childname', i), lastName: name('Familyname', i), dateOfBirth: bornYearsAgo(9), sessionIds: [sessionId] }],
        },
      };
    },
    apply: (f, headers = {}) => call('POST', '/v1/applications', f.body, headers),
    emails: async () => ((await (await fetch(`${stack.sesUrl}/store`)).json()) as { emails: Email[] }).emails,
    async reconciliation() {
      const finance = await stack.mintToken('finance');
      const r = await call('GET', `/v1/finance/reconciliation?programme=${programmeId}`, undefined, { authorization: `Bearer ${finance}` });
      expect(r.status).toBe(200);
      return (r.json.rows as Record<string, unknown>[]).find((row) => row.providerId === providerId)!;
    },
  };
}

/** Polls `probe` until it returns something other than undefined, or fails after `ms`: a condition, never a fixed sleep. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const seen = await probe();
    if (seen !== undefined) return seen;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
