import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStreamPoller, type StreamPoller } from '../../infra/local/streams.ts';
import { effectsOf } from '../../shared/reactions/index.ts';
import { figuresCounter, verifyFigures } from '../../shared/services/figures.ts';
import { dfeReturn, reconcile } from '../../shared/services/finance.ts';
import { FinanceStore } from '../../shared/store/finance.ts';
import { decodeChange } from '../../shared/store/stream.ts';
import { providerWorld } from '../support/provider-world.ts';
import { freshTable } from '../support/table.ts';

// The figures are kept from the table's stream, exactly once in effect: the real stream records of real
// bookings, cancellations, a waitlist offer and registers (one mark corrected) are applied in order, again,
// backwards and shuffled with repeats, each time to a table of figures of its own, and must agree with each
// other and with a recount from the bookings. Then the personal data is deleted (as the TTL would) and the
// deletes are applied too: reconciliation and the DfE figures do not move.

type Table = Awaited<ReturnType<typeof freshTable>>;
let t: Table;
let world: Awaited<ReturnType<typeof providerWorld>>;
const figureTables: Table[] = [];
const captured: DynamoDBRecord[] = [];
let poller: StreamPoller;
const programmeId = 'haf-christmas-2026';
const sessions = ['football-1222', 'crafts-1223', 'wreake-1222'];
const at = (date: string) => `${date}T15:00:00.000Z`;

async function figuresTable() {
  const f = await freshTable();
  figureTables.push(f);
  return new FinanceStore(f.db, f.tableName);
}

/** What the notifier does with the booking changes: each one's contribution, through the real counter. */
async function apply(records: readonly DynamoDBRecord[], figures: FinanceStore) {
  const count = figuresCounter({ catalogue: world.deps.catalogue, figures, now: world.deps.now });
  for (const r of records) for (const e of effectsOf(decodeChange(r))) if (e.kind === 'countBooking') await count(e.booking);
}

const snapshot = async (figures: FinanceStore) => ({
  sessions: Object.fromEntries(await figures.sessionFigures(sessions)),
  children: Object.fromEntries((await figures.childrenFigures(programmeId)).map((c) => [c.scope, c.counts])),
});

const financeDeps = (figures: FinanceStore) => ({ ...world.deps, figures, now: () => new Date('2027-01-05T12:00:00Z') });

beforeAll(async () => {
  t = await freshTable();
  world = await providerWorld(t);
  const { ids } = world;
  const ok = async (r: Promise<{ statusCode?: number }>) => expect((await r).statusCode).toBe(200);
  await ok(world.putRegister('football-1222', [
    { bookingId: ids['formula@football-1222'], present: true }, { bookingId: ids['obrien@football-1222'], present: false },
    { bookingId: ids['zoe@football-1222'], present: true }, { bookingId: ids['waiting@football-1222'], present: false, absenceReason: 'Ill' },
  ], at('2026-12-22')));
  // Sent again: O'Brien did come after all.
  await ok(world.putRegister('football-1222', [{ bookingId: ids['obrien@football-1222'], present: true }], at('2026-12-22')));
  await ok(world.putRegister('crafts-1223', [{ bookingId: ids['formula@crafts-1223'], present: true }], at('2026-12-23')));
  await ok(world.call({ ...(await registerEvent('wreake-1222', ids['elsewhere@wreake-1222']!)) }, at('2026-12-22')));
  poller = startStreamPoller({
    endpoint: t.endpoint, tableName: t.tableName, intervalMs: 50,
    handler: async (event) => { captured.push(...event.Records); return { batchItemFailures: [] }; },
  });
  await poller.drain();
}, 60_000);

/** Wreake Kids' own register, with its own client's token. */
async function registerEvent(sessionId: string, bookingId: string) {
  const { apiEvent, claims } = await import('../support/events.ts');
  return apiEvent({
    method: 'PUT', path: `/v1/provider/sessions/${sessionId}/attendance`, route: '/v1/provider/sessions/{sessionId}/attendance',
    params: { sessionId }, claims: claims.provider('wreake-kids-client'), body: { records: [{ bookingId, present: true }] },
  });
}

