import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { invalid, notFound, conflict } from '../domain/errors.ts';
import {
  applicationStatus, discretionaryPlaces, explainReason, familyKey, hasStarted, isLateCancellation, mustWait, planApplication,
  type Eligibility, type PlannedChild,
} from '../domain/haf-booking.ts';
import { personalDataExpiry } from '../domain/programmes.ts';
import { logger } from '../observability/logger.ts';
import type { HafApplicationInput } from '../schemas/applications.ts';
import type { ApplicationStore, StoredApplication, StoredChild } from '../store/applications.ts';
import type { BookingStore, Limits, StoredBooking } from '../store/bookings.ts';
import type { CatalogueStore, Places } from '../store/catalogue.ts';
import { guardCodeGuesses, noteCodeGuess, settledCheck, type Client, type EligibilityDeps } from './eligibility.ts';
import { offerFreedPlacesNow } from './waitlist.ts';

export interface HafDeps extends EligibilityDeps {
  catalogue: CatalogueStore;
  bookings: BookingStore;
}

// Crockford's base 32 without I, L, O, U: a reference a parent can read out on the phone.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const newReference = () => `HAF-${Array.from({ length: 8 }, () => alphabet[randomInt(alphabet.length)]).join('')}`;
const newManageToken = () => randomBytes(24).toString('base64url');

/** How long a run may hold an application it is working on: just past a function's 10 s timeout. */
const leaseMs = 11_000;
/** How long a repeat of a request still in progress waits for its answer before a 409 with Retry-After. */
const repeatWaitMs = 4_000;

export interface ApplyContext {
  /** The Idempotency-Key header: a retry with the same key and body resumes or repeats the first answer. */
  requestKey?: string;
  /** Who is asking (a digest of the address), for the limit on wrong codes. */
  client?: Client;
}

/**
 * A HAF sign-up:
 * 1. the programme must exist and be a HAF programme;
 * 2. eligibility comes from a settled check about this parent, or a council code, read but not yet claimed;
 * 3. the rules decidable from the application are applied (window, session started, ages, days, clashes);
 * 4. the reference is claimed (or, for a retry, the earlier run found and resumed or repeated);
 * 5. if any place is to be tried, the code or check is claimed for the family, then each place is taken
 *    by one transaction (or waitlisted); if in the end nothing is held, the claim is given back;
 * 6. the application is completed with every outcome, which owes the parent an email if any place was tried.
 */
