import { describe, expect, it } from 'vitest';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { csvCell, csvOf } from '../../shared/http/csv.ts';
import { effectsOf } from '../../shared/reactions/index.ts';
import { decodeChange } from '../../shared/store/stream.ts';
import { financeRoutes } from '../../shared/http/routes/finance.ts';
import { childDayFacts, countsOf, delta, moveMarker, type Counts } from '../../shared/domain/figures.ts';
import { earned, effectOf, lineAmounts, type RateCard } from '../../shared/domain/money.ts';
import { hafReturn, reconciliation, type FinanceInputs } from '../../shared/domain/reconciliation.ts';
import type { AgreementRecord, ChildDayFacts, LedgerLine, ProgrammeRecord, SessionRecord } from '../../shared/schemas/records.ts';

// The money and the figures, without a table: rate cards, the cap, statement lines, reconciliation rows
// and their totals, unique children, and what a booking contributes.

const card: RateCard = { ratePencePerChildDay: 2000, paymentBasis: 'attended', grantAllocationPence: 10_000, rates: { sendUplift: 500 } };
const day = (o: Partial<ChildDayFacts> = {}): ChildDayFacts => ({ band: 'fsm', send: false, phase: 'primary', attendance: 'present', explained: false, ...o });

describe('a rate card', () => {
  it('pays the band rate per child-day attended, plus the SEND uplift, capped at the allocation', () => {
    expect(earned(card, { attendedFsm: 3, attendedFsmSend: 1, bookedFsm: 6 })).toEqual({ beforeCapPence: 6500, earnedPence: 6500 });
    expect(earned(card, { attendedFsm: 6 })).toEqual({ beforeCapPence: 12_000, earnedPence: 10_000 });
    expect(earned({ ...card, paymentBasis: 'booked' }, { attendedFsm: 1, bookedFsm: 4 })).toEqual({ beforeCapPence: 8000, earnedPence: 8000 });
  });

  it('lets a band replace the rate, and pays nothing (not even the uplift) for a band set to 0', () => {
    const banded: RateCard = { ...card, grantAllocationPence: 1e9, rates: { fsm: 2500, discretionary: 0, sendUplift: 500 } };
    expect(earned(banded, { attendedFsm: 2, attendedDiscretionary: 3, attendedDiscretionarySend: 1 }).earnedPence).toBe(5000);
  });

  it('gives each line its amount in date order, the cap falling on the latest days, adding up to what was earned', () => {
    const lines = [day(), day({ send: true }), day({ attendance: 'absent' }), day({ attendance: 'unrecorded' }), day(), day(), day(), day({ attendance: 'unrecorded' })]
      .map((facts, i) => ({ facts, sessionDate: `2026-12-2${i < 4 ? 1 : 2}` }));
    const out = lineAmounts(card, lines, '2026-12-22');
    expect(out).toEqual([
      { amountPence: 2000 }, { amountPence: 2500 }, { amountPence: 0, reason: 'absent' }, { amountPence: 0, reason: 'noRegister' },
      { amountPence: 2000 }, { amountPence: 2000 }, { amountPence: 1500, reason: 'overCap' }, { amountPence: 0, reason: 'notYetHeld' },
    ]);
    const total = out.reduce((n, l) => n + l.amountPence, 0);
    expect(total).toBe(earned(card, { attendedFsm: 5, attendedFsmSend: 1 }).earnedPence);
  });

  it('marks every line of a provider with no agreement, and a band paying nothing as not eligible', () => {
    expect(lineAmounts(undefined, [{ facts: day(), sessionDate: '2026-12-21' }], '2026-12-22')).toEqual([{ amountPence: 0, reason: 'noAgreement' }]);
    expect(lineAmounts({ ...card, rates: { discretionary: 0 } }, [{ facts: day({ band: 'discretionary' }), sessionDate: '2026-12-21' }], '2026-12-22'))
      .toEqual([{ amountPence: 0, reason: 'notEligible' }]);
  });
});

describe('the ledger', () => {
  it('adds advances and balances, takes back recoveries, and a reversal undoes exactly its line', () => {
    expect([effectOf('advance', 700), effectOf('balance', 300), effectOf('recovery', 200)]).toEqual([700, 300, -200]);
    expect(effectOf('reversal', 700, { effectPence: 700 })).toBe(-700);
    expect(effectOf('reversal', 200, { effectPence: -200 })).toBe(200);
  });
});

