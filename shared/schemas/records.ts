import * as z from 'zod/mini';
import { built, lazily } from './lazily.ts';

// The records the system keeps, as the domain knows them: the store reads every item through these (never
// a cast), and the API's views extend them. Plain shapes: the strict rules for what callers may send are
// in the input schemas.

// Shared leaves: a schema is an object with its own state, and making one costs a cold start time (decision 006).
const text = z.string();
const optionalText = z.optional(text);
const int = lazily(() => z.int());
const optionalInt = z.optional(int);
const bool = lazily(() => z.boolean());
const optionalBool = z.optional(bool);

export const ProgrammeRecord = lazily(() => z.object({
  id: text,
  /** A scheme id from the registry (shared/schemes/registry.ts). */
  scheme: text,
  name: text,
  startDate: text,
  endDate: text,
  bookingOpensAt: text,
  bookingClosesAt: text,
  maxDaysPerChild: optionalInt,
  discretionaryShare: z.optional(z.number()),
  retentionMonths: optionalInt,
  /** Active Families (a child's age) and Youth Card (the young person's) programmes: the age range on the day of referral. */
  ageMin: optionalInt,
  ageMax: optionalInt,
  /** Youth Card programmes: months a card is valid from issue, and visits it gives (absent: unlimited). */
  cardValidityMonths: optionalInt,
  visitsAllowed: optionalInt,
  /** Unexplained absences after which a child's later bookings are released (default 2; 0 switches it off). */
  releaseAfterUnexplainedAbsences: optionalInt,
  updatedAt: text,
}));
export type ProgrammeRecord = z.infer<typeof ProgrammeRecord>;

export const ProviderRecord = lazily(() => z.object({
  id: text,
  name: text,
  contactEmail: text,
  districts: z.array(text),
  /** The app client its machine tokens carry; it maps to this provider only. */
  clientId: text,
  updatedAt: text,
}));
export type ProviderRecord = z.infer<typeof ProviderRecord>;

export const AgreementRecord = lazily(() => z.object({
  programmeId: text,
  providerId: text,
  grantAllocationPence: int,
  ratePencePerChildDay: int,
  placesCommissioned: int,
  paymentBasis: z.enum(['attended', 'booked']),
  /** The rate card's bands (pence per child-day): FSM and discretionary replace the rate, SEND adds to it. */
  rates: z.optional(z.object({ fsm: optionalInt, discretionary: optionalInt, sendUplift: optionalInt })),
  /** The share of the allocation paid in advance (0.75: three quarters). */
  advanceShare: z.optional(z.number()),
  /** Attendance (child-days attended ÷ booked, of sessions held) below which the row is flagged. */
  attendanceThreshold: z.optional(z.number()),
  /** 1 for the first agreement, one more at each change; every version is kept (AgreementVersion). */
  version: z._default(int, 1),
  updatedBy: z._default(text, 'unknown'),
  updatedAt: text,
}));
export type AgreementRecord = z.infer<typeof AgreementRecord>;

export const Venue = lazily(() => z.object({ name: text, postcode: text, district: text }));

export const SessionRecord = lazily(() => z.object({
  id: text,
  programmeId: text,
  providerId: text,
  title: text,
  date: text,
  startTime: text,
  endTime: text,
  venue: Venue,
  ageMin: int,
  ageMax: int,
  capacity: int,
  mealProvided: bool,
  sendSupport: bool,
  updatedAt: text,
}));
export type SessionRecord = z.infer<typeof SessionRecord>;

/** A session's live counts, kept apart from the session so that booking never rewrites its index entries. */
export const PlaceCounts = lazily(() => z.object({
  capacity: int,
  booked: z._default(int, 0),
  waitlisted: z._default(int, 0),
  discretionaryBooked: z._default(int, 0),
  /** Of those waitlisted, the referred children without FSM (who may take only a discretionary place). */
  discretionaryWaitlisted: z._default(int, 0),
  registerSentAt: optionalText,
}));
export type PlaceCounts = z.infer<typeof PlaceCounts>;

/** What a provider needs on the day, copied onto the booking so that the attendance list is one Query. */
export const ChildOnTheDay = lazily(() => z.object({
  firstName: text,
  lastName: text,
  dateOfBirth: text,
  sendNeeds: optionalText,
  dietaryNeeds: optionalText,
  medicalNotes: optionalText,
}));

