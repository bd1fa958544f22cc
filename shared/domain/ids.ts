import { createHash, randomBytes, randomInt } from 'node:crypto';

// Identifiers people read and type: application references, booking ids, eligibility codes.

// Crockford's base 32 without I, L, O, U: nothing to misread on a voucher or mistype on a phone.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const randomText = (length: number) => Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');

/** An application reference a parent can read out on the phone: the scheme's prefix and 8 characters (`HAF-7K3M9Q2A`). */
export const newReference = (prefix: string) => `${prefix}-${randomText(8)}`;

/** The reference a request's Idempotency-Key stands for, so a retry finds the application its first try opened. */
export function referenceFromKey(prefix: string, requestKey: string): string {
  const digest = createHash('sha256').update(`reference|${requestKey}`).digest();
  return `${prefix}-${Array.from(digest.subarray(0, 8), (byte) => alphabet[byte % alphabet.length]).join('')}`;
}

/** `HAF-7K3M9Q2A` → `HAF`; a reference names its scheme, so a reference alone finds its scheme. */
export const prefixOf = (reference: string) => reference.slice(0, reference.indexOf('-'));

/** References as the API accepts them: a scheme's prefix, a hyphen, 6 to 10 characters. */
export const referencePattern = (prefixes: readonly string[]) => new RegExp(`^(?:${prefixes.join('|')})-[0-9A-Z]{6,10}$`);

/** A booking is `<reference>-<child>-<session>` (`HAF-7K3M9Q2A-1-2`): found from its id without an index. */
export const bookingIdOf = (reference: string, child: number, session: number) => `${reference}-${child + 1}-${session + 1}`;
export const childIdOf = (reference: string, child: number) => `${reference}-${child + 1}`;
export const referenceOfBooking = (bookingId: string) => bookingId.split('-').slice(0, 2).join('-');

/** The secret that lets a parent see or cancel: 24 random bytes. */
export const newManageToken = () => randomBytes(24).toString('base64url');

/** An eligibility code made here: 8 random characters (40 bits) in two groups, after an optional prefix (`HAF-XMAS-7K3M-9Q2A`). */
export function newEligibilityCode(prefix?: string): string {
  const random = randomText(8);
  return `${prefix ? `${prefix}-` : ''}${random.slice(0, 4)}-${random.slice(4)}`;
}
