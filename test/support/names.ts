// Names for generated families: personal names take letters only (API.md), so numbers become letters.

/** 0 → `a`, 25 → `z`, 26 → `ba`: a distinct lower-case word for each number. */
export function letters(n: number): string {
  let out = '';
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  } while (n > 0);
  return out;
}

/** A capitalised name made from a stem and a number: `name('Child', 27)` → `Childbb`. */
export const name = (stem: string, n: number) => `${stem}${letters(n)}`;
