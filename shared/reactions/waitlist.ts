import { freedForWaitlist } from '../domain/places.ts';
import type { EntityChange } from '../store/stream.ts';
import type { Effect } from './effects.ts';

/**
 * A write that freed a place (a cancellation, more places) while children wait owes the waitlist an offer,
 * even if the request that freed it died before making the offer itself.
 */
export function placesOwed(change: EntityChange): Effect[] {
  if (change.entity !== 'places' || !change.before || !change.after) return [];
  return freedForWaitlist(change.before, change.after) ? [{ kind: 'offerPlaces', sessionId: change.sessionId }] : [];
}
