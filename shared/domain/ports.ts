import type {
  ChildrenFigures, Closure, ClosureEvent, ErasureRecord, FigureContribution, LedgerLine, ReleaseRecord,
} from '../schemas/records.ts';
import type { Counts } from './figures.ts';
import type {
  AgreementRecord, ApplicationOpening, ApplicationRecord, BookingRecord, BookingRequest, CheckRecord, ChildMatchRecord, CodeOutcome,
  CodeRecord, PlaceCounts, ProgrammeRecord, ProviderRecord, ReferralRecord, ReferralStatus, RegisterPart, SessionRecord, SiteSessionRecord,
  StoredApplication, WaitingEntry, YouthCardRecord,
} from '../schemas/records.ts';
import type { CardRefusal } from './cards.ts';
import type { Room } from './referrals.ts';

// What the use cases need from storage, in the domain's words. The DynamoDB stores implement these;
// a use case takes only the ports it uses, so it can be read (and tested) without knowing the table.

export type Saved<T> = { value: T; created: boolean };

export interface CataloguePort {
  getProgramme(id: string): Promise<ProgrammeRecord | undefined>;
  putProgramme(programme: ProgrammeRecord): Promise<Saved<ProgrammeRecord>>;
  listProgrammes(scheme?: string): Promise<ProgrammeRecord[]>;
  getProvider(id: string): Promise<ProviderRecord | undefined>;
  findProviderByClientId(clientId: string): Promise<ProviderRecord | undefined>;
  putProvider(provider: ProviderRecord, before: ProviderRecord | undefined): Promise<'saved' | 'clientTaken' | 'changedMeanwhile'>;
  /** Saves the next version (the `version` given is ignored); `changedMeanwhile` if another save came first. */
  putAgreement(agreement: AgreementRecord): Promise<Saved<AgreementRecord> | 'changedMeanwhile'>;
  agreementVersions(programmeId: string, providerId?: string): Promise<AgreementRecord[]>;
  listAgreements(programmeId: string): Promise<AgreementRecord[]>;
  getProviders(ids: readonly string[]): Promise<Map<string, ProviderRecord>>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  programmeSessions(programmeId: string): Promise<SessionRecord[]>;
  putSession(session: SessionRecord, before: SessionRecord | undefined): Promise<'saved' | 'belowBooked' | 'hasBookings'>;
  places(sessionIds: readonly string[]): Promise<Map<string, PlaceCounts>>;
  getSessions(ids: readonly string[]): Promise<Map<string, SessionRecord>>;
  getSessionsWithPlaces(ids: readonly string[]): Promise<{ sessions: Map<string, SessionRecord>; places: Map<string, PlaceCounts> }>;
  listSessions(q: {
    programmeId?: string; district?: string; age?: number; date?: string; sendSupport?: boolean; limit: number; cursor?: string; today: string;
  }): Promise<{ items: (SessionRecord & { places?: PlaceCounts })[]; nextCursor?: string }>;
}

export interface EligibilityPort {
  putCheck(check: CheckRecord): Promise<boolean>;
  getCheck(checkId: string): Promise<CheckRecord | undefined>;
  claimCheck(checkId: string, family: string, reference: string): Promise<boolean>;
  releaseCheck(checkId: string, reference: string): Promise<void>;
  loadCodes(programmeId: string, codes: readonly { code: string; outcome: CodeOutcome }[], now: string): Promise<{ loaded: number; unchanged: number }>;
  codeEverywhere(code: string): Promise<CodeRecord[]>;
  getCode(code: string, programmeId: string): Promise<CodeRecord | undefined>;
  claimCode(code: string, programmeId: string, family: string, reference: string, now: string, expiresAtEpoch: number): Promise<boolean>;
  releaseCode(code: string, programmeId: string, reference: string): Promise<void>;
}

export interface ApplicationsPort {
  open(opening: ApplicationOpening): Promise<boolean>;
  takeOver(reference: string, now: string, leaseUntil: string): Promise<boolean>;
  releaseLease(reference: string): Promise<void>;
  complete(app: ApplicationRecord): Promise<boolean>;
  get(reference: string): Promise<StoredApplication | undefined>;
  currentBookings(app: ApplicationRecord): Promise<Map<string, BookingRecord>>;
}

