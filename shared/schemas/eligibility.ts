import * as z from 'zod';
import { CodeOutcome, EligibilityOutcome } from './records.ts';
import { DateOfBirth, PersonName, Slug, Timestamp } from './common.ts';

// Eligibility checks (a parent with DfE, or a code) and the codes the programme team loads.

const NationalInsuranceNumber = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .pipe(z.string().regex(/^(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/, 'must be a National Insurance number like AB123456C'));

const AsylumSupportNumber = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .pipe(z.string().regex(/^\d{2}\/?\d{2}\/?\d{5}\/?\d{1,2}$|^[A-Z0-9]{6,12}$/, 'must be a National Asylum Support Service number'));

export const EligibilityCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9-]{4,32}$/, 'must be 4–32 letters, digits or hyphens');

const parentForCheck = { lastName: PersonName, dateOfBirth: DateOfBirth };

/** Field names as DfE's checking API uses them. */
export const EligibilityCheckInput = z.union([
  z.strictObject({ ...parentForCheck, nationalInsuranceNumber: NationalInsuranceNumber }),
  z.strictObject({ ...parentForCheck, nationalAsylumSeekerServiceNumber: AsylumSupportNumber }),
  z.strictObject({ code: EligibilityCode }),
], { error: 'send lastName, dateOfBirth and nationalInsuranceNumber (or nationalAsylumSeekerServiceNumber), or an eligibility code' });
export type EligibilityCheckInput = z.infer<typeof EligibilityCheckInput>;

export const EligibilityCheck = z.object({ checkId: z.string(), outcome: EligibilityOutcome, expiresAt: Timestamp });
export type EligibilityCheck = z.infer<typeof EligibilityCheck>;
export const CheckIdParam = z.object({ checkId: z.uuid('is not a check id') });

/** How an application cites its eligibility: a check it made, or a code. */
export const EligibilityCitation = z.union([z.strictObject({ checkId: z.uuid('is not a check id') }), z.strictObject({ code: EligibilityCode })],
  { error: 'send { checkId } from an eligibility check, or { code }' });

const Outcome = CodeOutcome.describe('discretionary: a professional referral for a child without FSM, within the programme\'s discretionary share');

/** Codes the council already has (`codes`), or codes this service makes up, unguessable (`generate`). */
export const EligibilityCodeLoad = z.union([
  z.strictObject({
    programmeId: Slug,
    codes: z.array(z.object({ code: EligibilityCode, outcome: Outcome })).min(1).max(1000, 'load at most 1,000 codes per request'),
  }),
  z.strictObject({
    programmeId: Slug,
    generate: z.strictObject({
      count: z.number().int().min(1).max(1000, 'make at most 1,000 codes per request'),
      outcome: Outcome,
      prefix: z.string().regex(/^[A-Z0-9]{1,8}(-[A-Z0-9]{1,8})?$/, 'use 1–8 capital letters or digits, e.g. HAF-XMAS').optional()
        .describe('printed before the random part, e.g. HAF-XMAS → HAF-XMAS-7K3M-9Q2A'),
    }),
  }),
], { error: 'send { programmeId, codes: [...] } to load codes, or { programmeId, generate: { count, outcome } } to make them' });
export type EligibilityCodeLoad = z.infer<typeof EligibilityCodeLoad>;

export const EligibilityCodeLoadResult = z.object({
  programmeId: Slug, loaded: z.number().int(), unchanged: z.number().int(),
  codes: z.array(z.object({ code: z.string(), outcome: CodeOutcome })).optional().describe('the codes made, when asked to generate them'),
});
