import * as z from 'zod/mini';
import { Agreement } from './catalogue.ts';
import { IsoDate, Pence, Slug, Text, Timestamp, described, listOf, paged } from './common.ts';
import { built, lazily } from './lazily.ts';
import { LedgerLine, PaymentKind } from './records.ts';

// What finance officers send and read: the payments ledger, reconciliation, statements, closing a
// holiday and the DfE HAF return. Money is integer pence; dates YYYY-MM-DD; ratios 0–1 to 4 places.

const count = z.int();
const pence = z.int();
const ratio = lazily(() => z.nullable(described(z.number(), 'a share from 0 to 1, to 4 decimal places; null when there is nothing to divide by')));

export const ProgrammeParam = lazily(() => z.object({ programme: described(Slug, 'the programme, e.g. haf-christmas-2026') }));
export const ClosureParams = lazily(() => z.object({ programmeId: Slug }));
export const StatementParams = lazily(() => z.object({ providerId: Slug }));

// ── Payments ─────────────────────────────────────────────────────────────
export const PaymentReference = lazily(() => z.string().check(
  z.regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$/, 'use 1–64 letters, digits and / _ . - (your remittance or BACS reference)'),
));

export const PaymentInput = lazily(() => z.object({
  providerId: Slug,
  programmeId: Slug,
  amountPence: described(built(Pence).check(z.minimum(1, 'must be at least 1 penny')), 'always positive: the kind says which way the money went'),
  paidOn: described(IsoDate, 'the day the money left (or came back)'),
  reference: described(PaymentReference, 'your reference for this payment: unique; the same reference again with the same body answers as the first time'),
  kind: z._default(described(PaymentKind, 'advance or balance: paid to the provider; recovery: paid back by it; reversal: undoes the line `reverses` names. Default balance'), 'balance'),
  reverses: z.optional(described(PaymentReference, 'with kind reversal: the reference of the line reversed')),
}).check(z.superRefine((p, ctx) => {
  if (p.kind === 'reversal' && !p.reverses) ctx.addIssue({ code: 'custom', path: ['reverses'], message: 'is required for a reversal: the reference of the line reversed', input: p.reverses });
  if (p.kind !== 'reversal' && p.reverses) ctx.addIssue({ code: 'custom', path: ['reverses'], message: 'is only for a reversal (kind: reversal)', input: p.reverses });
  if (p.reverses && p.reverses === p.reference) ctx.addIssue({ code: 'custom', path: ['reverses'], message: 'must name another line', input: p.reverses });
})));
export type PaymentInput = z.infer<typeof PaymentInput>;

export const Payment = lazily(() => z.extend(z.omit(built(LedgerLine), { digest: true }), {
  effectPence: described(pence, 'what the line does to the amount paid: + advance and balance, − recovery, the opposite of the line reversed'),
  paidOn: IsoDate,
  postedAt: Timestamp,
  postedBy: described(z.string(), 'who posted it (the signed-in user)'),
  reversedBy: z.optional(described(z.string(), 'the reference of the reversal that undid this line')),
}));
export type Payment = z.infer<typeof Payment>;
export const PaymentList = lazily(() => listOf(Payment));
export const PaymentQuery = lazily(() => paged({ programme: Slug, provider: z.optional(Slug) }));
export type PaymentQuery = z.infer<typeof PaymentQuery>;

// ── Reconciliation ───────────────────────────────────────────────────────
export const FinanceFlag = lazily(() => z.enum([
  'noAgreement', 'overAllocation', 'registersMissing', 'attendanceBelowThreshold', 'commissionedPlacesUnused', 'discretionaryShareOverCap', 'overpaid',
]));

const reconciliationNumbers = () => ({
  grantAllocatedPence: described(pence, 'the allocation: what the provider may earn at most'),
  placesCommissioned: count,
  placesBooked: described(count, 'confirmed places: one child on one session (a HAF day)'),
  childDaysBooked: count,
  childDaysBookedDiscretionary: count,
  childDaysAttended: count,
  childDaysAttendedFsm: count,
  childDaysAttendedDiscretionary: count,
  childDaysAttendedSend: count,
  childDaysAbsent: count,
  childDaysUnrecorded: described(count, 'child-days of past sessions with no mark on the register'),
  sessions: count,
  sessionsPast: count,
  registersMissing: described(count, 'past sessions with confirmed places and no register'),
  earnedBeforeCapPence: pence,
  earnedPence: described(pence, 'the basis × the rate card, capped at the allocation'),
  paidPence: described(pence, 'the sum of the ledger lines'),
  balancePence: described(pence, 'earned − paid: positive is owed to the provider'),
});

export const ReconciliationRow = lazily(() => z.object({
  providerId: z.string(),
  providerName: z.string(),
  paymentBasis: z.nullable(z.enum(['attended', 'booked'])),
  ratePencePerChildDay: z.nullable(pence),
  ...reconciliationNumbers(),
  attendanceRate: ratio,
  discretionaryShare: ratio,
  advanceDuePence: z.nullable(described(pence, 'advanceShare × the allocation, when the agreement has one')),
  flags: z.array(FinanceFlag),
}));
export type ReconciliationRow = z.infer<typeof ReconciliationRow>;