/** A session's limits for the booking transactions. */
export interface Limits { maxDays?: number; discretionaryPlaces: number }

/** Why a child's own days refused a place: a session that day already, or no days left; `duplicate` for the same booking twice. */
export type ChildRefusal = 'clash' | 'overDayLimit' | 'duplicate';
export type PlaceOutcome = { status: 'confirmed' | 'waitlisted' } | { status: 'rejected'; reason: ChildRefusal };
/** A place an application wants for a child, with its session's limits and whether its counts looked full when read. */
export interface WantedPlace { booking: BookingRequest; limits: Limits; looksFull: boolean }

export interface BookingsPort {
  place(b: BookingRequest, limits: Limits, now: string, looksFull?: boolean): Promise<PlaceOutcome>;
  /** One child's places in the parent's order, each as `place` decides it; the outcomes in the same order. */
  placeAll(wanted: readonly WantedPlace[], now: string): Promise<PlaceOutcome[]>;
  getBooking(sessionId: string, bookingId: string): Promise<BookingRecord | undefined>;
  /** `erasedFor`: cancelled by that erasure, which tells nobody. */
  cancel(booking: BookingRecord, late: boolean, now: string, erasedFor?: string): Promise<'cancelled' | 'changed'>;
  promote(sessionId: string, limits: Limits, now: string, expiresAtEpoch: number): Promise<string[]>;
  waitlistPosition(b: Pick<BookingRequest, 'sessionId' | 'arrivedAt' | 'bookingId'>): Promise<number | undefined>;
  waitlist(sessionId: string): Promise<string[]>;
  flagIfBookedByOthers(c: { childKey: string; programmeId: string; family: string; expiresAtEpoch: number }, now: string): Promise<boolean>;
  childMatches(programmeId: string): Promise<ChildMatchRecord[]>;
}

/** A confirmed booking as an attendance list reads it: only what the provider needs on the day. */
export type BookedChild = Pick<BookingRecord, 'bookingId' | 'reference' | 'child' | 'parentPhone' | 'present' | 'absenceReason'>;

export interface RegisterSubmission {
  sessionId: string;
  programmeId: string;
  submissionId: string;
  sentAt: string;
  sentBy: { providerId: string; clientId: string };
  records: readonly { bookingId: string; present: boolean; absenceReason?: string }[];
}

export interface AttendancePort {
  sessionsOf(providerId: string, q: { programmeId?: string; date?: string; limit: number; cursor?: string }): Promise<{ items: SessionRecord[]; nextCursor?: string }>;
  confirmedBookings(sessionId: string): Promise<BookedChild[]>;
  registerSubmissions(sessionId: string): Promise<RegisterPart[]>;
  saveRegister(r: RegisterSubmission): Promise<{ saved: true } | { saved: false; sessionMissing: true } | { saved: false; closed: true } | { saved: false; notConfirmed: number[] }>;
  /** Every booking of a session, whatever its status (finance's recount). */
  sessionBookings(sessionId: string): Promise<BookingRecord[]>;
}

export interface SentMessage { dedupeKey: string; kind: string; reference: string; messageId: string }

export interface MessagesPort {
  wasSent(dedupeKey: string): Promise<boolean>;
  markSent(m: SentMessage, at: Date): Promise<boolean>;
  withinDailyAllowance(address: string, day: string, dedupeKey: string, limit: number, at: Date): Promise<boolean>;
}

export type RequestClaim = { kind: 'claimed' } | { kind: 'answered'; answer: unknown } | { kind: 'inProgress' } | { kind: 'mismatch' };

/** Creates answered under an Idempotency-Key. */
export interface RequestsPort {
  claim(recordKey: string, digest: string, now: Date, leaseMs: number): Promise<RequestClaim>;
  complete(recordKey: string, answer: unknown): Promise<void>;
  release(recordKey: string): Promise<void>;
}