describe("a booking's contribution", () => {
  const booking = (o: Record<string, unknown> = {}) => ({
    status: 'confirmed' as const, discretionary: false, sessionDate: '2026-12-22', child: { firstName: 'A', lastName: 'B', dateOfBirth: '2014-09-01' }, ...o,
  });

  it('is computed from the booking into flags (band, SEND, primary or secondary on 31 August), never the date of birth', () => {
    expect(childDayFacts(booking({ present: true }))).toEqual({ band: 'fsm', send: false, phase: 'secondary', attendance: 'present', explained: false });
    // The 31 August 2026 boundary: born that day 2015 is the youngest in Year 7, born the next day the oldest in Year 6.
    const born = (dateOfBirth: string) => childDayFacts(booking({ child: { firstName: 'A', lastName: 'B', dateOfBirth } }))?.phase;
    expect([born('2015-08-31'), born('2015-09-01'), born('2022-08-31'), born('2022-09-01')]).toEqual(['secondary', 'primary', 'primary', 'early']);
    expect(childDayFacts(booking({ status: 'waitlisted' }))).toBeUndefined();
    expect(countsOf(childDayFacts(booking({ present: false, discretionary: true, child: { firstName: 'A', lastName: 'B', dateOfBirth: '2016-01-01', sendNeeds: 'ear defenders' } }))))
      .toEqual({ bookedDiscretionary: 1, bookedDiscretionarySend: 1, absent: 1, absentUnexplained: 1 });
    expect(countsOf(childDayFacts(booking({ present: false, absenceReason: 'ill' })))).toEqual({ bookedFsm: 1, absent: 1 });
  });

  it('moves the figures by the difference only', () => {
    expect(delta({ bookedFsm: 1, absent: 1 }, { bookedFsm: 1, attendedFsm: 1 })).toEqual({ absent: -1, attendedFsm: 1 });
    expect(delta({ bookedFsm: 1 }, {})).toEqual({ bookedFsm: -1 });
  });

  it('counts a child once per scope however many days, and stops counting when its last attended day goes', () => {
    const who = { band: 'fsm' as const, send: true, phase: 'primary' as const };
    const first = moveMarker(undefined, 'b1', [], ['ALL', 'PROVIDER#p'], who);
    expect(first.changes).toEqual({ ALL: { children: 1, fsm: 1, send: 1, primary: 1 }, 'PROVIDER#p': { children: 1, fsm: 1, send: 1, primary: 1 } });
    const second = moveMarker(first.marker, 'b2', [], ['ALL', 'PROVIDER#q'], who);
    expect(second.changes).toEqual({ 'PROVIDER#q': { children: 1, fsm: 1, send: 1, primary: 1 } });
    expect(moveMarker(second.marker, 'b2', [], ['ALL', 'PROVIDER#q'], who).changes).toEqual({});
    const gone = moveMarker(second.marker, 'b1', ['ALL', 'PROVIDER#p'], [], who);
    expect(gone.changes).toEqual({ 'PROVIDER#p': { children: -1, fsm: -1, send: -1, primary: -1 } });
    expect(moveMarker(gone.marker, 'b2', ['ALL', 'PROVIDER#q'], [], who).changes).toEqual({
      ALL: { children: -1, fsm: -1, send: -1, primary: -1 }, 'PROVIDER#q': { children: -1, fsm: -1, send: -1, primary: -1 },
    });
  });
});

const programme: ProgrammeRecord = {
  id: 'haf-x', scheme: 'HAF', name: 'HAF X', startDate: '2026-12-21', endDate: '2026-12-31', bookingOpensAt: '2026-11-01T09:00:00.000Z',
  bookingClosesAt: '2026-12-18T17:00:00.000Z', discretionaryShare: 0.15, updatedAt: '2026-11-01T09:00:00.000Z',
};
const session = (id: string, providerId: string, date: string, district = 'Melton'): SessionRecord => ({
  id, programmeId: 'haf-x', providerId, title: 'Club', date, startTime: '10:00', endTime: '14:00', venue: { name: `${district} Hall`, postcode: 'LE13 1AA', district },
  ageMin: 5, ageMax: 11, capacity: 20, mealProvided: true, sendSupport: false, updatedAt: '2026-11-01T09:00:00.000Z',
});
const agreement = (providerId: string, o: Partial<AgreementRecord> = {}): AgreementRecord => ({
  programmeId: 'haf-x', providerId, grantAllocationPence: 50_000, ratePencePerChildDay: 2000, placesCommissioned: 40, paymentBasis: 'attended',
  version: 1, updatedBy: 'sub', updatedAt: '2026-11-01T09:00:00.000Z', ...o,
});
const line = (providerId: string, effectPence: number): LedgerLine => ({
  id: `PAY-${effectPence}`, programmeId: 'haf-x', providerId, kind: effectPence < 0 ? 'recovery' : 'advance', amountPence: Math.abs(effectPence),
  effectPence, paidOn: '2026-12-01', reference: `R${effectPence}`, postedAt: '2026-12-01T10:00:00.000Z', postedBy: 'sub', digest: 'd',
});

