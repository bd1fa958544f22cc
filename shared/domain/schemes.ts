import type { Scheme } from '../schemas/catalogue.ts';

// The three schemes as the council describes them to families and referrers (DOMAIN.md).
export const schemes: readonly Scheme[] = [
  {
    id: 'HAF',
    name: 'Holiday Activities and Food',
    summary: 'Free holiday club places with a healthy meal in the Easter, summer and Christmas holidays.',
    eligibility: [
      'Children in Reception to Year 11 (about 4 to 16) who receive benefits-related free school meals.',
      'Universal infant free school meals alone do not count.',
      "Each session has its own age range; a child can attend up to the programme's number of days.",
      'A council may offer up to 15% of places to children referred by a professional who are not eligible for free school meals.',
    ],
    rules: { minAge: 4, maxAge: 16, minHoursPerDay: 4, maxDiscretionaryShare: 0.15, easterDays: 4, summerDays: 16, christmasDays: 4 },
  },
  {
    id: 'ACTIVE_FAMILIES',
    name: 'Active Families',
    summary: 'Low-cost activities for inactive families, with peer mentoring, run by district sport development officers and leisure providers.',
    eligibility: [
      'Families already working with the Children and Family Wellbeing Service.',
      'A key worker refers the family, with its consent.',
    ],
    rules: { referralRequired: true, consentRequired: true },
  },
  {
    id: 'YOUTH_CARD',
    name: 'Youth Card',
    summary: 'An introductory free leisure pass at one leisure centre for young people who are not active.',
    eligibility: [
      'Young people referred by a partner such as the youth offending service, a school sport network or a youth worker.',
      'The card is valid for 3 months from issue; the Get Active variant gives 10 free visits.',
    ],
    rules: { validMonths: 3, getActiveVisits: 10, referralRequired: true },
  },
];