export const BookingStatus = lazily(() => z.enum(['confirmed', 'waitlisted', 'rejected', 'cancelled']));
export type BookingStatus = z.infer<typeof BookingStatus>;

/** A place asked for: what is written when a place is taken or a child joins the waitlist. */
export const BookingRequest = lazily(() => z.object({
  bookingId: text,
  reference: text,
  sessionId: text,
  programmeId: text,
  providerId: text,
  sessionDate: text,
  childId: text,
  /** The child by name and date of birth (a hash). */
  childKey: text,
  /** The parent (a hash of the email): a child's days are counted within its family (decision 004). */
  family: text,
  discretionary: bool,
  arrivedAt: text,
  /** When the programme's retention period ends (DynamoDB TTL, epoch seconds). */
  expiresAtEpoch: int,
  child: ChildOnTheDay,
  parentPhone: optionalText,
}));
export type BookingRequest = z.infer<typeof BookingRequest>;

export const BookingRecord = lazily(() => z.extend(built(BookingRequest), {
  status: BookingStatus,
  /** A code (see the scheme's reasons), for a booking dropped from the waitlist. */
  reason: optionalText,
  offeredFromWaitlist: optionalBool,
  lateCancellation: optionalBool,
  present: optionalBool,
  /** The provider's reason for an absence; an absence without one is unexplained. */
  absenceReason: optionalText,
  /** Released after unexplained absences: the release that cancelled it (its email says why). */
  releasedFor: optionalText,
  /** Cancelled by an erasure (its audit id): nobody is told (docs/decisions/011). */
  erasedFor: optionalText,
  /** One more at every write of the booking: the finance figures apply a booking's changes by it, once each, in order. */
  rev: z._default(int, 0),
  updatedAt: text,
}));
export type BookingRecord = z.infer<typeof BookingRecord>;

export const WaitlistEntry = lazily(() => z.object({
  sessionId: text,
  arrivedAt: text,
  bookingId: text,
  reference: text,
  childKey: text,
  family: text,
  discretionary: bool,
  programmeId: text,
  sessionDate: text,
}));
export type WaitlistEntry = z.infer<typeof WaitlistEntry>;

/** One booking as the application recorded its outcome; `reason` is a code. */
export const BookingOutcomeRecord = lazily(() => z.object({
  bookingId: text,
  sessionId: text,
  status: BookingStatus,
  reason: optionalText,
}));
export type BookingOutcomeRecord = z.infer<typeof BookingOutcomeRecord>;

export const ApplicationChild = lazily(() => z.object({ childId: text, firstName: text, bookings: z.array(BookingOutcomeRecord) }));
export type ApplicationChild = z.infer<typeof ApplicationChild>;

export const ParentRecord = lazily(() => z.object({ firstName: text, lastName: text, email: text, phone: optionalText, postcode: text }));

/** An eligibility code (of one programme) or a DfE check, by its key. */
export const ClaimRef = lazily(() => z.object({ kind: z.enum(['code', 'check']), id: text, programmeId: optionalText }));
export type ClaimRef = z.infer<typeof ClaimRef>;

/** The small first write that claims a reference; `leaseUntil` says until when its run is working on it. */
export const ApplicationOpening = lazily(() => z.object({
  reference: text,
  family: text,
  manageToken: text,
  createdAt: text,
  expiresAtEpoch: int,
  leaseUntil: optionalText,
  /** With an Idempotency-Key: a digest of the key and body, telling a retry from another request under the same key. */
  requestDigest: optionalText,
  /** The code or check this application claims for its family, if any: how subject access and erasure find the claim. */
  claim: z.optional(ClaimRef),
}));
export type ApplicationOpening = z.infer<typeof ApplicationOpening>;

export const ApplicationRecord = lazily(() => z.extend(built(ApplicationOpening), {
  programmeId: text,
  scheme: text,
  status: z.literal('complete'),
  parent: ParentRecord,
  eligibility: z.object({ via: z.enum(['check', 'code']), outcome: text }),
  children: z.array(ApplicationChild),
  /** False when every session was refused before any place was considered: the response says why, and no email goes. */
  emailOwed: z._default(bool, true),
  updatedAt: text,
}));
export type ApplicationRecord = z.infer<typeof ApplicationRecord>;

