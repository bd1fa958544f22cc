import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Limits, PlaceOutcome, WantedPlace } from '../../shared/domain/ports.ts';
import type { BookingRequest } from '../../shared/schemas/records.ts';
import { BookingStore } from '../../shared/store/bookings.ts';
import { keys, partitions } from '../../shared/store/keys.ts';
import { bornYearsAgo, day, instant } from '../support/clock.ts';
import { freshTable } from '../support/table.ts';

// A child's places in one application go in one transaction (issue 11: the child's days written once, not
// once a place). Whatever the sessions' counts and the child's days say, that must decide exactly what
// taking the places one by one, in the parent's order, decides: the same outcomes and the same items.

type Table = Awaited<ReturnType<typeof freshTable>>;
let together: Table;
let oneByOne: Table;
const now = instant(0);

beforeAll(async () => { [together, oneByOne] = await Promise.all([freshTable(), freshTable()]); });
afterAll(async () => { await Promise.all([together?.drop(), oneByOne?.drop()]); });

interface SessionState { capacity: number; booked: number; waitlisted: number; discretionaryWaitlisted: number; discretionaryBooked: number; discretionaryPlaces: number; date: string }
interface Scenario {
  sessions: SessionState[];
  /** Days the child already holds (from another application of the same family). */
  held: string[];
  maxDays: number | undefined;
  /** Indexes into sessions, in the parent's order, with whether the child is referred and what the counts looked like. */
  wanted: { session: number; discretionary: boolean; looksFull: boolean }[];
}

/** Eight session days, three weeks on (from the clock). */
const dates = [21, 22, 23, 24, 28, 29, 30, 31].map((n) => day(n));
const session = fc.record({
  capacity: fc.integer({ min: 0, max: 3 }), booked: fc.integer({ min: 0, max: 2 }), waitlisted: fc.integer({ min: 0, max: 1 }),
  discretionaryWaitlisted: fc.integer({ min: 0, max: 1 }), discretionaryBooked: fc.integer({ min: 0, max: 1 }), discretionaryPlaces: fc.integer({ min: 0, max: 1 }),
  // Two sessions can fall on one day: a plan that asks for both is decided place by place.
  date: fc.constantFrom(...dates),
}).map((s) => ({ ...s, booked: Math.min(s.booked, s.capacity), discretionaryWaitlisted: Math.min(s.discretionaryWaitlisted, s.waitlisted) }));
const scenario: fc.Arbitrary<Scenario> = fc.array(session, { minLength: 2, maxLength: 5 }).chain((sessions) => fc.record({
  sessions: fc.constant(sessions),
  held: fc.subarray(dates, { maxLength: 3 }),
  maxDays: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
  wanted: fc.uniqueArray(fc.integer({ min: 0, max: sessions.length - 1 }), { minLength: 1, maxLength: sessions.length })
    .chain((picked) => fc.tuple(...picked.map((i) => fc.record({ session: fc.constant(i), discretionary: fc.boolean(), looksFull: fc.boolean() })))),
}));

let run = 0;
/** Writes the scenario's sessions and the child's days under ids of its own, in both tables. */
async function arrange(t: Table, s: Scenario, id: string) {
  for (const [i, x] of s.sessions.entries()) {
    const { date, discretionaryPlaces, ...counts } = x;
    await t.db.send(new PutCommand({ TableName: t.tableName, Item: { ...keys.places(`${id}-s${i}`), entity: 'Places', ...counts } }));
  }
  if (s.held.length) {
    await t.db.send(new PutCommand({
      TableName: t.tableName,
      Item: { ...keys.childDays({ childKey: `${id}-child`, programmeId: 'haf', family: `${id}-family` }), entity: 'ChildDays', dates: new Set(s.held), references: new Set(['HAF-EARLIER']) },
    }));
  }
}

