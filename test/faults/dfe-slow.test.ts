import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functions } from '../../shared/runtime.ts';
import { eventually, startWorld, type Answer, type Family, type World } from './world.ts';

// DfE's eligibility checking API slow (every answer held back past our timeout) or down (503) while
// families book: parents checking with DfE are told to try again (503 with Retry-After) in bounded time,
// a check DfE keeps queued is `pending`, and families booking with a council code carry on as if nothing happened.

let w: World;
beforeAll(async () => { w = await startWorld('faults-dfe'); });
afterAll(async () => {
  w?.stack.dfe.setMode('normal');
  await w?.stack.stop();
});

const timeoutMs = functions['eligibility-api'].timeoutSeconds * 1000;
/** A parent DfE knows (the double answers `smith` as eligible); `i` keeps each NI number distinct. */
const parent = (i: number, lastName = 'Smith') => ({ lastName, dateOfBirth: '1990-02-03', nationalInsuranceNumber: `AB12${String(i).padStart(4, '0')}C` });
const check = (i: number, lastName?: string) => w.call('POST', '/v1/eligibility-checks', parent(i, lastName));

let next = 0;
/** A rush of DfE checks and code bookings at once, while DfE is in `mode`. */
async function rush(mode: 'slow' | 'down', checks: number, bookings: number) {
  const families: Family[] = [];
  for (let i = 0; i < bookings; i++) families.push(await w.family(next++, 'dfe-1'));
  w.stack.dfe.setMode(mode);
  try {
    const checked = Promise.all(Array.from({ length: checks }, () => check(next++)));
    const booked = Promise.all(families.map((f) => w.apply(f)));
    return { checked: await checked, booked: await booked };
  } finally {
    w.stack.dfe.setMode('normal');
  }
}

function expectTryAgain(answers: Answer[], retryAfter: string) {
  for (const a of answers) {
    expect([a.status, a.headers.get('retry-after'), a.headers.get('content-type')]).toEqual([503, retryAfter, expect.stringMatching(/^application\/problem\+json/)]);
    expect(a.ms).toBeLessThan(timeoutMs);
  }
}

describe('DfE slow or down during a rush', () => {
  beforeAll(async () => w.session('dfe-1', 40));

  it('slow: checks answer 503 with Retry-After before the function times out; code bookings are confirmed without waiting', async () => {
    const { checked, booked } = await rush('slow', 6, 10);
    // The double holds every answer 5 s, past the client's 1.5 s per-request timeout: the client's own Retry-After.
    expectTryAgain(checked, '30');
    expect(booked.map((a) => [a.status, a.json.status])).toEqual(booked.map(() => [201, 'confirmed']));
    // Not held up behind DfE: each booking answered sooner than DfE's held-back answer could have come.
    expect(Math.max(...booked.map((a) => a.ms))).toBeLessThan(5_000);
  });

  it('down: checks answer 503 with DfE\'s Retry-After; code bookings are confirmed', async () => {
    const { checked, booked } = await rush('down', 5, 10);
    expectTryAgain(checked, '30');
    expect(booked.map((a) => [a.status, a.json.status])).toEqual(booked.map(() => [201, 'confirmed']));
  });

  it('a check DfE keeps queued is `pending`; booking with it waits (409) until DfE decides, then books', async () => {
    const pending = await check(next++, 'Slow');
    expect([pending.status, pending.json.outcome]).toEqual([201, 'pending']);
    expect(pending.ms).toBeLessThan(timeoutMs);
    const f = await w.family(next++, 'dfe-1');
    const body = { ...f.body, eligibility: { checkId: pending.json.checkId }, parent: { ...(f.body.parent as object), lastName: 'Slow' } };
    const early = await w.call('POST', '/v1/applications', body);
    expect([early.status, early.headers.get('retry-after')]).toEqual([409, '60']);
    // DfE decides after 10 s; the application goes through once it has.
    const booked = await eventually('the booking once DfE has decided', async () => {
      const a = await w.call('POST', '/v1/applications', body);
      expect([201, 409]).toContain(a.status);
      return a.status === 201 ? a : undefined;
    }, 60_000, 500);
    expect(booked.json.status).toBe('confirmed');
  });

  it('DfE back: checks are answered again', async () => {
    const ok = await check(next++);
    expect([ok.status, ok.json.outcome]).toEqual([201, 'eligible']);
  });
});