const inputs = (o: Partial<FinanceInputs> = {}): FinanceInputs => ({
  programme,
  agreements: [agreement('alpha', { attendanceThreshold: 0.6 }), agreement('beta', { paymentBasis: 'booked', grantAllocationPence: 5000 })],
  providers: new Map(),
  sessions: [session('a1', 'alpha', '2026-12-21'), session('a2', 'alpha', '2026-12-22'), session('a3', 'alpha', '2026-12-29'), session('b1', 'beta', '2026-12-21', 'Blaby')],
  figures: new Map<string, Counts>([
    ['a1', { bookedFsm: 10, attendedFsm: 5, attendedPrimary: 5, absent: 2, absentUnexplained: 1 }],
    ['a2', { bookedFsm: 8, bookedDiscretionary: 2 }],
    ['b1', { bookedFsm: 3, attendedFsm: 3, attendedPrimary: 3 }],
  ]),
  places: new Map([['a1', { capacity: 20, booked: 10, waitlisted: 0, discretionaryBooked: 0, discretionaryWaitlisted: 0, registerSentAt: '2026-12-21T15:00:00.000Z' }]]),
  ledger: [line('alpha', 7000), line('beta', 7000), line('beta', -1000)],
  today: '2026-12-23', now: new Date('2026-12-23T12:00:00Z'),
  ...o,
});

describe('reconciliation', () => {
  it('gives each provider its delivery, earnings, payments, balance and flags', () => {
    const { rows } = reconciliation(inputs());
    expect(rows.find((r) => r.providerId === 'alpha')).toMatchObject({
      grantAllocatedPence: 50_000, placesBooked: 20, childDaysAttended: 5, childDaysAbsent: 2, childDaysUnrecorded: 3 + 10, sessionsPast: 2,
      registersMissing: 1, attendanceRate: 0.25, earnedPence: 10_000, paidPence: 7000, balancePence: 3000,
      flags: ['registersMissing', 'attendanceBelowThreshold', 'commissionedPlacesUnused'],
    });
    // Paid on bookings, over its allocation, and paid more than it earned.
    expect(rows.find((r) => r.providerId === 'beta')).toMatchObject({
      earnedBeforeCapPence: 6000, earnedPence: 5000, paidPence: 6000, balancePence: -1000, flags: ['overAllocation', 'registersMissing', 'commissionedPlacesUnused', 'overpaid'],
    });
  });

  it('has a totals row that is the exact sum of its rows', () => {
    const { rows, totals } = reconciliation(inputs());
    for (const k of ['grantAllocatedPence', 'childDaysAttended', 'earnedPence', 'paidPence', 'balancePence', 'registersMissing'] as const) {
      expect(totals[k]).toBe(rows.reduce((n, r) => n + r[k], 0));
    }
    expect(totals.balancePence).toBe(totals.earnedPence - totals.paidPence);
  });

  it('flags a discretionary share over the programme\'s cap, per provider and in total', () => {
    const r = reconciliation(inputs({ figures: new Map<string, Counts>([['a1', { bookedFsm: 2, bookedDiscretionary: 2, attendedFsm: 2, attendedDiscretionary: 2 }]]) }));
    expect(r.rows[0]!.discretionaryShare).toBe(0.5);
    expect(r.rows[0]!.flags).toContain('discretionaryShareOverCap');
    expect(r.totals.flags).toContain('discretionaryShareOverCap');
  });

  it('is a CSV with a totals row, a byte-order mark and amounts as plain numbers', () => {
    const view = financeRoutes.find((r) => r.operationId === 'getReconciliation')!.csv!;
    const csv = csvOf(view, reconciliation(inputs()));
    expect(csv.startsWith('\uFEFFproviderId,providerName,')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]!.startsWith('Total,')).toBe(true);
    expect(lines[2]).toContain(',6000,5000,,6000,-1000,overAllocation; registersMissing; commissionedPlacesUnused; overpaid');
  });
});