export async function applyForHaf(deps: HafDeps, input: HafApplicationInput, ctx: ApplyContext = {}) {
  const at = deps.now();
  const now = at.toISOString();
  const programme = await deps.catalogue.getProgramme(input.programmeId);
  if (!programme || programme.scheme !== 'HAF') throw invalid([{ path: 'programmeId', message: 'is not a HAF programme' }]);

  // Everything written below names a family or a child: it all goes when the programme's retention ends.
  const expiresAtEpoch = personalDataExpiry(programme);
  const family = familyKey(input.parent.email);
  const source = await eligibilitySource(deps, input, family, ctx.client);
  const { sessions, places } = await deps.catalogue.getSessionsWithPlaces(input.children.flatMap((c) => c.sessionIds));
  const opened = await openApplication(deps, { family, now, expiresAtEpoch, input, requestKey: ctx.requestKey });
  if (opened.complete) return summary(deps, opened.complete);
  const { reference } = opened;

  const planFor = (eligibility: Eligibility) =>
    planApplication({ reference, programme, children: input.children, sessions, eligibility, now: at });
  let plan = planFor(source.eligibility);
  const tries = (p: PlannedChild[]) => p.some((c) => c.bookings.some((b) => b.plan.kind === 'attempt'));
  // A code or check is claimed only by an application that will try for a place, so a refused one burns nothing.
  const claimed = tries(plan) && source.claim !== undefined && (await source.claim.take(reference, now, expiresAtEpoch));
  if (tries(plan) && source.claim && !claimed) plan = planFor(source.claim.usedBy);

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
          sessionDate: session.date, childId: child.childId, childKey: child.childKey, family, discretionary, arrivedAt: opened.createdAt, expiresAtEpoch,
          child: pickChild(child.request), parentPhone: input.parent.phone,
        }, limits(session.capacity), now, looksFull(places.get(session.id), discretionary, limits(session.capacity)));
        decided.set(b.bookingId, { bookingId: b.bookingId, sessionId: session.id, ...result });
      }
    }
  } catch (error) {
    // Nothing held: the application stays open, and a retry with the same Idempotency-Key starts it again.
    if (!(await anythingHeld(deps, plan, decided).catch(() => false))) {
      // Best effort: if these fail too, the claim stays with this family and the lease runs out by itself.
      if (claimed) await source.claim?.giveBack(reference).catch(() => undefined);
      await deps.applications.releaseLease(reference).catch(() => undefined);
      throw error;
    }
    // Places held must not go unseen: the application completes, so the parent is emailed and can see
    // or cancel them, and the sessions not reached are `unavailable` ("try again").
    logger.warn('application completed part way; the rest unavailable', { reference, errorName: (error as Error)?.name });
  }
  const held = [...decided.values()].some((o) => o.status === 'confirmed' || o.status === 'waitlisted');
  if (claimed && !held) await source.claim?.giveBack(reference);
  await flagChildrenBookedByOthers(deps, plan, decided, { programmeId: programme.id, family, now, expiresAtEpoch });
  const children = plan.map((child) => storedChild(child, child.bookings.map((b) =>
    decided.get(b.bookingId) ?? { bookingId: b.bookingId, sessionId: b.sessionId, status: 'rejected' as const, reason: 'unavailable' })));
  const application: StoredApplication = {
    reference, programmeId: programme.id, scheme: 'HAF', status: 'complete', manageToken: opened.manageToken, family,
    parent: input.parent, eligibility: { via: 'checkId' in input.eligibility ? 'check' : 'code', outcome: source.eligibility },
    children, emailOwed: tries(plan), createdAt: opened.createdAt, updatedAt: now, expiresAtEpoch,
    ...(opened.requestDigest ? { requestDigest: opened.requestDigest } : {}),
  };
  // A concurrent run of the same request may have completed it first: then its answer stands.
  if (!(await deps.applications.complete(application))) return summary(deps, (await deps.applications.get(reference)) ?? application);
  return summary(deps, application);
}

type Outcome = StoredChild['bookings'][number];

/** A child this family now holds days for, whom another family holds days for too, is flagged for the programme team. */
async function flagChildrenBookedByOthers(
  deps: HafDeps, plan: PlannedChild[], decided: Map<string, Outcome>, c: { programmeId: string; family: string; now: string; expiresAtEpoch: number },
) {
  const holding = plan.filter((child) => child.bookings.some((b) => decided.get(b.bookingId)?.status === 'confirmed'));
  // A flag is for people to look at later: failing to raise one must not fail the parent's booking.
  await Promise.all(holding.map((child) => deps.bookings.flagIfBookedByOthers({ ...c, childKey: child.childKey }, c.now)
    .catch((e) => logger.warn('could not flag a child booked by another family', { errorName: (e as Error)?.name }))));
}

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

/** The answer to a sign-up: each booking's outcome, and where each waitlisted child stands. */
async function summary(deps: HafDeps, app: StoredApplication) {
  const current = await deps.applications.currentBookings(app);
  const positions = await waitlistPositions(deps, [...current.values()]);
  return {
    reference: app.reference, manageToken: app.manageToken,
    status: applicationStatus(app.children.flatMap((c) => c.bookings.map((b) => b.status))),
    children: app.children.map((c) => ({ childId: c.childId, bookings: c.bookings.map((b) => publicOutcome(b, positions.get(b.bookingId))) })),
  };
}

const waitlistPositions = async (deps: HafDeps, bookings: StoredBooking[]): Promise<Map<string, number>> =>
  new Map((await Promise.all(bookings.filter((b) => b.status === 'waitlisted')
    .map(async (b) => [b.bookingId, await deps.bookings.waitlistPosition(b)] as const)))
    .filter((e): e is readonly [string, number] => e[1] !== undefined));

