import { factsChanged } from '../domain/figures.ts';
import type { EntityChange } from '../store/stream.ts';
import type { Effect } from './effects.ts';

// What a booking's change owes finance and the waitlists beyond emails (docs/decisions/007).

/**
 * A booking whose child-day facts moved (a place taken or given up, a register mark, an absence reason)
 * owes the figures its new contribution. A delete owes nothing: it is the programme's personal data
 * expiring (TTL) or being erased, never a change of what was delivered, and the figures must outlive it.
 */
export function figuresOwed(change: EntityChange): Effect[] {
  if (change.entity !== 'booking' || !change.after) return [];
  return factsChanged(change.before, change.after) ? [{ kind: 'countBooking', booking: change.after }] : [];
}

/** A register that newly marks an absence without a reason may owe the child's later places to others. */
export function absencesOwed(change: EntityChange): Effect[] {
  if (change.entity !== 'booking' || !change.after) return [];
  const unexplained = (b?: typeof change.after) => b?.status === 'confirmed' && b.present === false && !b.absenceReason?.trim();
  return unexplained(change.after) && !unexplained(change.before) ? [{ kind: 'checkAbsences', booking: change.after }] : [];
}

/** A release of a child's bookings owes its parent one email saying which and why. */
export function releaseEmails(change: EntityChange): Effect[] {
  if (change.entity !== 'release' || change.before || !change.after) return [];
  const r = change.after;
  return [{ kind: 'email', message: { kind: 'released', dedupeKey: `release#${r.releaseId}`, reference: r.reference, release: r } }];
}
