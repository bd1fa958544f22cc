import type { APIGatewayProxyStructuredResultV2 as Result } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerActions } from '../../functions/provider-api/actions.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { wireIdempotency } from '../../shared/wiring.ts';
import type { BookingRequest } from '../../shared/schemas/records.ts';
import { providerRoutes } from '../../shared/http/routes/provider.ts';
import { seed } from '../support/seed.ts';
import type { Deps } from '../../shared/wiring.ts';
import { apiEvent, claims, lambdaContext } from '../support/events.ts';
import { depsFor, freshTable } from '../support/table.ts';
import { name } from '../support/names.ts';

// The attendance list must cost one Query whatever else is in the table, and a long register
// must still be saved in transactions DynamoDB accepts (at most 100 items each).

let t: Awaited<ReturnType<typeof freshTable>>;
let deps: Deps;
let make: ReturnType<typeof seed>;
const now = '2026-11-23T10:00:00.000Z';
const seen: string[] = [];
const bookingId = (sessionId: string, n: number) => `HAF-${sessionId.slice(0, 2).toUpperCase()}${String(n).padStart(6, '0')}-1-1`;

/** Commands the document client sends while `run` runs. */
async function commandsDuring(run: () => Promise<unknown>): Promise<string[]> {
  seen.length = 0;
  await run();
  return [...seen];
}

function booking(sessionId: string, n: number): BookingRequest {
  const id = bookingId(sessionId, n);
  return {
    bookingId: id, reference: id.slice(0, 12), sessionId, programmeId: 'haf-christmas-2026', providerId: 'soar-valley',
    sessionDate: '2026-12-22', childId: `${id.slice(0, 12)}-1`, childKey: `child-${sessionId}-${n}`, family: `family-${n}`, discretionary: false, arrivedAt: now,
    expiresAtEpoch: 1_830_000_000, child: { firstName: name('Child', n), lastName: name('Family', n % 7), dateOfBirth: '2017-05-01' }, parentPhone: '07700 900000',
  };
}

async function fill(sessionId: string, count: number) {
  for (let i = 0; i < count; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, count - i) }, (_, j) =>
      deps.bookings.place(booking(sessionId, i + j), { discretionaryPlaces: 0 }, now)));
  }
}

/** 150 requests for 140 places (10 waitlisted), then one cancelled: 139 confirmed bookings. */
async function longSession(make: ReturnType<typeof seed>, sessionId: string) {
  await make.session(sessionId, { capacity: 140 });
  await fill(sessionId, 150);
  const cancelled = (await deps.bookings.getBooking(sessionId, bookingId(sessionId, 3)))!;
  await deps.bookings.cancel(cancelled, false, now);
}

beforeAll(async () => {
  t = await freshTable();
  deps = depsFor(t);
  t.db.middlewareStack.add((next, context) => async (args) => {
    seen.push(context.commandName ?? '?');
    return next(args);
  }, { step: 'initialize', name: 'countCommands' });
  make = seed(deps);
  await make.programme('haf-christmas-2026');
  await make.provider('soar-valley', { clientId: 'soar-valley-client' });
  // 'big' is only read; another session's bookings around it.
  await longSession(make, 'big');
  await make.session('next-door', { capacity: 60, startTime: '14:00', endTime: '18:00' });
  await fill('next-door', 60);
});
afterAll(async () => t?.drop());

describe('the attendance list', () => {
  it('is one Query, no Scan, and only the session’s confirmed bookings', async () => {
    let list: Awaited<ReturnType<typeof deps.attendance.confirmedBookings>> = [];
    expect(await commandsDuring(async () => { list = await deps.attendance.confirmedBookings('big'); })).toEqual(['QueryCommand']);
    expect(list).toHaveLength(139);
    expect(new Set(list.map((b) => b.bookingId)).size).toBe(139);
    expect(list.map((b) => b.bookingId)).not.toContain(bookingId('big', 3));
    expect(list.every((b) => b.bookingId.startsWith('HAF-BI'))).toBe(true);
  });

  it('costs the whole request one Query and no Scan', async () => {
    const handler = apiHandler(providerRoutes, providerActions(deps), { idempotency: wireIdempotency(deps) });
    let result: Result | undefined;
    const sent = await commandsDuring(async () => {
      result = (await handler(apiEvent({
        method: 'GET', path: '/v1/provider/sessions/big/attendance', route: '/v1/provider/sessions/{sessionId}/attendance',
        params: { sessionId: 'big' }, claims: claims.provider('soar-valley-client'), query: { format: 'csv' },
      }), lambdaContext())) as Result;
    });
    expect(result?.statusCode).toBe(200);
    expect(result?.body?.split('\r\n').filter(Boolean)).toHaveLength(140);
    expect(sent.filter((c) => c === 'QueryCommand')).toHaveLength(1);
    expect(sent).not.toContain('ScanCommand');
  });
});

// Each register goes to a session of its own, so no test sees another's registers or cancellations.
describe('a long register', () => {
  it('is saved in parts of at most 100 items, each part kept with who sent it', async () => {
    await longSession(make, 'register-whole');
    const list = await deps.attendance.confirmedBookings('register-whole');
    const records = list.map((b, i) => ({ bookingId: b.bookingId, present: i % 4 !== 0 }));
    const sentBy = { providerId: 'soar-valley', clientId: 'soar-valley-client' };
    const sent = await commandsDuring(() => deps.attendance.saveRegister({
      sessionId: 'register-whole', programmeId: 'haf-christmas-2026', submissionId: 'sub-1', sentAt: '2026-12-22T16:00:00.000Z', sentBy, records,
    }));
    expect(sent).toEqual(['TransactWriteItemsCommand', 'TransactWriteItemsCommand']);
    const parts = await deps.attendance.registerSubmissions('register-whole');
    expect(parts.map((p) => [p.part, p.parts, p.records.length, p.sentBy])).toEqual([[1, 2, 97, sentBy], [2, 2, 42, sentBy]]);
    const after = await deps.attendance.confirmedBookings('register-whole');
    expect(after.filter((b) => b.present === true)).toHaveLength(records.filter((r) => r.present).length);
    expect(after.every((b) => typeof b.present === 'boolean')).toBe(true);
  });

  it('names a booking cancelled since the check, by its place in the whole register', async () => {
    await longSession(make, 'cancelled-since');
    const list = await deps.attendance.confirmedBookings('cancelled-since');
    const records = list.map((b) => ({ bookingId: b.bookingId, present: true }));
    const leaving = records[100]!.bookingId;
    await deps.bookings.cancel((await deps.bookings.getBooking('cancelled-since', leaving))!, true, now);
    expect(await deps.attendance.saveRegister({
      sessionId: 'cancelled-since', programmeId: 'haf-christmas-2026', submissionId: 'sub-2', sentAt: '2026-12-22T17:00:00.000Z',
      sentBy: { providerId: 'soar-valley', clientId: 'soar-valley-client' }, records,
    })).toEqual({ saved: false, notConfirmed: [100] });
    // The first part was whole, so it stays; the second was refused whole.
    const parts = (await deps.attendance.registerSubmissions('cancelled-since')).filter((p) => p.submissionId === 'sub-2');
    expect(parts.map((p) => p.part)).toEqual([1]);
  });
});
