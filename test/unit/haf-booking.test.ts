import { describe, expect, it } from 'vitest';
import { londonInstant } from '../../shared/domain/calendar.ts';
import { ageOn, childKey } from '../../shared/domain/people.ts';
import { discretionaryPlaces, mustWait } from '../../shared/domain/places.ts';
import type { SessionRecord } from '../../shared/schemas/records.ts';
import {
  applicationStatus, hasStarted, isLateCancellation, planApplication, type Eligibility,
} from '../../shared/schemes/haf/plan.ts';
import { reasonText } from '../../shared/schemes/haf/reasons.ts';

const programme = {
  id: 'haf-christmas-2026', scheme: 'HAF' as const, name: 'HAF Christmas 2026', startDate: '2026-12-21', endDate: '2027-01-01',
  bookingOpensAt: '2026-11-01T09:00:00Z', bookingClosesAt: '2026-12-18T17:00:00Z', maxDaysPerChild: 2, updatedAt: '2026-11-01T00:00:00Z',
};
const session = (id: string, o: Partial<SessionRecord> = {}): SessionRecord => ({
  id, programmeId: programme.id, providerId: 'soar-valley', title: 'Festive Football', date: '2026-12-22', startTime: '09:30',
  endTime: '13:30', venue: { name: 'Hall', postcode: 'LE11 3HA', district: 'Charnwood' }, ageMin: 5, ageMax: 11, capacity: 10,
  mealProvided: true, sendSupport: false, updatedAt: '2026-11-01T00:00:00Z', ...o,
});
const sessions = new Map([
  ['mon', session('mon', { date: '2026-12-21' })],
  ['tue', session('tue', { date: '2026-12-22' })],
  ['tue-pm', session('tue-pm', { date: '2026-12-22', startTime: '14:00', endTime: '18:00' })],
  ['wed', session('wed', { date: '2026-12-23' })],
  ['teens', session('teens', { date: '2026-12-24', ageMin: 12, ageMax: 16 })],
  ['other-programme', session('other-programme', { programmeId: 'haf-easter-2027', date: '2027-04-01' })],
]);
const child = (sessionIds: string[], dateOfBirth = '2017-05-01') => ({ firstName: 'Ada', lastName: 'Example', dateOfBirth, sessionIds });

const plan = (sessionIds: string[], o: { eligibility?: Eligibility; now?: string; dateOfBirth?: string } = {}) =>
  planApplication({
    reference: 'HAF-TEST0001', programme, sessions, children: [child(sessionIds, o.dateOfBirth)],
    eligibility: o.eligibility ?? 'fsm', now: new Date(o.now ?? '2026-11-23T10:00:00Z'),
  })[0]!.bookings.map((b) => (b.plan.kind === 'rejected' ? b.plan.reason : 'attempt'));

describe('planning a HAF application', () => {
  it('attempts sessions a FSM-eligible child can have, with booking ids from the reference', () => {
    const [c] = planApplication({ reference: 'HAF-TEST0001', programme, sessions, children: [child(['mon', 'tue'])], eligibility: 'fsm', now: new Date('2026-11-23T10:00:00Z') });
    expect(c!.bookings.map((b) => b.bookingId)).toEqual(['HAF-TEST0001-1-1', 'HAF-TEST0001-1-2']);
    expect(c!.bookings.every((b) => b.plan.kind === 'attempt' && !b.plan.discretionary)).toBe(true);
    expect(c!.childId).toBe('HAF-TEST0001-1');
  });

  it('rejects every session for a child who is not eligible, or whose code another family used', () => {
    expect(plan(['mon', 'tue'], { eligibility: 'notEligible' })).toEqual(['notEligible', 'notEligible']);
    expect(plan(['mon'], { eligibility: 'codeUsed' })).toEqual(['codeUsed']);
    expect(plan(['mon', 'tue'], { eligibility: 'checkUsed' })).toEqual(['checkUsed', 'checkUsed']);
  });

  it('marks a referred child without FSM as using the discretionary share', () => {
    const [c] = planApplication({
      reference: 'HAF-TEST0001', programme: { ...programme, discretionaryShare: 0.1 }, sessions, children: [child(['mon'])],
      eligibility: 'discretionary', now: new Date('2026-11-23T10:00:00Z'),
    });
    expect(c!.bookings[0]!.plan).toMatchObject({ kind: 'attempt', discretionary: true });
  });

  it('rejects a referred child where the session has no discretionary place (no share, or too few places for one)', () => {
    expect(plan(['mon'], { eligibility: 'discretionary' })).toEqual(['noDiscretionaryPlaces']);
  });

  it('rejects outside the booking window', () => {
    expect(plan(['mon'], { now: '2026-10-31T23:59:59Z' })).toEqual(['bookingClosed']);
    expect(plan(['mon'], { now: '2026-12-18T17:00:00Z' })).toEqual(['bookingClosed']);
  });

  it('rejects unknown sessions and sessions of another programme', () => {
    expect(plan(['nope', 'other-programme'])).toEqual(['unknownSession', 'unknownSession']);
  });

  it('rejects a session outside the child’s age on the day, and outside school age', () => {
    expect(plan(['teens'])).toEqual(['outsideAgeRange']);
    expect(plan(['mon'], { dateOfBirth: '2022-01-01' })).toEqual(['outsideAgeRange']);
    const [c] = planApplication({
      reference: 'HAF-TEST0001', programme, children: [child(['wide'], '2009-06-01')], eligibility: 'fsm', now: new Date('2026-11-23T10:00:00Z'),
      sessions: new Map([['wide', session('wide', { ageMin: 4, ageMax: 16 })]]),
    });
    expect(c!.bookings[0]!.plan).toMatchObject({ kind: 'rejected', reason: 'outsideAgeRange' });
  });

  it('rejects the same session twice, two sessions on one day, and days beyond the programme’s limit', () => {
    expect(plan(['mon', 'mon'])).toEqual(['attempt', 'duplicate']);
    expect(plan(['tue', 'tue-pm'])).toEqual(['attempt', 'clash']);
    expect(plan(['mon', 'tue', 'wed'])).toEqual(['attempt', 'attempt', 'overDayLimit']);
  });

  it('has words a parent understands for every reason', () => {
    for (const text of Object.values(reasonText)) expect(text).toMatch(/^[A-Z].{20,}\.$/);
  });
});

