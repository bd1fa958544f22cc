// Every item's keys and index keys, built and read back here and nowhere else (docs/data-model.md).

export type Key = { pk: string; sk: string };

/** The `entity` attribute each item carries, which the stream decoder reads. */
export const entities = {
  programme: 'Programme', agreement: 'Agreement', provider: 'Provider', clientClaim: 'ClientClaim', session: 'Session',
  places: 'Places', booking: 'Booking', waitlistEntry: 'WaitlistEntry', childDays: 'ChildDays', childMatch: 'ChildMatch',
  registerSubmission: 'RegisterSubmission', application: 'Application', request: 'IdempotentRequest', eligibilityCheck: 'EligibilityCheck',
  eligibilityCode: 'EligibilityCode', messageSent: 'MessageSent', mailAllowance: 'MailAllowance', throttle: 'Throttle',
  siteSession: 'SiteSession',
  // Referrals (Active Families, the Youth Card)
  referral: 'Referral', room: 'Room', queue: 'Queue', waitingEntry: 'WaitingEntry', youthCard: 'YouthCard',
  // Finance (docs/decisions/007)
  contribution: 'FigureContribution', sessionFigures: 'SessionFigures', childrenFigures: 'ChildrenFigures', childAttended: 'ChildAttended',
  ledgerLine: 'LedgerLine', paymentReference: 'PaymentReference', paymentReversal: 'PaymentReversal', closure: 'Closure',
  closureEvent: 'ClosureEvent', agreementVersion: 'AgreementVersion', release: 'Release',
  // Privacy operations (docs/decisions/011)
  erasure: 'Erasure',
} as const;
export type Entity = (typeof entities)[keyof typeof entities];

/** A session in time order within its partitions: `<date>#<start>#<id>`. */
const slot = (s: { date: string; startTime: string; id: string }) => `${s.date}#${s.startTime}#${s.id}`;

