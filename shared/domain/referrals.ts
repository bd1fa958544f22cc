import { dateInLondon } from './calendar.ts';
import { ageOn } from './people.ts';

// Referrals (Active Families, the Youth Card): who may refer, how long a referrer has to confirm, and how a
// provider is chosen for a place. Plain values in, plain values out.

/** A referrer confirms from the emailed link within this many days, or the referral lapses. */
export const confirmationDays = 7;

/** An unconfirmed referral's personal data goes this long after its link lapses. */
export const lapsedReferralKeptDays = 7;

/** The domain of an address, as DNS knows it (lower case, no trailing dot). */
const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).trim().toLowerCase().replace(/\.$/, '');

/**
 * Whether an address is a partner's work address: its domain is one on the list or below one
 * (`youth.leics.gov.uk` is under `leics.gov.uk`); `*.sch.uk` matches any school's domain, not `sch.uk` itself.
 */
export function isPartnerAddress(email: string, partnerDomains: readonly string[]): boolean {
  const domain = domainOf(email);
  return partnerDomains.some((entry) => {
    const wildcard = entry.startsWith('*.');
    const base = (wildcard ? entry.slice(2) : entry).toLowerCase();
    return domain.endsWith(`.${base}`) || (!wildcard && domain === base);
  });
}

/** Until when the emailed link confirms a referral made at `at`. */
export const confirmBy = (at: Date): string => new Date(at.getTime() + confirmationDays * 86_400_000).toISOString();

/** The day a referral is made, in London: ages are counted on it. */
export const referralDay = (at: Date): string => dateInLondon(at);

/** Whether a person is within an age range (inclusive) on a day. */
export const aged = (dateOfBirth: string, day: string, range: { min: number; max: number }): boolean => {
  const age = ageOn(dateOfBirth, day);
  return age >= range.min && age <= range.max;
};

/** A provider's places under its agreement for a programme (family places, cards), with where it works. */
export interface Room {
  providerId: string;
  providerName: string;
  districts: readonly string[];
  capacity: number;
  taken: number;
}

export const roomLeft = (r: Pick<Room, 'capacity' | 'taken'>) => Math.max(0, r.capacity - r.taken);

/** The providers that could take a referral from a district now: they work there and have room. */
export const roomsFor = (rooms: readonly Room[], district: string) =>
  rooms.filter((r) => r.districts.includes(district) && roomLeft(r) > 0);

/** Most room first; equal room by provider id, so the order never depends on how the table answered. */
export const mostRoomFirst = (rooms: readonly Room[]): string[] =>
  [...rooms].sort((a, b) => roomLeft(b) - roomLeft(a) || (a.providerId < b.providerId ? -1 : 1)).map((r) => r.providerId);

/** A preferred provider first if it has room, then the rest by most room. */
export const preferredThenMostRoom = (rooms: readonly Room[], preferred: string | undefined): string[] => {
  const order = mostRoomFirst(rooms);
  return preferred && order.includes(preferred) ? [preferred, ...order.filter((id) => id !== preferred)] : order;
};

/** The first in a queue: earliest arrival, then reference (two arrivals in one millisecond). */
export const firstArrived = <T extends { arrivedAt: string; reference: string }>(entries: readonly T[]): T | undefined =>
  [...entries].sort((a, b) => (a.arrivedAt < b.arrivedAt ? -1 : a.arrivedAt > b.arrivedAt ? 1 : a.reference < b.reference ? -1 : 1))[0];
