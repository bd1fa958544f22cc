import * as z from 'zod/mini';
import { lazily } from './lazily.ts';
import { CodeOutcome, EligibilityOutcome } from './records.ts';
import { DateOfBirth, PersonName, Slug, Timestamp, described } from './common.ts';

// Eligibility checks (a parent with DfE, or a code) and the codes the programme team loads.

/** Spaces and case do not matter in an identifier typed from a letter. */
const squeezed = lazily(() => z.pipe(z.string(), z.transform((s) => s.replace(/\s+/g, '').toUpperCase())));

export const NationalInsuranceNumber = lazily(() => z.pipe(squeezed,
  z.string().check(z.regex(/^(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/, 'must be a National Insurance number like AB123456C'))));

export const AsylumSupportNumber = lazily(() => z.pipe(squeezed,
  z.string().check(z.regex(/^\d{2}\/?\d{2}\/?\d{5}\/?\d{1,2}$|^[A-Z0-9]{6,12}$/, 'must be a National Asylum Support Service number'))));

export const EligibilityCode = lazily(() => z.string().check(z.trim(), z.toUpperCase(), z.regex(/^[A-Z0-9-]{4,32}$/, 'must be 4–32 letters, digits or hyphens')));

const parentForCheck = { lastName: PersonName, dateOfBirth: DateOfBirth };

/** Field names as DfE's checking API uses them. */
export const EligibilityCheckInput = lazily(() => z.union([
  z.strictObject({ ...parentForCheck, nationalInsuranceNumber: NationalInsuranceNumber }),
  z.strictObject({ ...parentForCheck, nationalAsylumSeekerServiceNumber: AsylumSupportNumber }),
  z.strictObject({ code: EligibilityCode }),
], { error: 'send lastName, dateOfBirth and nationalInsuranceNumber (or nationalAsylumSeekerServiceNumber), or an eligibility code' }));
export type EligibilityCheckInput = z.infer<typeof EligibilityCheckInput>;

export const EligibilityCheck = lazily(() => z.object({ checkId: z.string(), outcome: EligibilityOutcome, expiresAt: Timestamp }));
export type EligibilityCheck = z.infer<typeof EligibilityCheck>;
export const CheckIdParam = lazily(() => z.object({ checkId: z.uuid('is not a check id') }));

/** How an application cites its eligibility: a check it made, or a code. */
export const EligibilityCitation = lazily(() => z.union([z.strictObject({ checkId: z.uuid('is not a check id') }), z.strictObject({ code: EligibilityCode })],
  { error: 'send { checkId } from an eligibility check, or { code }' }));

const Outcome = lazily(() => described(CodeOutcome, 'discretionary: a professional referral for a child without FSM, within the programme\'s discretionary share'));

/** Codes the council already has (`codes`), or codes this service makes up, unguessable (`generate`). */
export const EligibilityCodeLoad = lazily(() => z.union([
  z.strictObject({
    programmeId: Slug,
    codes: z.array(z.object({ code: EligibilityCode, outcome: Outcome })).check(z.minLength(1), z.maxLength(1000, 'load at most 1,000 codes per request')),
  }),
  z.strictObject({
    programmeId: Slug,
    generate: z.strictObject({
      count: z.int().check(z.minimum(1), z.maximum(1000, 'make at most 1,000 codes per request')),
      outcome: Outcome,
      prefix: z.optional(described(z.string().check(z.regex(/^[A-Z0-9]{1,8}(-[A-Z0-9]{1,8})?$/, 'use 1–8 capital letters or digits, e.g. HAF-XMAS')),
        'printed before the random part, e.g. HAF-XMAS → HAF-XMAS-7K3M-9Q2A')),
    }),
  }),
], { error: 'send { programmeId, codes: [...] } to load codes, or { programmeId, generate: { count, outcome } } to make them' }));
export type EligibilityCodeLoad = z.infer<typeof EligibilityCodeLoad>;

export const EligibilityCodeLoadResult = lazily(() => z.object({
  programmeId: Slug, loaded: z.int(), unchanged: z.int(),
  codes: z.optional(described(z.array(z.object({ code: z.string(), outcome: CodeOutcome })), 'the codes made, when asked to generate them')),
}));