/** With an Idempotency-Key the reference follows from it, so a run cut off (a timeout) and run again finds its own application. */
const referenceFor = (requestKey: string) => {
  const digest = createHash('sha256').update(`reference|${requestKey}`).digest();
  return `HAF-${Array.from(digest.subarray(0, 8), (byte) => alphabet[byte % alphabet.length]).join('')}`;
};

/** Only a digest of the key and body is kept: a plain hash of names and dates of birth could be reversed by trying them. */
const requestDigestOf = (requestKey: string, input: HafApplicationInput) =>
  createHash('sha256').update(`${requestKey}\u0000${JSON.stringify(input)}`).digest('base64url');

interface Opened { reference: string; manageToken: string; createdAt: string; requestDigest?: string; complete?: StoredApplication }

/**
 * Claims a reference before any place is taken, so booking ids (made from it) are unique. With an
 * Idempotency-Key the same request sent again finds its application: finished, it gets the first answer;
 * still running, it waits for that answer; abandoned (a run that died), it takes over and resumes, and
 * its bookings already written are found, not taken twice. The same key with another body is a 422.
 */
async function openApplication(
  deps: HafDeps, o: { family: string; now: string; expiresAtEpoch: number; input: HafApplicationInput; requestKey?: string },
): Promise<Opened> {
  const requestDigest = o.requestKey ? requestDigestOf(o.requestKey, o.input) : undefined;
  const lease = () => new Date(deps.now().getTime() + leaseMs).toISOString();
  let reference = o.requestKey ? referenceFor(o.requestKey) : newReference();
  for (let attempt = 0; attempt < 5; attempt++) {
    const opening = { reference, family: o.family, manageToken: newManageToken(), createdAt: o.now, expiresAtEpoch: o.expiresAtEpoch, leaseUntil: lease(), requestDigest };
    if (await deps.applications.open(opening)) return opening;
    if (!o.requestKey) { reference = newReference(); continue; }
    return repeatOf(deps, reference, requestDigest!, lease);
  }
  throw new Error('No free application reference after 5 tries');
}

async function repeatOf(deps: HafDeps, reference: string, requestDigest: string, lease: () => string): Promise<Opened> {
  const deadline = Date.now() + repeatWaitMs;
  for (let pause = 50; ; pause = Math.min(pause * 2, 500)) {
    const existing = await deps.applications.get(reference);
    if (!existing) throw new Error('An application vanished while opening it');
    if (existing.requestDigest !== requestDigest) {
      throw invalid([{ path: 'Idempotency-Key', message: 'was already used with a different body; use a new key for a new request' }]);
    }
    const found = { reference, manageToken: existing.manageToken, createdAt: existing.createdAt, requestDigest };
    if (existing.status === 'complete') return { ...found, complete: existing };
    if (await deps.applications.takeOver(reference, deps.now().toISOString(), lease())) return found;
    if (Date.now() + pause > deadline) {
      throw conflict('This request is still being processed; ask again in a moment with the same Idempotency-Key.', 1);
    }
    await new Promise((r) => setTimeout(r, pause));
  }
}

/** Whether the counts read at the start already rule out a place (the transaction still decides). */
const looksFull = (p: Places | undefined, discretionary: boolean, limits: Limits): boolean =>
  p !== undefined && mustWait(p, discretionary, limits.discretionaryPlaces);

/** Where the family's eligibility comes from, decided without claiming anything yet. */
interface EligibilitySource {
  eligibility: Eligibility;
  /** A code or check still to be claimed for the family, once the application will try for a place. */
  claim?: {
    take: (reference: string, now: string, expiresAtEpoch: number) => Promise<boolean>;
    giveBack: (reference: string) => Promise<void>;
    /** What the application becomes if another family claims it first. */
    usedBy: 'codeUsed' | 'checkUsed';
  };
}

