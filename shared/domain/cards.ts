// A Youth Card's dates and whether a visit may be recorded on it: plain values, no clock of its own.

export interface CardTerms {
  providerId: string;
  validFrom: string;
  validUntil: string;
  /** Absent: unlimited visits within the dates. */
  visitsAllowed?: number;
  visitsUsed: number;
}

/** `2026-11-30` plus 3 months, the day before: `2027-02-27`; a month too short for the day ends at its last day. */
export function lastDayOfMonths(from: string, months: number): string {
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  const end = new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastDay)));
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

/**
 * A card issued on a day is valid from then (or from the programme's start, if that is later) for the
 * programme's number of months: issued 15 January for 3 months, it is valid to 14 April inclusive.
 */
export function cardDates(issuedOn: string, programmeStart: string, months: number): { validFrom: string; validUntil: string } {
  const validFrom = issuedOn > programmeStart ? issuedOn : programmeStart;
  return { validFrom, validUntil: lastDayOfMonths(validFrom, months) };
}

export type CardRefusal = 'issuedElsewhere' | 'notYetValid' | 'expired' | 'usedUp';

/** Why a visit on `today` at this provider cannot be recorded, or undefined if it can; the desk's first question first. */
export function visitRefusal(card: CardTerms, providerId: string, today: string): CardRefusal | undefined {
  if (card.providerId !== providerId) return 'issuedElsewhere';
  if (today < card.validFrom) return 'notYetValid';
  if (today > card.validUntil) return 'expired';
  if (card.visitsAllowed !== undefined && card.visitsUsed >= card.visitsAllowed) return 'usedUp';
  return undefined;
}

/** Visits left, or null for unlimited. */
export const visitsLeft = (card: Pick<CardTerms, 'visitsAllowed' | 'visitsUsed'>): number | null =>
  card.visitsAllowed === undefined ? null : Math.max(0, card.visitsAllowed - card.visitsUsed);

/** A card outlives its programme's retention only while it can still be used, and a season (90 days) after. */
export const cardExpiry = (personalDataExpiry: number, validUntil: string): number =>
  Math.max(personalDataExpiry, Math.floor(Date.parse(`${validUntil}T00:00:00Z`) / 1000) + 90 * 86_400);
