import type {
  AgreementRecord, ChildrenFigures, LedgerLine, PlaceCounts, ProgrammeRecord, ProviderRecord, SessionRecord,
} from '../schemas/records.ts';
import { add, childDays, type Counts } from './figures.ts';
import { advanceDue, earned } from './money.ts';

// Reconciliation and the DfE HAF return, from the figures the stream keeps (no booking is read): plain
// values in, rows out, every amount in integer pence and every total the exact sum of its rows.

export interface FinanceInputs {
  programme: ProgrammeRecord;
  agreements: readonly AgreementRecord[];
  providers: ReadonlyMap<string, ProviderRecord>;
  sessions: readonly SessionRecord[];
  figures: ReadonlyMap<string, Counts>;
  places: ReadonlyMap<string, PlaceCounts>;
  ledger: readonly LedgerLine[];
  /** London date and instant of the clock. */
  today: string;
  now: Date;
}

export type Flag =
  | 'noAgreement' | 'overAllocation' | 'registersMissing' | 'attendanceBelowThreshold' | 'commissionedPlacesUnused'
  | 'discretionaryShareOverCap' | 'overpaid';

const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

/** A session counts as held once its day has passed or its register is in. */
const held = (s: SessionRecord, places: PlaceCounts | undefined, today: string) => s.date < today || places?.registerSentAt !== undefined;

/** The numbers of one provider's row (or of the totals), before its flags. */
function figuresOf(sessions: readonly SessionRecord[], inputs: FinanceInputs) {
  let all: Counts = {};
  let ofHeld: Counts = {};
  let past = 0;
  let registersMissing = 0;
  let unrecordedPast = 0;
  for (const s of sessions) {
    const c = inputs.figures.get(s.id) ?? {};
    const places = inputs.places.get(s.id);
    all = add(all, c);
    if (held(s, places, inputs.today)) ofHeld = add(ofHeld, c);
    if (s.date < inputs.today) {
      past++;
      const days = childDays(c);
      if (days.booked > 0 && !places?.registerSentAt) registersMissing++;
      unrecordedPast += days.unrecorded;
    }
  }
  return { all, ofHeld, past, registersMissing, unrecordedPast };
}

/**
 * What each provider delivered and earned, from the figures: what closing a holiday freezes. Payments
 * are not part of it; `settle` adds them, so a balance paid after closing shows as paid.
 */
export function delivery(inputs: Omit<FinanceInputs, 'ledger'>) {
  const { programme, agreements, sessions } = inputs;
  const byProvider = new Map<string, SessionRecord[]>();
  for (const s of sessions) byProvider.set(s.providerId, [...(byProvider.get(s.providerId) ?? []), s]);
  const agreementOf = new Map(agreements.map((a) => [a.providerId, a]));
  const ids = [...new Set([...agreements.map((a) => a.providerId), ...byProvider.keys()])].sort();
  const cap = programme.discretionaryShare ?? 0;
  const bookingClosed = inputs.now.getTime() >= Date.parse(programme.bookingClosesAt);

  const rows = ids.map((providerId) => {
    const a = agreementOf.get(providerId);
    const own = byProvider.get(providerId) ?? [];
    const f = figuresOf(own, { ...inputs, ledger: [] });
    const days = childDays(f.all);
    const heldDays = childDays(f.ofHeld);
    const money = a ? earned(a, f.all) : { beforeCapPence: 0, earnedPence: 0 };
    const basisDays = a?.paymentBasis === 'booked' ? { all: days.booked, disc: days.bookedDiscretionary } : { all: days.attended, disc: days.attendedDiscretionary };
    const attendanceRate = share(heldDays.attended, heldDays.booked);
    const discretionaryShare = share(basisDays.disc, basisDays.all);
    const flags: Flag[] = [];
    if (!a) flags.push('noAgreement');
    if (a && money.beforeCapPence > a.grantAllocationPence) flags.push('overAllocation');
    if (f.registersMissing > 0) flags.push('registersMissing');
    if (a?.attendanceThreshold !== undefined && attendanceRate !== null && attendanceRate < a.attendanceThreshold) flags.push('attendanceBelowThreshold');
    if (a && bookingClosed && days.booked < a.placesCommissioned) flags.push('commissionedPlacesUnused');
    if (discretionaryShare !== null && discretionaryShare > cap) flags.push('discretionaryShareOverCap');
    return {
      providerId,
      providerName: inputs.providers.get(providerId)?.name ?? providerId,
      paymentBasis: a?.paymentBasis ?? null,
      ratePencePerChildDay: a?.ratePencePerChildDay ?? null,
      grantAllocatedPence: a?.grantAllocationPence ?? 0,
      placesCommissioned: a?.placesCommissioned ?? 0,
      placesBooked: days.booked,
      childDaysBooked: days.booked,
      childDaysBookedDiscretionary: days.bookedDiscretionary,
      childDaysAttended: days.attended,
      childDaysAttendedFsm: days.attendedFsm,
      childDaysAttendedDiscretionary: days.attendedDiscretionary,
      childDaysAttendedSend: days.attendedSend,
      childDaysAbsent: days.absent,
      childDaysUnrecorded: f.unrecordedPast,
      sessions: own.length,
      sessionsPast: f.past,
      registersMissing: f.registersMissing,
      attendanceRate,
      discretionaryShare,
      earnedBeforeCapPence: money.beforeCapPence,
      earnedPence: money.earnedPence,
      advanceDuePence: a ? (advanceDue(a) ?? null) : null,
      flags,
    };
  });
  return { programmeId: programme.id, programmeName: programme.name, discretionaryShareCap: cap, rows };
}
export type Delivery = ReturnType<typeof delivery>;

