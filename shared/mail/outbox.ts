import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StoredApplication } from '../store/applications.ts';
import type { StoredBooking } from '../store/bookings.ts';
import { sessionOfPlaces, type Places } from '../store/catalogue.ts';

// The outbox: the writes that change a booking also record, by the change itself, that a
// message is owed, and a session's counts show when its waitlist is owed a place. This reads
// those facts off a stream record; it sends nothing and reads nothing.

// The items as the stores write them: the stream carries exactly these shapes.
export type ApplicationItem = StoredApplication & { entity: 'Application' };
export type BookingItem = StoredBooking & { entity: 'Booking' };

export type BookingChange = 'offered' | 'cancelled' | 'leftWaitlist' | 'droppedFromWaitlist';

export type OwedMessage =
  | { kind: 'application'; dedupeKey: string; reference: string; application: ApplicationItem }
  | { kind: BookingChange; dedupeKey: string; reference: string; bookingId: string; booking: BookingItem };

/**
 * Anyone can send an application naming any address, so a confirmation is the one email a stranger can
 * cause: at most this many go to one address in a day. What follows a booking (a place offered, a
 * cancellation) is not limited: it needs a place someone was given.
 */
export const applicationEmailsPerAddressPerDay = 5;

/** The booking changes a parent hears about, by status before and after. */
const bookingChanges: Record<string, BookingChange> = {
  'waitlisted>confirmed': 'offered', // a place came up
  'confirmed>cancelled': 'cancelled',
  'waitlisted>cancelled': 'leftWaitlist', // the parent took the child off the waiting list
  'waitlisted>rejected': 'droppedFromWaitlist', // the child can no longer take it (booked elsewhere that day, no days left)
};

type Image = Record<string, unknown>;

// Lambda's event types describe attribute values their own way; the wire format is the SDK's.
const image = (raw: unknown): Image | undefined =>
  raw ? unmarshall(raw as Record<string, AttributeValue>) : undefined;

/** The messages a stream record owes: none for most records, one for a transition a parent must hear about. */
export function messagesOwed(record: DynamoDBRecord): OwedMessage[] {
  const after = image(record.dynamodb?.NewImage);
  const before = image(record.dynamodb?.OldImage);
  if (!after) return []; // a delete (or a TTL expiry) owes nobody a message

  if (after.entity === 'Application') {
    const application = after as unknown as ApplicationItem;
    // Once, when the application becomes complete; later updates (a cancellation) re-save it as complete.
    if (application.status !== 'complete' || before?.status === 'complete') return [];
    // Refused before any place was considered (the response said why): nothing to tell by email.
    if (application.emailOwed === false) return [];
    return [{ kind: 'application', dedupeKey: `application#${application.reference}`, reference: application.reference, application }];
  }

  if (after.entity === 'Booking' && before) {
    const booking = after as unknown as BookingItem;
    const kind = bookingChanges[`${String(before.status)}>${booking.status}`];
    if (!kind) return [];
    // updatedAt tells one transition from another; a redelivered record carries the same one.
    const at = booking.updatedAt ?? record.dynamodb?.SequenceNumber ?? '';
    return [{
      kind, dedupeKey: `booking#${booking.bookingId}#${kind}#${at}`,
      reference: booking.reference, bookingId: booking.bookingId, booking,
    }];
  }
  return [];
}

/**
 * A write that freed a place (a cancellation, more places) while children wait: the waitlist is owed
 * an offer. Only a freeing write counts: a booking that fills a place owes nothing, so neither the rush
 * nor referred children waiting behind a full discretionary share make work on every booking.
 */
export function placesOwed(record: DynamoDBRecord): string[] {
  const after = image(record.dynamodb?.NewImage) as (Places & { pk: string; entity?: string }) | undefined;
  const before = image(record.dynamodb?.OldImage) as Places | undefined;
  if (after?.entity !== 'Places' || !before) return [];
  const freed = after.booked < before.booked || after.capacity > before.capacity || after.discretionaryBooked < before.discretionaryBooked;
  return freed && after.booked < after.capacity && after.waitlisted > 0 ? [sessionOfPlaces(after)] : [];
}
