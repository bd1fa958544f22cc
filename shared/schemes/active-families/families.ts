import { dateInLondon } from '../../domain/calendar.ts';
import { conflict, notFound } from '../../domain/errors.ts';
import { ageOn } from '../../domain/people.ts';
import type { ReferralsPort } from '../../domain/ports.ts';
import type { ActiveFamiliesReferral, ReferralStatus } from '../../schemas/records.ts';
import { offerRoomNow, type ReferralDeps } from '../../services/referrals.ts';
import type { FamilyQuery, ProviderFamily } from './input.ts';

// A provider's side of Active Families: the families placed with it (what it needs to make contact and plan,
// nothing more), and how each one's place goes. Another provider's family is "not found".

export interface FamilyDeps extends ReferralDeps { referrals: ReferralsPort }

/** What a provider sees of a family: first names, ages today and needs; a phone number (the email only without one). */
export function providerFamily(r: ActiveFamiliesReferral, today: string): ProviderFamily {
  const members = r.family.members.map((m) => ({ firstName: m.firstName, age: ageOn(m.dateOfBirth, today), ...(m.needs ? { needs: m.needs } : {}) }));
  const { parent } = r.family;
  return {
    id: r.reference, reference: r.reference, programmeId: r.programmeId, status: r.status as ProviderFamily['status'], district: r.district,
    assignedAt: r.assignedAt!, ...(r.startedAt ? { startedAt: r.startedAt } : {}), ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    ...(r.withdrawnAt ? { withdrawnAt: r.withdrawnAt } : {}),
    parentFirstName: parent.firstName, ...(parent.phone ? { contactPhone: parent.phone } : { contactEmail: parent.email }),
    ...(r.preferredActivities ? { preferredActivities: r.preferredActivities } : {}),
    members, membersText: members.map((m) => `${m.firstName} (${m.age}${m.needs ? `; needs: ${m.needs}` : ''})`).join(', '),
    referrerOrganisation: r.referrer.organisation,
  };
}

/** The provider's families (a page), in the order they were placed with it. */
export async function listFamilies(deps: FamilyDeps, providerId: string, q: FamilyQuery) {
  const page = await deps.referrals.ofProvider(providerId, 'ACTIVE_FAMILIES', { programmeId: q.programme, limit: q.limit, cursor: q.cursor });
  const today = dateInLondon(deps.now());
  return { items: page.items.map((r) => providerFamily(r as ActiveFamiliesReferral, today)), nextCursor: page.nextCursor };
}

/** Which status a family's place may move to from which; finishing or withdrawing frees the place. */
const moves: Record<'started' | 'finished' | 'withdrawn', readonly ReferralStatus[]> = {
  started: ['accepted'],
  finished: ['started'],
  withdrawn: ['accepted', 'started'],
};

/**
 * A provider sets how a family's place goes:
 * 1. the family must be one placed with this provider;
 * 2. started from accepted; finished once started; withdrawn from either; the same status again changes nothing;
 * 3. finishing or withdrawing frees the place in the same write, and it is offered at once to the next family
 *    waiting in the provider's districts (the table's stream offers it too, should this request stop first).
 */
export async function setFamilyStatus(deps: FamilyDeps, providerId: string, reference: string, status: 'started' | 'finished' | 'withdrawn') {
  const r = await deps.referrals.get(reference);
  if (r?.scheme !== 'ACTIVE_FAMILIES' || r.providerId !== providerId) throw notFound('This family');
  const today = dateInLondon(deps.now());
  if (r.status === status) return providerFamily(r, today);
  if (!moves[status].includes(r.status)) {
    throw conflict(r.status === 'accepted' && status === 'finished'
      ? 'This family has not started yet: set it to started first, or to withdrawn if it will not take part.'
      : `This family's place is already ${r.status}, so it cannot be ${status}.`);
  }
  const frees = status !== 'started';
  const now = deps.now().toISOString();
  if (!(await deps.referrals.changeStatus({ reference, programmeId: r.programmeId, providerId, from: r.status, to: status, frees, now }))) {
    throw conflict('This family\'s place changed while saving; look at it again.');
  }
  if (frees) await offerRoomNow(deps, r.programmeId, providerId);
  const after = (await deps.referrals.get(reference)) as ActiveFamiliesReferral;
  return providerFamily(after, today);
}
