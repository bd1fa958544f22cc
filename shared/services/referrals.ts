import { conflict, invalid, notFound, type FieldIssue } from '../domain/errors.ts';
import { matchesDigest, newManageToken, newReference, referenceFromKey, sameSecret } from '../domain/ids.ts';
import type { CataloguePort, ReferralsPort, RequestDigest } from '../domain/ports.ts';
import { isBookingOpen, personalDataExpiry } from '../domain/programmes.ts';
import { confirmBy, firstArrived, isPartnerAddress, lapsedReferralKeptDays, referralDay, roomsFor } from '../domain/referrals.ts';
import { council } from '../council/profile.ts';
import { logger } from '../observability/logger.ts';
import { metrics } from '../observability/metrics.ts';
import type { Referrer } from '../schemas/people.ts';
import { ReferralRecord, type ProgrammeRecord, type WaitingEntry } from '../schemas/records.ts';
import { schemes, type SchemeId } from '../schemes/registry.ts';
import type { PlacementPolicy, SchemeDefinition, SignUpContext } from '../schemes/scheme.ts';

// What Active Families and the Youth Card share: a referral from a partner's work address, acted on once its
// referrer confirms it from the emailed link (or at once from a signed-in referrer), then placed with a
// provider that has room under its agreement, or queued in arrival order for its district until one has.

export interface ReferralDeps {
  catalogue: Pick<CataloguePort, 'getProgramme'>;
  referrals: ReferralsPort;
  now: () => Date;
}

/** Making a referral also keeps a keyed digest of an idempotent request. */
export interface ReferDeps extends ReferralDeps { requestDigest: RequestDigest }

/** The fields of a referral that are the scheme's own (`scheme`, the family or the young person, the district), as it drafts them. */
export type SchemeFields = { scheme: string; district: string } & Record<string, unknown>;

export interface ReferralRequest {
  definition: SchemeDefinition;
  input: { programmeId: string; referrer: Referrer };
  /** The scheme's own checks and fields, on the day of referral: what is wrong, or what to keep. */
  draft(programme: ProgrammeRecord, day: string): Promise<FieldIssue[] | SchemeFields>;
}

const dayMs = 86_400_000;

/**
 * A referral:
 * 1. the referrer's address must be on a partner domain, and the programme one of this scheme taking referrals now;
 * 2. the scheme's own rules (ages on the day of referral, a known provider) are checked; every failure is listed;
 * 3. it is kept under a new reference (an Idempotency-Key gives a retry the same one, and the first answer);
 * 4. from a signed-in referrer it is acted on at once: placed with a provider, or queued for its district.
 *    Otherwise it waits for its referrer, whom the stream emails a link to confirm it (valid 7 days).
 */
export async function refer(deps: ReferDeps, request: ReferralRequest, body: unknown, ctx: SignUpContext): Promise<ReferralRecord> {
  const { definition, input } = request;
  const at = deps.now();
  const now = at.toISOString();
  const issues: FieldIssue[] = [];
  if (!isPartnerAddress(input.referrer.email, council().partnerDomains)) {
    issues.push({ path: 'referrer.email', message: `must be a work address of one of ${council().name}'s partners (${council().partnerDomains.join(', ')})` });
  }
  const programme = await deps.catalogue.getProgramme(input.programmeId);
  let drafted: SchemeFields | undefined;
  if (programme?.scheme !== definition.id) {
    const name = definition.description.name;
    issues.push({ path: 'programmeId', message: `is not ${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} programme` });
  } else if (!isBookingOpen(programme, at)) {
    issues.push({ path: 'programmeId', message: `is not taking referrals now: it takes them from ${programme.bookingOpensAt} until ${programme.bookingClosesAt}` });
  } else {
    const d = await request.draft(programme, referralDay(at));
    if (Array.isArray(d)) issues.push(...d);
    else drafted = d;
  }
  if (issues.length > 0 || !drafted || !programme) throw invalid(issues);

  const account = ctx.referrer !== undefined;
  const deadline = confirmBy(at);
  const requestDigest = ctx.requestKey ? await deps.requestDigest('referral', ctx.requestKey, body) : undefined;
  let reference = ctx.requestKey ? referenceFromKey(definition.referencePrefix, ctx.requestKey) : newReference(definition.referencePrefix);
  for (let attempt = 0; attempt < 5; attempt++) {
    // Read through its record schema before it is written, as every item is read back.
    const referral = ReferralRecord.parse({
      reference, programmeId: programme.id, manageToken: newManageToken(), referrer: input.referrer, via: account ? 'account' : 'email',
      ...(ctx.referrer ? { referrerSubject: ctx.referrer.subject } : {}), ...(requestDigest ? { requestDigest } : {}),
      status: account ? 'confirmed' : 'awaitingReferrer', confirmBy: deadline, ...(account ? { confirmedAt: now } : {}),
      createdAt: now, updatedAt: now,
      // Until it is confirmed a referral is only a claim: its personal data goes soon after the link lapses.
      expiresAtEpoch: account ? personalDataExpiry(programme) : Math.floor((Date.parse(deadline) + lapsedReferralKeptDays * dayMs) / 1000),
      ...drafted,
    });
    if (await deps.referrals.create(referral)) {
      metrics.count('ReferralsReceived', 1);
      return account ? place(deps, referral) : referral;
    }
    if (!requestDigest) { reference = newReference(definition.referencePrefix); continue; }
    const existing = await deps.referrals.get(reference);
    if (!existing) throw new Error('A referral vanished while reading it back');
    if (existing.requestDigest !== requestDigest) {
      throw invalid([{ path: 'Idempotency-Key', message: 'was already used with a different body; use a new key for a new request' }]);
    }
    // A retry of a request whose run stopped before placing it finishes the job.
    return existing.status === 'confirmed' ? place(deps, existing) : existing;
  }
  throw new Error('No free referral reference after 5 tries');
}

