import { dateInLondon } from '../domain/calendar.ts';
import { familyKey } from '../domain/people.ts';
import type { BookingsPort, CataloguePort, PrivacyPort, ReferralsPort, ReleasePort, YouthCardsPort } from '../domain/ports.ts';
import { logger } from '../observability/logger.ts';
import type { ErasureRequest, SubjectAccessReport } from '../schemas/privacy.ts';
import type { ApplicationRecord, BookingRecord, ErasureRecord, ReferralRecord } from '../schemas/records.ts';

// Subject access and erasure (docs/decisions/011): everything held about one family, found by the digest
// of its email; and erasing it, after giving up its places, leaving the anonymous counts as they were.

export interface PrivacyDeps {
  privacy: PrivacyPort;
  bookings: Pick<BookingsPort, 'getBooking' | 'cancel'> & Pick<ReleasePort, 'bookingsById'>;
  referrals: Pick<ReferralsPort, 'get'>;
  catalogue: Pick<CataloguePort, 'getSessions'>;
  youthCards: Pick<YouthCardsPort, 'get'>;
  now: () => Date;
  newId: () => string;
}

/** The bookings an application made that were written (a refused one never was). */
const bookedIds = (app: ApplicationRecord) =>
  app.children.flatMap((c) => c.bookings.filter((b) => b.status !== 'rejected').map((b) => ({ sessionId: b.sessionId, bookingId: b.bookingId })));

export async function subjectAccess(deps: PrivacyDeps, email: string): Promise<SubjectAccessReport> {
  const family = familyKey(email);
  const held = await deps.privacy.holdings(family);
  const complete = held.applications.filter((a): a is ApplicationRecord => a.status === 'complete');
  const bookings = new Map((await deps.bookings.bookingsById(complete.flatMap(bookedIds))).map((b) => [b.bookingId, b]));
  const sessions = await deps.catalogue.getSessions([...new Set([...bookings.values()].map((b) => b.sessionId))]);
  const applications = held.applications.map((a) => {
    if (a.status !== 'complete') return { reference: a.reference, status: a.status, createdAt: a.createdAt, children: [] };
    return {
      reference: a.reference, scheme: a.scheme, programmeId: a.programmeId, status: a.status, createdAt: a.createdAt, parent: a.parent,
      eligibility: a.eligibility,
      children: a.children.map((c) => {
        const own = c.bookings.map((o) => ({ outcome: o, booking: bookings.get(o.bookingId) }));
        const child = own.find((b) => b.booking)?.booking?.child;
        return {
          childId: c.childId, firstName: c.firstName, ...(child ? { ...child, firstName: c.firstName } : {}),
          bookings: own.map(({ outcome, booking }) => {
            const s = sessions.get(outcome.sessionId);
            return {
              bookingId: outcome.bookingId, sessionId: outcome.sessionId,
              ...(s ? { session: { title: s.title, date: s.date, startTime: s.startTime, endTime: s.endTime, venue: s.venue, providerId: s.providerId } } : {}),
              status: booking?.status ?? outcome.status, ...(outcome.reason ? { reason: outcome.reason } : {}),
              ...(booking ? pickDefined(booking, ['offeredFromWaitlist', 'lateCancellation', 'present', 'absenceReason', 'releasedFor']) : {}),
            };
          }),
        };
      }),
    };
  });
  const referrals = await Promise.all(held.referrals.map(async (r) => heldReferral(r, r.scheme === 'YOUTH_CARD' && r.card ? await deps.youthCards.get(r.card.number) : undefined)));
  const references = [...held.applications.map((a) => a.reference), ...held.referrals.map((r) => r.reference)];
  const emails = (await Promise.all(references.map((ref) => deps.privacy.messagesAbout(ref)))).flat().sort((a, b) => a.sentAt.localeCompare(b.sentAt));
  const erasures = await deps.privacy.erasures(family);
  logger.info('subject access report made', { applications: applications.length, referrals: referrals.length, emails: emails.length });
  return { email, generatedAt: deps.now().toISOString(), applications, eligibilityClaims: held.claims, referrals, emails, erasures };
}

