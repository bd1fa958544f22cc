import type { OutgoingEmail } from '../../mail/sender.ts';
import type { OwedMessage } from '../../reactions/effects.ts';
import type { ReleaseRecord, SessionRecord } from '../../schemas/records.ts';
import type { NoticeDeps, SchemeNotices } from '../scheme.ts';
import { renderMessage, type BookingLine } from './emails.ts';
import { explainReason } from './reasons.ts';

// The emails HAF owes, filled in with what they need: the application for its parent and manage code,
// and each session's details.


/** A record an owed email needs is missing: a data fault, so the stream retries, then the dead-letter queue. */
export class MissingRecord extends Error {
  override name = 'MissingRecord';
}

export async function composeHafNotice(deps: NoticeDeps, message: OwedMessage): Promise<OutgoingEmail> {
  const { siteUrl } = deps;
  if (message.kind === 'application') {
    const app = message.application;
    const sessions = await deps.catalogue.getSessions([...new Set(app.children.flatMap((c) => c.bookings.map((b) => b.sessionId)))]);
    const children = app.children.map((child) => ({
      firstName: child.firstName,
      bookings: child.bookings.map((b): BookingLine => {
        const session = sessions.get(b.sessionId);
        // A place or waiting-list entry without its session is a data fault: retry, then the dead-letter queue.
        if (!session && b.status !== 'rejected') throw new MissingRecord(`session ${b.sessionId}`);
        return { bookingId: b.bookingId, status: b.status, session, reasonText: b.reason && explainReason(b.reason) };
      }),
    }));
    const data = { reference: app.reference, manageToken: app.manageToken, siteUrl, parentFirstName: app.parent.firstName, children };
    return { to: app.parent.email, ...renderMessage('application', data) };
  }

  if (message.kind === 'released') return composeRelease(deps, message.release);
  if (!('booking' in message)) throw new Error(`HAF writes no ${message.kind} email`);
  const { booking } = message;
  const [app, session] = await Promise.all([deps.applications.get(booking.reference), deps.catalogue.getSession(booking.sessionId)]);
  if (app?.status !== 'complete') throw new MissingRecord(`application ${booking.reference}`);
  if (!session) throw new MissingRecord(`session ${booking.sessionId}`);
  const data = {
    reference: app.reference, manageToken: app.manageToken, siteUrl, parentFirstName: app.parent.firstName,
    childFirstName: booking.child.firstName, bookingId: booking.bookingId, session: session as SessionRecord,
    reasonText: explainReason(booking.reason),
  };
  return { to: app.parent.email, ...renderMessage(message.kind, data) };
}

/** A child's later bookings released after unexplained absences: the parent hears which, and why. */
async function composeRelease(deps: NoticeDeps, release: ReleaseRecord): Promise<OutgoingEmail> {
  const [app, sessions] = await Promise.all([
    deps.applications.get(release.reference), deps.catalogue.getSessions([...new Set(release.released.map((r) => r.sessionId))]),
  ]);
  if (app?.status !== 'complete') throw new MissingRecord(`application ${release.reference}`);
  const released = release.released.map((r) => {
    const session = sessions.get(r.sessionId);
    if (!session) throw new MissingRecord(`session ${r.sessionId}`);
    return { bookingId: r.bookingId, session, waitlisted: r.status === 'waitlisted' };
  });
  const data = {
    reference: app.reference, siteUrl: deps.siteUrl, parentFirstName: app.parent.firstName, childFirstName: release.childFirstName,
    absentOn: release.absentOn, released,
  };
  return { to: app.parent.email, ...renderMessage('released', data) };
}

export const hafNotices: SchemeNotices = { compose: composeHafNotice };
