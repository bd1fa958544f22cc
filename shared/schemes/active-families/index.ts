import { mostRoomFirst } from '../../domain/referrals.ts';
import type { SchemeDefinition } from '../scheme.ts';
import { AfConfirmed, AfCreated, AfReferralInput, AfView } from './input.ts';
import { activeFamiliesRules } from './rules.ts';

/** Active Families (Sport England): inactive families referred by their key worker to tailored activities. */
export const activeFamilies: SchemeDefinition = {
  id: 'ACTIVE_FAMILIES',
  referencePrefix: 'AF',
  description: {
    name: 'Active Families',
    summary: 'Low-cost activities for inactive families, with peer mentoring, run by district sport development officers and leisure providers.',
    eligibility: [
      'Families already working with the Children and Family Wellbeing Service.',
      `At least one child aged ${activeFamiliesRules.minChildAge} to ${activeFamiliesRules.maxChildAge} on the day of referral, unless the programme sets another range.`,
      'A key worker refers the family, with its consent, from a partner\'s work email address, and confirms the referral from the link emailed there.',
      'The family is placed with a provider working in its district that has room; with none, it waits in the order referrals arrived.',
    ],
    rules: { ...activeFamiliesRules, referralRequired: true, consentRequired: true },
  },
  programmeSettings: ['ageMin', 'ageMax'],
  placement: { unit: 'family places', placed: 'accepted', order: (rooms) => mostRoomFirst(rooms) },
  signUp: { input: AfReferralInput, schemas: { created: AfCreated, view: AfView, confirmed: AfConfirmed } },
};
