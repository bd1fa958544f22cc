import {
  attendanceList, providerSession, registerOpen, summarise, unknownBookings, withRegister,
} from '../domain/attendance.ts';
import { DomainError, conflict, forbidden, invalid } from '../domain/errors.ts';
import type { AttendancePort, CataloguePort } from '../domain/ports.ts';
import type { AttendanceList, ProviderSessionQuery, RegisterRecord, RegisterResult } from '../schemas/provider.ts';
import type { SessionRecord } from '../schemas/records.ts';

// The provider's side of a HAF session: its own sessions, who is coming, and who came.
// Every use case starts from the provider the caller acts for; another provider's session
// is "not found", so an id tried at random says nothing about whether it exists.

export interface AttendanceDeps {
  catalogue: Pick<CataloguePort, 'getSession' | 'places' | 'findProviderByClientId'>;
  attendance: AttendancePort;
  now: () => Date;
  newId: () => string;
}

/** Who sent a register: the provider, and the app client that acted for it. */
export interface Sender { providerId: string; clientId: string }

/** The provider a machine client acts for: each app client maps to exactly one, and an unmapped one may see nothing. */
export async function actingProvider(deps: Pick<AttendanceDeps, 'catalogue'>, clientId: string): Promise<Sender> {
  const provider = await deps.catalogue.findProviderByClientId(clientId);
  if (!provider) throw forbidden('This client is not registered to a provider.');
  return { providerId: provider.id, clientId };
}

async function ownSession(deps: AttendanceDeps, providerId: string, sessionId: string): Promise<SessionRecord> {
  const session = await deps.catalogue.getSession(sessionId);
  if (!session || session.providerId !== providerId) throw new DomainError('notFound', 'No such session among yours.');
  return session;
}

/** The provider's sessions (a page of them) with places booked, waitlisted and left, and whether a register is in. */
export async function listOwnSessions(deps: AttendanceDeps, providerId: string, q: ProviderSessionQuery) {
  const page = await deps.attendance.sessionsOf(providerId, { programmeId: q.programme, date: q.date, limit: q.limit, cursor: q.cursor });
  const places = await deps.catalogue.places(page.items.map((s) => s.id));
  return { items: page.items.map((s) => providerSession(s, places.get(s.id))), nextCursor: page.nextCursor };
}

/**
 * The attendance list:
 * 1. the session must be this provider's (checked before any child's record is read);
 * 2. the confirmed bookings, in one Query, become rows with the age on the day;
 * 3. with the session's details and when the register was last sent.
 */
export async function viewAttendance(deps: AttendanceDeps, providerId: string, sessionId: string): Promise<AttendanceList> {
  const session = await ownSession(deps, providerId, sessionId);
  const [bookings, places] = await Promise.all([deps.attendance.confirmedBookings(sessionId), deps.catalogue.places([sessionId])]);
  const attendees = attendanceList(bookings, session.date);
  const { updatedAt, ...details } = session;
  const registerSentAt = places.get(sessionId)?.registerSentAt;
  return { session: { ...details, ...(registerSentAt ? { registerSentAt } : {}) }, summary: summarise(attendees), attendees };
}

/**
 * The register:
 * 1. the session must be this provider's, and its day must have come (London time);
 * 2. every record must name a confirmed booking on it (each one that does not is listed);
 * 3. the marks are saved with who sent them and when; sending again replaces them.
 */
export async function sendRegister(
  deps: AttendanceDeps, sender: Sender, sessionId: string, records: readonly RegisterRecord[],
): Promise<RegisterResult> {
  const session = await ownSession(deps, sender.providerId, sessionId);
  const at = deps.now();
  if (!registerOpen(session.date, at)) throw conflict(`The register for this session opens on its day, ${session.date}.`);
  const attendees = attendanceList(await deps.attendance.confirmedBookings(sessionId), session.date);
  const issues = unknownBookings(records, new Set(attendees.map((a) => a.bookingId)));
  if (issues.length > 0) throw invalid(issues);
  const sentAt = at.toISOString();
  const saved = await deps.attendance.saveRegister({ sessionId, programmeId: session.programmeId, submissionId: deps.newId(), sentAt, sentBy: sender, records });
  if (!saved.saved && 'sessionMissing' in saved) throw new DomainError('notFound', 'No such session among yours.');
  if (!saved.saved && 'closed' in saved) throw conflict('This programme\'s figures have been closed by finance, so its registers can no longer change. Ask finance to reopen it.');
  // A booking cancelled between the check above and the write: named as the check would have named it.
  if (!saved.saved) throw invalid(saved.notConfirmed.map((i) => ({ path: `records.${i}.bookingId`, message: 'is not a confirmed booking on this session' })));
  return { sessionId, registerSentAt: sentAt, recorded: records.length, summary: summarise(withRegister(attendees, records)) };
}
