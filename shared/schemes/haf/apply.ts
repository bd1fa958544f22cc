import { invalid } from '../../domain/errors.ts';
import { familyKey } from '../../domain/people.ts';
import { discretionaryPlaces, mustWait } from '../../domain/places.ts';
import type { BookingsPort, CataloguePort, Limits, WantedPlace } from '../../domain/ports.ts';
import { personalDataExpiry } from '../../domain/programmes.ts';
import { logger } from '../../observability/logger.ts';
import { metrics } from '../../observability/metrics.ts';
import type { ApplicationRecord, BookingOutcomeRecord, ClaimRef, PlaceCounts } from '../../schemas/records.ts';
import { guardCodeGuesses, noteCodeGuess, settledCheck, type Client, type EligibilityDeps } from '../../services/eligibility.ts';
import { completeApplication, openApplication, type SignUpDeps } from '../../services/sign-ups.ts';
import type { HafApplicationInput } from './input.ts';
import { planApplication, triesForAPlace, type Eligibility, type PlannedChild } from './plan.ts';
import { hafAnswer } from './views.ts';

export interface HafDeps extends EligibilityDeps, SignUpDeps {
  catalogue: Pick<CataloguePort, 'getProgramme' | 'getSessionsWithPlaces' | 'getSession'>;
  bookings: BookingsPort;
}

export interface ApplyContext {
  /** The Idempotency-Key header: a retry with the same key and body resumes or repeats the first answer. */
  requestKey?: string;
  /** Who is asking (a digest of the address), for the limit on wrong codes. */
  client?: Client;
}

type Outcome = BookingOutcomeRecord;

/**
 * A HAF sign-up:
 * 1. the programme must exist and be a HAF programme;
 * 2. eligibility comes from a settled check about this parent, or a council code, read but not yet claimed;
 * 3. the rules decidable from the application are applied (window, session started, ages, days, clashes);
 * 4. the reference is claimed (or, for a retry, the earlier run found and resumed or repeated);
 * 5. if any place is to be tried, the code or check is claimed for the family, then each child's places are
 *    taken (or waitlisted) by one transaction; if in the end nothing is held, the claim is given back;
 * 6. the application is completed with every outcome, which owes the parent an email if any place was tried.
 */
