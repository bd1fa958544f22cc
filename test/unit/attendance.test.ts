import { describe, expect, it } from 'vitest';
import {
  attendanceList, attendee, providerSession, registerOpen, summarise, unknownBookings, withRegister,
} from '../../shared/domain/attendance.ts';
import type { BookedChild } from '../../shared/domain/ports.ts';
import { RegisterInput } from '../../shared/schemas/provider.ts';

const booked = (bookingId: string, firstName: string, lastName: string, o: Partial<BookedChild> = {}): BookedChild => ({
  bookingId, reference: bookingId.slice(0, 12), child: { firstName, lastName, dateOfBirth: '2017-12-22' }, ...o,
});

describe('the attendance list', () => {
  it('gives the age on the day, the parent’s phone as the contact number, and present as null until marked', () => {
    const row = attendee(booked('HAF-AAAA0001-1-1', 'Ada', 'Example', {
      child: { firstName: 'Ada', lastName: 'Example', dateOfBirth: '2017-12-23', sendNeeds: 'Ear defenders', medicalNotes: 'Inhaler' },
      parentPhone: '07700 900123',
    }), '2026-12-22');
    expect(row).toEqual({
      bookingId: 'HAF-AAAA0001-1-1', reference: 'HAF-AAAA0001', firstName: 'Ada', lastName: 'Example', ageOnDay: 8,
      sendNeeds: 'Ear defenders', dietaryNeeds: undefined, medicalNotes: 'Inhaler', contactPhone: '07700 900123', present: null,
    });
    expect(row).not.toHaveProperty('dateOfBirth');
    expect(attendee(booked('HAF-AAAA0001-1-1', 'Ada', 'Example'), '2026-12-22').ageOnDay).toBe(9);
    expect(attendee(booked('HAF-AAAA0001-1-1', 'Ada', 'Example', { present: false }), '2026-12-22').present).toBe(false);
  });

  it('sorts by last name, then first name, whatever the case or accents, then by booking', () => {
    const rows = attendanceList([
      booked('HAF-AAAA0005-1-1', 'Zoë', 'Nguyễn'),
      booked('HAF-AAAA0004-1-1', 'Sam', "O'Brien"),
      booked('HAF-AAAA0003-1-1', 'ada', 'nguyen'),
      booked('HAF-AAAA0002-2-1', 'Kit', 'Able'),
      booked('HAF-AAAA0002-1-1', 'Kit', 'Able'),
      booked('HAF-AAAA0001-1-1', 'Bea', 'Able'),
    ], '2026-12-22');
    expect(rows.map((r) => `${r.firstName} ${r.lastName} ${r.bookingId.slice(-5)}`)).toEqual([
      'Bea Able 1-1-1', 'Kit Able 2-1-1', 'Kit Able 2-2-1', 'ada nguyen 3-1-1', 'Zoë Nguyễn 5-1-1', "Sam O'Brien 4-1-1",
    ]);
  });

  it('counts present, absent and not yet recorded', () => {
    expect(summarise([{ present: true }, { present: false }, { present: null }, { present: true }]))
      .toEqual({ attendees: 4, present: 2, absent: 1, unrecorded: 1 });
    expect(summarise([])).toEqual({ attendees: 0, present: 0, absent: 0, unrecorded: 0 });
  });
});

describe('the register', () => {
  it('opens on the session’s day in London, not before', () => {
    expect(registerOpen('2026-12-22', new Date('2026-12-21T23:59:00Z'))).toBe(false);
    expect(registerOpen('2026-12-22', new Date('2026-12-22T00:00:00Z'))).toBe(true);
    expect(registerOpen('2026-12-22', new Date('2027-01-05T10:00:00Z'))).toBe(true);
    // Summer time: 23:30 UTC on the 21st is already the 22nd in London.
    expect(registerOpen('2027-07-22', new Date('2027-07-21T23:30:00Z'))).toBe(true);
    expect(registerOpen('2027-07-22', new Date('2027-07-21T22:30:00Z'))).toBe(false);
  });

  it('names each record whose booking is not a confirmed place on the session', () => {
    const confirmed = new Set(['HAF-AAAA0001-1-1', 'HAF-AAAA0002-1-1']);
    const records = [
      { bookingId: 'HAF-AAAA0001-1-1', present: true }, { bookingId: 'HAF-ZZZZ0009-1-1', present: true },
      { bookingId: 'HAF-AAAA0002-1-1', present: false }, { bookingId: 'HAF-ZZZZ0009-1-2', present: false },
    ];
    expect(unknownBookings(records, confirmed)).toEqual([
      { path: 'records.1.bookingId', message: 'is not a confirmed booking on this session' },
      { path: 'records.3.bookingId', message: 'is not a confirmed booking on this session' },
    ]);
    expect(unknownBookings(records.filter((_, i) => i % 2 === 0), confirmed)).toEqual([]);
  });

  it('replaces the marks it names and leaves the others as they were', () => {
    const rows = attendanceList([
      booked('HAF-AAAA0001-1-1', 'Ada', 'Able', { present: true }), booked('HAF-AAAA0002-1-1', 'Bo', 'Best', { present: true }),
      booked('HAF-AAAA0003-1-1', 'Cy', 'Cole'),
    ], '2026-12-22');
    const after = withRegister(rows, [{ bookingId: 'HAF-AAAA0001-1-1', present: false }]);
    expect(after.map((r) => r.present)).toEqual([false, true, null]);
    expect(rows[0]!.present).toBe(true);
  });

  it('takes 1 to 500 records and refuses a booking named twice, at each repeat’s path', () => {
    const record = (n: number, present = true) => ({ bookingId: `HAF-AAAA${String(n).padStart(4, '0')}-1-1`, present });
    expect(RegisterInput.safeParse({ records: [record(1)] }).success).toBe(true);
    const paths = (input: unknown) => RegisterInput.safeParse(input).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ records: [] })).toEqual(['records']);
    expect(paths({ records: Array.from({ length: 501 }, (_, i) => record(i)) })).toEqual(['records']);
    expect(paths({ records: [record(1), record(2), record(1, false), record(1)] })).toEqual(['records.2.bookingId', 'records.3.bookingId']);
    expect(paths({ records: [{ bookingId: 'HAF-1', present: 'yes' }] })).toEqual(['records.0.bookingId', 'records.0.present']);
  });
});

describe('a provider’s session', () => {
  it('shows places booked, waitlisted and left, and whether a register is in', () => {
    const s = { id: 'mon', capacity: 20 };
    const counts = { discretionaryBooked: 0, discretionaryWaitlisted: 0 };
    expect(providerSession(s, { capacity: 20, booked: 20, waitlisted: 3, ...counts }))
      .toEqual({ id: 'mon', capacity: 20, booked: 20, waitlisted: 3, remaining: 0, registerSent: false });
    expect(providerSession(s, { capacity: 20, booked: 5, waitlisted: 0, ...counts, registerSentAt: '2026-12-22T16:00:00.000Z' }))
      .toMatchObject({ remaining: 15, registerSent: true, registerSentAt: '2026-12-22T16:00:00.000Z' });
    expect(providerSession(s, undefined)).toMatchObject({ booked: 0, waitlisted: 0, remaining: 20, registerSent: false });
  });
});
