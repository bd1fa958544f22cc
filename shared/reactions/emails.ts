import type { EntityChange } from '../store/stream.ts';
import type { BookingChange, Effect } from './effects.ts';

// The outbox: the write that commits an outcome is itself the fact that an email is owed.

/** The booking changes a parent hears about, by status before and after. */
const bookingChanges: Record<string, BookingChange> = {
  'waitlisted>confirmed': 'offered', // a place came up
  'confirmed>cancelled': 'cancelled',
  'waitlisted>cancelled': 'leftWaitlist', // the parent took the child off the waiting list
  'waitlisted>rejected': 'droppedFromWaitlist', // the child can no longer take it (booked elsewhere that day, no days left)
};

/** An application owes its confirmation once, when it becomes complete; unless it was refused before any place was considered. */
export function applicationEmails(change: EntityChange): Effect[] {
  if (change.entity !== 'application') return [];
  const { before, after } = change;
  if (after?.status !== 'complete' || before?.status === 'complete') return [];
  // Refused before any place was considered (the response said why): nothing to tell by email.
  if (!after.emailOwed) return [];
  return [{ kind: 'email', message: { kind: 'application', dedupeKey: `application#${after.reference}`, reference: after.reference, application: after } }];
}

/** A booking owes the parent an email when it moves between these states; a delete (or a TTL expiry) owes nothing. */
export function bookingEmails(change: EntityChange): Effect[] {
  if (change.entity !== 'booking' || !change.before || !change.after) return [];
  const kind = bookingChanges[`${change.before.status}>${change.after.status}`];
  // A booking released after unexplained absences is told of in the release's own email (releaseEmails).
  if (!kind || change.after.releasedFor) return [];
  // A place given up by an erasure is told to nobody: the family asked to be forgotten (decision 011).
  if (change.after.erasedFor) return [];
  const booking = change.after;
  // updatedAt tells one transition from another; a redelivered record carries the same one.
  const at = booking.updatedAt || change.sequence;
  return [{ kind: 'email', message: {
    kind, dedupeKey: `booking#${booking.bookingId}#${kind}#${at}`, reference: booking.reference, bookingId: booking.bookingId, booking,
  } }];
}
