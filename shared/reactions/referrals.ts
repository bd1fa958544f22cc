import type { EntityChange } from '../store/stream.ts';
import type { Effect, ReferralChange } from './effects.ts';

// What a referral's changes owe: emails to its referrer and to the person referred, and room freed or added
// at a provider owed to the referrals waiting for it.

const placed = new Set(['accepted', 'issued']);

/**
 * A new referral from the public form owes its referrer the link to confirm it; a referral placed owes both
 * people the news (the family's provider, the young person's card), and one that joins a queue owes them that.
 */
export function referralEmails(change: EntityChange): Effect[] {
  if (change.entity !== 'referral' || !change.after) return [];
  const { before, after } = change;
  const owe = (kind: ReferralChange, to: ('referrer' | 'person')[]): Effect[] => to.map((who) => ({ kind: 'email', message: {
    kind, dedupeKey: `referral#${after.reference}#${kind}#${who}`, reference: after.reference, to: who, referral: after,
  } }));
  // A young person who gave no email address hears through their referrer.
  const people = (): ('referrer' | 'person')[] => (after.scheme === 'YOUTH_CARD' && !after.youngPerson.email ? ['referrer'] : ['referrer', 'person']);
  if (!before && after.status === 'awaitingReferrer') return owe('referrerConfirmation', ['referrer']);
  if (before?.status === after.status) return [];
  if (placed.has(after.status)) return owe('referralPlaced', people());
  if (after.status === 'waitlisted') return owe('referralWaiting', people());
  return [];
}

/**
 * A referral acted on (confirmed by its referrer, or made signed in) is placed by that request; the stream
 * places it too, should the request stop first (placing a referral no longer `confirmed` does nothing).
 */
export function referralToPlace(change: EntityChange): Effect[] {
  if (change.entity !== 'referral' || change.after?.status !== 'confirmed' || change.before?.status === 'confirmed') return [];
  return [{ kind: 'placeReferral', reference: change.after.reference }];
}

/** Room freed (a family finished or withdrew) or added (more places, a new agreement) is owed to whoever waits for it. */
export function roomOwed(change: EntityChange): Effect[] {
  if (change.entity !== 'room' || !change.after) return [];
  const { before, after } = change;
  const freed = !before || after.taken < before.taken || after.capacity > before.capacity;
  return freed && after.taken < after.capacity ? [{ kind: 'offerRoom', programmeId: after.programmeId, providerId: after.providerId }] : [];
}
