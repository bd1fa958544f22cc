import { ageOn } from '../../domain/people.ts';
import type { FieldIssue } from '../../domain/errors.ts';
import type { YouthCardReferral } from '../../schemas/records.ts';
import { confirmReferral, ownReferral, refer } from '../../services/referrals.ts';
import type { SchemeSignUp } from '../scheme.ts';
import { youthCard } from './index.ts';
import type { YcCreated, YcReferralInput, YcView } from './input.ts';
import { cardTerms } from './rules.ts';
import { ycAnswer, ycConfirmed, ycView } from './views.ts';

/**
 * A Youth Card referral: the shared steps (shared/services/referrals.ts) with the scheme's own rules: the young
 * person is within the programme's age range on the day of referral, and a preferred provider is one giving
 * this programme's cards. The district is the one given, else the preferred provider's first.
 */
export const ycSignUp: SchemeSignUp<YcReferralInput, YcCreated, YcView> = {
  async apply(deps, input, ctx) {
    const referral = await refer(deps, {
      definition: youthCard, input,
      draft: async (programme, day) => {
        const { ages } = cardTerms(programme);
        const issues: FieldIssue[] = [];
        const age = ageOn(input.youngPerson.dateOfBirth, day);
        if (age < ages.min || age > ages.max) {
          issues.push({ path: 'youngPerson.dateOfBirth', message: `must make the young person ${ages.min} to ${ages.max} on the day of referral (this programme's Youth Card age range); they are ${age}` });
        }
        const rooms = input.preferredProviderId ? await deps.referrals.rooms(programme.id) : [];
        const preferred = rooms.find((r) => r.providerId === input.preferredProviderId);
        if (input.preferredProviderId && !preferred) {
          issues.push({ path: 'preferredProviderId', message: 'is not a leisure provider giving Youth Cards in this programme' });
        }
        const district = input.district ?? preferred?.districts[0];
        if (issues.length > 0 || !district) return issues;
        return {
          scheme: 'YOUTH_CARD', district, youngPerson: input.youngPerson,
          ...(input.preferredProviderId ? { preferredProviderId: input.preferredProviderId } : {}),
        };
      },
    }, input, ctx);
    return ycAnswer(deps, referral as YouthCardReferral);
  },

  async show(deps, reference, token) {
    const referral = (await ownReferral(deps, reference, token)) as YouthCardReferral;
    return ycView({ ...deps, providerName: async (id) => (await deps.catalogue.getProvider(id))?.name }, referral);
  },

  confirm: async (deps, reference, token) => ycConfirmed(deps, (await confirmReferral(deps, reference, token)) as YouthCardReferral),
};