export async function applyForHaf(deps: HafDeps, input: HafApplicationInput, ctx: ApplyContext = {}) {
  const at = deps.now();
  const now = at.toISOString();
  const programme = await deps.catalogue.getProgramme(input.programmeId);
  if (programme?.scheme !== 'HAF') throw invalid([{ path: 'programmeId', message: 'is not a HAF programme' }]);

  // Everything written below names a family or a child: it all goes when the programme's retention ends.
  const expiresAtEpoch = personalDataExpiry(programme);
  const family = familyKey(input.parent.email);
  const source = await eligibilitySource(deps, input, family, ctx.client);
  const { sessions, places } = await deps.catalogue.getSessionsWithPlaces(input.children.flatMap((c) => c.sessionIds));
  const opened = await openApplication(deps, { prefix: 'HAF', family, now, expiresAtEpoch, input, requestKey: ctx.requestKey, claim: source.claim?.ref });
  if (opened.complete) return hafAnswer(deps, opened.complete);
  const { reference } = opened;

  const planFor = (eligibility: Eligibility) =>
    planApplication({ reference, programme, children: input.children, sessions, eligibility, now: at });
  let plan = planFor(source.eligibility);
  // A code or check is claimed only by an application that will try for a place, so a refused one burns nothing.
  const claimed = triesForAPlace(plan) && source.claim !== undefined && (await source.claim.take(reference, now, expiresAtEpoch));
  if (triesForAPlace(plan) && source.claim && !claimed) plan = planFor(source.claim.usedBy);

  const limits = (capacity: number): Limits => ({
    maxDays: programme.maxDaysPerChild, discretionaryPlaces: discretionaryPlaces(capacity, programme.discretionaryShare),
  });
  const decided = new Map<string, Outcome>();
  try {
    for (const child of plan) {
      const wanted: WantedPlace[] = [];
      for (const b of child.bookings) {
        if (b.plan.kind === 'rejected') { decided.set(b.bookingId, { bookingId: b.bookingId, sessionId: b.sessionId, status: 'rejected', reason: b.plan.reason }); continue; }
        const { session, discretionary } = b.plan;
        wanted.push({
          booking: {
            bookingId: b.bookingId, reference, sessionId: session.id, programmeId: programme.id, providerId: session.providerId,
            sessionDate: session.date, childId: child.childId, childKey: child.childKey, family, discretionary, arrivedAt: opened.createdAt, expiresAtEpoch,
            child: pickChild(child.request), parentPhone: input.parent.phone,
          },
          limits: limits(session.capacity), looksFull: looksFull(places.get(session.id), discretionary, limits(session.capacity)),
        });
      }
      if (!wanted.length) continue;
      // One child's sessions in the order the parent chose, which decides its own day count.
      const results = await deps.bookings.placeAll(wanted, now);
      for (const [i, w] of wanted.entries()) decided.set(w.booking.bookingId, { bookingId: w.booking.bookingId, sessionId: w.booking.sessionId, ...results[i]! });
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
  const children = plan.map((child) => ({
    childId: child.childId, firstName: child.request.firstName,
    bookings: child.bookings.map((b) => decided.get(b.bookingId) ?? { bookingId: b.bookingId, sessionId: b.sessionId, status: 'rejected' as const, reason: 'unavailable' }),
  }));
  // The application keeps a child's first name only (for the parent's emails and view): what a provider
  // needs on the day is on each booking, and a child refused everywhere leaves nothing more behind.
  const application: ApplicationRecord = {
    reference, programmeId: programme.id, scheme: 'HAF', status: 'complete', manageToken: opened.manageToken, family,
    parent: input.parent, eligibility: { via: 'checkId' in input.eligibility ? 'check' : 'code', outcome: source.eligibility },
    children, emailOwed: triesForAPlace(plan), createdAt: opened.createdAt, updatedAt: now, expiresAtEpoch,
    ...(opened.requestDigest ? { requestDigest: opened.requestDigest } : {}),
    ...(opened.claim ? { claim: opened.claim } : {}),
  };
  const completed = await completeApplication(deps, application);
  countOutcomes(decided);
  return hafAnswer(deps, completed);
}

function countOutcomes(decided: Map<string, Outcome>) {
  const all = [...decided.values()];
  metrics.count('PlacesConfirmed', all.filter((o) => o.status === 'confirmed').length);
  metrics.count('PlacesWaitlisted', all.filter((o) => o.status === 'waitlisted').length);
}

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

/** Whether the counts read at the start already rule out a place (the transaction still decides). */
const looksFull = (p: PlaceCounts | undefined, discretionary: boolean, limits: Limits): boolean =>
  p !== undefined && mustWait(p, discretionary, limits.discretionaryPlaces);

/** Where the family's eligibility comes from, decided without claiming anything yet. */
interface EligibilitySource {
  eligibility: Eligibility;
  /** A code or check still to be claimed for the family, once the application will try for a place. */
  claim?: {
    ref: ClaimRef;
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
        ref: { kind: 'check', id: checkId },
        take: (reference) => deps.eligibility.claimCheck(checkId, family, reference),
        giveBack: (reference) => deps.eligibility.releaseCheck(checkId, reference),
        usedBy: 'checkUsed',
      } };
    }
    code = check.code;
  } else {
    code = input.eligibility.code;
  }
  await guardCodeGuesses(deps, client);
  const found = await deps.eligibility.getCode(code, input.programmeId);
  if (!found) {
    await noteCodeGuess(deps, client);
    throw invalid([{ path: 'eligibility.code', message: 'is not a code issued for this holiday programme' }]);
  }
  if (found.claimedBy && found.claimedBy !== family) return { eligibility: 'codeUsed' };
  const eligibility = ({ eligible: 'fsm', discretionary: 'discretionary', notEligible: 'notEligible' } as const)[found.outcome];
  if (eligibility === 'notEligible') return { eligibility };
  const { programmeId } = input;
  return { eligibility, claim: {
    ref: { kind: 'code', id: code, programmeId },
    take: (reference, now, expiresAtEpoch) => deps.eligibility.claimCode(code, programmeId, family, reference, now, expiresAtEpoch),
    giveBack: (reference) => deps.eligibility.releaseCode(code, programmeId, reference),
    usedBy: 'codeUsed',
  } };
}

const pickChild = (c: HafApplicationInput['children'][number]) => ({
  firstName: c.firstName, lastName: c.lastName, dateOfBirth: c.dateOfBirth,
  sendNeeds: c.sendNeeds, dietaryNeeds: c.dietaryNeeds, medicalNotes: c.medicalNotes,
});
