import type { Attendee, RegisterRecord, RegisterSummary } from '../schemas/provider.ts';
import type { PlaceCounts } from '../schemas/records.ts';
import { dateInLondon } from './calendar.ts';
import type { FieldIssue } from './errors.ts';
import { ageOn } from './people.ts';
import type { BookedChild } from './ports.ts';
import { remaining } from './places.ts';

// Attendance lists and registers: what a provider sees of the children booked on a session,
// and the rules for the register it sends back. Plain values in, plain values out.

/** One row of the list; the date of birth stays behind, the provider gets the age on the day. */
export function attendee(b: BookedChild, sessionDate: string): Attendee {
  const { firstName, lastName, dateOfBirth, sendNeeds, dietaryNeeds, medicalNotes } = b.child;
  return {
    bookingId: b.bookingId, reference: b.reference, firstName, lastName, ageOnDay: ageOn(dateOfBirth, sessionDate),
    sendNeeds, dietaryNeeds, medicalNotes, contactPhone: b.parentPhone, present: b.present ?? null,
    ...(b.present === false && b.absenceReason ? { absenceReason: b.absenceReason } : {}),
  };
}

// Made on first use: the first Intl.Collator in a process costs about 5 ms, which a cold start of a
// route that sorts no names need not pay.
let collator: Intl.Collator | undefined;
function compareNames(a: string, b: string): number {
  collator ??= new Intl.Collator('en-GB');
  return collator.compare(a, b);
}

/** Registers are read down by surname, as on paper; the booking id keeps twins with one name in a stable order. */
export const byName = (a: Attendee, b: Attendee) =>
  compareNames(a.lastName, b.lastName) || compareNames(a.firstName, b.firstName) || (a.bookingId < b.bookingId ? -1 : a.bookingId > b.bookingId ? 1 : 0);

export const attendanceList = (bookings: readonly BookedChild[], sessionDate: string): Attendee[] =>
  bookings.map((b) => attendee(b, sessionDate)).sort(byName);

export function summarise(attendees: readonly Pick<Attendee, 'present'>[]): RegisterSummary {
  const present = attendees.filter((a) => a.present === true).length;
  const absent = attendees.filter((a) => a.present === false).length;
  return { attendees: attendees.length, present, absent, unrecorded: attendees.length - present - absent };
}

/** A register can be sent on the session's day (London time) and after, never before: nobody has come yet. */
export const registerOpen = (sessionDate: string, now: Date): boolean => dateInLondon(now) >= sessionDate;

/** Each record whose booking is not a confirmed place on this session, by its path in the request. */
export const unknownBookings = (records: readonly RegisterRecord[], confirmed: ReadonlySet<string>): FieldIssue[] =>
  records.flatMap((r, i) => (confirmed.has(r.bookingId)
    ? [] : [{ path: `records.${i}.bookingId`, message: 'is not a confirmed booking on this session' }]));

/** The list once the register is applied: marked children take the new value, the others keep theirs. */
export function withRegister(attendees: readonly Attendee[], records: readonly RegisterRecord[]): Attendee[] {
  const marks = new Map(records.map((r) => [r.bookingId, r]));
  return attendees.map((a) => {
    const mark = marks.get(a.bookingId);
    if (!mark) return a;
    const { absenceReason: _old, ...rest } = a;
    return { ...rest, present: mark.present, ...(mark.absenceReason ? { absenceReason: mark.absenceReason } : {}) };
  });
}

/** A session as its provider sees it in the list of its own sessions. */
export function providerSession<S extends { capacity: number }>(session: S, places: PlaceCounts | undefined) {
  return {
    ...session, capacity: places?.capacity ?? session.capacity, booked: places?.booked ?? 0, waitlisted: places?.waitlisted ?? 0,
    remaining: remaining(session.capacity, places),
    registerSent: places?.registerSentAt !== undefined, ...(places?.registerSentAt ? { registerSentAt: places.registerSentAt } : {}),
  };
}