async function eligibilitySource(deps: HafDeps, input: HafApplicationInput, family: string, client: Client): Promise<EligibilitySource> {
  let code: string;
  if ('checkId' in input.eligibility) {
    const check = await settledCheck(deps, input.eligibility.checkId, input.parent.lastName);
    if (!check.code) {
      if (check.outcome !== 'eligible') return { eligibility: 'notEligible' };
      if (check.claimedBy && check.claimedBy !== family) return { eligibility: 'checkUsed' };
      const { checkId } = check;
      return { eligibility: 'fsm', claim: {
        take: (reference) => deps.applications.claimCheck(checkId, family, reference),
        giveBack: (reference) => deps.applications.releaseCheck(checkId, reference),
        usedBy: 'checkUsed',
      } };
    }
    code = check.code;
  } else {
    code = input.eligibility.code;
  }
  await guardCodeGuesses(deps, client);
  const found = await deps.applications.getCode(code, input.programmeId);
  if (!found) {
    await noteCodeGuess(deps, client);
    throw invalid([{ path: 'eligibility.code', message: 'is not a code issued for this holiday programme' }]);
  }
  if (found.claimedBy && found.claimedBy !== family) return { eligibility: 'codeUsed' };
  const eligibility = ({ eligible: 'fsm', discretionary: 'discretionary', notEligible: 'notEligible' } as const)[found.outcome];
  if (eligibility === 'notEligible') return { eligibility };
  const { programmeId } = input;
  return { eligibility, claim: {
    take: (reference, now, expiresAtEpoch) => deps.applications.claimCode(code, programmeId, family, reference, now, expiresAtEpoch),
    giveBack: (reference) => deps.applications.releaseCode(code, programmeId, reference),
    usedBy: 'codeUsed',
  } };
}

const pickChild = (c: HafApplicationInput['children'][number]) => ({
  firstName: c.firstName, lastName: c.lastName, dateOfBirth: c.dateOfBirth,
  sendNeeds: c.sendNeeds, dietaryNeeds: c.dietaryNeeds, medicalNotes: c.medicalNotes,
});

// The application keeps a child's first name only (for the parent's emails and view): what a provider
// needs on the day is on each booking, and a child refused everywhere leaves nothing more behind.
const storedChild = (child: PlannedChild, bookings: StoredChild['bookings']): StoredChild =>
  ({ childId: child.childId, firstName: child.request.firstName, bookings });

const publicOutcome = (b: StoredChild['bookings'][number], waitlistPosition?: number) => ({
  bookingId: b.bookingId, sessionId: b.sessionId, status: b.status,
  ...(b.reason ? { reason: explainReason(b.reason) } : {}),
  ...(b.status === 'waitlisted' && waitlistPosition !== undefined ? { waitlistPosition } : {}),
});

/** Only the holder of the manage token sees or changes an application; anyone else gets "not found". */
async function ownApplication(deps: HafDeps, reference: string, token: string | undefined) {
  const app = await deps.applications.get(reference);
  const given = Buffer.from(token ?? '');
  const expected = Buffer.from(app?.manageToken ?? '');
  if (!app || given.length !== expected.length || !timingSafeEqual(given, expected)) throw notFound('This application');
  // Until its places are decided, an application is only a claim on its reference.
  if (app.status !== 'complete') throw conflict('This application is still being processed; try again in a moment.', 1);
  return app;
}

export async function viewApplication(deps: HafDeps, reference: string, token: string | undefined) {
  const app = await ownApplication(deps, reference, token);
  const current = await deps.applications.currentBookings(app);
  const positions = await waitlistPositions(deps, [...current.values()]);
  const children = app.children.map((c) => ({
    childId: c.childId, firstName: c.firstName,
    bookings: c.bookings.map((b) => {
      const now = current.get(b.bookingId);
      return publicOutcome(now ? { ...b, status: now.status, reason: now.reason } : b, positions.get(b.bookingId));
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
  // Listed on the application, but never given a place or a waitlist spot: there is nothing to cancel.
  if (planned.status === 'rejected') throw conflict(`This session was not booked (${explainReason(planned.reason ?? '')}), so there is nothing to cancel.`);
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