afterAll(async () => {
  await poller?.stop();
  for (const f of figureTables) await f.drop();
  await t?.drop();
});

describe('figures from the stream', () => {
  it('applied in order, are the recount from the bookings: a child counts once however many days', async () => {
    const figures = await figuresTable();
    await apply(captured, figures);
    const kept = await snapshot(figures);
    expect(kept.sessions['football-1222']).toMatchObject({ bookedFsm: 4, attendedFsm: 3, absent: 1 });
    expect(kept.sessions['football-1222']!.absentUnexplained).toBeUndefined();
    // Ada came on two days: two child-days, one child.
    expect(kept.children.ALL).toMatchObject({ children: 4, fsm: 4, primary: 4 });
    expect(kept.children['PROVIDER#soar-valley']).toMatchObject({ children: 3 });
    expect(kept.children['DISTRICT#Charnwood']).toMatchObject({ children: 4 });
    const check = await verifyFigures({ catalogue: world.deps.catalogue, attendance: world.deps.attendance, figures, now: world.deps.now }, programmeId);
    expect(check.bookings).toBeGreaterThan(0);
    expect(check.differences).toEqual([]);
  });

  it('come out the same when the records are delivered twice, backwards, or shuffled with repeats', async () => {
    const inOrder = await figuresTable();
    await apply(captured, inOrder);
    const expected = await snapshot(inOrder);
    await apply(captured, inOrder);
    expect(await snapshot(inOrder)).toEqual(expected);
    const backwards = await figuresTable();
    await apply([...captured].reverse(), backwards);
    expect(await snapshot(backwards)).toEqual(expected);
    // A fixed shuffle (so a failure can be replayed), every record twice.
    let seed = 7;
    const next = () => {
      seed = (seed * 48271) % 2147483647;
      return seed;
    };
    const shuffled = [...captured, ...captured].map((r) => ({ r, k: next() })).sort((a, b) => a.k - b.k).map((x) => x.r);
    const mixed = await figuresTable();
    await apply(shuffled, mixed);
    expect(await snapshot(mixed)).toEqual(expected);
  });

  it('do not move when the personal data is deleted: reconciliation and the DfE figures stay as they were', async () => {
    const figures = await figuresTable();
    await apply(captured, figures);
    const deps = financeDeps(figures);
    const before = { reconciliation: await reconcile(deps, programmeId), dfe: await dfeReturn(deps, programmeId) };
    expect(before.reconciliation.totals.childDaysAttended).toBe(5);
    expect(before.dfe.totals.uniqueChildren).toBe(4);
    // What DynamoDB's TTL does when the retention period ends: every item with an expiry goes, in no set order.
    // First the bookings (their deletes reach the notifier while the contributions are still there), then the rest.
    const deleteExpiring = async (table: Table) => {
      const { Items = [] } = await table.db.send(new ScanCommand({ TableName: table.tableName, FilterExpression: 'attribute_exists(expiresAtEpoch)' }));
      expect(Items.length).toBeGreaterThan(0);
      for (const i of Items) await table.db.send(new DeleteCommand({ TableName: table.tableName, Key: { pk: i.pk, sk: i.sk } }));
    };
    const mark = captured.length;
    await deleteExpiring(t);
    await poller.drain();
    const deletes = captured.slice(mark);
    expect(deletes.some((r) => r.eventName === 'REMOVE' && r.dynamodb?.OldImage?.entity?.S === 'Booking')).toBe(true);
    await apply(deletes, figures);
    expect({ reconciliation: await reconcile(deps, programmeId), dfe: await dfeReturn(deps, programmeId) }).toEqual(before);
    await deleteExpiring(figureTables.at(-1)!);
    const after = { reconciliation: await reconcile(deps, programmeId), dfe: await dfeReturn(deps, programmeId) };
    expect(after).toEqual(before);
  });
});
