import { aged } from '../../domain/referrals.ts';
import type { ActiveFamiliesReferral } from '../../schemas/records.ts';
import { confirmReferral, ownReferral, refer } from '../../services/referrals.ts';
import type { SchemeSignUp } from '../scheme.ts';
import { activeFamilies } from './index.ts';
import type { AfCreated, AfReferralInput, AfView } from './input.ts';
import { childAges } from './rules.ts';
import { afAnswer, afConfirmed, afView } from './views.ts';

/**
 * An Active Families referral: the shared steps (shared/services/referrals.ts) with the scheme's own rule, at
 * least one child of the programme's age range on the day of referral; the family keeps its members' names,
 * dates of birth and needs, which its provider sees as first names, ages and needs.
 */
export const afSignUp: SchemeSignUp<AfReferralInput, AfCreated, AfView> = {
  async apply(deps, input, ctx) {
    const referral = await refer(deps, {
      definition: activeFamilies, input,
      draft: async (programme, day) => {
        const ages = childAges(programme);
        if (!input.family.members.some((m) => aged(m.dateOfBirth, day, ages))) {
          return [{ path: 'family.members', message: `must include a child aged ${ages.min} to ${ages.max} on the day of referral (this programme's Active Families age range)` }];
        }
        return {
          scheme: 'ACTIVE_FAMILIES', district: input.district, family: input.family,
          ...(input.preferredActivities?.length ? { preferredActivities: input.preferredActivities } : {}),
        };
      },
    }, input, ctx);
    return afAnswer(deps, referral as ActiveFamiliesReferral);
  },

  async show(deps, reference, token) {
    const referral = (await ownReferral(deps, reference, token)) as ActiveFamiliesReferral;
    return afView({ ...deps, providerName: async (id) => (await deps.catalogue.getProvider(id))?.name }, referral);
  },

  confirm: async (deps, reference, token) => afConfirmed(deps, (await confirmReferral(deps, reference, token)) as ActiveFamiliesReferral),
};
