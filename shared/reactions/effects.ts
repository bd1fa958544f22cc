import type { ApplicationRecord, BookingRecord, ReleaseRecord } from '../schemas/records.ts';

// What a change to the table owes the world. Reactions (pure) decide these; the notifier carries them out.

export type BookingChange = 'offered' | 'cancelled' | 'leftWaitlist' | 'droppedFromWaitlist';

export type OwedMessage =
  | { kind: 'application'; dedupeKey: string; reference: string; application: ApplicationRecord }
  | { kind: BookingChange; dedupeKey: string; reference: string; bookingId: string; booking: BookingRecord }
  | { kind: 'released'; dedupeKey: string; reference: string; release: ReleaseRecord };

export type Effect =
  | { kind: 'email'; message: OwedMessage }
  /** A session's free places are owed to its waitlist. */
  | { kind: 'offerPlaces'; sessionId: string }
  /** A booking's finance figures moved (docs/decisions/007). */
  | { kind: 'countBooking'; booking: BookingRecord }
  /** An absence without a reason: the child's later bookings may be owed to others. */
  | { kind: 'checkAbsences'; booking: BookingRecord };
