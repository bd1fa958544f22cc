import type { SchemeDefinition } from '../scheme.ts';
import { youthCardRules } from './rules.ts';

/** The Youth Card: an introductory free leisure pass for young people who are not active. Not yet taking sign-ups. */
export const youthCard: SchemeDefinition = {
  id: 'YOUTH_CARD',
  referencePrefix: 'YC',
  description: {
    name: 'Youth Card',
    summary: 'An introductory free leisure pass at one leisure centre for young people who are not active.',
    eligibility: [
      `Young people aged ${youthCardRules.minAge} to ${youthCardRules.maxAge}, referred by a partner such as the youth offending service, a school sport network or a youth worker.`,
      `The card is valid for ${youthCardRules.validMonths} months from issue; the Get Active variant gives ${youthCardRules.getActiveVisits} free visits.`,
    ],
    rules: { ...youthCardRules, referralRequired: true },
  },
};
