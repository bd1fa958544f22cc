import { readFileSync } from 'node:fs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { effectsOf } from '../../shared/reactions/index.ts';
import { decodeChange } from '../../shared/store/stream.ts';

// What each change to the table owes (shared/reactions), from stream records as Lambda delivers them:
// emails to parents, and free places to waitlists. Pure: no table, no mail.

const messagesOwed = (r: DynamoDBRecord) => effectsOf(decodeChange(r)).flatMap((e) => (e.kind === 'email' ? [e.message] : []));
const placesOwed = (r: DynamoDBRecord) => effectsOf(decodeChange(r)).flatMap((e) => (e.kind === 'offerPlaces' ? [e.sessionId] : []));

const sample = (name: string) =>
  (JSON.parse(readFileSync(new URL(`../../events/${name}.json`, import.meta.url), 'utf8')) as DynamoDBStreamEvent).Records[0]!;

let seq = 0;
function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', after?: object, before?: object): DynamoDBRecord {
  const image = (x?: object) => (x ? marshall(x, { removeUndefinedValues: true }) as never : undefined);
  return {
    eventID: `e${++seq}`, eventName, eventSource: 'aws:dynamodb',
    dynamodb: { NewImage: image(after), OldImage: image(before), SequenceNumber: String(seq).padStart(21, '0'), StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}

const application = (status: string) => ({
  pk: 'APPLICATION#HAF-ABC123', sk: 'APPLICATION', entity: 'Application', reference: 'HAF-ABC123', status, manageToken: 'secret-token-123456',
  family: 'family-hash', createdAt: '2026-12-01T10:00:00.000Z', expiresAtEpoch: 1_830_000_000, programmeId: 'haf-christmas-2026', scheme: 'HAF',
  parent: { firstName: 'Sam', lastName: 'Example', email: 'sam@example.com', postcode: 'LE11 1AA' }, children: [],
  eligibility: { via: 'code', outcome: 'fsm' }, updatedAt: '2026-12-01T10:00:01.000Z',
});
const booking = (status: string, updatedAt = '2026-12-01T10:00:00.000Z') => ({
  pk: 'SESSION#s1', sk: 'BOOKING#HAF-ABC123-1-1', entity: 'Booking', bookingId: 'HAF-ABC123-1-1', reference: 'HAF-ABC123',
  sessionId: 's1', programmeId: 'haf-christmas-2026', providerId: 'soar-valley', sessionDate: '2026-12-22', childId: 'HAF-ABC123-1',
  childKey: 'child-hash', family: 'family-hash', discretionary: false, arrivedAt: '2026-12-01T10:00:00.000Z', expiresAtEpoch: 1_830_000_000,
  child: { firstName: 'Alex', lastName: 'Example', dateOfBirth: '2017-05-14' }, status, updatedAt,
});

describe('an application', () => {
  it('owes one confirmation when it becomes complete (the sample event)', () => {
    const [m, ...rest] = messagesOwed(sample('notifier-application-complete'));
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ kind: 'application', dedupeKey: 'application#HAF-7K3M9Q', reference: 'HAF-7K3M9Q' });
    expect(m?.kind === 'application' && m.application.children[0]?.bookings.map((b) => b.status)).toEqual(['confirmed', 'waitlisted']);
  });

  it('owes one when it is written complete in one go', () => {
    expect(messagesOwed(record('INSERT', application('complete')))).toMatchObject([{ kind: 'application', dedupeKey: 'application#HAF-ABC123' }]);
  });

  it('owes nothing when every session was refused before a place was considered (the response said why)', () => {
    expect(messagesOwed(record('MODIFY', { ...application('complete'), emailOwed: false }, application('processing')))).toEqual([]);
    expect(messagesOwed(record('MODIFY', { ...application('complete'), emailOwed: true }, application('processing')))).toHaveLength(1);
  });

  it('owes nothing while processing, nor when saved again once complete, nor when deleted', () => {
    expect(messagesOwed(record('INSERT', application('processing')))).toEqual([]);
    expect(messagesOwed(record('MODIFY', application('processing'), application('processing')))).toEqual([]);
    expect(messagesOwed(record('MODIFY', application('complete'), application('complete')))).toEqual([]);
    expect(messagesOwed(record('REMOVE', undefined, application('complete')))).toEqual([]);
  });
});