export const keys = {
  programme: (id: string): Key => ({ pk: `PROGRAMME#${id}`, sk: 'PROGRAMME' }),
  agreement: (programmeId: string, providerId: string): Key => ({ pk: `PROGRAMME#${programmeId}`, sk: `AGREEMENT#${providerId}` }),
  childMatch: (programmeId: string, childKey: string): Key => ({ pk: `PROGRAMME#${programmeId}`, sk: `CHILDMATCH#${childKey}` }),
  provider: (id: string): Key => ({ pk: `PROVIDER#${id}`, sk: 'PROVIDER' }),
  /** Makes an app client id map to exactly one provider. */
  clientClaim: (clientId: string): Key => ({ pk: `CLIENT#${clientId}`, sk: 'CLIENT' }),
  session: (id: string): Key => ({ pk: `SESSION#${id}`, sk: 'SESSION' }),
  places: (sessionId: string): Key => ({ pk: `SESSION#${sessionId}`, sk: 'PLACES' }),
  booking: (sessionId: string, bookingId: string): Key => ({ pk: `SESSION#${sessionId}`, sk: `BOOKING#${bookingId}` }),
  /** Sorts in arrival order within the session's partition. */
  waitlistEntry: (sessionId: string, arrivedAt: string, bookingId: string): Key =>
    ({ pk: `SESSION#${sessionId}`, sk: `WAITLIST#${arrivedAt}#${bookingId}` }),
  /** One audit item per part of a register, sorted by when it was sent. */
  registerPart: (sessionId: string, sentAt: string, submissionId: string, part: number): Key =>
    ({ pk: `SESSION#${sessionId}`, sk: `REGISTER#${sentAt}#${submissionId}#${String(part).padStart(2, '0')}` }),
  /** A child's days in a programme, within one family; keyed by the child first, so other families' are one Query away. */
  childDays: (c: { childKey: string; programmeId: string; family: string }): Key =>
    ({ pk: `CHILD#${c.childKey}`, sk: `PROGRAMME#${c.programmeId}#FAMILY#${c.family}` }),
  application: (reference: string): Key => ({ pk: `APPLICATION#${reference}`, sk: 'APPLICATION' }),
  check: (checkId: string): Key => ({ pk: `CHECK#${checkId}`, sk: 'CHECK' }),
  code: (code: string, programmeId: string): Key => ({ pk: `CODE#${code}`, sk: `PROGRAMME#${programmeId}` }),
  /** The code or check an application claimed (its `claim`). */
  claim: (c: { kind: 'code' | 'check'; id: string; programmeId?: string }): Key =>
    (c.kind === 'check' ? keys.check(c.id) : keys.code(c.id, c.programmeId ?? '')),
  messageSent: (dedupeKey: string): Key => ({ pk: `MESSAGE#${dedupeKey}`, sk: 'MESSAGE' }),
  mailAllowance: (addressDigest: string, day: string): Key => ({ pk: `MAILALLOWANCE#${addressDigest}`, sk: day }),
  /** A create answered under an Idempotency-Key: one partition per key. */
  request: (recordKey: string): Key => ({ pk: `REQUEST#${recordKey}`, sk: 'REQUEST' }),
  throttle: (bucket: string, client: string, windowStart: number): Key => ({ pk: `THROTTLE#${bucket}#${client}`, sk: String(windowStart) }),
  /** A booking site visitor's session and the application they are filling in: one partition each. */
  siteSession: (id: string): Key => ({ pk: `SITESESSION#${id}`, sk: 'SITESESSION' }),
  // Referrals: the referral itself; in the programme's partition each provider's room, each district's queue and its entries.
  referral: (reference: string): Key => ({ pk: `REFERRAL#${reference}`, sk: 'REFERRAL' }),
  room: (programmeId: string, providerId: string): Key => ({ pk: `PROGRAMME#${programmeId}`, sk: `ROOM#${providerId}` }),
  queue: (programmeId: string, district: string): Key => ({ pk: `PROGRAMME#${programmeId}`, sk: `QUEUE#${district}` }),
  /** Sorts in arrival order within the district's queue. */
  waitingEntry: (e: { programmeId: string; district: string; arrivedAt: string; reference: string }): Key =>
    ({ pk: `PROGRAMME#${e.programmeId}`, sk: `WAITING#${e.district}#${e.arrivedAt}#${e.reference}` }),
  youthCard: (number: string): Key => ({ pk: `CARD#${number}`, sk: 'CARD' }),
  // ── Finance (docs/decisions/007) ──
  /** A booking's part in the figures, which is also its statement line: in its provider's statement, in date order. */
  contribution: (b: { programmeId: string; providerId: string; sessionDate: string; sessionId: string; bookingId: string }): Key =>
    ({ pk: `STATEMENT#${b.programmeId}#${b.providerId}`, sk: `LINE#${b.sessionDate}#${b.sessionId}#${b.bookingId}` }),
  /** A session's child-day counters, beside its Places item. */
  sessionFigures: (sessionId: string): Key => ({ pk: `SESSION#${sessionId}`, sk: 'FIGURES' }),
  /** Unique children in one scope of a programme (`ALL`, `PROVIDER#<id>`, `DISTRICT#<district>`). */
  childrenFigures: (programmeId: string, scope: string): Key => ({ pk: `FIGURES#${programmeId}`, sk: `CHILDREN#${scope}` }),
  /** The bookings a child attended in a programme, per scope; beside the child's days. */
  childAttended: (childKey: string, programmeId: string): Key => ({ pk: `CHILD#${childKey}`, sk: `ATTENDED#${programmeId}` }),
  ledgerLine: (l: { programmeId: string; providerId: string; postedAt: string; id: string }): Key =>
    ({ pk: `LEDGER#${l.programmeId}`, sk: `LINE#${l.providerId}#${l.postedAt}#${l.id}` }),
  /** Makes a payment reference name one ledger line. */
  paymentReference: (reference: string): Key => ({ pk: `PAYMENTREF#${reference}`, sk: 'PAYMENTREF' }),
  /** Makes a line reversed at most once. */
  paymentReversal: (reversedReference: string): Key => ({ pk: `PAYMENTREF#${reversedReference}`, sk: 'REVERSEDBY' }),
  closure: (programmeId: string): Key => ({ pk: `PROGRAMME#${programmeId}`, sk: 'CLOSURE' }),
  closureEvent: (programmeId: string, at: string, id: string): Key => ({ pk: `PROGRAMME#${programmeId}`, sk: `CLOSURELOG#${at}#${id}` }),
  agreementVersion: (programmeId: string, providerId: string, version: number): Key =>
    ({ pk: `PROGRAMME#${programmeId}`, sk: `AGREEMENTVERSION#${providerId}#${String(version).padStart(6, '0')}` }),
  release: (releaseId: string): Key => ({ pk: `RELEASE#${releaseId}`, sk: 'RELEASE' }),
  // ── Privacy operations (docs/decisions/011) ──
  /** The audit of one erasure, in the erased family's partition (a digest of the email), in time order. */
  erasure: (family: string, at: string, id: string): Key => ({ pk: `ERASURE#${family}`, sk: `ERASURE#${at}#${id}` }),
};

