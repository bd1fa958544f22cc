import { createHash } from 'node:crypto';
import type { ChildRequest } from '../schemas/applications.ts';
import type { SessionRecord } from '../store/catalogue.ts';
import { londonInstant } from './calendar.ts';
import { isBookingOpen, type ProgrammeRecord } from './programmes.ts';

// The HAF booking rules that can be decided from the application alone. The rules that need
// everyone else's bookings (capacity, a child's days and clashes across applications) are
// conditions on the booking transaction, so they hold however many parents book at once.

export type RejectionReason =
  | 'notEligible' | 'codeUsed' | 'checkUsed' | 'bookingClosed' | 'unknownSession' | 'sessionStarted' | 'outsideAgeRange'
  | 'overDayLimit' | 'clash' | 'duplicate' | 'noDiscretionaryPlaces' | 'unavailable';

export const reasonText: Record<RejectionReason, string> = {
  notEligible: 'Your child is not eligible for a free holiday club place: places are for children who get benefits-related free school meals.',
  codeUsed: 'This eligibility code has already been used by another family. Please check the code with your school.',
  checkUsed: 'This eligibility check was made for another family. Please check eligibility again with your own details.',
  bookingClosed: 'Booking for this holiday is not open at the moment.',
  unknownSession: 'We could not find this session in this holiday programme.',
  sessionStarted: 'This session has already started or taken place, so it cannot be booked. Please choose a later one.',
  outsideAgeRange: 'Your child is outside the age range for this session.',
  overDayLimit: 'Your child already has the most days allowed in this holiday programme.',
  clash: 'Your child already has a session booked on this day.',
  duplicate: 'This session was chosen twice for the same child.',
  noDiscretionaryPlaces: 'This session has no places for children referred without free school meals.',
  unavailable: 'We could not book this session just now because the service was busy. Please try again.',
};

/** A stored reason in a parent's words (reasons are stored as codes, so the words can improve later). */
export const explainReason = (reason: string): string =>
  reasonText[reason as RejectionReason] ?? 'We could not book this place.';

/** Eligibility as the booking sees it: FSM, a professional referral (discretionary share), or neither. */
export type Eligibility = 'fsm' | 'discretionary' | 'notEligible' | 'codeUsed' | 'checkUsed';

export type Plan =
  | { kind: 'attempt'; session: SessionRecord; discretionary: boolean }
  | { kind: 'rejected'; reason: RejectionReason };

export interface PlannedBooking { bookingId: string; sessionId: string; plan: Plan }
export interface PlannedChild { childId: string; childKey: string; request: ChildRequest; bookings: PlannedBooking[] }

/** Whole years between a date of birth and a day, as schools count them. */
export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** HAF covers Reception to Year 11: roughly 4 to 16. */
export const schoolAge = { min: 4, max: 16 } as const;

const normalise = (s: string) => s.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * A child's identity across applications: the same child applied for twice (by one parent or
 * two) shares one day count. A hash, so the key says nothing about the child.
 */
export const childKey = (c: Pick<ChildRequest, 'firstName' | 'lastName' | 'dateOfBirth'>) =>
  createHash('sha256').update(`${normalise(c.firstName)}|${normalise(c.lastName)}|${c.dateOfBirth}`).digest('base64url').slice(0, 32);

/** A family's identity for eligibility codes: one code serves one family however many applications it makes. */
export const familyKey = (email: string) => createHash('sha256').update(normalise(email)).digest('base64url').slice(0, 32);