describe('a booking', () => {
  it('owes an offer when it moves from the waiting list to confirmed', () => {
    const owed = messagesOwed(record('MODIFY', booking('confirmed', '2026-12-02T09:00:00.000Z'), booking('waitlisted')));
    expect(owed).toMatchObject([{
      kind: 'offered', reference: 'HAF-ABC123', bookingId: 'HAF-ABC123-1-1',
      dedupeKey: 'booking#HAF-ABC123-1-1#offered#2026-12-02T09:00:00.000Z',
    }]);
  });

  it('owes a cancellation when a confirmed place is cancelled (the sample event)', () => {
    expect(messagesOwed(sample('notifier-booking-cancelled'))).toMatchObject([{
      kind: 'cancelled', reference: 'HAF-7K3M9Q', bookingId: 'HAF-7K3M9Q-1-1',
      dedupeKey: 'booking#HAF-7K3M9Q-1-1#cancelled#2026-12-01T18:30:00.000Z',
    }]);
  });

  it('owes a word to a family whose child leaves the waiting list, asked or not', () => {
    expect(messagesOwed(record('MODIFY', booking('cancelled'), booking('waitlisted')))).toMatchObject([{ kind: 'leftWaitlist', bookingId: 'HAF-ABC123-1-1' }]);
    const dropped = { ...booking('rejected'), reason: 'clash' };
    expect(messagesOwed(record('MODIFY', dropped, booking('waitlisted')))).toMatchObject([{
      kind: 'droppedFromWaitlist', reference: 'HAF-ABC123', dedupeKey: 'booking#HAF-ABC123-1-1#droppedFromWaitlist#2026-12-01T10:00:00.000Z',
    }]);
  });

  it('owes nobody a word when an erasure gave up the place, while the place still goes to the waiting list (decision 011)', () => {
    const erased = { ...booking('cancelled', '2026-12-02T10:00:00.000Z'), erasedFor: 'erasure-1' };
    expect(messagesOwed(record('MODIFY', erased, booking('confirmed')))).toEqual([]);
    expect(messagesOwed(record('MODIFY', erased, booking('waitlisted')))).toEqual([]);
    expect(messagesOwed(record('REMOVE', undefined, erased))).toEqual([]);
    const places = (booked: number) => ({ pk: 'SESSION#s1', sk: 'PLACES', entity: 'Places', capacity: 1, booked, waitlisted: 1 });
    expect(placesOwed(record('MODIFY', places(0), places(1)))).toEqual(['s1']);
  });

  it('gives a redelivered record the same dedupe key', () => {
    const r = record('MODIFY', booking('cancelled'), booking('confirmed'));
    expect(messagesOwed(structuredClone(r))[0]?.dedupeKey).toBe(messagesOwed(r)[0]?.dedupeKey);
  });

  it('owes nothing for the other changes', () => {
    for (const r of [
      record('INSERT', booking('confirmed')), // the application's email covers a new booking
      record('INSERT', booking('waitlisted')),
      record('MODIFY', { ...booking('confirmed'), present: true }, booking('confirmed')), // the register
      record('MODIFY', booking('cancelled'), booking('cancelled')),
      record('MODIFY', booking('rejected'), booking('rejected')),
      record('REMOVE', undefined, booking('confirmed')),
    ]) expect(messagesOwed(r)).toEqual([]);
  });
});

describe('other items', () => {
  it('owe nothing: sessions, counts, and the sent-markers the notifier itself writes', () => {
    expect(messagesOwed(record('INSERT', { pk: 'SESSION#s1', sk: 'SESSION', entity: 'Session', status: 'complete' }))).toEqual([]);
    expect(messagesOwed(record('MODIFY', { pk: 'SESSION#s1', sk: 'PLACES', booked: 2 }, { pk: 'SESSION#s1', sk: 'PLACES', booked: 1 }))).toEqual([]);
    expect(messagesOwed(record('INSERT', { pk: 'MESSAGE#application#HAF-ABC123', sk: 'MESSAGE', entity: 'MessageSent', kind: 'application' }))).toEqual([]);
    expect(messagesOwed({ eventID: 'x', eventName: 'INSERT', dynamodb: {} })).toEqual([]);
  });
});

describe('a session’s counts', () => {
  const places = (booked: number, waitlisted: number, capacity = 20) =>
    ({ pk: 'SESSION#craft-club', sk: 'PLACES', entity: 'Places', capacity, booked, waitlisted, discretionaryBooked: 0, discretionaryWaitlisted: 0 });

  it('owe the waitlist an offer when a place is free and children wait (the sample event)', () => {
    expect(placesOwed(sample('notifier-place-freed'))).toEqual(['craft-club-1223']);
    expect(placesOwed(record('MODIFY', places(18, 1, 20), places(18, 1, 19)))).toEqual(['craft-club']); // more places
    expect(messagesOwed(sample('notifier-place-freed'))).toEqual([]);
  });

  it('owe nothing while the session is full, when nobody waits, or when deleted; nor do other items', () => {
    expect(placesOwed(record('MODIFY', places(20, 5), places(19, 5)))).toEqual([]);
    // A booking while referred children wait for a discretionary place: places free, but none was freed.
    expect(placesOwed(record('MODIFY', places(12, 3), places(11, 3)))).toEqual([]);
    expect(placesOwed(record('INSERT', places(0, 0)))).toEqual([]);
    expect(placesOwed(record('MODIFY', places(3, 0), places(4, 0)))).toEqual([]);
    expect(placesOwed(record('REMOVE', undefined, places(3, 2)))).toEqual([]);
    expect(placesOwed(record('MODIFY', booking('cancelled'), booking('confirmed')))).toEqual([]);
    expect(placesOwed(sample('notifier-booking-cancelled'))).toEqual([]);
  });
});
