import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { invalid, notFound, conflict } from '../domain/errors.ts';
import {
  applicationStatus, discretionaryPlaces, explainReason, familyKey, hasStarted, isLateCancellation, planApplication,
  type Eligibility, type PlannedChild,
} from '../domain/haf-booking.ts';
import { personalDataExpiry } from '../domain/programmes.ts';
import { logger } from '../observability/logger.ts';
import type { HafApplicationInput } from '../schemas/applications.ts';
import type { ApplicationStore, StoredApplication, StoredChild } from '../store/applications.ts';
import type { BookingStore, Limits } from '../store/bookings.ts';
import type { CatalogueStore, Places } from '../store/catalogue.ts';
import { settledCheck, type EligibilityDeps } from './eligibility.ts';
import { offerFreedPlacesNow } from './waitlist.ts';

export interface HafDeps extends EligibilityDeps {
  catalogue: CatalogueStore;
  bookings: BookingStore;
}

// Crockford's base 32 without I, L, O, U: a reference a parent can read out on the phone.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const newReference = () => `HAF-${Array.from({ length: 8 }, () => alphabet[randomInt(alphabet.length)]).join('')}`;
const newManageToken = () => randomBytes(24).toString('base64url');

/**
 * A HAF sign-up:
 * 1. the programme must exist and be a HAF programme;
 * 2. eligibility comes from a settled check or a council code the family claims;
 * 3. the rules decidable from the application are applied (window, ages, days, clashes);
 * 4. the application is recorded, then each place is taken by one transaction (or waitlisted);
 * 5. the application is completed with every outcome, which owes the parent an email.
 */
export async function applyForHaf(deps: HafDeps, input: HafApplicationInput, requestKey?: string) {
  const at = deps.now();
  const now = at.toISOString();
  const programme = await deps.catalogue.getProgramme(input.programmeId);
  if (!programme || programme.scheme !== 'HAF') throw invalid([{ path: 'programmeId', message: 'is not a HAF programme' }]);

  // Everything written below names a family or a child: it all goes when the programme's retention ends.
  const expiresAtEpoch = personalDataExpiry(programme);
  const eligibility = await resolveEligibility(deps, input, now, expiresAtEpoch);
  const { sessions, places } = await deps.catalogue.getSessionsWithPlaces(input.children.flatMap((c) => c.sessionIds));
  const opened = await openApplication(deps, familyKey(input.parent.email), now, expiresAtEpoch, requestKey);
  if (opened.complete) return summary(opened.complete);
  const { reference } = opened;

  const plan = planApplication({ reference, programme, children: input.children, sessions, eligibility, now: at });
  const limits = (capacity: number): Limits => ({
    maxDays: programme.maxDaysPerChild, discretionaryPlaces: discretionaryPlaces(capacity, programme.discretionaryShare),
  });
  const decided = new Map<string, Outcome>();
  try {
    for (const child of plan) {
      // One child's sessions in order, so its own day count is decided in the order the parent chose.
      for (const b of child.bookings) {
        if (b.plan.kind === 'rejected') { decided.set(b.bookingId, { bookingId: b.bookingId, sessionId: b.sessionId, status: 'rejected', reason: b.plan.reason }); continue; }
        const { session, discretionary } = b.plan;
        const result = await deps.bookings.place({
          bookingId: b.bookingId, reference, sessionId: session.id, programmeId: programme.id, providerId: session.providerId,
          sessionDate: session.date, childId: child.childId, childKey: child.childKey, discretionary, arrivedAt: now, expiresAtEpoch,
          child: pickChild(child.request), parentPhone: input.parent.phone,
        }, limits(session.capacity), now, looksFull(places.get(session.id), discretionary, limits(session.capacity)));
        decided.set(b.bookingId, { bookingId: b.bookingId, sessionId: session.id, ...result });
      }
    }
  } catch (error) {
    // Nothing held: the application stays open, and a retry with the same Idempotency-Key starts it again.
    if (!(await anythingHeld(deps, plan, decided).catch(() => false))) throw error;
    // Places held must not go unseen: the application completes, so the parent is emailed and can see
    // or cancel them, and the sessions not reached are `unavailable` ("try again").
    logger.warn('application completed part way; the rest unavailable', { reference, errorName: (error as Error)?.name });
  }
  const children = plan.map((child) => storedChild(child, child.bookings.map((b) =>
    decided.get(b.bookingId) ?? { bookingId: b.bookingId, sessionId: b.sessionId, status: 'rejected' as const, reason: 'unavailable' })));
  const application: StoredApplication = {
    reference, programmeId: programme.id, scheme: 'HAF', status: 'complete', manageToken: opened.manageToken, family: opened.family,
    parent: input.parent, eligibility: { via: 'checkId' in input.eligibility ? 'check' : 'code', outcome: eligibility },
    children, createdAt: opened.createdAt, updatedAt: now, expiresAtEpoch,
  };
  await deps.applications.complete(application);
  return summary(application);
}