function wantedOf(s: Scenario, id: string): WantedPlace[] {
  return s.wanted.map((w, n) => {
    const x = s.sessions[w.session]!;
    const limits: Limits = { maxDays: s.maxDays, discretionaryPlaces: x.discretionaryPlaces };
    const booking: BookingRequest = {
      bookingId: `${id}-b${n}`, reference: `${id}-ref`, sessionId: `${id}-s${w.session}`, programmeId: 'haf', providerId: 'provider', sessionDate: x.date,
      childId: `${id}-c1`, childKey: `${id}-child`, family: `${id}-family`, discretionary: w.discretionary, arrivedAt: now, expiresAtEpoch: 1_830_000_000,
      child: { firstName: 'Alex', lastName: 'Example', dateOfBirth: bornYearsAgo(9) },
    };
    return { booking, limits, looksFull: w.looksFull };
  });
}

/** What the table holds afterwards for the scenario: every session's counts and items, and the child's days. */
async function state(t: Table, s: Scenario, id: string) {
  const sessions = [];
  for (const i of s.sessions.keys()) {
    const out = await t.db.send(new QueryCommand({
      TableName: t.tableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': partitions.session(`${id}-s${i}`) }, ConsistentRead: true,
    }));
    sessions.push((out.Items ?? []).map(({ createdAt, updatedAt, ...item }) => item));
  }
  const days = await t.db.send(new GetCommand({
    TableName: t.tableName, Key: keys.childDays({ childKey: `${id}-child`, programmeId: 'haf', family: `${id}-family` }), ConsistentRead: true,
  }));
  return { sessions, dates: [...((days.Item?.dates as Set<string> | undefined) ?? [])].sort(), references: [...((days.Item?.references as Set<string> | undefined) ?? [])].sort() };
}

/** What `run` answers, and how many requests it sent to the table. */
async function counted<T>(t: Table, run: () => Promise<T>): Promise<[T, number]> {
  let sent = 0;
  const send = t.db.send.bind(t.db);
  (t.db as { send: unknown }).send = (c: unknown) => { sent++; return send(c as never); };
  try { return [await run(), sent]; } finally { (t.db as { send: unknown }).send = send; }
}

