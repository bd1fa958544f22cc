import type { PlaceCounts } from '../schemas/records.ts';

// A session's places, as its live counts show them.

/** Places a session may give to children without FSM, out of its capacity. */
export const discretionaryPlaces = (capacity: number, share: number | undefined) => Math.floor(capacity * (share ?? 0));

/** Places not yet booked. */
export const remaining = (capacity: number, p: Pick<PlaceCounts, 'capacity' | 'booked'> | undefined) =>
  Math.max(0, (p?.capacity ?? capacity) - (p?.booked ?? 0));

/**
 * Whether a newcomer must join the waitlist: the session is full for it, or a child already waiting
 * could take the free place first (anyone, for a referred newcomer; for a newcomer with FSM, anyone but
 * referred children held back by a full discretionary share). The booking transactions' conditions
 * say the same in DynamoDB's words (shared/store/bookings.ts).
 */
export function mustWait(p: PlaceCounts, discretionary: boolean, discretionaryPlacesOf: number): boolean {
  if (p.booked >= p.capacity) return true;
  if (discretionary) return p.discretionaryBooked >= discretionaryPlacesOf || p.waitlisted > 0;
  return p.waitlisted > 0 && (p.waitlisted !== p.discretionaryWaitlisted || p.discretionaryBooked < discretionaryPlacesOf);
}

/**
 * A write owes the waitlist an offer when it freed something (fewer booked, more capacity, fewer
 * discretionary booked) and leaves a free place while children wait. Bookings that fill places owe nothing,
 * so neither the rush nor referred children waiting behind a full share make work on every booking.
 */
export function freedForWaitlist(before: PlaceCounts, after: PlaceCounts): boolean {
  const freed = after.booked < before.booked || after.capacity > before.capacity || after.discretionaryBooked < before.discretionaryBooked;
  return freed && after.booked < after.capacity && after.waitlisted > 0;
}