type Outcome = StoredChild['bookings'][number];

/** After a failure part way: whether any place or waitlist spot is held, including by the booking in flight. */
async function anythingHeld(deps: HafDeps, plan: PlannedChild[], decided: Map<string, Outcome>): Promise<boolean> {
  for (const b of plan.flatMap((c) => c.bookings)) {
    if (decided.has(b.bookingId) || b.plan.kind !== 'attempt') continue;
    // Its transaction may have committed before the error reached us.
    const found = await deps.bookings.getBooking(b.sessionId, b.bookingId);
    if (found?.status === 'confirmed' || found?.status === 'waitlisted') decided.set(b.bookingId, { bookingId: b.bookingId, sessionId: b.sessionId, status: found.status });
  }
  return [...decided.values()].some((o) => o.status === 'confirmed' || o.status === 'waitlisted');
}

const summary = (app: StoredApplication) => ({
  reference: app.reference, manageToken: app.manageToken,
  status: applicationStatus(app.children.flatMap((c) => c.bookings.map((b) => b.status))),
  children: app.children.map((c) => ({ childId: c.childId, bookings: c.bookings.map(publicOutcome) })),
});

/** With an Idempotency-Key the reference follows from it, so a run cut off (a timeout) and run again finds its own application. */
const referenceFor = (requestKey: string, family: string) => {
  const digest = createHash('sha256').update(`${requestKey}|${family}`).digest();
  return `HAF-${Array.from(digest.subarray(0, 8), (byte) => alphabet[byte % alphabet.length]).join('')}`;
};

/**
 * Claims a reference before any place is taken, so booking ids (made from it) are unique. The same
 * request run again resumes: its bookings already written are found, not taken twice.
 */
interface Opened { reference: string; family: string; manageToken: string; createdAt: string; complete?: StoredApplication }

async function openApplication(deps: HafDeps, family: string, now: string, expiresAtEpoch: number, requestKey?: string): Promise<Opened> {
  let reference = requestKey ? referenceFor(requestKey, family) : newReference();
  for (let attempt = 0; attempt < 5; attempt++) {
    const opening = { reference, family, manageToken: newManageToken(), createdAt: now, expiresAtEpoch };
    if (await deps.applications.open(opening)) return opening;
    const existing = await deps.applications.get(reference);
    if (requestKey && existing?.family === family) {
      const resumed = { reference, family, manageToken: existing.manageToken, createdAt: existing.createdAt };
      return existing.status === 'complete' ? { ...resumed, complete: existing } : resumed;
    }
    reference = newReference();
  }
  throw new Error('No free application reference after 5 tries');
}

/** Whether the counts read at the start already rule out a place (the transaction still decides). */
function looksFull(p: Places | undefined, discretionary: boolean, limits: Limits): boolean {
  if (!p) return false;
  return p.booked >= p.capacity || (discretionary && p.discretionaryBooked >= limits.discretionaryPlaces);
}