/** An application as read back: a claim still being worked on, or complete. */
export type StoredApplication = ({ status: 'processing' } & ApplicationOpening) | ApplicationRecord;

export const EligibilityOutcome = lazily(() => z.enum(['eligible', 'notEligible', 'parentNotFound', 'pending']));
export type EligibilityOutcome = z.infer<typeof EligibilityOutcome>;

/** Never the NI number, the name or the date of birth: only what the check concluded and until when. */
export const CheckRecord = lazily(() => z.object({
  checkId: text,
  outcome: EligibilityOutcome,
  /** DfE's id for the check, kept while the outcome is pending so we can ask again. */
  dfeCheckId: optionalText,
  /** A check by code: the code it found. */
  code: optionalText,
  /** A DfE check: the parent's surname as a digest salted with the check id. */
  surnameDigest: optionalText,
  /** The family (a hash of the email) whose application holds a place with it. */
  claimedBy: optionalText,
  createdAt: text,
  expiresAt: text,
}));
export type CheckRecord = z.infer<typeof CheckRecord>;

export const CodeOutcome = lazily(() => z.enum(['eligible', 'notEligible', 'discretionary']));
export type CodeOutcome = z.infer<typeof CodeOutcome>;

export const CodeRecord = lazily(() => z.object({ code: text, programmeId: text, outcome: CodeOutcome, claimedBy: optionalText }));
export type CodeRecord = z.infer<typeof CodeRecord>;

/** A child holding days with more than one family in a programme: the references involved, no names. */
export const ChildMatchRecord = lazily(() => z.object({
  childKey: text,
  programmeId: text,
  families: int,
  references: z.set(text),
  flaggedAt: text,
  updatedAt: text,
}));
export type ChildMatchRecord = z.infer<typeof ChildMatchRecord>;

export const RegisterMark = lazily(() => z.object({ bookingId: text, present: bool, explained: optionalBool }));

/** One saved part of a register: who sent what, when (booking ids and marks only). */
export const RegisterPart = lazily(() => z.object({
  sessionId: text,
  submissionId: text,
  part: int,
  parts: int,
  sentAt: text,
  sentBy: z.object({ providerId: text, clientId: text }),
  records: z.array(RegisterMark),
}));
export type RegisterPart = z.infer<typeof RegisterPart>;

/** A booking site visitor's session: what they have filled in so far (the site validates it), a short life. */
export const SiteSessionRecord = lazily(() => z.object({
  id: text,
  /** The synchronizer token every form of this session carries. */
  csrf: text,
  draft: z.record(z.string(), z.unknown()),
  /** Applications this session may see and change, with the manage code that opened each. */
  manage: z._default(z.record(z.string(), z.string()), {}),
  flash: optionalText,
  createdAt: text,
  updatedAt: text,
  expiresAtEpoch: int,
}));
export type SiteSessionRecord = z.infer<typeof SiteSessionRecord>;

// ── Referrals (Active Families, the Youth Card), providers' room for them, and Youth Cards ──────────

export const ReferralStatus = lazily(() => z.enum(['awaitingReferrer', 'confirmed', 'waitlisted', 'accepted', 'started', 'finished', 'withdrawn', 'issued']));
export type ReferralStatus = z.infer<typeof ReferralStatus>;

export const ReferrerRecord = lazily(() => z.object({ organisation: text, name: text, email: text }));

/** What every referral keeps, whichever scheme it is for. */
const referralBase = () => ({
  reference: text,
  programmeId: text,
  status: ReferralStatus,
  manageToken: text,
  /** With an Idempotency-Key: a digest of the key and body, telling a retry from another request under the same key. */
  requestDigest: optionalText,
  referrer: ReferrerRecord,
  /** `account`: sent with a referrer token (acted on at once); `email`: acted on once confirmed from the emailed link. */
  via: z.enum(['email', 'account']),
  /** The signed-in referrer (the token's subject), for their own list. */
  referrerSubject: optionalText,
  /** Until when the emailed link confirms it. */
  confirmBy: text,
  /** A digest of the emailed link's secret: the secret itself is never kept. */
  referrerTokenDigest: optionalText,
  confirmedAt: optionalText,
  /** Where the family or young person is looked after: providers working there are the ones considered. */
  district: text,
  /** When it joined the waiting list for its district (arrival order). */
  waitingSince: optionalText,
  providerId: optionalText,
  assignedAt: optionalText,
  createdAt: text,
  updatedAt: text,
  /** An unconfirmed referral goes soon after its link lapses; a confirmed one when the programme's retention ends. */
  expiresAtEpoch: int,
});