/**
 * The digest an idempotent request keeps of its key and body, keyed with a server-side secret (HMAC-SHA-256),
 * so a retry is told from another request without keeping the body or a hash anyone could reverse.
 */
export type RequestDigest = (purpose: string, key: string, body: unknown) => Promise<string>;

/** A fixed window of time (epoch seconds) that per-client counts fall into. */
export interface Window { start: number; end: number; endsInSeconds: number }

export interface ThrottlePort {
  count(bucket: string, client: string, window: Window): Promise<number>;
  take(bucket: string, client: string, window: Window, limit: number): Promise<boolean>;
}

export interface SiteSessionsPort {
  get(id: string, now: Date): Promise<SiteSessionRecord | undefined>;
  put(session: SiteSessionRecord): Promise<void>;
}

// ── Referrals (Active Families, the Youth Card) ──────────────────────────────

/** A place given to a referral: one transaction, never over the provider's room, whoever else is asking. */
export interface Assignment {
  referral: ReferralRecord;
  providerId: string;
  /** `confirmed`: a newcomer, who takes a place only if nobody waiting in the provider's districts could; `waitlisted`: the first in a queue. */
  from: 'confirmed' | 'waitlisted';
  to: 'accepted' | 'issued';
  /** For a newcomer: the provider's districts, whose queues must be empty. */
  blockingDistricts: readonly string[];
  /** For a waiting referral: its entry, which leaves the queue in the same write. */
  entry?: WaitingEntry;
  /** A Youth Card written with the place. */
  card?: YouthCardRecord;
  now: string;
  expiresAtEpoch: number;
}
export type AssignOutcome = 'assigned' | 'full' | 'blocked' | 'moved' | 'cardTaken';

export interface ReferralsPort {
  create(r: ReferralRecord): Promise<boolean>;
  get(reference: string): Promise<ReferralRecord | undefined>;
  /** Keeps the digest of a newly emailed link's secret, while the referral still waits for its referrer. */
  keepConfirmationDigest(reference: string, digest: string, now: string): Promise<boolean>;
  confirm(reference: string, now: string, expiresAtEpoch: number): Promise<boolean>;
  /** Every provider's room in a programme, with its name and districts. */
  rooms(programmeId: string): Promise<Room[]>;
  room(programmeId: string, providerId: string): Promise<Room | undefined>;
  setCapacity(programmeId: string, providerId: string, capacity: number): Promise<'saved' | 'belowTaken'>;
  assign(a: Assignment): Promise<AssignOutcome>;
  enqueue(referral: ReferralRecord, arrivedAt: string, now: string): Promise<boolean>;
  /** The first entry of each district's queue. */
  queueHeads(programmeId: string, districts: readonly string[]): Promise<WaitingEntry[]>;
  waitingPosition(entry: WaitingEntry): Promise<number | undefined>;
  /** A provider sets its family's status; `frees` gives the place back in the same write. False if it changed meanwhile. */
  changeStatus(c: { reference: string; programmeId: string; providerId: string; from: ReferralStatus; to: ReferralStatus; frees: boolean; now: string }): Promise<boolean>;
  ofProvider(providerId: string, scheme: string, q: { programmeId?: string; limit: number; cursor?: string }): Promise<{ items: ReferralRecord[]; nextCursor?: string }>;
  ofReferrer(subject: string, q: { programmeId?: string; limit: number; cursor?: string }): Promise<{ items: ReferralRecord[]; nextCursor?: string }>;
}

export type VisitOutcome = { recorded: true; card: YouthCardRecord } | { recorded: false; refusal: CardRefusal; card: YouthCardRecord } | { recorded: false; missing: true };

export interface YouthCardsPort {
  get(number: string): Promise<YouthCardRecord | undefined>;
  /** One conditional update: at this provider, within its dates and allowance; however many desks at once. */
  recordVisit(number: string, v: { providerId: string; clientId: string; today: string; at: string }): Promise<VisitOutcome>;
}

// ── Finance (docs/decisions/007) ──

export type ApplyOutcome = 'applied' | 'stale';