/** Delivery and the ledger: paid, the balance, a flag where more was paid than earned, and totals that are the rows' exact sums. */
export function settle(d: Delivery, ledger: readonly Pick<LedgerLine, 'providerId' | 'effectPence'>[]) {
  const paid = new Map<string, number>();
  for (const l of ledger) paid.set(l.providerId, (paid.get(l.providerId) ?? 0) + l.effectPence);
  // A provider paid with no agreement or session still gets its row: money out must show somewhere.
  const missing = [...paid.keys()].filter((id) => !d.rows.some((r) => r.providerId === id)).map((providerId) => ({
    ...emptyRow(providerId), flags: ['noAgreement' as Flag],
  }));
  const rows = [...d.rows, ...missing].map((r) => {
    const paidPence = paid.get(r.providerId) ?? 0;
    // An advance the agreement allows is paid ahead of delivery by design: only more than that, or than was earned, is overpaid.
    const flags: Flag[] = paidPence > Math.max(r.earnedPence, r.advanceDuePence ?? 0) ? [...r.flags, 'overpaid'] : [...r.flags];
    return { ...r, paidPence, balancePence: r.earnedPence - paidPence, flags };
  });
  const sum = (k: NumericColumn) => rows.reduce((n, r) => n + r[k], 0);
  const basis = (r: (typeof rows)[number]) => (r.paymentBasis === 'booked'
    ? { all: r.childDaysBooked, disc: r.childDaysBookedDiscretionary } : { all: r.childDaysAttended, disc: r.childDaysAttendedDiscretionary });
  const totalShare = share(rows.reduce((n, r) => n + basis(r).disc, 0), rows.reduce((n, r) => n + basis(r).all, 0));
  const over = totalShare !== null && totalShare > d.discretionaryShareCap;
  const totals = {
    ...(Object.fromEntries(numericColumns.map((k) => [k, sum(k)])) as Record<NumericColumn, number>),
    discretionaryShare: totalShare,
    discretionaryShareCap: d.discretionaryShareCap,
    // Every row's flag, but the programme's share judged on its own total: the cap is the programme's.
    flags: [...new Set<Flag>([...rows.flatMap((r) => r.flags).filter((f) => f !== 'discretionaryShareOverCap'), ...(over ? ['discretionaryShareOverCap' as const] : [])])],
  };
  return { programmeId: d.programmeId, programmeName: d.programmeName, rows, totals };
}

function emptyRow(providerId: string): Delivery['rows'][number] {
  return {
    providerId, providerName: providerId, paymentBasis: null, ratePencePerChildDay: null, grantAllocatedPence: 0, placesCommissioned: 0,
    placesBooked: 0, childDaysBooked: 0, childDaysBookedDiscretionary: 0, childDaysAttended: 0, childDaysAttendedFsm: 0,
    childDaysAttendedDiscretionary: 0, childDaysAttendedSend: 0, childDaysAbsent: 0, childDaysUnrecorded: 0, sessions: 0, sessionsPast: 0,
    registersMissing: 0, attendanceRate: null, discretionaryShare: null, earnedBeforeCapPence: 0, earnedPence: 0, advanceDuePence: null, flags: [],
  };
}