export const FamilyMemberRecord = lazily(() => z.object({ firstName: text, lastName: text, dateOfBirth: text, needs: optionalText }));

export const ActiveFamiliesReferral = lazily(() => z.object({
  ...referralBase(),
  scheme: z.literal('ACTIVE_FAMILIES'),
  family: z.object({ parent: ParentRecord, members: z.array(FamilyMemberRecord) }),
  preferredActivities: z.optional(z.array(text)),
  startedAt: optionalText,
  finishedAt: optionalText,
  withdrawnAt: optionalText,
}));
export type ActiveFamiliesReferral = z.infer<typeof ActiveFamiliesReferral>;

/** A card as the referral keeps it; the card's own item (YouthCardRecord) counts its visits. */
export const IssuedCard = lazily(() => z.object({ number: text, validFrom: text, validUntil: text, visitsAllowed: optionalInt }));

export const YouthCardReferral = lazily(() => z.object({
  ...referralBase(),
  scheme: z.literal('YOUTH_CARD'),
  youngPerson: z.object({ firstName: text, lastName: text, dateOfBirth: text, email: optionalText, postcode: text }),
  preferredProviderId: optionalText,
  card: z.optional(IssuedCard),
}));
export type YouthCardReferral = z.infer<typeof YouthCardReferral>;

export const ReferralRecord = lazily(() => z.discriminatedUnion('scheme', [built(ActiveFamiliesReferral), built(YouthCardReferral)]));
export type ReferralRecord = z.infer<typeof ReferralRecord>;

/** A provider's places under its agreement for a programme: `capacity` is the agreement's placesCommissioned. */
export const RoomRecord = lazily(() => z.object({ programmeId: text, providerId: text, capacity: int, taken: z._default(int, 0) }));
export type RoomRecord = z.infer<typeof RoomRecord>;

/** One referral waiting for a place in its district, in arrival order. */
export const WaitingEntry = lazily(() => z.object({ programmeId: text, district: text, arrivedAt: text, reference: text }));
export type WaitingEntry = z.infer<typeof WaitingEntry>;

/** A Youth Card: whose it is (first name only, for the desk), where, its dates and its visits so far. */
export const YouthCardRecord = lazily(() => z.object({
  number: text,
  reference: text,
  programmeId: text,
  providerId: text,
  firstName: text,
  validFrom: text,
  validUntil: text,
  visitsAllowed: optionalInt,
  visitsUsed: z._default(int, 0),
  /** When each visit was recorded and by which app client. */
  visits: z._default(z.array(z.object({ at: text, by: text })), []),
  issuedAt: text,
  expiresAtEpoch: int,
}));
export type YouthCardRecord = z.infer<typeof YouthCardRecord>;
// ── Finance: figures kept from the stream, the payments ledger, closing a holiday (docs/decisions/007) ──

const counts = lazily(() => z.record(text, int));
const Band = lazily(() => z.enum(['fsm', 'discretionary']));
const Phase = lazily(() => z.enum(['early', 'primary', 'secondary']));

/** What a child-day is, as finance counts it: computed from the booking when its contribution is made (never the date of birth). */
export const ChildDayFacts = lazily(() => z.object({
  band: Band,
  send: bool,
  phase: Phase,
  attendance: z.enum(['present', 'absent', 'unrecorded']),
  explained: bool,
}));
export type ChildDayFacts = z.infer<typeof ChildDayFacts>;

/**
 * One booking's part in the figures, as last applied (at the booking's `rev`): its counters and, for a
 * child-day attended, the scopes the child counts in. It is also the statement's line; it goes with the
 * programme's personal data (TTL), while the figures it moved stay.
 */
