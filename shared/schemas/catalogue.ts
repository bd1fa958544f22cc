import * as z from 'zod/mini';
import { built, lazily } from './lazily.ts';
import { hafRules } from '../schemes/haf/rules.ts';
import { SchemeIdSchema, schemes } from '../schemes/registry.ts';
import {
  ClockTime, District, Email, IsoDate, Pence, Postcode, QueryBoolean, Share, Slug, Text, Timestamp, TimestampInput, described, listOf, paged,
} from './common.ts';
import { AgreementRecord, ProgrammeRecord, ProviderRecord, SessionRecord } from './records.ts';

// The catalogue: schemes, programmes, providers and their agreements, sessions. Inputs are what the
// programme team sends; views extend the records with what callers are told besides.

const count = z.int();
const ruleValues = lazily(() => z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])));

// ── Schemes ──────────────────────────────────────────────────────────────
export const Scheme = lazily(() => z.object({
  id: SchemeIdSchema,
  name: z.string(),
  summary: z.string(),
  eligibility: described(z.array(z.string()), 'the rules in words'),
  rules: described(ruleValues, 'the rules in numbers, as the system applies them'),
  guidance: z.optional(described(ruleValues, 'what DfE or the funder expects, for planning; not applied by the system')),
  acceptingApplications: described(z.boolean(), 'whether POST /v1/applications takes sign-ups to this scheme'),
}));
export type Scheme = z.infer<typeof Scheme>;
export const SchemeList = lazily(() => listOf(Scheme));

