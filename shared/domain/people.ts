import { createHash } from 'node:crypto';

// Rules about people that every scheme shares: ages and school years, and how one child or one family is
// recognised across applications without keeping more than a hash.

/** Whole years between a date of birth and a day, as schools count them. */
export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * The school year a child is in on a day, England's way: by age on the 31 August that starts the school
 * year (Reception is 4 then, Year 1 is 5, … Year 11 is 15). Below Reception is -1 or less.
 */
export function schoolYear(dateOfBirth: string, day: string): number {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const startYear = m >= 9 ? y : y - 1;
  return ageOn(dateOfBirth, `${startYear}-08-31`) - 4;
}

/** Primary is Reception to Year 6; secondary Year 7 to Year 11 (and sixth form after). */
export const phaseOf = (year: number): 'early' | 'primary' | 'secondary' => (year < 0 ? 'early' : year <= 6 ? 'primary' : 'secondary');

/** Case, spacing and Unicode forms do not make a different person. */
export const normaliseName = (s: string) => s.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');

/** A child's identity (a hash, so the key says nothing about the child): the same name and date of birth. */
export const childKey = (c: { firstName: string; lastName: string; dateOfBirth: string }) =>
  createHash('sha256').update(`${normaliseName(c.firstName)}|${normaliseName(c.lastName)}|${c.dateOfBirth}`).digest('base64url').slice(0, 32);

/** A family's identity: the parent's email, however it is written. */
export const familyKey = (email: string) => createHash('sha256').update(normaliseName(email)).digest('base64url').slice(0, 32);
