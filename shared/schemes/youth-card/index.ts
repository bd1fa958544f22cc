import { cardDates, cardExpiry } from '../../domain/cards.ts';
import { newCardNumber } from '../../domain/ids.ts';
import { preferredThenMostRoom, referralDay } from '../../domain/referrals.ts';
import { personalDataExpiry } from '../../domain/programmes.ts';
import type { SchemeDefinition } from '../scheme.ts';
import { YcConfirmed, YcCreated, YcReferralInput, YcView } from './input.ts';
import { cardTerms, youthCardRules } from './rules.ts';


/** The Youth Card: an introductory free leisure pass for young people who are not active. */
export const youthCard: SchemeDefinition = {
  id: 'YOUTH_CARD',
  referencePrefix: 'YC',
  description: {
    name: 'Youth Card',
    summary: 'An introductory free leisure pass at one leisure centre for young people who are not active.',
    eligibility: [
      `Young people aged ${youthCardRules.minAge} to ${youthCardRules.maxAge} on the day of referral (unless the programme sets another range), referred by a partner such as the youth offending service, a school sport network or a youth worker.`,
      'The referrer refers from a partner\'s work email address and confirms the referral from the link emailed there.',
      `The card is for the preferred leisure centre if it has cards left, else the one in the same district with most left; it is valid for ${youthCardRules.validMonths} months from issue unless the programme says otherwise, and the Get Active variant gives ${youthCardRules.getActiveVisits} free visits.`,
    ],
    rules: { ...youthCardRules, referralRequired: true },
  },
  programmeSettings: ['ageMin', 'ageMax', 'cardValidityMonths', 'visitsAllowed'],
  placement: {
    unit: 'cards', placed: 'issued',
    order: (rooms, referral) => preferredThenMostRoom(rooms, referral.scheme === 'YOUTH_CARD' ? referral.preferredProviderId : undefined),
    issue(referral, providerId, programme, at) {
      if (referral.scheme !== 'YOUTH_CARD') throw new Error('only a Youth Card referral gets a card');
      const terms = cardTerms(programme);
      const dates = cardDates(referralDay(at), programme.startDate, terms.months);
      return {
        number: newCardNumber(), reference: referral.reference, programmeId: programme.id, providerId, firstName: referral.youngPerson.firstName,
        ...dates, ...(terms.visitsAllowed === undefined ? {} : { visitsAllowed: terms.visitsAllowed }), visitsUsed: 0, visits: [],
        issuedAt: at.toISOString(),
        expiresAtEpoch: cardExpiry(personalDataExpiry(programme), dates.validUntil),
      };
    },
  },
  signUp: { input: YcReferralInput, schemas: { created: YcCreated, view: YcView, confirmed: YcConfirmed } },
};
