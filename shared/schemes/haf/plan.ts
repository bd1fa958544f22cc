import { hasCome, hoursUntil } from '../../domain/calendar.ts';
import { bookingIdOf, childIdOf } from '../../domain/ids.ts';
import { ageOn, childKey } from '../../domain/people.ts';
import { discretionaryPlaces } from '../../domain/places.ts';
import { isBookingOpen } from '../../domain/programmes.ts';
import type { ProgrammeRecord, SessionRecord } from '../../schemas/records.ts';
import type { ChildRequest } from './input.ts';
import type { RejectionReason } from './reasons.ts';
import { hafRules } from './rules.ts';

// The HAF booking rules that can be decided from the application alone. The rules that need
// everyone else's bookings (capacity, a child's days and clashes across applications) are
// conditions on the booking transaction, so they hold however many parents book at once.

/** Eligibility as the booking sees it: FSM, a professional referral (discretionary share), or neither. */
export type Eligibility = 'fsm' | 'discretionary' | 'notEligible' | 'codeUsed' | 'checkUsed';

export type Plan =
  | { kind: 'attempt'; session: SessionRecord; discretionary: boolean }
  | { kind: 'rejected'; reason: RejectionReason };

export interface PlannedBooking { bookingId: string; sessionId: string; plan: Plan }
export interface PlannedChild { childId: string; childKey: string; request: ChildRequest; bookings: PlannedBooking[] }

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
      const bookingId = bookingIdOf(input.reference, c, s);
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
      if (age < Math.max(hafRules.minAge, session.ageMin) || age > Math.min(hafRules.maxAge, session.ageMax)) return reject('outsideAgeRange');
      // A session too small for any discretionary place would keep a referred child waiting for ever.
      if (input.eligibility === 'discretionary' && discretionaryPlaces(session.capacity, input.programme.discretionaryShare) === 0) {
        return reject('noDiscretionaryPlaces');
      }
      if (days.has(session.date)) return reject('clash');
      if (days.size >= maxDays) return reject('overDayLimit');
      days.add(session.date);
      return { bookingId, sessionId, plan: { kind: 'attempt', session, discretionary: input.eligibility === 'discretionary' } };
    });
    return { childId: childIdOf(input.reference, c), childKey: childKey(child), request: child, bookings };
  });
}

/** Whether the plan tries for any place at all (an application refused outright owes no email and claims nothing). */
export const triesForAPlace = (plan: readonly PlannedChild[]) => plan.some((c) => c.bookings.some((b) => b.plan.kind === 'attempt'));

/** The application's overall status, from its bookings. */
export function applicationStatus(statuses: readonly string[]): 'confirmed' | 'partlyConfirmed' | 'waitlisted' | 'rejected' {
  const confirmed = statuses.filter((s) => s === 'confirmed').length;
  if (confirmed === statuses.length && confirmed > 0) return 'confirmed';
  if (confirmed > 0) return 'partlyConfirmed';
  return statuses.includes('waitlisted') ? 'waitlisted' : 'rejected';
}

/** Parents are asked to cancel at least 72 hours ahead, so the place can go to another child. */
export const isLateCancellation = (session: Pick<SessionRecord, 'date' | 'startTime'>, now: Date): boolean =>
  hoursUntil(session.date, session.startTime, now) < hafRules.lateCancellationHours;

/** A session can be booked, and a place cancelled, until it starts. */
export const hasStarted = (session: Pick<SessionRecord, 'date' | 'startTime'>, now: Date): boolean =>
  hasCome(session.date, session.startTime, now);
