import type { SchemeDefinition } from '../scheme.ts';
import { CancellationResult, HafApplicationCreated, HafApplicationInput, HafApplicationView } from './input.ts';
import { hafGuidance, hafRules } from './rules.ts';

/** Holiday Activities and Food: free holiday club places for children on benefits-related free school meals. */
export const haf: SchemeDefinition = {
  id: 'HAF',
  referencePrefix: 'HAF',
  description: {
    name: 'Holiday Activities and Food',
    summary: 'Free holiday club places with a healthy meal in the Easter, summer and Christmas holidays.',
    eligibility: [
      `Children in Reception to Year 11 (about ${hafRules.minAge} to ${hafRules.maxAge}) who receive benefits-related free school meals.`,
      'Universal infant free school meals alone do not count.',
      "Each session has its own age range; a child can attend up to the programme's number of days.",
      `A council may offer up to ${hafRules.maxDiscretionaryShare * 100}% of places to children referred by a professional who are not eligible for free school meals.`,
      `Each day is at least ${hafRules.minHoursPerDay} hours. Please cancel at least ${hafRules.lateCancellationHours} hours ahead so another child can have the place.`,
    ],
    rules: { ...hafRules },
    guidance: { ...hafGuidance },
  },
  programmeSettings: ['maxDaysPerChild', 'discretionaryShare'],
  signUp: {
    input: HafApplicationInput,
    schemas: { created: HafApplicationCreated, view: HafApplicationView, cancelled: CancellationResult },
  },
};
