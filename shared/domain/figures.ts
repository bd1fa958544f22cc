import type { BookingRecord, ChildAttended, ChildDayFacts } from '../schemas/records.ts';
import { phaseOf, schoolYear } from './people.ts';

// What finance and DfE count, from one booking at a time: a child-day's facts, the counters it adds to its
// session's figures, and where the child counts once (unique children). Pure: the store applies the
// difference between what a booking contributed last and what it contributes now (docs/decisions/007).

export type Counts = Record<string, number>;

/** A session's counters; `…Send` are the SEND part of the band before them. */
export const sessionCounters = [
  'bookedFsm', 'bookedDiscretionary', 'bookedFsmSend', 'bookedDiscretionarySend',
  'attendedFsm', 'attendedDiscretionary', 'attendedFsmSend', 'attendedDiscretionarySend', 'attendedPrimary', 'attendedSecondary',
  'absent', 'absentUnexplained',
] as const;

/** Unique children in a scope, by the categories DfE asks for. */
export const childCounters = ['children', 'fsm', 'nonFsm', 'send', 'primary', 'secondary'] as const;

/** The facts of a child-day with a confirmed place; none for a booking that holds no place (waitlisted, cancelled, refused). */
export function childDayFacts(
  b: Pick<BookingRecord, 'status' | 'present' | 'discretionary' | 'child' | 'sessionDate' | 'absenceReason'>,
): ChildDayFacts | undefined {
  if (b.status !== 'confirmed') return undefined;
  return {
    band: b.discretionary ? 'discretionary' : 'fsm',
    send: Boolean(b.child.sendNeeds?.trim()),
    // School year from the date of birth on the 31 August before the session: the date of birth stays behind.
    phase: phaseOf(schoolYear(b.child.dateOfBirth, b.sessionDate)),
    attendance: b.present === true ? 'present' : b.present === false ? 'absent' : 'unrecorded',
    explained: b.present === false && Boolean(b.absenceReason?.trim()),
  };
}

const cap = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

/** The counters one child-day adds to its session's figures. */
export function countsOf(f: ChildDayFacts | undefined): Counts {
  if (!f) return {};
  const band = f.band === 'fsm' ? 'Fsm' : 'Discretionary';
  const c: Counts = { [`booked${band}`]: 1, ...(f.send ? { [`booked${band}Send`]: 1 } : {}) };
  if (f.attendance === 'present') {
    c[`attended${band}`] = 1;
    if (f.send) c[`attended${band}Send`] = 1;
    if (f.phase !== 'early') c[`attended${cap(f.phase)}`] = 1;
  }
  if (f.attendance === 'absent') {
    c.absent = 1;
    if (!f.explained) c.absentUnexplained = 1;
  }
  return c;
}

/** What moves when a contribution changes from `before` to `after`: only the counters that differ. */
export function delta(before: Counts, after: Counts): Counts {
  const out: Counts = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const d = (after[k] ?? 0) - (before[k] ?? 0);
    if (d !== 0) out[k] = d;
  }
  return out;
}

export function add(a: Counts, b: Counts): Counts {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

export const isEmpty = (c: Counts) => Object.values(c).every((v) => v === 0);

/** The scopes a child-day attended counts the child in: the programme, the provider, the district. */
export const scopesOf = (f: ChildDayFacts | undefined, providerId: string, district: string | undefined): string[] =>
  f?.attendance === 'present' ? ['ALL', `PROVIDER#${providerId}`, ...(district ? [`DISTRICT#${district}`] : [])] : [];

/** A booking's figures change only when one of the facts does: other writes (a new rev alone) owe nothing. */
export const factsChanged = (before: Parameters<typeof childDayFacts>[0] | undefined, after: Parameters<typeof childDayFacts>[0]) =>
  JSON.stringify(before ? childDayFacts(before) : undefined) !== JSON.stringify(childDayFacts(after));

type Who = Pick<ChildDayFacts, 'band' | 'send' | 'phase'>;

/** One child's categories, with a sign: +1 when it starts counting in a scope, -1 when it stops. */
export function childCounts(who: Who, sign: 1 | -1): Counts {
  return {
    children: sign, [who.band === 'fsm' ? 'fsm' : 'nonFsm']: sign, ...(who.send ? { send: sign } : {}),
    ...(who.phase === 'early' ? {} : { [who.phase]: sign }),
  };
}

export type Marker = Pick<ChildAttended, 'scopes'>;

/**
 * Moves one booking's membership of a child's scopes. A child counts in a scope while at least one of its
 * bookings there was attended; it stops when the last one goes. The categories counted are those of the
 * booking that made the child count, kept on the marker, so a stop takes away exactly what the start added.
 */
export function moveMarker(
  marker: Marker | undefined, bookingId: string, from: readonly string[], to: readonly string[], who: Who,
): { marker: Marker; changes: Record<string, Counts> } {
  const scopes = structuredClone(marker?.scopes ?? {});
  const changes: Record<string, Counts> = {};
  for (const scope of from.filter((s) => !to.includes(s))) {
    const held = scopes[scope];
    if (!held?.bookings.includes(bookingId)) continue;
    held.bookings = held.bookings.filter((b) => b !== bookingId);
    if (held.bookings.length === 0) {
      changes[scope] = childCounts(held, -1);
      delete scopes[scope];
    }
  }
  for (const scope of to.filter((s) => !from.includes(s))) {
    const held = scopes[scope];
    if (held?.bookings.includes(bookingId)) continue;
    if (held) held.bookings.push(bookingId);
    else {
      scopes[scope] = { bookings: [bookingId], band: who.band, send: who.send, phase: who.phase };
      changes[scope] = childCounts(who, 1);
    }
  }
  return { marker: { scopes }, changes };
}

/** A session's counters read as the totals reports use. */
export function childDays(c: Counts) {
  const n = (k: string) => c[k] ?? 0;
  return {
    booked: n('bookedFsm') + n('bookedDiscretionary'),
    bookedFsm: n('bookedFsm'),
    bookedDiscretionary: n('bookedDiscretionary'),
    bookedSend: n('bookedFsmSend') + n('bookedDiscretionarySend'),
    attended: n('attendedFsm') + n('attendedDiscretionary'),
    attendedFsm: n('attendedFsm'),
    attendedDiscretionary: n('attendedDiscretionary'),
    attendedSend: n('attendedFsmSend') + n('attendedDiscretionarySend'),
    attendedPrimary: n('attendedPrimary'),
    attendedSecondary: n('attendedSecondary'),
    absent: n('absent'),
    absentUnexplained: n('absentUnexplained'),
    unrecorded: n('bookedFsm') + n('bookedDiscretionary') - n('attendedFsm') - n('attendedDiscretionary') - n('absent'),
  };
}
