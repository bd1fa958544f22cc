import { conflict, notFound } from '../../domain/errors.ts';
import type { BookingsPort, CataloguePort } from '../../domain/ports.ts';
import type { ApplicationRecord } from '../../schemas/records.ts';
import { offerFreedPlacesNow } from '../../services/waitlist.ts';
import { hasStarted, isLateCancellation } from './plan.ts';
import { explainReason } from './reasons.ts';

export interface CancelDeps {
  catalogue: Pick<CataloguePort, 'getSession' | 'getProgramme'>;
  bookings: BookingsPort;
  now: () => Date;
}

/**
 * Cancels a place (or a waitlist spot) of an application its parent holds:
 * 1. the booking must be on the application, and have been given a place or a spot;
 * 2. until the session starts (a cancellation within 72 hours is allowed and marked late);
 * 3. the first child on the session's waitlist who can take the place is offered it at once.
 */
export async function cancelHafBooking(deps: CancelDeps, app: ApplicationRecord, bookingId: string) {
  const planned = app.children.flatMap((c) => c.bookings).find((b) => b.bookingId === bookingId);
  if (!planned) throw notFound('This booking');
  // Listed on the application, but never given a place or a waitlist spot: there is nothing to cancel.
  if (planned.status === 'rejected') throw conflict(`This session was not booked (${explainReason(planned.reason)}), so there is nothing to cancel.`);
  const [booking, session] = await Promise.all([deps.bookings.getBooking(planned.sessionId, bookingId), deps.catalogue.getSession(planned.sessionId)]);
  if (!booking || !session) throw notFound('This booking');
  if (booking.status !== 'confirmed' && booking.status !== 'waitlisted') throw conflict(`This booking is already ${booking.status}.`);
  const at = deps.now();
  if (hasStarted(session, at)) throw conflict('This session has already started, so the place can no longer be cancelled.');
  const late = booking.status === 'confirmed' && isLateCancellation(session, at);
  if ((await deps.bookings.cancel(booking, late, at.toISOString())) === 'changed') {
    throw conflict('This booking changed while cancelling; look at it again.');
  }
  // Offered at once so the next family hears quickly; if this fails, the stream offers it (functions/notifier).
  if (booking.status === 'confirmed') await offerFreedPlacesNow(deps, session.id, at.toISOString());
  return { bookingId, status: 'cancelled' as const, late };
}
