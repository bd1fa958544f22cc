import * as z from 'zod';
import { hafRules } from '../schemes/haf/rules.ts';
import { SchemeIdSchema } from '../schemes/registry.ts';
import {
  ClockTime, District, Email, IsoDate, Page, Pence, Postcode, QueryBoolean, Slug, Text, Timestamp, TimestampInput, listOf,
} from './common.ts';
import { AgreementRecord, ProgrammeRecord, ProviderRecord, SessionRecord } from './records.ts';

// The catalogue: schemes, programmes, providers and their agreements, sessions. Inputs are what the
// programme team sends; views extend the records with what callers are told besides.

// ── Schemes ──────────────────────────────────────────────────────────────
export const Scheme = z.object({
  id: SchemeIdSchema,
  name: z.string(),
  summary: z.string(),
  eligibility: z.array(z.string()).describe('the rules in words'),
  rules: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).describe('the rules in numbers, as the system applies them'),
  guidance: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional()
    .describe('what DfE or the funder expects, for planning; not applied by the system'),
  acceptingApplications: z.boolean().describe('whether POST /v1/applications takes sign-ups to this scheme'),
});
export type Scheme = z.infer<typeof Scheme>;
export const SchemeList = listOf(Scheme);

// ── Programmes ───────────────────────────────────────────────────────────
export const ProgrammeInput = z
  .object({
    scheme: SchemeIdSchema,
    name: Text(120),
    startDate: IsoDate,
    endDate: IsoDate,
    bookingOpensAt: TimestampInput,
    bookingClosesAt: TimestampInput,
    maxDaysPerChild: z.number().int().min(1).max(60).optional(),
    discretionaryShare: z.number().min(0).max(hafRules.maxDiscretionaryShare, `DfE allows at most ${hafRules.maxDiscretionaryShare * 100}% (${hafRules.maxDiscretionaryShare})`).optional(),
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

export const Programme = ProgrammeRecord.extend({
  id: Slug,
  scheme: SchemeIdSchema,
  startDate: IsoDate,
  endDate: IsoDate,
  bookingOpensAt: Timestamp,
  bookingClosesAt: Timestamp,
  bookingOpen: z.boolean().describe('whether bookings are taken now'),
  personalDataKeptUntil: IsoDate.describe('the day applications, bookings and children\'s details are deleted; anonymous counts stay'),
  updatedAt: Timestamp,
});
export type Programme = z.infer<typeof Programme>;
export const ProgrammeList = listOf(Programme);
export const ProgrammeQuery = z.object({ scheme: SchemeIdSchema.optional() });

// ── Providers and agreements ─────────────────────────────────────────────
export const ProviderInput = z.object({
  name: Text(120),
  contactEmail: Email,
  districts: z.array(District).min(1, 'name at least one district').max(40)
    .refine((d) => new Set(d).size === d.length, 'must not repeat a district'),
  clientId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be an app client id (letters, digits, _ and -)').optional(),
});
export type ProviderInput = z.infer<typeof ProviderInput>;
export const Provider = ProviderRecord.extend({ id: Slug, updatedAt: Timestamp });

export const AgreementInput = z.object({
  grantAllocationPence: Pence,
  ratePencePerChildDay: Pence,
  placesCommissioned: z.number().int().min(0).max(1_000_000),
  paymentBasis: z.enum(['attended', 'booked']),
});
export type AgreementInput = z.infer<typeof AgreementInput>;
export const Agreement = AgreementRecord.extend({ programmeId: Slug, providerId: Slug, updatedAt: Timestamp });

// ── Sessions ─────────────────────────────────────────────────────────────
export const VenueInput = z.object({ name: Text(120), postcode: Postcode, district: District });

const Age = z.number().int().min(hafRules.minAge).max(hafRules.maxAge);

export const SessionInput = z
  .object({
    programmeId: Slug,
    providerId: Slug,
    title: Text(120),
    date: IsoDate,
    startTime: ClockTime,
    endTime: ClockTime,
    venue: VenueInput,
    ageMin: Age,
    ageMax: Age,
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

export const Session = SessionRecord.extend({
  id: Slug,
  date: IsoDate,
  startTime: ClockTime,
  endTime: ClockTime,
  remaining: z.number().int().describe('places not yet booked'),
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
