import type { ApplicationsPort, CataloguePort, ReleasePort } from '../../domain/ports.ts';
import type { BookingRecord, ReleaseRecord } from '../../schemas/records.ts';
import { offerFreedPlacesNow, type WaitlistDeps } from '../../services/waitlist.ts';
import { hasStarted } from './plan.ts';
import { hafRules } from './rules.ts';

// Councils release the remaining bookings of a child who misses sessions without a word, to give the places
// to others (DOMAIN.md). Run from the stream when a register marks an absence without a reason.

export interface ReleaseDeps extends WaitlistDeps {
  catalogue: Pick<CataloguePort, 'getProgramme' | 'getSession' | 'getSessions'>;
  applications: Pick<ApplicationsPort, 'get'>;
  release: ReleasePort;
  now: () => Date;
}

const unexplained = (b: BookingRecord) => b.status === 'confirmed' && b.present === false && !b.absenceReason?.trim();

/**
 * After an unexplained absence:
 * 1. the programme's limit (`releaseAfterUnexplainedAbsences`, default 2; 0: never);
 * 2. the child's bookings in the programme within its family, from every application holding its days;
 * 3. at the limit, its bookings on sessions after the absence that have not started (places and waitlist
 *    spots) are cancelled, with the release that owes the parent an email, in one transaction;
 * 4. the freed places are offered to the waitlists at once (and by the stream, if this fails).
 * The release is named after the absence that reached the limit, so running it again releases nothing twice.
 */
export async function releaseNoShows(deps: ReleaseDeps, absence: BookingRecord): Promise<string[]> {
  if (!unexplained(absence)) return [];
  const programme = await deps.catalogue.getProgramme(absence.programmeId);
  const limit = programme?.releaseAfterUnexplainedAbsences ?? hafRules.releaseAfterUnexplainedAbsences;
  if (!programme || limit === 0) return [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const bookings = await childBookings(deps, absence);
    const missed = bookings.filter(unexplained);
    if (missed.length < limit) return [];
    const at = deps.now();
    const open = bookings.filter((b) => (b.status === 'confirmed' || b.status === 'waitlisted') && b.sessionDate > absence.sessionDate);
    const sessions = await deps.catalogue.getSessions([...new Set(open.map((b) => b.sessionId))]);
    const later = open.filter((b) => { const s = sessions.get(b.sessionId); return s !== undefined && !hasStarted(s, at); });
    if (later.length === 0) return [];
    const record: ReleaseRecord = {
      releaseId: `${absence.bookingId}#${absence.rev}`, programmeId: absence.programmeId, reference: absence.reference,
      childFirstName: absence.child.firstName, absences: missed.length, absentOn: missed.map((b) => b.sessionDate).sort(),
      released: later.map((b) => ({ bookingId: b.bookingId, sessionId: b.sessionId, reference: b.reference, status: b.status })),
      at: at.toISOString(), expiresAtEpoch: absence.expiresAtEpoch,
    };
    const outcome = await deps.release.release(later, record, at.toISOString());
    if (outcome === 'done') return [];
    if (outcome === 'released') {
      for (const sessionId of new Set(later.filter((b) => b.status === 'confirmed').map((b) => b.sessionId))) {
        await offerFreedPlacesNow(deps, sessionId, at.toISOString());
      }
      return later.map((b) => b.bookingId);
    }
  }
  throw Object.assign(new Error('The child\'s bookings kept changing while releasing them'), { name: 'ThrottlingException' });
}

/** The child's bookings in the programme across its family's applications (the same child by name and date of birth). */
async function childBookings(deps: ReleaseDeps, b: BookingRecord): Promise<BookingRecord[]> {
  const references = new Set([b.reference, ...(await deps.release.childReferences(b))]);
  const apps = await Promise.all([...references].map((r) => deps.applications.get(r)));
  const ids = apps.flatMap((app) => (app?.status === 'complete' ? app.children.flatMap((c) => c.bookings) : []))
    .map(({ sessionId, bookingId }) => ({ sessionId, bookingId }));
  const found = await deps.release.bookingsById(ids);
  return found.filter((x) => x.childKey === b.childKey && x.programmeId === b.programmeId && x.family === b.family);
}