export function planApplication(input: {
  reference: string;
  programme: ProgrammeRecord;
  children: readonly ChildRequest[];
  sessions: ReadonlyMap<string, SessionRecord>;
  eligibility: Eligibility;
  now: Date;
}): PlannedChild[] {
  const open = isBookingOpen(input.programme, input.now);
  const maxDays = input.programme.maxDaysPerChild ?? Number.POSITIVE_INFINITY;
  return input.children.map((child, c) => {
    const seen = new Set<string>();
    const days = new Set<string>();
    const bookings = child.sessionIds.map((sessionId, s): PlannedBooking => {
      const bookingId = `${input.reference}-${c + 1}-${s + 1}`;
      const session = input.sessions.get(sessionId);
      const reject = (reason: RejectionReason): PlannedBooking => ({ bookingId, sessionId, plan: { kind: 'rejected', reason } });
      if (input.eligibility === 'notEligible') return reject('notEligible');
      if (input.eligibility === 'codeUsed' || input.eligibility === 'checkUsed') return reject(input.eligibility);
      if (!open) return reject('bookingClosed');
      if (!session || session.programmeId !== input.programme.id) return reject('unknownSession');
      if (hasStarted(session, input.now)) return reject('sessionStarted');
      if (seen.has(sessionId)) return reject('duplicate');
      seen.add(sessionId);
      const age = ageOn(child.dateOfBirth, session.date);
      if (age < Math.max(schoolAge.min, session.ageMin) || age > Math.min(schoolAge.max, session.ageMax)) return reject('outsideAgeRange');
      // A session too small for any discretionary place would keep a referred child waiting for ever.
      if (input.eligibility === 'discretionary' && discretionaryPlaces(session.capacity, input.programme.discretionaryShare) === 0) {
        return reject('noDiscretionaryPlaces');
      }
      if (days.has(session.date)) return reject('clash');
      if (days.size >= maxDays) return reject('overDayLimit');
      days.add(session.date);
      return { bookingId, sessionId, plan: { kind: 'attempt', session, discretionary: input.eligibility === 'discretionary' } };
    });
    return { childId: `${input.reference}-${c + 1}`, childKey: childKey(child), request: child, bookings };
  });
}

/** A session's live counts, as the booking transactions keep them. */
export interface PlaceCounts { capacity: number; booked: number; waitlisted: number; discretionaryBooked: number; discretionaryWaitlisted: number }

/**
 * Whether a newcomer must join the waitlist: the session is full for it, or a child already waiting
 * could take the free place first (anyone, for a referred newcomer; for a newcomer with FSM, anyone but
 * referred children held back by a full discretionary share). The booking transactions' conditions
 * say the same in DynamoDB's words (shared/store/bookings.ts).
 */
export function mustWait(p: PlaceCounts, discretionary: boolean, discretionaryPlaces: number): boolean {
  if (p.booked >= p.capacity) return true;
  if (discretionary) return p.discretionaryBooked >= discretionaryPlaces || p.waitlisted > 0;
  return p.waitlisted > 0 && (p.waitlisted !== p.discretionaryWaitlisted || p.discretionaryBooked < discretionaryPlaces);
}

/** Places a session may give to children without FSM, out of its capacity. */
export const discretionaryPlaces = (capacity: number, share: number | undefined) => Math.floor(capacity * (share ?? 0));

/** The application's overall status, from its bookings. */
export function applicationStatus(statuses: readonly string[]): 'confirmed' | 'partlyConfirmed' | 'waitlisted' | 'rejected' {
  const confirmed = statuses.filter((s) => s === 'confirmed').length;
  if (confirmed === statuses.length && confirmed > 0) return 'confirmed';
  if (confirmed > 0) return 'partlyConfirmed';
  return statuses.includes('waitlisted') ? 'waitlisted' : 'rejected';
}

/** Parents are asked to cancel at least 72 hours ahead, so the place can go to another child. */
export const isLateCancellation = (session: Pick<SessionRecord, 'date' | 'startTime'>, now: Date): boolean =>
  londonInstant(session.date, session.startTime).getTime() - now.getTime() < 72 * 3600_000;

/** A place can be cancelled until its session starts. */
export const hasStarted = (session: Pick<SessionRecord, 'date' | 'startTime'>, now: Date): boolean =>
  londonInstant(session.date, session.startTime).getTime() <= now.getTime();