/** Index entries: GSI1 programmes and a programme's sessions, GSI2 a district's, GSI3 a provider's, GSI4 all upcoming, GSI5 a family's. */
export const indexKeys = {
  programme: (p: { scheme: string; startDate: string; id: string }) => ({ gsi1pk: partitions.programmes, gsi1sk: `${p.scheme}#${p.startDate}#${p.id}` }),
  session: (s: { id: string; programmeId: string; providerId: string; date: string; startTime: string; venue: { district: string } }) => ({
    gsi1pk: partitions.sessionsOfProgramme(s.programmeId), gsi1sk: slot(s),
    gsi2pk: partitions.sessionsInDistrict(s.venue.district), gsi2sk: slot(s),
    gsi3pk: partitions.sessionsOfProvider(s.providerId), gsi3sk: `${s.programmeId}#${slot(s)}`,
    gsi4pk: partitions.allSessions, gsi4sk: slot(s),
  }),
  /** GSI2: a signed-in referrer's own referrals, by programme and when made. */
  referralOfReferrer: (r: { referrerSubject: string; programmeId: string; createdAt: string; reference: string }) =>
    ({ gsi2pk: partitions.referralsOfReferrer(r.referrerSubject), gsi2sk: `${r.programmeId}#${r.createdAt}#${r.reference}` }),
  /** GSI3: the referrals a provider was given (its families, its cards), by programme and when given. */
  referralOfProvider: (r: { providerId: string; scheme: string; programmeId: string; assignedAt: string; reference: string }) =>
    ({ gsi3pk: partitions.referralsOfProvider(r.providerId, r.scheme), gsi3sk: `${r.programmeId}#${r.assignedAt}#${r.reference}` }),
  // ── Privacy operations (docs/decisions/011) ──
  /** GSI5 (keys only): what a family (a digest of an email) holds: its applications and referrals. */
  ofFamily: (family: string, kind: 'APPLICATION' | 'REFERRAL', id: string) =>
    ({ gsi5pk: partitions.family(family), gsi5sk: `${kind}#${id}` }),
  /** GSI4: the emails sent about one reference, in the order sent. */
  messageOf: (reference: string, sentAt: string, dedupeKey: string) => ({ gsi4pk: partitions.messagesOf(reference), gsi4sk: `${sentAt}#${dedupeKey}` }),
};

/** Partition values that queries name. */
export const partitions = {
  programmes: 'PROGRAMMES',
  sessionsOfProgramme: (programmeId: string) => `SESSIONS#PROGRAMME#${programmeId}`,
  sessionsInDistrict: (district: string) => `SESSIONS#DISTRICT#${district}`,
  sessionsOfProvider: (providerId: string) => `SESSIONS#PROVIDER#${providerId}`,
  allSessions: 'SESSIONS',
  session: (sessionId: string) => `SESSION#${sessionId}`,
  programme: (programmeId: string) => `PROGRAMME#${programmeId}`,
  child: (childKey: string) => `CHILD#${childKey}`,
  code: (code: string) => `CODE#${code}`,
  referralsOfReferrer: (subject: string) => `REFERRALS#REFERRER#${subject}`,
  referralsOfProvider: (providerId: string, scheme: string) => `REFERRALS#PROVIDER#${providerId}#${scheme}`,
  statement: (programmeId: string, providerId: string) => `STATEMENT#${programmeId}#${providerId}`,
  figures: (programmeId: string) => `FIGURES#${programmeId}`,
  ledger: (programmeId: string) => `LEDGER#${programmeId}`,
  // Privacy operations (docs/decisions/011)
  family: (family: string) => `FAMILY#${family}`,
  messagesOf: (reference: string) => `MESSAGES#${reference}`,
  erasures: (family: string) => `ERASURE#${family}`,
};

/** Sort-key prefixes that queries begin with. */
export const prefixes = {
  agreement: 'AGREEMENT#',
  childMatch: 'CHILDMATCH#',
  booking: 'BOOKING#',
  waitlist: 'WAITLIST#',
  register: 'REGISTER#',
  childDaysIn: (programmeId: string) => `PROGRAMME#${programmeId}#FAMILY#`,
  providerSessionsIn: (programmeId: string, date = '') => `${programmeId}#${date}`,
  programmesOf: (scheme: string) => `${scheme}#`,
  room: 'ROOM#',
  waitingIn: (district: string) => `WAITING#${district}#`,
  /** A referrer's or provider's referrals in one programme. */
  referralsIn: (programmeId: string) => `${programmeId}#`,
  statementLine: 'LINE#',
  children: 'CHILDREN#',
  ledgerLinesOf: (providerId = '') => `LINE#${providerId ? `${providerId}#` : ''}`,
  closureLog: 'CLOSURELOG#',
  agreementVersionsOf: (providerId = '') => `AGREEMENTVERSION#${providerId ? `${providerId}#` : ''}`,
  erasure: 'ERASURE#',
  /** Every district's waiting entries of a programme (its retention following the programme). */
  waiting: 'WAITING#',
};

/** Reading keys back. */
export const parse = {
  /** `SESSION#<id>` → the id. */
  sessionId: (pk: string) => pk.slice('SESSION#'.length),
  /** A code item's sort key → its programme. */
  codeProgramme: (sk: string) => sk.slice('PROGRAMME#'.length),
  /** A child's days item → the family it belongs to. */
  childDaysFamily: (sk: string) => sk.slice(sk.indexOf('#FAMILY#') + '#FAMILY#'.length),
  /** A waitlist entry's sort key → when the child joined. */
  waitlistArrival: (sk: string) => sk.slice(prefixes.waitlist.length, sk.lastIndexOf('#')),
  /** `PROGRAMME#<id>` → the id. */
  programmeId: (pk: string) => pk.slice('PROGRAMME#'.length),
  /** A room's sort key → its provider. */
  roomProvider: (sk: string) => sk.slice(prefixes.room.length),
  /** `CHILDREN#<scope>` → the scope. */
  childrenScope: (sk: string) => sk.slice(prefixes.children.length),
};
