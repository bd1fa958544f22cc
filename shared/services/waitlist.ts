import { discretionaryPlaces, hasStarted } from '../domain/haf-booking.ts';
import { personalDataExpiry } from '../domain/programmes.ts';
import { logger } from '../observability/logger.ts';
import type { BookingStore } from '../store/bookings.ts';
import type { CatalogueStore } from '../store/catalogue.ts';

export interface WaitlistDeps { catalogue: CatalogueStore; bookings: BookingStore }

/**
 * Offers a session's free places to its waitlist, first come first served. Run by the table's stream
 * whenever a session has a free place and children waiting (so a place freed by a cancellation, or
 * added by an admin, is offered even if the request that freed it died), and at once by those requests.
 * Each offer is one transaction, so running twice offers nothing twice.
 */
export async function offerFreedPlaces(deps: WaitlistDeps, sessionId: string, now: string): Promise<string[]> {
  const session = await deps.catalogue.getSession(sessionId);
  const programme = session && (await deps.catalogue.getProgramme(session.programmeId));
  // Once a session has started, a place that comes up is no use to a child still waiting.
  if (!session || !programme || hasStarted(session, new Date(now))) return [];
  return deps.bookings.promote(sessionId, {
    maxDays: programme.maxDaysPerChild, discretionaryPlaces: discretionaryPlaces(session.capacity, programme.discretionaryShare),
  }, now, personalDataExpiry(programme));
}

/** The same from a request that has already done its work: a failure is left to the stream, not the caller. */
export const offerFreedPlacesNow = (deps: WaitlistDeps, sessionId: string, now: string): Promise<unknown> =>
  offerFreedPlaces(deps, sessionId, now)
    .catch((e) => logger.warn('waitlist offer failed; the stream will offer the place', { sessionId, errorName: (e as Error)?.name }));