const pickDefined = <T extends object, K extends keyof T>(o: T, ks: readonly K[]) =>
  Object.fromEntries(ks.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<Pick<T, K>>;

/** A referral as its family is shown it: everything but the secrets that open it. */
function heldReferral(r: ReferralRecord, card: Awaited<ReturnType<YouthCardsPort['get']>>) {
  const base = {
    reference: r.reference, scheme: r.scheme, programmeId: r.programmeId, status: r.status, createdAt: r.createdAt, district: r.district,
    referrer: r.referrer, ...(r.providerId ? { providerId: r.providerId } : {}),
  };
  if (r.scheme === 'ACTIVE_FAMILIES') return { ...base, family: r.family };
  return {
    ...base, youngPerson: r.youngPerson,
    ...(r.card ? { card: { ...r.card, visitsUsed: card?.visitsUsed ?? 0, visits: card?.visits ?? [] } } : {}),
  };
}

type Tally = Record<string, number>;
const add = (t: Tally, kind: string, n = 1) => { if (n > 0) t[kind] = (t[kind] ?? 0) + n; };
const total = (...ts: Tally[]) => ts.reduce((sum, t) => sum + Object.values(t).reduce((a, b) => a + b, 0), 0);

/**
 * Erases a family's personal data now. Places still to come are given up first (cancelled, so the places go
 * to the waiting lists, and told to nobody); then the family's items are deleted. The counts (Places,
 * finance's figures and the ledger) stay: a delete moves no figure (decision 007). A repeat that finds
 * nothing left to erase answers with the audit of the erasure that did.
 */
export async function erase(deps: PrivacyDeps, request: ErasureRequest, by: string): Promise<ErasureRecord> {
  const family = familyKey(request.email);
  const erasureId = deps.newId();
  const at = deps.now();
  const now = at.toISOString();
  const today = dateInLondon(at);
  const erased: Tally = {};
  const cancelled: Tally = {};
  const anonymised: Tally = {};
  const held = await deps.privacy.holdings(family);

  const children = new Map<string, { childKey: string; programmeId: string; family: string }>();
  const eraseBooking = async (id: { sessionId: string; bookingId: string }) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      let b: BookingRecord | undefined = await deps.bookings.getBooking(id.sessionId, id.bookingId);
      if (!b) return;
      children.set(`${b.childKey}#${b.programmeId}#${b.family}`, b);
      const holdsFuture = (b.status === 'confirmed' && b.sessionDate >= today) || b.status === 'waitlisted';
      if (holdsFuture) {
        if (await deps.bookings.cancel(b, false, now, erasureId) === 'changed') continue;
        add(cancelled, b.status === 'confirmed' ? 'place' : 'waitingListSpot');
        b = { ...b, status: 'cancelled' };
      }
      if (!await deps.privacy.deleteBooking(b)) continue;
      add(erased, 'booking');
      if (b.releasedFor && await deps.privacy.deleteRelease(b.releasedFor)) add(erased, 'release');
      return;
    }
    throw new Error('A booking kept changing while it was being erased');
  };

  for (const app of held.applications) {
    if (app.status === 'complete') for (const id of bookedIds(app)) await eraseBooking(id);
    if (await deps.privacy.deleteApplication(app.reference)) add(erased, 'application');
  }
  for (const c of children.values()) if (await deps.privacy.deleteChildDays(c)) add(erased, 'childDays');

  for (const found of held.referrals) {
    let r: ReferralRecord | undefined = found;
    for (let attempt = 0; r && attempt < 5; attempt++) {
      if (await deps.privacy.eraseReferral(r) === 'erased') {
        add(erased, 'referral');
        if (r.scheme === 'YOUTH_CARD' && r.card) add(erased, 'youthCard');
        if (r.status === 'waitlisted') { add(erased, 'waitingEntry'); add(cancelled, 'queueSpot'); }
        if (r.scheme === 'ACTIVE_FAMILIES' && (r.status === 'accepted' || r.status === 'started')) add(cancelled, 'familyPlace');
        break;
      }
      r = await deps.referrals.get(r.reference);
    }
  }
  for (const claim of held.claims) {
    if (await deps.privacy.anonymiseClaim(claim, family, erasureId)) add(anonymised, claim.kind === 'check' ? 'eligibilityCheck' : 'eligibilityCode');
  }

  if (total(erased, cancelled, anonymised) === 0) {
    const earlier = (await deps.privacy.erasures(family)).at(-1);
    if (earlier) return earlier;
  }
  const audit: ErasureRecord = { erasureId, emailDigest: family, erasedAt: now, erasedBy: by, reason: request.reason, erased, anonymised, cancelled };
  await deps.privacy.recordErasure(audit);
  logger.info('personal data erased', { erasureId, erased, cancelled, anonymised });
  return audit;
}