// ── Programmes ───────────────────────────────────────────────────────────
export const ProgrammeInput = lazily(() => z.object({
  scheme: SchemeIdSchema,
  name: Text(120),
  startDate: IsoDate,
  endDate: IsoDate,
  bookingOpensAt: TimestampInput,
  bookingClosesAt: TimestampInput,
  maxDaysPerChild: z.optional(z.int().check(z.minimum(1), z.maximum(60))),
  discretionaryShare: z.optional(Share(hafRules.maxDiscretionaryShare, `DfE allows at most ${hafRules.maxDiscretionaryShare * 100}% (${hafRules.maxDiscretionaryShare})`)),
  retentionMonths: z.optional(described(z.int().check(z.minimum(1), z.maximum(120)),
    'months after endDate that families\' personal data is kept (default 12); applies to records written after it is set')),
  ageMin: z.optional(described(z.int().check(z.minimum(0), z.maximum(25)),
    'Active Families: the youngest child age that qualifies a family; Youth Card: the youngest age referred (on the day of referral)')),
  ageMax: z.optional(described(z.int().check(z.minimum(0), z.maximum(25)), 'the oldest, as ageMin')),
  cardValidityMonths: z.optional(described(z.int().check(z.minimum(1), z.maximum(24)), 'Youth Card: months a card is valid from issue (default 3)')),
  visitsAllowed: z.optional(described(z.int().check(z.minimum(1), z.maximum(1000)), 'Youth Card: free visits a card gives (absent: unlimited within its dates)')),
  releaseAfterUnexplainedAbsences: z.optional(described(z.int().check(z.minimum(0), z.maximum(60)),
    'unexplained absences after which a child\'s later bookings in the programme are released to the waitlist (default 2; 0 switches it off)')),
}).check(z.superRefine((p, ctx) => {
  // Each scheme names the settings it applies (its definition): any other is refused rather than silently ignored.
  const scheme = (schemes as Partial<Record<string, (typeof schemes)[keyof typeof schemes]>>)[p.scheme];
  if (!scheme) return;
  const takes: readonly string[] = scheme.programmeSettings;
  for (const setting of ['maxDaysPerChild', 'discretionaryShare', 'ageMin', 'ageMax', 'cardValidityMonths', 'visitsAllowed'] as const) {
    if (p[setting] !== undefined && !takes.includes(setting)) {
      ctx.addIssue({ code: 'custom', path: [setting], message: `is not a setting of ${scheme.description.name} programmes`, input: p[setting] });
    }
  }
  if (p.ageMin !== undefined && p.ageMax !== undefined && p.ageMax < p.ageMin) {
    ctx.addIssue({ code: 'custom', path: ['ageMax'], message: 'must not be below ageMin', input: p.ageMax });
  }
  if (p.endDate < p.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must not be before startDate', input: p.endDate });
  if (Date.parse(p.bookingClosesAt) <= Date.parse(p.bookingOpensAt)) {
    ctx.addIssue({ code: 'custom', path: ['bookingClosesAt'], message: 'must be after bookingOpensAt', input: p.bookingClosesAt });
  }
})));
export type ProgrammeInput = z.infer<typeof ProgrammeInput>;

export const Programme = lazily(() => z.extend(built(ProgrammeRecord), {
  id: Slug,
  scheme: SchemeIdSchema,
  startDate: IsoDate,
  endDate: IsoDate,
  bookingOpensAt: Timestamp,
  bookingClosesAt: Timestamp,
  bookingOpen: described(z.boolean(), 'whether bookings are taken now'),
  personalDataKeptUntil: described(IsoDate, 'the day applications, bookings and children\'s details are deleted; anonymous counts stay'),
  updatedAt: Timestamp,
}));
export type Programme = z.infer<typeof Programme>;
export const ProgrammeList = lazily(() => listOf(Programme));
export const ProgrammeQuery = lazily(() => z.object({ scheme: z.optional(SchemeIdSchema) }));

// ── Providers and agreements ─────────────────────────────────────────────
export const ProviderInput = lazily(() => z.object({
  name: Text(120),
  contactEmail: Email,
  districts: z.array(District).check(
    z.minLength(1, 'name at least one district'), z.maxLength(40), z.refine((d) => new Set(d).size === d.length, 'must not repeat a district'),
  ),
  clientId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be an app client id (letters, digits, _ and -)'))),
}));
export type ProviderInput = z.infer<typeof ProviderInput>;
export const Provider = lazily(() => z.extend(built(ProviderRecord), { id: Slug, updatedAt: Timestamp }));

const Fraction = lazily(() => Share());

export const AgreementInput = lazily(() => z.object({
  grantAllocationPence: described(Pence, 'the grant allocated to the provider: what it may earn at most'),
  ratePencePerChildDay: Pence,
  placesCommissioned: described(z.int().check(z.minimum(0), z.maximum(1_000_000)),
    'HAF: child-day places; Active Families and Youth Card: family places or cards'),
  paymentBasis: described(z.enum(['attended', 'booked']), 'paid for child-days attended (on the registers) or booked'),
  rates: z.optional(described(z.object({
    fsm: z.optional(Pence), discretionary: z.optional(Pence), sendUplift: z.optional(Pence),
  }), 'pence per child-day: fsm and discretionary replace ratePencePerChildDay for their band (0: not paid), sendUplift is added for a child with SEND')),
  advanceShare: z.optional(described(Fraction, 'the share of the allocation paid in advance, e.g. 0.75')),
  attendanceThreshold: z.optional(described(Fraction, 'attendance (days attended ÷ days booked of sessions held) below which reconciliation flags the provider, e.g. 0.6')),
}));
export type AgreementInput = z.infer<typeof AgreementInput>;
export const Agreement = lazily(() => z.extend(built(AgreementRecord), {
  programmeId: Slug, providerId: Slug,
  version: described(z.int(), '1 for the first agreement, one more at each change; earlier versions are kept'),
  updatedBy: described(z.string(), 'who made this version (the signed-in user)'),
  updatedAt: Timestamp,
}));

// ── Sessions ─────────────────────────────────────────────────────────────
export const VenueInput = lazily(() => z.object({ name: Text(120), postcode: Postcode, district: District }));

const Age = lazily(() => z.int().check(z.minimum(hafRules.minAge), z.maximum(hafRules.maxAge)));

export const SessionInput = lazily(() => z.object({
  programmeId: Slug,
  providerId: Slug,
  title: Text(120),
  date: IsoDate,
  startTime: ClockTime,
  endTime: ClockTime,
  venue: VenueInput,
  ageMin: Age,
  ageMax: Age,
  capacity: z.int().check(z.minimum(1), z.maximum(500)),
  mealProvided: z.boolean(),
  sendSupport: z.boolean(),
}).check(z.superRefine((s, ctx) => {
  if (s.endTime <= s.startTime) ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'must be after startTime', input: s.endTime });
  if (s.ageMax < s.ageMin) ctx.addIssue({ code: 'custom', path: ['ageMax'], message: 'must not be below ageMin', input: s.ageMax });
})));
export type SessionInput = z.infer<typeof SessionInput>;

export const Session = lazily(() => z.extend(built(SessionRecord), {
  id: Slug,
  date: IsoDate,
  startTime: ClockTime,
  endTime: ClockTime,
  remaining: described(count, 'places not yet booked'),
  updatedAt: Timestamp,
}));
export type Session = z.infer<typeof Session>;
export const SessionList = lazily(() => listOf(Session));

export const SessionQuery = lazily(() => paged({
  programme: z.optional(Slug),
  district: z.optional(District),
  age: z.optional(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(25))),
  date: z.optional(IsoDate),
  sendSupport: z.optional(QueryBoolean),
}));
export type SessionQuery = z.infer<typeof SessionQuery>;

// ── Children booked by more than one family ──────────────────────────────
export const ChildMatch = lazily(() => z.object({
  id: described(z.string(), 'the child, as an opaque key (no name is shown)'),
  families: described(count, 'families holding days for this child'),
  references: described(z.array(z.string()), 'the applications involved'),
  flaggedAt: Timestamp,
  updatedAt: Timestamp,
}));
export const ChildMatchList = lazily(() => listOf(ChildMatch));

export const IdParam = <K extends string>(name: K) => lazily(() => z.object({ [name]: Slug } as Record<K, typeof Slug>));
