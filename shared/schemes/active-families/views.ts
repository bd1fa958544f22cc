import type { ReferralsPort } from '../../domain/ports.ts';
import type { ActiveFamiliesReferral } from '../../schemas/records.ts';
import { referralStatus, waitingPosition } from '../../services/referrals.ts';
import type { AfCreated, AfView } from './input.ts';

// An Active Families referral as its referrer and family see it: its status, the provider, where it waits.

interface ViewDeps { referrals: Pick<ReferralsPort, 'waitingPosition'>; now: () => Date }

async function standing(deps: ViewDeps, r: ActiveFamiliesReferral) {
  const position = await waitingPosition(deps, r);
  return {
    ...(r.providerId ? { providerId: r.providerId } : {}),
    ...(position !== undefined ? { waitlistPosition: position } : {}),
    ...(r.status === 'awaitingReferrer' ? { confirmBy: r.confirmBy } : {}),
  };
}

/** The answer to a referral (and to its repeats). */
export async function afAnswer(deps: ViewDeps, r: ActiveFamiliesReferral): Promise<AfCreated> {
  return { reference: r.reference, manageToken: r.manageToken, status: r.status as AfCreated['status'], ...(await standing(deps, r)) };
}

/** The answer to the referrer's confirmation: no manage token (the link's holder may not be the one who sent the form). */
export async function afConfirmed(deps: ViewDeps, r: ActiveFamiliesReferral) {
  const { confirmBy: _, ...rest } = await standing(deps, r);
  return { reference: r.reference, scheme: 'ACTIVE_FAMILIES' as const, status: r.status as Exclude<AfView['status'], 'awaitingReferrer' | 'expired' | 'issued'>, ...rest };
}

export async function afView(deps: ViewDeps & { providerName: (id: string) => Promise<string | undefined> }, r: ActiveFamiliesReferral): Promise<AfView> {
  const providerName = r.providerId ? await deps.providerName(r.providerId) : undefined;
  return {
    reference: r.reference, scheme: 'ACTIVE_FAMILIES', programmeId: r.programmeId, createdAt: r.createdAt, status: referralStatus(r, deps.now()),
    district: r.district, ...(providerName ? { providerName } : {}), members: r.family.members.map((m) => ({ firstName: m.firstName })),
    ...(await standing(deps, r)),
  };
}