const frozen = () => ({
  status: described(z.enum(['open', 'closed']), 'closed: delivery and earnings are the snapshot taken at closing; paid and balance follow the ledger'),
  closedAt: z.optional(Timestamp),
  closedBy: z.optional(z.string()),
  generatedAt: described(Timestamp, 'when these figures were read (for a closed programme: when it was closed)'),
});

export const Reconciliation = lazily(() => z.object({
  programmeId: z.string(),
  programmeName: z.string(),
  ...frozen(),
  rows: z.array(ReconciliationRow),
  totals: z.object({
    ...reconciliationNumbers(),
    discretionaryShare: ratio,
    discretionaryShareCap: described(z.number(), "the programme's discretionaryShare"),
    flags: z.array(FinanceFlag),
  }),
}));
export type Reconciliation = z.infer<typeof Reconciliation>;

// ── Statements ───────────────────────────────────────────────────────────
export const StatementLine = lazily(() => z.object({
  bookingId: z.string(),
  sessionId: z.string(),
  date: IsoDate,
  band: z.enum(['fsm', 'discretionary']),
  send: z.boolean(),
  attendance: z.enum(['present', 'absent', 'unrecorded']),
  absenceExplained: z.boolean(),
  amountPence: pence,
  reason: z.optional(described(z.enum(['absent', 'noRegister', 'notYetHeld', 'notEligible', 'overCap', 'noAgreement']),
    'why the day is unpaid (or, overCap, paid only up to the allocation)')),
}));

/** A statement's lines as CSV columns, for finance's copy and the provider's own alike. */
export const statementColumns = ['date', 'sessionId', 'bookingId', 'band', 'send', 'attendance', 'absenceExplained', 'amountPence', 'reason'] as const;

export const Statement = lazily(() => z.object({
  programmeId: z.string(),
  providerId: z.string(),
  providerName: z.string(),
  generatedAt: Timestamp,
  agreement: z.nullable(Agreement),
  summary: ReconciliationRow,
  lines: described(z.array(StatementLine), 'every child-day with a confirmed place, in date order; they go with the personal data when the programme\'s retention ends'),
  payments: z.array(Payment),
}));
export type Statement = z.infer<typeof Statement>;

// ── Closing a holiday ────────────────────────────────────────────────────
export const ReopenInput = lazily(() => z.object({ reason: Text(500) }));

export const ClosureView = lazily(() => z.object({
  programmeId: z.string(),
  status: z.enum(['open', 'closed']),
  closedAt: z.optional(Timestamp),
  closedBy: z.optional(z.string()),
  updatedAt: Timestamp,
}));

export const ClosureEventView = lazily(() => z.object({
  id: z.string(), action: z.enum(['close', 'reopen']), at: Timestamp, by: z.string(), reason: z.optional(z.string()),
}));
export const ClosureEventList = lazily(() => listOf(ClosureEventView));

// ── The DfE HAF return ───────────────────────────────────────────────────
const returnNumbers = () => ({
  uniqueChildren: described(count, 'children who attended at least one day, each counted once'),
  fsmChildren: count,
  nonFsmChildren: count,
  sendChildren: count,
  primaryChildren: described(count, 'Reception to Year 6 (school year from the date of birth on 31 August)'),
  secondaryChildren: described(count, 'Year 7 and above'),
  hafFundedPlaces: described(count, 'child-days booked (confirmed places)'),
  childDaysAttended: count,
  childDaysAttendedFsm: count,
  childDaysAttendedNonFsm: count,
  sessionsOffered: count,
  sessionsAttended: described(count, 'sessions with at least one child present'),
  providers: count,
  venues: count,
  nonFsmShare: ratio,
  nonFsmShareCap: described(z.number(), "the programme's discretionaryShare (DfE allows up to 0.15)"),
  nonFsmShareOverCap: z.boolean(),
});

export const HafReturnRow = lazily(() => z.object({
  level: z.enum(['provider', 'district']),
  id: z.string(),
  name: z.string(),
  ...returnNumbers(),
}));

export const HafReturn = lazily(() => z.object({
  programmeId: z.string(),
  programmeName: z.string(),
  startDate: IsoDate,
  endDate: IsoDate,
  ...frozen(),
  rows: described(z.array(HafReturnRow), 'per provider, then per district; a child who went to two providers counts once in each and once in the totals'),
  totals: z.object(returnNumbers()),
}));

// ── Agreements and their versions ────────────────────────────────────────
export const AgreementQuery = lazily(() => z.object({ programme: Slug, provider: z.optional(Slug) }));
export const AgreementVersionList = lazily(() => listOf(z.extend(built(Agreement), {
  id: described(z.string(), 'the provider and the version: `<providerId>-v<version>`'),
  current: described(z.boolean(), 'the version in force'),
})));