describe('rules in numbers', () => {
  it('counts age in whole years on the day', () => {
    expect(ageOn('2016-12-22', '2026-12-22')).toBe(10);
    expect(ageOn('2016-12-23', '2026-12-22')).toBe(9);
    expect(ageOn('2012-02-29', '2026-02-28')).toBe(13);
  });

  it('gives the discretionary share of a session’s places, rounded down', () => {
    expect(discretionaryPlaces(25, 0.15)).toBe(3);
    expect(discretionaryPlaces(6, 0.15)).toBe(0);
    expect(discretionaryPlaces(25, undefined)).toBe(0);
  });

  it('sums up an application', () => {
    expect(applicationStatus(['confirmed', 'confirmed'])).toBe('confirmed');
    expect(applicationStatus(['confirmed', 'waitlisted'])).toBe('partlyConfirmed');
    expect(applicationStatus(['waitlisted', 'rejected'])).toBe('waitlisted');
    expect(applicationStatus(['rejected'])).toBe('rejected');
  });

  it('knows one child across applications whatever the spacing or case of the name', () => {
    expect(childKey({ firstName: ' zoë ', lastName: "O'BRIEN", dateOfBirth: '2017-01-01' }))
      .toBe(childKey({ firstName: 'Zoë', lastName: "o'brien", dateOfBirth: '2017-01-01' }));
    expect(childKey({ firstName: 'Zoë', lastName: 'Example', dateOfBirth: '2017-01-01' }))
      .not.toBe(childKey({ firstName: 'Zoë', lastName: 'Example', dateOfBirth: '2017-01-02' }));
  });

  it('reads session times as London time, summer time included', () => {
    expect(londonInstant('2026-12-22', '09:30').toISOString()).toBe('2026-12-22T09:30:00.000Z');
    expect(londonInstant('2027-07-27', '09:30').toISOString()).toBe('2027-07-27T08:30:00.000Z');
  });

  it('calls a cancellation late inside 72 hours of the start, and refuses one after the start', () => {
    const s = { date: '2027-07-27', startTime: '09:30' };
    expect(isLateCancellation(s, new Date('2027-07-24T08:29:00Z'))).toBe(false);
    expect(isLateCancellation(s, new Date('2027-07-24T08:31:00Z'))).toBe(true);
    expect(hasStarted(s, new Date('2027-07-27T08:29:59Z'))).toBe(false);
    expect(hasStarted(s, new Date('2027-07-27T08:30:00Z'))).toBe(true);
  });
});

describe('sessions that have started', () => {
  // Booking stays open through the holiday here, so only the session's own start decides.
  const at = (sessionId: string, now: string) => planApplication({
    reference: 'HAF-TEST0001', programme: { ...programme, bookingClosesAt: '2026-12-31T17:00:00Z' }, sessions,
    children: [child([sessionId])], eligibility: 'fsm', now: new Date(now),
  })[0]!.bookings.map((b) => (b.plan.kind === 'rejected' ? b.plan.reason : 'attempt'));

  it('are refused, from the moment they start', () => {
    expect(at('tue', '2026-12-22T09:29:59Z')).toEqual(['attempt']);
    expect(at('tue', '2026-12-22T09:30:00Z')).toEqual(['sessionStarted']);
    expect(at('mon', '2026-12-22T08:00:00Z')).toEqual(['sessionStarted']);
    expect(reasonText.sessionStarted).toMatch(/already started or taken place/);
  });
});

describe('who must wait for a place', () => {
  const counts = (o: Partial<Parameters<typeof mustWait>[0]> = {}) =>
    ({ capacity: 10, booked: 5, waitlisted: 0, discretionaryBooked: 0, discretionaryWaitlisted: 0, ...o });

  it('nobody, while places are free and nobody waits', () => {
    expect(mustWait(counts(), false, 1)).toBe(false);
    expect(mustWait(counts(), true, 1)).toBe(false);
  });

  it('everyone, when the session is full', () => {
    expect(mustWait(counts({ booked: 10 }), false, 1)).toBe(true);
    expect(mustWait(counts({ booked: 10 }), true, 1)).toBe(true);
  });

  it('a newcomer, while a child waits who could take the free place first', () => {
    expect(mustWait(counts({ waitlisted: 1 }), false, 1)).toBe(true);
    expect(mustWait(counts({ waitlisted: 1, discretionaryWaitlisted: 1 }), true, 1)).toBe(true);
    // A referred child waits while the share is not yet full: it could take the place, so it comes first.
    expect(mustWait(counts({ waitlisted: 1, discretionaryWaitlisted: 1 }), false, 1)).toBe(true);
  });

  it('not a newcomer with FSM, when only referred children wait and their share is full', () => {
    expect(mustWait(counts({ waitlisted: 2, discretionaryWaitlisted: 2, discretionaryBooked: 1 }), false, 1)).toBe(false);
    expect(mustWait(counts({ waitlisted: 2, discretionaryWaitlisted: 2, discretionaryBooked: 1 }), true, 1)).toBe(true);
  });
});
