import type { AgreementRecord, ChildDayFacts, LedgerLine, PaymentKind } from '../schemas/records.ts';
import type { Counts } from './figures.ts';

// Money, in integer pence: what a provider earns under its agreement's rate card, line by line and in
// total, capped at its grant allocation; and what a ledger line does to the amount paid.

export type RateCard = Pick<AgreementRecord, 'ratePencePerChildDay' | 'rates' | 'paymentBasis' | 'grantAllocationPence'>;
type Band = ChildDayFacts['band'];

/** The band's rate: FSM and discretionary may replace the agreement's rate per child-day. */
export const bandRate = (card: RateCard, band: Band): number =>
  (band === 'fsm' ? card.rates?.fsm : card.rates?.discretionary) ?? card.ratePencePerChildDay;

/** A child-day's amount before the cap: the band's rate, and the SEND uplift on a day the band pays for. */
export function dayAmount(card: RateCard, band: Band, send: boolean): number {
  const rate = bandRate(card, band);
  return rate === 0 ? 0 : rate + (send ? (card.rates?.sendUplift ?? 0) : 0);
}

/** Earned from a provider's counters under its basis (days attended or days booked), and the same capped at the allocation. */
export function earned(card: RateCard, c: Counts): { beforeCapPence: number; earnedPence: number } {
  const n = (k: string) => c[k] ?? 0;
  const basis = card.paymentBasis === 'attended' ? 'attended' : 'booked';
  let total = 0;
  for (const [band, name] of [['fsm', 'Fsm'], ['discretionary', 'Discretionary']] as const) {
    const days = n(`${basis}${name}`);
    const send = n(`${basis}${name}Send`);
    total += (days - send) * dayAmount(card, band, false) + send * dayAmount(card, band, true);
  }
  return { beforeCapPence: total, earnedPence: Math.min(total, card.grantAllocationPence) };
}

export type UnpaidReason = 'absent' | 'noRegister' | 'notYetHeld' | 'notEligible' | 'overCap' | 'noAgreement';

export interface LineIn { facts: ChildDayFacts; sessionDate: string }
export interface LineOut { amountPence: number; reason?: UnpaidReason }

/**
 * Each child-day's amount in date order, so the cap falls on the latest days: a day past the allocation
 * is paid what is left of it (and says `overCap`), the days after it nothing. The amounts add up to
 * `earned` exactly. A day is unpaid when the child was absent (on the attended basis), when no register
 * came for a day that has passed, when the day is still to come, or when the band pays nothing.
 */
export function lineAmounts(card: RateCard | undefined, lines: readonly LineIn[], today: string): LineOut[] {
  let left = card?.grantAllocationPence ?? 0;
  return lines.map(({ facts, sessionDate }): LineOut => {
    if (!card) return { amountPence: 0, reason: 'noAgreement' };
    if (card.paymentBasis === 'attended' && facts.attendance !== 'present') {
      if (facts.attendance === 'absent') return { amountPence: 0, reason: 'absent' };
      return { amountPence: 0, reason: sessionDate < today ? 'noRegister' : 'notYetHeld' };
    }
    const due = dayAmount(card, facts.band, facts.send);
    if (due === 0) return { amountPence: 0, reason: 'notEligible' };
    const paid = Math.min(due, left);
    left -= paid;
    return paid < due ? { amountPence: paid, reason: 'overCap' } : { amountPence: paid };
  });
}

/** What a line does to the amount paid: advances and balances add, recoveries take back, a reversal undoes its line. */
export const effectOf = (kind: PaymentKind, amountPence: number, reversed?: Pick<LedgerLine, 'effectPence'>): number =>
  kind === 'reversal' ? -(reversed?.effectPence ?? 0) : kind === 'recovery' ? -amountPence : amountPence;

/** The advance an agreement allows: its share of the allocation, in whole pence (rounded down). */
export const advanceDue = (a: Pick<AgreementRecord, 'advanceShare' | 'grantAllocationPence'>): number | undefined =>
  a.advanceShare === undefined ? undefined : Math.floor(a.grantAllocationPence * a.advanceShare);
