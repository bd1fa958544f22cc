import type * as z from 'zod/mini';

// CSV for the lists providers and finance pull into spreadsheets and back-office software:
// RFC 4180 (CRLF, quotes doubled, quoted when needed), and text that a spreadsheet would run
// as a formula is defused, because the values (children's names, notes) come from the public.

/** How a route's JSON reply becomes a CSV download. */
export interface CsvView {
  /** The list in the reply body that becomes the rows, e.g. `items` or `attendees`. */
  rows: string;
  /** One column per field of a row, in order; the header row repeats them. A dot reaches into an object (`venue.postcode`). */
  columns: readonly string[];
  /** The download's file name, from the request's path parameters. */
  filename: (params: Record<string, string>) => string;
  /** A field of the reply holding one more row, added last with `Total` in the first column (a totals row that adds up). */
  totals?: string;
  /** A UTF-8 byte-order mark first, so Excel reads the file as UTF-8 (finance's downloads; machine clients' lists go without). */
  bom?: boolean;
}

type Leaf = string | number | boolean | null | undefined;
type Field<T, K extends keyof T & string> = NonNullable<T[K]> extends Leaf | readonly unknown[] ? K
  : NonNullable<T[K]> extends object ? `${K}.${FieldPath<NonNullable<T[K]>>}` : K;
/** Dotted paths to the leaf fields of a row: `id`, `venue.postcode`. */
export type FieldPath<T> = { [K in keyof T & string]: Field<T, K> }[keyof T & string];
type ListKey<T> = { [K in keyof T & string]: NonNullable<T[K]> extends readonly object[] ? K : never }[keyof T & string];
type RowOf<T, K extends keyof T> = NonNullable<T[K]> extends readonly (infer R)[] ? R : never;

/** A CSV view checked by the compiler against the route's response schema: a renamed field breaks the build, not the download. */
export const csvView = <S extends z.ZodMiniType, K extends ListKey<z.output<S>>>(
  _response: S,
  rows: K,
  columns: readonly FieldPath<RowOf<z.output<S>, K>>[],
  filename: CsvView['filename'],
): CsvView => ({ rows, columns, filename });

/** Spreadsheets treat a cell starting with one of these as a formula (or a formula's prefix). */
const formulaStart = /^[=+\-@\t\r]/;

/** One cell: text that could run as a formula gets a leading `'`; quoted when it holds a comma, quote or line break. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  // A list of plain values (flags) reads as `a; b` in a spreadsheet cell, each part escaped as text is.
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) return csvCell(value.map((v) => csvText(String(v ?? ''))).join('; '));
  // Only text can carry a formula; a number such as -3 stays a number.
  const text = typeof value === 'string' ? csvText(value) : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvText = (value: string) => (formulaStart.test(value) ? `'${value}` : value);

/** A header row and the records, each line ended by CRLF. */
export const toCsv = (header: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  [header, ...rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');

const field = (row: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), row);

/** The reply body as CSV text, by the route's view. */
export function csvOf(view: CsvView, body: unknown): string {
  const reply = body as Record<string, unknown> | undefined;
  const list = reply?.[view.rows];
  const rows = Array.isArray(list) ? list : [];
  const cells = rows.map((row) => view.columns.map((c) => field(row, c)));
  const totals = view.totals ? reply?.[view.totals] : undefined;
  if (totals && typeof totals === 'object') cells.push(view.columns.map((c, i) => (i === 0 ? 'Total' : field(totals, c))));
  return `${view.bom ? '\uFEFF' : ''}${toCsv(view.columns, cells)}`;
}

/** The weight a client's Accept header gives one media type (exact match only; 0 when absent). */
function quality(accept: string, mediaType: string): number {
  let best = 0;
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (range !== mediaType) continue;
    const q = params.find((p) => p.startsWith('q='));
    best = Math.max(best, q ? Number(q.slice(2)) || 0 : 1);
  }
  return best;
}

export const formats = ['json', 'csv'] as const;
export type Format = (typeof formats)[number];

/** `?format=` wins; otherwise CSV only when Accept asks for text/csv above JSON (JSON is the default). */
export function negotiate(format: Format | undefined, accept: string | undefined): Format {
  if (format) return format;
  if (!accept) return 'json';
  return quality(accept, 'text/csv') > quality(accept, 'application/json') ? 'csv' : 'json';
}

/** A file name safe inside a quoted Content-Disposition parameter. */
export const safeFilename = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '-');
