import * as z from 'zod';
import {
  ClockTime, District, Email, IsoDate, Page, Pence, Postcode, QueryBoolean, SchemeId, Slug, Text, Timestamp, TimestampInput, listOf,
} from './common.ts';

// ── Schemes ──────────────────────────────────────────────────────────────
export const Scheme = z.object({
  id: SchemeId,
  name: z.string(),
  summary: z.string(),
  eligibility: z.array(z.string()).describe('the rules in words'),
  rules: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).describe('the rules in numbers'),
});
export type Scheme = z.infer<typeof Scheme>;
export const SchemeList = listOf(Scheme);

// ── Programmes ───────────────────────────────────────────────────────────
export const ProgrammeInput = z
  .object({
    scheme: SchemeId,
    name: Text(120),
    startDate: IsoDate,
    endDate: IsoDate,
    bookingOpensAt: TimestampInput,
    bookingClosesAt: TimestampInput,
    maxDaysPerChild: z.number().int().min(1).max(60).optional(),
    discretionaryShare: z.number().min(0).max(0.15, 'DfE allows at most 15% (0.15)').optional(),
    retentionMonths: z.number().int().min(1).max(120).optional()
      .describe('months after endDate that families\' personal data is kept (default 12); applies to records written after it is set'),
  })
  .check((ctx) => {
    const p = ctx.value;
    if (p.endDate < p.startDate) ctx.issues.push({ code: 'custom', path: ['endDate'], message: 'must not be before startDate', input: p.endDate });
    if (Date.parse(p.bookingClosesAt) <= Date.parse(p.bookingOpensAt))
      ctx.issues.push({ code: 'custom', path: ['bookingClosesAt'], message: 'must be after bookingOpensAt', input: p.bookingClosesAt });
  });
export type ProgrammeInput = z.infer<typeof ProgrammeInput>;

export const Programme = z.object({
  id: Slug,
  scheme: SchemeId,
  name: z.string(),
  startDate: IsoDate,
  endDate: IsoDate,
  bookingOpensAt: Timestamp,
  bookingClosesAt: Timestamp,
  maxDaysPerChild: z.number().int().optional(),
  discretionaryShare: z.number().optional(),
  retentionMonths: z.number().int().optional(),
  bookingOpen: z.boolean().describe('whether bookings are taken now'),
  personalDataKeptUntil: IsoDate.describe('the day applications, bookings and children\'s details are deleted; anonymous counts stay'),
  updatedAt: Timestamp,
});
export type Programme = z.infer<typeof Programme>;
export const ProgrammeList = listOf(Programme);
export const ProgrammeQuery = z.object({ scheme: SchemeId.optional() });

// ── Providers and agreements ─────────────────────────────────────────────
export const ProviderInput = z.object({
  name: Text(120),
  contactEmail: Email,
  districts: z.array(District).min(1, 'name at least one district').max(7)
    .refine((d) => new Set(d).size === d.length, 'must not repeat a district'),
  clientId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be an app client id (letters, digits, _ and -)').optional(),
});
export type ProviderInput = z.infer<typeof ProviderInput>;
export const Provider = ProviderInput.extend({ id: Slug, clientId: z.string(), updatedAt: Timestamp });
export type Provider = z.infer<typeof Provider>;

export const AgreementInput = z.object({
  grantAllocationPence: Pence,
  ratePencePerChildDay: Pence,
  placesCommissioned: z.number().int().min(0).max(1_000_000),
  paymentBasis: z.enum(['attended', 'booked']),
});
export type AgreementInput = z.infer<typeof AgreementInput>;
export const Agreement = AgreementInput.extend({ programmeId: Slug, providerId: Slug, updatedAt: Timestamp });
export type Agreement = z.infer<typeof Agreement>;

// ── Sessions ─────────────────────────────────────────────────────────────
export const Venue = z.object({ name: Text(120), postcode: Postcode, district: District });

export const SessionInput = z
  .object({
    programmeId: Slug,
    providerId: Slug,
    title: Text(120),
    date: IsoDate,
    startTime: ClockTime,
    endTime: ClockTime,
    venue: Venue,
    ageMin: z.number().int().min(4).max(16),
    ageMax: z.number().int().min(4).max(16),
    capacity: z.number().int().min(1).max(500),
    mealProvided: z.boolean(),
    sendSupport: z.boolean(),
  })
  .check((ctx) => {
    const s = ctx.value;
    if (s.endTime <= s.startTime) ctx.issues.push({ code: 'custom', path: ['endTime'], message: 'must be after startTime', input: s.endTime });
    if (s.ageMax < s.ageMin) ctx.issues.push({ code: 'custom', path: ['ageMax'], message: 'must not be below ageMin', input: s.ageMax });
  });
export type SessionInput = z.infer<typeof SessionInput>;

export const Session = z.object({
  id: Slug,
  programmeId: Slug,
  providerId: Slug,
  title: z.string(),
  date: IsoDate,
  startTime: ClockTime,
  endTime: ClockTime,
  venue: z.object({ name: z.string(), postcode: z.string(), district: z.enum(District.def.out.options) }),
  ageMin: z.number().int(),
  ageMax: z.number().int(),
  capacity: z.number().int(),
  remaining: z.number().int().describe('places not yet booked'),
  mealProvided: z.boolean(),
  sendSupport: z.boolean(),
  updatedAt: Timestamp,
});
export type Session = z.infer<typeof Session>;
export const SessionList = listOf(Session);

export const SessionQuery = Page.extend({
  programme: Slug.optional(),
  district: District.optional(),
  age: z.coerce.number().int().min(0).max(25).optional(),
  date: IsoDate.optional(),
  sendSupport: QueryBoolean.optional(),
});
export type SessionQuery = z.infer<typeof SessionQuery>;

// ── Eligibility codes ────────────────────────────────────────────────────
export const EligibilityCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9-]{4,32}$/, 'must be 4–32 letters, digits or hyphens');

const CodeOutcome = z.enum(['eligible', 'notEligible', 'discretionary'])
  .describe('discretionary: a professional referral for a child without FSM, within the programme\'s discretionary share');

/** Codes the council already has (`codes`), or codes this service makes up, unguessable (`generate`). */
export const EligibilityCodeLoad = z.union([
  z.strictObject({
    programmeId: Slug,
    codes: z
      .array(z.object({ code: EligibilityCode, outcome: CodeOutcome }))
      .min(1)
      .max(1000, 'load at most 1,000 codes per request'),
  }),
  z.strictObject({
    programmeId: Slug,
    generate: z.strictObject({
      count: z.number().int().min(1).max(1000, 'make at most 1,000 codes per request'),
      outcome: CodeOutcome,
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

// ── Children booked by more than one family ──────────────────────────────
export const ChildMatch = z.object({
  id: z.string().describe('the child, as an opaque key (no name is shown)'),
  families: z.number().int().describe('families holding days for this child'),
  references: z.array(z.string()).describe('the applications involved'),
  flaggedAt: Timestamp,
  updatedAt: Timestamp,
});
export const ChildMatchList = listOf(ChildMatch);

export const IdParam = <K extends string>(name: K) => z.object({ [name]: Slug } as Record<K, typeof Slug>);