describe("a child's places in one application", () => {
  it('decide what taking them one by one in order decides: outcomes, counts, bookings, waitlist and days', async () => {
    let fewerRequests = 0;
    await fc.assert(fc.asyncProperty(scenario, async (s) => {
      const id = `run${run++}`;
      await Promise.all([arrange(together, s, id), arrange(oneByOne, s, id)]);
      const wanted = wantedOf(s, id);
      const [got, sent] = await counted(together, () => new BookingStore(together.db, together.tableName).placeAll(wanted, now));
      const sequential = new BookingStore(oneByOne.db, oneByOne.tableName);
      const [expected, sentOneByOne] = await counted(oneByOne, async () => {
        const outcomes: PlaceOutcome[] = [];
        for (const w of wanted) outcomes.push(await sequential.place(w.booking, w.limits, now, w.looksFull));
        return outcomes;
      });
      if (sent < sentOneByOne) fewerRequests++;
      expect(got).toEqual(expected);
      expect(await state(together, s, id)).toEqual(await state(oneByOne, s, id));
    }), { numRuns: 100, seed: 11 });
    // The point of it: many plans settle in fewer requests (the rest fall back to one by one).
    expect(fewerRequests).toBeGreaterThan(10);
    // A hundred scenarios on two tables: about 10 s alone, several times that while the whole suite shares the machine.
  }, 120_000);

  it('three free sessions: one transaction, and the child holds all three days', async () => {
    const s: Scenario = {
      sessions: dates.slice(0, 3).map((date) => ({ capacity: 5, booked: 0, waitlisted: 0, discretionaryWaitlisted: 0, discretionaryBooked: 0, discretionaryPlaces: 1, date })),
      held: [], maxDays: 3, wanted: [0, 1, 2].map((session) => ({ session, discretionary: false, looksFull: false })),
    };
    const id = `run${run++}`;
    await arrange(together, s, id);
    const store = new BookingStore(together.db, together.tableName);
    expect(await store.placeAll(wantedOf(s, id), now)).toEqual([{ status: 'confirmed' }, { status: 'confirmed' }, { status: 'confirmed' }]);
    const after = await state(together, s, id);
    expect(after.dates).toEqual(dates.slice(0, 3));
    expect(after.references).toEqual([`${id}-ref`]);
    for (const items of after.sessions) expect(items.find((i) => i.sk === 'PLACES')).toMatchObject({ booked: 1, waitlisted: 0 });
  });

  it('sent again (a retried application), finds its own bookings and takes nothing twice', async () => {
    const s: Scenario = {
      sessions: [{ capacity: 1, booked: 0, waitlisted: 0, discretionaryWaitlisted: 0, discretionaryBooked: 0, discretionaryPlaces: 0, date: dates[0]! },
        { capacity: 1, booked: 1, waitlisted: 0, discretionaryWaitlisted: 0, discretionaryBooked: 0, discretionaryPlaces: 0, date: dates[1]! }],
      held: [], maxDays: undefined, wanted: [{ session: 0, discretionary: false, looksFull: false }, { session: 1, discretionary: false, looksFull: false }],
    };
    const id = `run${run++}`;
    await arrange(together, s, id);
    const store = new BookingStore(together.db, together.tableName);
    const first = await store.placeAll(wantedOf(s, id), now);
    expect(first).toEqual([{ status: 'confirmed' }, { status: 'waitlisted' }]);
    const before = await state(together, s, id);
    expect(await store.placeAll(wantedOf(s, id), now)).toEqual(first);
    expect(await state(together, s, id)).toEqual(before);
  });

  it('never overbooks when many children each want the same few sessions at once', async () => {
    const id = `run${run++}`;
    const sessions = dates.slice(0, 3).map((date) => ({ capacity: 4, booked: 0, waitlisted: 0, discretionaryWaitlisted: 0, discretionaryBooked: 0, discretionaryPlaces: 1, date }));
    const none: Scenario = { sessions, held: [], maxDays: undefined, wanted: [] };
    await arrange(together, none, id);
    const store = new BookingStore(together.db, together.tableName);
    const children = Array.from({ length: 24 }, (_, c) => {
      const s: Scenario = { ...none, wanted: [c % 3, (c + 1) % 3, (c + 2) % 3].map((session) => ({ session, discretionary: c % 5 === 0, looksFull: false })) };
      return wantedOf(s, id).map((w) => ({ ...w, booking: { ...w.booking, bookingId: `${w.booking.bookingId}-k${c}`, childKey: `${id}-child${c}`, reference: `${id}-ref${c}` } }));
    });
    const outcomes = (await Promise.all(children.map((wanted) => store.placeAll(wanted, now)))).flat();
    const asked = children.flat();
    const after = await state(together, none, id);
    for (const [i, items] of after.sessions.entries()) {
      const inSession = asked.flatMap((w, n) => (w.booking.sessionId === `${id}-s${i}` ? [outcomes[n]!.status] : []));
      const places = items.find((x) => x.sk === 'PLACES')!;
      const bookings = items.filter((x) => String(x.sk).startsWith('BOOKING#'));
      expect(places.booked).toBe(4);
      expect(bookings.filter((b) => b.status === 'confirmed')).toHaveLength(4);
      expect(inSession.filter((o) => o === 'confirmed')).toHaveLength(4);
      expect(places.waitlisted).toBe(items.filter((x) => String(x.sk).startsWith('WAITLIST#')).length);
      expect(inSession.filter((o) => o === 'waitlisted')).toHaveLength(Number(places.waitlisted));
    }
    // Each child's days are exactly the days of its confirmed places.
    for (const [c, wanted] of children.entries()) {
      const days = await together.db.send(new GetCommand({
        TableName: together.tableName, Key: keys.childDays({ childKey: `${id}-child${c}`, programmeId: 'haf', family: `${id}-family` }), ConsistentRead: true,
      }));
      const confirmedDays = wanted.filter((_, n) => outcomes[c * 3 + n]!.status === 'confirmed').map((w) => w.booking.sessionDate).sort();
      expect([...((days.Item?.dates as Set<string> | undefined) ?? [])].sort()).toEqual(confirmedDays);
    }
  });
});
