import { add, childCounts, childDayFacts, countsOf, delta, isEmpty, scopesOf, type Counts } from '../domain/figures.ts';
import type { AttendancePort, CataloguePort, FiguresPort } from '../domain/ports.ts';
import { personalDataKeptUntil } from '../domain/programmes.ts';
import { logger } from '../observability/logger.ts';
import type { BookingRecord, ProgrammeRecord, SessionRecord } from '../schemas/records.ts';

// The finance figures from the stream (docs/decisions/007): each booking's change becomes its contribution
// as of its `rev`, which the store applies once, whatever the order or number of deliveries. And the
// recount from source that `npm run finance:verify` compares them with.

export interface FiguresDeps {
  catalogue: Pick<CataloguePort, 'getProgramme' | 'getSession'>;
  figures: Pick<FiguresPort, 'applyContribution'>;
  now: () => Date;
}

/** Programmes and sessions change rarely and a booking's never move (decision 002): a warm container keeps them a while. */
const keepMs = 60_000;

/**
 * The notifier's counter: a booking of a HAF programme, with its session, becomes its contribution. A
 * booking whose programme or session cannot be found is left out and logged once per container (it cannot
 * be placed; `npm run finance:verify` shows it).
 */
export function figuresCounter(deps: FiguresDeps) {
  const programmes = new Map<string, { at: number; value: ProgrammeRecord | undefined }>();
  const sessions = new Map<string, { at: number; value: SessionRecord | undefined }>();
  const warned = new Set<string>();
  const cached = async <T>(m: Map<string, { at: number; value: T }>, id: string, load: () => Promise<T>) => {
    const hit = m.get(id);
    if (hit && Date.now() - hit.at < keepMs) return hit.value;
    const value = await load();
    m.set(id, { at: Date.now(), value });
    return value;
  };
  return async (booking: BookingRecord): Promise<'applied' | 'stale' | 'skipped'> => {
    const programme = await cached(programmes, booking.programmeId, () => deps.catalogue.getProgramme(booking.programmeId));
    if (programme?.scheme !== 'HAF') return skip(warned, programme ? undefined : `programme ${booking.programmeId}`);
    const session = await cached(sessions, booking.sessionId, () => deps.catalogue.getSession(booking.sessionId));
    if (!session) return skip(warned, `session ${booking.sessionId}`);
    return deps.figures.applyContribution(contributionOf(booking, session, deps.now()));
  };
}

function skip(warned: Set<string>, missing: string | undefined): 'skipped' {
  if (missing && !warned.has(missing)) {
    warned.add(missing);
    logger.warn('booking left out of the finance figures: its record is missing', { missing });
  }
  return 'skipped';
}

/** A booking's part in the figures now: facts computed from it (never the date of birth), counters, and scopes. */
export function contributionOf(b: BookingRecord, session: Pick<SessionRecord, 'venue'>, now: Date) {
  const facts = childDayFacts(b);
  return {
    programmeId: b.programmeId, providerId: b.providerId, sessionId: b.sessionId, sessionDate: b.sessionDate, bookingId: b.bookingId,
    childKey: b.childKey, rev: b.rev, counts: countsOf(facts), ...(facts ? { facts } : {}),
    scopes: scopesOf(facts, b.providerId, session.venue.district), expiresAtEpoch: b.expiresAtEpoch, appliedAt: now.toISOString(),
  };
}

// ── The recount (npm run finance:verify) ──

export interface RecountDeps {
  catalogue: Pick<CataloguePort, 'getProgramme' | 'programmeSessions'>;
  attendance: Pick<AttendancePort, 'sessionBookings'>;
  figures: Pick<FiguresPort, 'sessionFigures' | 'childrenFigures'>;
  now: () => Date;
}

export interface Difference { what: string; kept: Counts; recounted: Counts }

/**
 * Recounts a programme from its bookings (every session's, read consistently) and compares with the
 * figures kept: one line per session or scope that differs. Once the programme's personal data has gone
 * (no booking is left) there is nothing to recount from, and the kept figures stand.
 */
export async function verifyFigures(deps: RecountDeps, programmeId: string) {
  const programme = await deps.catalogue.getProgramme(programmeId);
  if (!programme) throw new Error(`No programme ${programmeId}`);
  const sessions = await deps.catalogue.programmeSessions(programmeId);
  const bookingsOf = await Promise.all(sessions.map(async (s) => ({ s, bookings: await deps.attendance.sessionBookings(s.id) })));
  const [kept, keptChildren] = await Promise.all([deps.figures.sessionFigures(sessions.map((s) => s.id)), deps.figures.childrenFigures(programmeId)]);
  const bookings = bookingsOf.reduce((n, x) => n + x.bookings.length, 0);
  // No booking left (the retention period ended, or the families' data was erased): nothing to recount from.
  const expired = bookings === 0;
  const differences: Difference[] = [];
  if (!expired) {
    const children = new Map<string, Map<string, Counts>>();
    for (const { s, bookings: list } of bookingsOf) {
      const recounted = list.reduce<Counts>((c, b) => add(c, countsOf(childDayFacts(b))), {});
      compare(differences, `session ${s.id}`, kept.get(s.id) ?? {}, recounted);
      // The child's categories from its earliest attended day, as the stream meets them in time order.
      for (const b of [...list].sort((x, y) => x.sessionDate.localeCompare(y.sessionDate))) {
        const facts = childDayFacts(b);
        for (const scope of scopesOf(facts, b.providerId, s.venue.district)) {
          const inScope = children.get(scope) ?? new Map<string, Counts>();
          if (!inScope.has(b.childKey)) inScope.set(b.childKey, childCounts(facts!, 1));
          children.set(scope, inScope);
        }
      }
    }
    const keptByScope = new Map(keptChildren.map((c) => [c.scope, c.counts]));
    for (const scope of new Set([...children.keys(), ...keptByScope.keys()])) {
      const recounted = [...(children.get(scope)?.values() ?? [])].reduce<Counts>(add, {});
      compare(differences, `unique children ${scope}`, keptByScope.get(scope) ?? {}, recounted);
    }
  }
  return { programmeId, sessions: sessions.length, bookings, expired, personalDataKeptUntil: personalDataKeptUntil(programme), differences };
}

function compare(out: Difference[], what: string, kept: Counts, recounted: Counts) {
  if (!isEmpty(delta(kept, recounted))) out.push({ what, kept, recounted });
}
