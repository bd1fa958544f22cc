import type { SchemeDefinition } from '../scheme.ts';
import { activeFamiliesRules } from './rules.ts';

/** Active Families (Sport England): inactive families referred by their key worker to tailored activities. Not yet taking sign-ups. */
export const activeFamilies: SchemeDefinition = {
  id: 'ACTIVE_FAMILIES',
  referencePrefix: 'AF',
  description: {
    name: 'Active Families',
    summary: 'Low-cost activities for inactive families, with peer mentoring, run by district sport development officers and leisure providers.',
    eligibility: [
      'Families already working with the Children and Family Wellbeing Service.',
      `At least one child aged ${activeFamiliesRules.minChildAge} to ${activeFamiliesRules.maxChildAge}, unless the programme sets another range.`,
      'A key worker refers the family, with its consent.',
    ],
    rules: { ...activeFamiliesRules, referralRequired: true, consentRequired: true },
  },
};
