import { hasCome } from '../domain/calendar.ts';
import { discretionaryPlaces } from '../domain/places.ts';
import type { BookingsPort, CataloguePort } from '../domain/ports.ts';
import { personalDataExpiry } from '../domain/programmes.ts';
import { logger } from '../observability/logger.ts';

export interface WaitlistDeps { catalogue: Pick<CataloguePort, 'getSession' | 'getProgramme'>; bookings: Pick<BookingsPort, 'promote'> }

/**
 * Offers a session's free places to its waitlist, first come first served. Run by the table's stream
 * whenever a write frees a place while children wait (so a place freed by a cancellation, or added by an
 * admin, is offered even if the request that freed it died), and at once by those requests. Each offer is
 * one transaction, so running twice offers nothing twice. Once a session has started, nothing is offered.
 */
export async function offerFreedPlaces(deps: WaitlistDeps, sessionId: string, now: string): Promise<string[]> {
  const session = await deps.catalogue.getSession(sessionId);
  const programme = session && (await deps.catalogue.getProgramme(session.programmeId));
  if (!session || !programme || hasCome(session.date, session.startTime, new Date(now))) return [];
  return deps.bookings.promote(sessionId, {
    maxDays: programme.maxDaysPerChild, discretionaryPlaces: discretionaryPlaces(session.capacity, programme.discretionaryShare),
  }, now, personalDataExpiry(programme));
}

/** The same from a request that has already done its work: a failure is left to the stream, not the caller. */
export const offerFreedPlacesNow = (deps: WaitlistDeps, sessionId: string, now: string): Promise<unknown> =>
  offerFreedPlaces(deps, sessionId, now)
    .catch((e) => logger.warn('waitlist offer failed; the stream will offer the place', { sessionId, errorName: (e as Error)?.name }));
