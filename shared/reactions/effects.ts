import type { ApplicationRecord, BookingRecord } from '../schemas/records.ts';

// What a change to the table owes the world. Reactions (pure) decide these; the notifier carries them out.

export type BookingChange = 'offered' | 'cancelled' | 'leftWaitlist' | 'droppedFromWaitlist';

export type OwedMessage =
  | { kind: 'application'; dedupeKey: string; reference: string; application: ApplicationRecord }
  | { kind: BookingChange; dedupeKey: string; reference: string; bookingId: string; booking: BookingRecord };

export type Effect =
  | { kind: 'email'; message: OwedMessage }
  /** A session's free places are owed to its waitlist. */
  | { kind: 'offerPlaces'; sessionId: string };