describe('the DfE HAF return', () => {
  it('counts unique children from their scopes, and days, sessions, providers and venues from the sessions', () => {
    const r = hafReturn({ ...inputs(), children: [
      { programmeId: 'haf-x', scope: 'ALL', counts: { children: 6, fsm: 6, primary: 6 } },
      { programmeId: 'haf-x', scope: 'PROVIDER#alpha', counts: { children: 4, fsm: 4, primary: 4 } },
      { programmeId: 'haf-x', scope: 'PROVIDER#beta', counts: { children: 3, fsm: 3, primary: 3 } },
      { programmeId: 'haf-x', scope: 'DISTRICT#Melton', counts: { children: 4, fsm: 4, primary: 4 } },
    ] });
    expect(r.totals).toMatchObject({ uniqueChildren: 6, childDaysAttended: 8, hafFundedPlaces: 23, sessionsOffered: 4, sessionsAttended: 2, providers: 2, venues: 2 });
    expect(r.rows.map((x) => [x.level, x.id, x.uniqueChildren, x.childDaysAttended])).toEqual([
      ['provider', 'alpha', 4, 5], ['provider', 'beta', 3, 3], ['district', 'Blaby', 0, 3], ['district', 'Melton', 4, 5],
    ]);
  });
});

describe('what a booking\'s change owes finance', () => {
  const item = (o: Record<string, unknown> = {}) => ({
    pk: 'SESSION#s1', sk: 'BOOKING#HAF-ABC123-1-1', entity: 'Booking', bookingId: 'HAF-ABC123-1-1', reference: 'HAF-ABC123', sessionId: 's1',
    programmeId: 'haf-x', providerId: 'alpha', sessionDate: '2026-12-22', childId: 'HAF-ABC123-1', childKey: 'c', family: 'f', discretionary: false,
    arrivedAt: '2026-12-01T10:00:00.000Z', expiresAtEpoch: 1_830_000_000, child: { firstName: 'Alex', lastName: 'Example', dateOfBirth: '2017-05-14' },
    status: 'confirmed', rev: 2, updatedAt: '2026-12-01T10:00:00.000Z', ...o,
  });
  const change = (name: 'INSERT' | 'MODIFY' | 'REMOVE', after?: object, before?: object): DynamoDBRecord => ({
    eventName: name, dynamodb: {
      NewImage: after ? marshall(after, { removeUndefinedValues: true }) as never : undefined,
      OldImage: before ? marshall(before, { removeUndefinedValues: true }) as never : undefined, SequenceNumber: '1',
    },
  });
  const owed = (r: DynamoDBRecord) => effectsOf(decodeChange(r)).map((e) => e.kind).filter((k) => k !== 'email');

  it('is a count when the facts move, and nothing for a write that leaves them, a waitlisting or a delete (TTL)', () => {
    expect(owed(change('INSERT', item()))).toEqual(['countBooking']);
    expect(owed(change('MODIFY', item({ present: true, rev: 3 }), item()))).toEqual(['countBooking']);
    expect(owed(change('MODIFY', item({ rev: 3, updatedAt: '2026-12-02T10:00:00.000Z' }), item()))).toEqual([]);
    expect(owed(change('INSERT', item({ status: 'waitlisted' })))).toEqual([]);
    expect(owed(change('REMOVE', undefined, item({ present: true })))).toEqual([]);
  });

  it('checks the child\'s absences when a register newly marks one without a reason', () => {
    expect(owed(change('MODIFY', item({ present: false, rev: 3 }), item()))).toEqual(['countBooking', 'checkAbsences']);
    expect(owed(change('MODIFY', item({ present: false, absenceReason: 'Ill', rev: 3 }), item()))).toEqual(['countBooking']);
    expect(owed(change('MODIFY', item({ present: false, rev: 4 }), item({ present: false, rev: 3 })))).toEqual([]);
  });

  it('writes a list of flags into one CSV cell, each part defused as text is', () => {
    expect(csvCell(['overpaid', 'registersMissing'])).toBe('overpaid; registersMissing');
    expect(csvCell(['=SUM(A1)', 'x'])).toBe("'=SUM(A1); x");
    expect(csvCell([])).toBe('');
  });
});
