import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

// Identifiers people read and type: application references, booking ids, eligibility codes, Youth Card numbers.

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

// ── Secrets sent by email, kept only as digests ───────────────────────────

/** A link's secret (a referrer's confirmation): 24 random bytes, sent once and kept only as its digest. */
export const newLinkToken = () => randomBytes(24).toString('base64url');

/** What is kept of a secret: its SHA-256, so the table alone confirms nothing. */
export const secretDigest = (secret: string) => createHash('sha256').update(`secret|${secret}`).digest('base64url');

/** Whether a secret given is the one expected, in constant time (nothing given matches nothing). */
export function sameSecret(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether a secret given matches the digest kept, in constant time. */
export const matchesDigest = (given: string | undefined, digest: string | undefined): boolean =>
  given !== undefined && sameSecret(secretDigest(given), digest);

// ── Youth Card numbers ─────────────────────────────────────────────────────
// 15 random digits and a Damm check digit. Damm catches every single wrong digit and every swap of two
// neighbours (Luhn misses 09↔90), so a desk's typo is a 422 "check the number", never someone else's card.

const damm = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3], [4, 2, 0, 6, 8, 7, 1, 3, 5, 9], [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1], [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5], [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
] as const;

/** The Damm check digit of a string of digits (0 when the string already ends in its own check digit). */
export const dammDigit = (digits: string): number => [...digits].reduce((interim, d) => damm[interim]![Number(d)]!, 0 as number);

export const cardNumberLength = 16;

/** A new card number: 15 digits from the system's secure random source (about 50 bits) and the check digit. */
export function newCardNumber(): string {
  const body = Array.from({ length: cardNumberLength - 1 }, () => String(randomInt(10))).join('');
  return `${body}${dammDigit(body)}`;
}

/** Spaces and hyphens as people write the number are not part of it. */
export const normaliseCardNumber = (typed: string) => typed.replace(/[\s-]/g, '');

/** What is wrong with a typed card number, if anything: the wrong length or not digits, or a check digit that does not fit. */
export function cardNumberProblem(typed: string): 'notDigits' | 'checkDigit' | undefined {
  const digits = normaliseCardNumber(typed);
  if (!new RegExp(`^\\d{${cardNumberLength}}$`).test(digits)) return 'notDigits';
  return dammDigit(digits) === 0 ? undefined : 'checkDigit';
}

/** As printed on the card and in emails: four groups of four. */
export const formatCardNumber = (digits: string) => normaliseCardNumber(digits).replace(/(\d{4})(?=\d)/g, '$1 ');