async function resolveEligibility(deps: HafDeps, input: HafApplicationInput, now: string, expiresAtEpoch: number): Promise<Eligibility> {
  const family = familyKey(input.parent.email);
  let code: string | undefined;
  if ('checkId' in input.eligibility) {
    const check = await settledCheck(deps, input.eligibility.checkId);
    if (!check.code) {
      if (check.outcome !== 'eligible') return 'notEligible';
      return (await deps.applications.claimCheck(check.checkId, family)) ? 'fsm' : 'checkUsed';
    }
    code = check.code;
  } else {
    code = input.eligibility.code;
  }
  const claim = await deps.applications.claimCode(code, input.programmeId, family, now, expiresAtEpoch);
  if (claim === 'unknown') throw invalid([{ path: 'eligibility.code', message: 'is not a code issued for this holiday programme' }]);
  return ({ eligible: 'fsm', discretionary: 'discretionary', notEligible: 'notEligible', usedByAnotherFamily: 'codeUsed' } as const)[claim];
}

const pickChild = (c: HafApplicationInput['children'][number]) => ({
  firstName: c.firstName, lastName: c.lastName, dateOfBirth: c.dateOfBirth,
  sendNeeds: c.sendNeeds, dietaryNeeds: c.dietaryNeeds, medicalNotes: c.medicalNotes,
});

// The application keeps a child's first name only (for the parent's emails and view): what a provider
// needs on the day is on each booking, and a child refused everywhere leaves nothing more behind.
const storedChild = (child: PlannedChild, bookings: StoredChild['bookings']): StoredChild =>
  ({ childId: child.childId, firstName: child.request.firstName, bookings });

const publicOutcome = (b: StoredChild['bookings'][number]) => ({
  bookingId: b.bookingId, sessionId: b.sessionId, status: b.status,
  ...(b.reason ? { reason: explainReason(b.reason) } : {}),
});

/** Only the holder of the manage token sees or changes an application; anyone else gets "not found". */
async function ownApplication(deps: HafDeps, reference: string, token: string | undefined) {
  const app = await deps.applications.get(reference);
  const given = Buffer.from(token ?? '');
  const expected = Buffer.from(app?.manageToken ?? '');
  if (!app || given.length !== expected.length || !timingSafeEqual(given, expected)) throw notFound('This application');
  // Until its places are decided, an application is only a claim on its reference.
  if (app.status !== 'complete') throw conflict('This application is still being processed; try again in a moment.');
  return app;
}

export async function viewApplication(deps: HafDeps, reference: string, token: string | undefined) {
  const app = await ownApplication(deps, reference, token);
  const current = await deps.applications.currentBookings(app);
  const children = app.children.map((c) => ({
    childId: c.childId, firstName: c.firstName,
    bookings: c.bookings.map((b) => {
      const now = current.get(b.bookingId);
      return publicOutcome(now ? { ...b, status: now.status, reason: now.reason } : b);
    }),
  }));
  return {
    reference: app.reference, programmeId: app.programmeId, createdAt: app.createdAt,
    status: applicationStatus(children.flatMap((c) => c.bookings.map((b) => b.status))), children,
  };
}

/** Cancels a place; the first child on the session's waitlist who can take it is offered it at once. */
export async function cancelBooking(deps: HafDeps, bookingId: string, token: string | undefined) {
  const reference = bookingId.split('-').slice(0, 2).join('-');
  const app = await ownApplication(deps, reference, token);
  const planned = app.children.flatMap((c) => c.bookings).find((b) => b.bookingId === bookingId);
  if (!planned) throw notFound('This booking');
  const [booking, session, programme] = await Promise.all([
    deps.bookings.getBooking(planned.sessionId, bookingId), deps.catalogue.getSession(planned.sessionId), deps.catalogue.getProgramme(app.programmeId),
  ]);
  if (!booking || !session || !programme) throw notFound('This booking');
  if (booking.status !== 'confirmed' && booking.status !== 'waitlisted') throw conflict(`This booking is already ${booking.status}.`);
  const at = deps.now();
  if (hasStarted(session, at)) throw conflict('This session has already started, so the place can no longer be cancelled.');
  const late = booking.status === 'confirmed' && isLateCancellation(session, at);
  await deps.bookings.cancel(booking, late, at.toISOString());
  // Offered at once so the next family hears quickly; if this fails, the stream offers it (functions/notifier).
  if (booking.status === 'confirmed') await offerFreedPlacesNow(deps, session.id, at.toISOString());
  return { bookingId, status: 'cancelled' as const, late };
}