export const FigureContribution = lazily(() => z.object({
  programmeId: text,
  providerId: text,
  sessionId: text,
  sessionDate: text,
  bookingId: text,
  childKey: text,
  rev: int,
  counts,
  facts: z.optional(ChildDayFacts),
  /** Where the child counts once: `ALL`, `PROVIDER#<id>`, `DISTRICT#<district>` (empty unless attended). */
  scopes: z.array(text),
  expiresAtEpoch: int,
  appliedAt: text,
}));
export type FigureContribution = z.infer<typeof FigureContribution>;

/** A session's child-day counters (no personal data, no TTL). */
export const SessionFigures = lazily(() => z.object({ sessionId: text, programmeId: text, providerId: text, counts }));
export type SessionFigures = z.infer<typeof SessionFigures>;

/** Unique children in one scope of a programme: `children`, `fsm`, `nonFsm`, `send`, `primary`, `secondary` (no TTL). */
export const ChildrenFigures = lazily(() => z.object({ programmeId: text, scope: text, counts }));
export type ChildrenFigures = z.infer<typeof ChildrenFigures>;

/** A child's attended bookings per scope in a programme, so the child counts once per scope; with the personal-data TTL. */
export const ChildAttended = lazily(() => z.object({
  childKey: text,
  programmeId: text,
  rev: int,
  scopes: z.record(text, z.object({ bookings: z.array(text), band: Band, send: bool, phase: Phase })),
  expiresAtEpoch: int,
}));
export type ChildAttended = z.infer<typeof ChildAttended>;

export const PaymentKind = lazily(() => z.enum(['advance', 'balance', 'recovery', 'reversal']));
export type PaymentKind = z.infer<typeof PaymentKind>;

/** A line of the payments ledger: written once, never changed; a correction is a reversal and a new line. */
export const LedgerLine = lazily(() => z.object({
  id: text,
  programmeId: text,
  providerId: text,
  kind: PaymentKind,
  amountPence: int,
  /** What the line does to the amount paid: + for advances and balances, − for recoveries, the opposite of the line reversed. */
  effectPence: int,
  paidOn: text,
  reference: text,
  reverses: optionalText,
  postedAt: text,
  postedBy: text,
  /** A digest of what was asked, telling a repeat of this payment from another under the same reference. */
  digest: text,
}));
export type LedgerLine = z.infer<typeof LedgerLine>;

/** A programme's figures frozen by finance: the reconciliation and DfE figures as they stood, and who closed it. */
export const Closure = lazily(() => z.object({
  programmeId: text,
  state: z.enum(['open', 'closed']),
  version: int,
  closedAt: optionalText,
  closedBy: optionalText,
  snapshot: z.optional(z.object({ reconciliation: z.unknown(), hafReturn: z.optional(z.unknown()) })),
  updatedAt: text,
}));
export type Closure = z.infer<typeof Closure>;

/** The audit trail of closing and reopening. */
export const ClosureEvent = lazily(() => z.object({
  programmeId: text, id: text, action: z.enum(['close', 'reopen']), at: text, by: text, reason: optionalText,
}));
export type ClosureEvent = z.infer<typeof ClosureEvent>;

/** Bookings released after a child's unexplained absences: written with the cancellations, it owes the parent one email. */
export const ReleaseRecord = lazily(() => z.object({
  releaseId: text,
  programmeId: text,
  reference: text,
  childFirstName: text,
  absences: int,
  absentOn: z.array(text),
  released: z.array(z.object({ bookingId: text, sessionId: text, reference: text, status: text })),
  at: text,
  expiresAtEpoch: int,
}));
export type ReleaseRecord = z.infer<typeof ReleaseRecord>;

// ── Privacy operations (docs/decisions/011) ──

/** The audit of one erasure: who asked, when, why, and how many items of each kind went. No personal data, no TTL. */
export const ErasureRecord = lazily(() => z.object({
  erasureId: text,
  /** A digest of the email (the family key), never the email. */
  emailDigest: text,
  erasedAt: text,
  erasedBy: text,
  reason: text,
  /** Items deleted, by kind (`application`, `booking`, `referral`…). */
  erased: z.record(text, int),
  /** Items kept stripped of the family (eligibility claims), by kind. */
  anonymised: z.record(text, int),
  /** Places given up first (future confirmed places, waiting-list spots, family places), by kind. */
  cancelled: z.record(text, int),
}));
export type ErasureRecord = z.infer<typeof ErasureRecord>;
