import type { ApplicationRecord, BookingRecord, ReferralRecord, ReleaseRecord } from '../schemas/records.ts';

// What a change to the table owes the world. Reactions (pure) decide these; the notifier carries them out.

export type BookingChange = 'offered' | 'cancelled' | 'leftWaitlist' | 'droppedFromWaitlist';

/** What a referral's people hear: the referrer is asked to confirm; then both hear of the place, or of the wait. */
export type ReferralChange = 'referrerConfirmation' | 'referralPlaced' | 'referralWaiting';

export type OwedMessage =
  | { kind: 'application'; dedupeKey: string; reference: string; application: ApplicationRecord }
  | { kind: BookingChange; dedupeKey: string; reference: string; bookingId: string; booking: BookingRecord }
  | { kind: ReferralChange; dedupeKey: string; reference: string; to: 'referrer' | 'person'; referral: ReferralRecord }
  | { kind: 'released'; dedupeKey: string; reference: string; release: ReleaseRecord };

export type Effect =
  | { kind: 'email'; message: OwedMessage }
  /** A session's free places are owed to its waitlist. */
  | { kind: 'offerPlaces'; sessionId: string }
  /** A provider's free room (family places, cards) is owed to the referrals waiting in its districts. */
  | { kind: 'offerRoom'; programmeId: string; providerId: string }
  /** A referral acted on is owed a place or a queue, should the request that confirmed it stop before placing it. */
  | { kind: 'placeReferral'; reference: string }
  /** A booking's finance figures moved (docs/decisions/007). */
  | { kind: 'countBooking'; booking: BookingRecord }
  /** An absence without a reason: the child's later bookings may be owed to others. */
  | { kind: 'checkAbsences'; booking: BookingRecord }
  /** A programme's end date or retention moved: its personal data's expiry follows. */
  | { kind: 'restampRetention'; programmeId: string };