/**
 * The referrer confirms from the emailed link (its secret as X-Referrer-Token): checked against the kept digest
 * in constant time; a wrong or missing secret is "not found". Confirmed within 7 days, the referral is acted
 * on; confirming again answers as it stands.
 */
export async function confirmReferral(deps: ReferralDeps, reference: string, token: string | undefined): Promise<ReferralRecord> {
  const referral = await deps.referrals.get(reference);
  if (!referral || !matchesDigest(token, referral.referrerTokenDigest)) throw notFound('This referral');
  const at = deps.now();
  if (referral.status === 'awaitingReferrer') {
    if (at.getTime() >= Date.parse(referral.confirmBy)) {
      throw conflict(`This link expired on ${referral.confirmBy.slice(0, 10)}: a referral must be confirmed within 7 days. Please send the referral again.`);
    }
    const programme = await deps.catalogue.getProgramme(referral.programmeId);
    if (!programme) throw notFound('This referral');
    if (await deps.referrals.confirm(reference, at.toISOString(), personalDataExpiry(programme))) {
      metrics.count('ReferralsConfirmed', 1);
      return place(deps, { ...referral, status: 'confirmed', confirmedAt: at.toISOString() });
    }
    return (await deps.referrals.get(reference)) ?? referral;
  }
  return referral.status === 'confirmed' ? place(deps, referral) : referral;
}

const policyOf = (scheme: string): PlacementPolicy => {
  const policy = (schemes as Record<string, SchemeDefinition>)[scheme]?.placement;
  if (!policy) throw new Error(`scheme ${scheme} places nothing with providers`);
  return policy;
};

/**
 * Places a confirmed referral: with the first provider in the scheme's order that has room in its district
 * and nobody waiting who could take that room first (one transaction each); with none, it joins its district's
 * queue in the order referrals were acted on, and any room that appeared meanwhile goes to the queue in order.
 */
export async function place(deps: ReferralDeps, referral: ReferralRecord): Promise<ReferralRecord> {
  const policy = policyOf(referral.scheme);
  const programme = await deps.catalogue.getProgramme(referral.programmeId);
  if (!programme) throw new Error(`programme ${referral.programmeId} of ${referral.reference} is missing`);
  const rooms = await deps.referrals.rooms(programme.id);
  for (const providerId of policy.order(roomsFor(rooms, referral.district), referral)) {
    const room = rooms.find((r) => r.providerId === providerId)!;
    const outcome = await assignWithCard(deps, policy, programme, { referral, providerId, from: 'confirmed', blockingDistricts: room.districts });
    if (outcome === 'assigned') metrics.count('ReferralsPlaced', 1);
    if (outcome === 'assigned' || outcome === 'moved') return current(deps, referral);
  }
  const now = deps.now().toISOString();
  if (await deps.referrals.enqueue(referral, referral.confirmedAt ?? now, now)) {
    metrics.count('ReferralsWaiting', 1);
    // Room freed between our reading and our queueing is offered to the queue now, so nobody waits beside a free place.
    const serving = (await deps.referrals.rooms(programme.id)).filter((r) => r.districts.includes(referral.district) && r.taken < r.capacity);
    for (const r of serving) await offerRoom(deps, programme.id, r.providerId);
  }
  return current(deps, referral);
}

/** The stream's backstop: a referral still `confirmed` (its request stopped before placing it) is placed now. */
export async function placeIfConfirmed(deps: ReferralDeps, reference: string): Promise<ReferralRecord | undefined> {
  const referral = await deps.referrals.get(reference);
  return referral?.status === 'confirmed' ? place(deps, referral) : referral;
}

async function current(deps: ReferralDeps, referral: ReferralRecord): Promise<ReferralRecord> {
  return (await deps.referrals.get(referral.reference)) ?? referral;
}