/** Delivery and payments together, as reconciliation shows them. */
export const reconciliation = (inputs: FinanceInputs) => settle(delivery(inputs), inputs.ledger);

export type Reconciliation = ReturnType<typeof reconciliation>;
export type ReconciliationRow = Reconciliation['rows'][number];

/** The columns a totals row adds up. */
export const numericColumns = [
  'grantAllocatedPence', 'placesCommissioned', 'placesBooked', 'childDaysBooked', 'childDaysBookedDiscretionary', 'childDaysAttended', 'childDaysAttendedFsm',
  'childDaysAttendedDiscretionary', 'childDaysAttendedSend', 'childDaysAbsent', 'childDaysUnrecorded', 'sessions', 'sessionsPast',
  'registersMissing', 'earnedBeforeCapPence', 'earnedPence', 'paidPence', 'balancePence',
] as const;
type NumericColumn = (typeof numericColumns)[number];

// ── The DfE HAF return ───────────────────────────────────────────────────

export interface ReturnInputs extends Pick<FinanceInputs, 'programme' | 'providers' | 'sessions' | 'figures'> {
  /** Unique children by scope: `ALL`, `PROVIDER#<id>`, `DISTRICT#<district>`. */
  children: readonly ChildrenFigures[];
}

/**
 * What DfE asks after each holiday, per provider, per district and in total: unique children attending
 * (each once, however many days), FSM and non-FSM, SEND, primary and secondary; HAF-funded places
 * (child-days booked) and child-days attended; sessions offered and attended; providers and venues; and
 * the non-FSM share of child-days attended against the programme's cap.
 */
export function hafReturn(inputs: ReturnInputs) {
  const { programme, sessions } = inputs;
  const childrenOf = new Map(inputs.children.map((c) => [c.scope, c.counts]));
  const cap = programme.discretionaryShare ?? 0;
  const line = (level: 'provider' | 'district' | 'programme', id: string, name: string, own: readonly SessionRecord[], scope: string) => {
    const days = childDays(own.reduce<Counts>((c, s) => add(c, inputs.figures.get(s.id) ?? {}), {}));
    const kids = childrenOf.get(scope) ?? {};
    const n = (k: string) => kids[k] ?? 0;
    const nonFsmShare = share(days.attendedDiscretionary, days.attended);
    return {
      level, id, name,
      uniqueChildren: n('children'), fsmChildren: n('fsm'), nonFsmChildren: n('nonFsm'), sendChildren: n('send'),
      primaryChildren: n('primary'), secondaryChildren: n('secondary'),
      hafFundedPlaces: days.booked, childDaysAttended: days.attended, childDaysAttendedFsm: days.attendedFsm,
      childDaysAttendedNonFsm: days.attendedDiscretionary,
      sessionsOffered: own.length,
      sessionsAttended: own.filter((s) => childDays(inputs.figures.get(s.id) ?? {}).attended > 0).length,
      providers: new Set(own.map((s) => s.providerId)).size,
      venues: new Set(own.map((s) => `${s.venue.name}|${s.venue.postcode}`)).size,
      nonFsmShare, nonFsmShareCap: cap, nonFsmShareOverCap: nonFsmShare !== null && nonFsmShare > cap,
    };
  };
  const group = (key: (s: SessionRecord) => string) => {
    const m = new Map<string, SessionRecord[]>();
    for (const s of sessions) m.set(key(s), [...(m.get(key(s)) ?? []), s]);
    return [...m].sort(([a], [b]) => a.localeCompare(b));
  };
  const rows = [
    ...group((s) => s.providerId).map(([id, own]) => line('provider', id, inputs.providers.get(id)?.name ?? id, own, `PROVIDER#${id}`)),
    ...group((s) => s.venue.district).map(([district, own]) => line('district', district, district, own, `DISTRICT#${district}`)),
  ];
  const { level: _level, id: _id, name: _name, ...totals } = line('programme', programme.id, programme.name, sessions, 'ALL');
  return {
    programmeId: programme.id, programmeName: programme.name, startDate: programme.startDate, endDate: programme.endDate,
    rows, totals,
  };
}
export type HafReturn = ReturnType<typeof hafReturn>;