/** The figures kept from the stream: what reports read, and what a booking's change moves. */
export interface FiguresPort {
  applyContribution(next: FigureContribution): Promise<ApplyOutcome>;
  sessionFigures(sessionIds: readonly string[]): Promise<Map<string, Counts>>;
  childrenFigures(programmeId: string): Promise<ChildrenFigures[]>;
  statementLines(programmeId: string, providerId: string): Promise<FigureContribution[]>;
}

export type PostOutcome = { posted: LedgerLine } | { existing: LedgerLine } | 'alreadyReversed';
export type ClosureOutcome = 'moved' | 'changedMeanwhile';

export interface LedgerPort {
  post(line: LedgerLine): Promise<PostOutcome>;
  byReference(reference: string): Promise<LedgerLine | undefined>;
  reversalsOf(references: readonly string[]): Promise<Map<string, string>>;
  ledger(programmeId: string, providerId?: string): Promise<LedgerLine[]>;
  ledgerPage(q: { programmeId: string; providerId?: string; limit: number; cursor?: string }): Promise<{ items: LedgerLine[]; nextCursor?: string }>;
  closure(programmeId: string): Promise<Closure | undefined>;
  moveClosure(next: Closure, before: Closure | undefined, event: ClosureEvent): Promise<ClosureOutcome>;
  closureEvents(programmeId: string): Promise<ClosureEvent[]>;
}

/** A child's bookings in a programme within its family, and releasing them after unexplained absences. */
export interface ReleasePort {
  /** The applications holding the child's days in the programme (within its family). */
  childReferences(c: { childKey: string; programmeId: string; family: string }): Promise<string[]>;
  bookingsById(ids: readonly { sessionId: string; bookingId: string }[]): Promise<BookingRecord[]>;
  /** Cancels these bookings and writes the release in one transaction; `changed` if any moved meanwhile, `done` if this release was made already. */
  release(bookings: readonly BookingRecord[], record: ReleaseRecord, now: string): Promise<'released' | 'changed' | 'done'>;
}

// ── Privacy operations (docs/decisions/011) ──

/** A family's claim on an eligibility check or code, as found by its index entry. */
export interface EligibilityClaim {
  kind: 'check' | 'code';
  /** The check id, or the code. */
  id: string;
  programmeId?: string;
  outcome: string;
  claimedByReference?: string;
  claimedAt?: string;
}

/** What a family (a digest of its email) holds, found through its index entries. */
export interface FamilyHoldings {
  applications: StoredApplication[];
  referrals: ReferralRecord[];
  claims: EligibilityClaim[];
}

/** An email as its sent-marker keeps it: no address, no content. */
export interface SentRecord { kind: string; reference: string; sentAt: string; withheld: boolean }

export interface PrivacyPort {
  holdings(family: string): Promise<FamilyHoldings>;
  messagesAbout(reference: string): Promise<SentRecord[]>;
  erasures(family: string): Promise<ErasureRecord[]>;
  recordErasure(r: ErasureRecord): Promise<void>;
  /** Deletes a booking still as read (its status); false if it moved meanwhile. */
  deleteBooking(b: BookingRecord): Promise<boolean>;
  deleteChildDays(c: { childKey: string; programmeId: string; family: string }): Promise<boolean>;
  deleteRelease(releaseId: string): Promise<boolean>;
  deleteApplication(reference: string): Promise<boolean>;
  /** Keeps the claim (a code once used stays used) without the family it names. */
  anonymiseClaim(c: EligibilityClaim, family: string, erasureId: string): Promise<boolean>;
  /** Deletes a referral still as read, giving up its place (room, queue) in the same write; a card goes with it. */
  eraseReferral(r: ReferralRecord): Promise<'erased' | 'changed'>;
}

/** A programme's personal data, re-stamped with the expiry its dates and retention now give (docs/data-model.md, Retention). */
export interface RetentionPort {
  /** Sets each item's expiry to the personal-data expiry (a card's: `card(validUntil)`); answers how many moved, by entity. */
  restamp(programmeId: string, sessionIds: readonly string[], providerIds: readonly string[], expiry: { personalData: number; card: (validUntil: string) => number }):
    Promise<Record<string, number>>;
}