/** One try at a place, with a fresh card number if the one made was taken (50 bits: practically never). */
async function assignWithCard(
  deps: ReferralDeps, policy: PlacementPolicy, programme: ProgrammeRecord,
  a: { referral: ReferralRecord; providerId: string; from: 'confirmed' | 'waitlisted'; blockingDistricts: readonly string[]; entry?: WaitingEntry },
) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const at = deps.now();
    const outcome = await deps.referrals.assign({
      ...a, to: policy.placed, now: at.toISOString(), expiresAtEpoch: personalDataExpiry(programme),
      ...(policy.issue ? { card: policy.issue(a.referral, a.providerId, programme, at) } : {}),
    });
    if (outcome !== 'cardTaken') return outcome;
  }
  throw new Error('No free card number after 3 tries');
}

/**
 * Offers a provider's free room to the referrals waiting in its districts, earliest first, one transaction
 * each, until it has none left or nobody waits. Run by the request that freed the room (a family finishing)
 * and by the table's stream whenever room is freed or added, so running it twice places nobody twice.
 */
export async function offerRoom(deps: ReferralDeps, programmeId: string, providerId: string): Promise<string[]> {
  const programme = await deps.catalogue.getProgramme(programmeId);
  if (!programme) return [];
  const policy = policyOf(programme.scheme);
  const placed: string[] = [];
  for (let rounds = 0; rounds < 1000; rounds++) {
    const room = await deps.referrals.room(programmeId, providerId);
    if (!room || room.taken >= room.capacity) break;
    const next = firstArrived(await deps.referrals.queueHeads(programmeId, room.districts));
    if (!next) break;
    const referral = await deps.referrals.get(next.reference);
    if (referral?.status !== 'waitlisted') {
      logger.warn('a waiting entry without its waiting referral', { reference: next.reference });
      break;
    }
    const outcome = await assignWithCard(deps, policy, programme, { referral, providerId, from: 'waitlisted', blockingDistricts: [], entry: next });
    if (outcome === 'full') break;
    if (outcome === 'assigned') placed.push(referral.reference);
  }
  if (placed.length) metrics.count('ReferralsPlacedFromWaiting', placed.length);
  return placed;
}

/** The same from a request that has already done its work: a failure is left to the stream, not the caller. */
export const offerRoomNow = (deps: ReferralDeps, programmeId: string, providerId: string): Promise<unknown> =>
  offerRoom(deps, programmeId, providerId)
    .catch((e) => logger.warn('offering room failed; the stream will offer it', { programmeId, providerId, errorName: (e as Error)?.name }));

/** Only the holder of the manage token sees a referral; anyone else gets "not found". */
export async function ownReferral(deps: { referrals: Pick<ReferralsPort, 'get'> }, reference: string, token: string | undefined): Promise<ReferralRecord> {
  const referral = await deps.referrals.get(reference);
  if (!referral || !sameSecret(token, referral.manageToken)) throw notFound('This application');
  return referral;
}

/** How a referral stands for the people it concerns: a link not confirmed in time has lapsed. */
export const referralStatus = (r: ReferralRecord, now: Date): ReferralRecord['status'] | 'expired' =>
  r.status === 'awaitingReferrer' && now.getTime() >= Date.parse(r.confirmBy) ? 'expired' : r.status;

/** Where a waiting referral stands in its district's queue (1 is next). */
export async function waitingPosition(deps: { referrals: Pick<ReferralsPort, 'waitingPosition'> }, r: ReferralRecord): Promise<number | undefined> {
  if (r.status !== 'waitlisted' || !r.waitingSince) return undefined;
  return deps.referrals.waitingPosition({ programmeId: r.programmeId, district: r.district, arrivedAt: r.waitingSince, reference: r.reference });
}

/** A signed-in referrer's own referrals (a page), newest programme first within the table's order. */
export async function referrerReferrals(deps: ReferralDeps, subject: string, q: { programme?: string; limit: number; cursor?: string }) {
  const page = await deps.referrals.ofReferrer(subject, { programmeId: q.programme, limit: q.limit, cursor: q.cursor });
  const at = deps.now();
  return {
    items: page.items.map((r) => ({
      id: r.reference, reference: r.reference, scheme: r.scheme as SchemeId, programmeId: r.programmeId, status: referralStatus(r, at),
      name: r.scheme === 'ACTIVE_FAMILIES' ? `${r.family.parent.firstName} ${r.family.parent.lastName}` : `${r.youngPerson.firstName} ${r.youngPerson.lastName}`,
      district: r.district, createdAt: r.createdAt, ...(r.confirmedAt ? { confirmedAt: r.confirmedAt } : {}),
      ...(r.providerId ? { providerId: r.providerId } : {}), ...(r.assignedAt ? { assignedAt: r.assignedAt } : {}),
    })),
    nextCursor: page.nextCursor,
  };
}
