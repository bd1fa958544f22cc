import * as z from 'zod/mini';
import { council } from '../council/profile.ts';
import { dateInLondon } from '../domain/calendar.ts';
import { built, lazily } from './lazily.ts';

// The primitives every schema is made of. zod/mini: the same zod (validation, types, the OpenAPI
// document, the messages), a fraction of the bundle and of the cold start (issue 11, README Performance).
// Each is built when a schema that holds it first parses or is described, like the composites: a function
// builds only the leaves its first request reads, and zod compiles only the kinds of check those use.

/**
 * A district of the council's (its profile), matched without regard to case so `?district=melton` works
 * from a link. Built when first used, from the deployment's profile.
 */
export const District = z.lazy(() => {
  const { districts } = council();
  return z.pipe(
    z.transform((v: unknown) => (typeof v === 'string' ? (districts.find((d) => d.toLowerCase() === v.trim().toLowerCase()) ?? v) : v)),
    z.enum(districts as [string, ...string[]], 'is not one of the council\'s districts'),
  );
});

/** Ids chosen by the programme team (`haf-summer-2026`): short, URL-safe, lower case. */
export const Slug = lazily(() => z.string().check(
  z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'use 1–64 lower-case letters, digits and hyphens, starting with a letter or digit'),
));

/**
 * A pattern with Unicode property classes (`\p{L}`), made when its schema is built: written as a literal, V8 checks
 * the classes against ICU as it compiles the bundle, about 1 ms of every cold start (decision 006), names or not.
 */
export const unicodePattern = (source: string) => new RegExp(source, 'u');

const texts = new Map<number, z.ZodMiniLazy<z.ZodMiniString>>();

/** Free text that people type: any Unicode except control characters, trimmed, bounded. One schema per bound. */
export function Text(max: number): z.ZodMiniLazy<z.ZodMiniString> {
  let text = texts.get(max);
  if (!text) {
    text = lazily(() => z.string().check(
      z.trim(), z.minLength(1, 'is required'), z.maxLength(max, `must be at most ${max} characters`),
      z.regex(unicodePattern('^[^\\p{Cc}]*$'), 'must not contain control characters'),
    ));
    texts.set(max, text);
  }
  return text;
}

/** A refinement that runs only on a value that passed the checks before it: one message per field. */
const wellFormed = { when: (p: { issues: unknown[] }) => p.issues.length === 0 };

/**
 * Personal names: letters and marks of any script, spaces, apostrophes, hyphens and full stops
 * (O'Brien-Smith, Zoë, Nguyễn, J. R.). Nothing else, so a name shown in an email can never be a link.
 */
export const PersonName = lazily(() => z.string().check(
  z.trim(),
  z.minLength(1, 'is required'),
  z.overwrite((s) => s.replace(/ {2,}/g, ' ')),
  z.maxLength(100, 'must be at most 100 characters'),
  // One class with the space in it: the name is trimmed and its runs of spaces made one by now, so this is
  // "words of those characters, one space apart", and V8 builds the Unicode class once (0.25 ms of a cold start).
  z.regex(unicodePattern("^[\\p{L}\\p{M}'’.‐ -]+$"), 'may only contain letters, spaces, apostrophes, hyphens and full stops'),
  z.refine((s) => /\p{L}/u.test(s), { message: 'must contain a letter', ...wellFormed }),
  // `evil.example` would be made a link by mail programs; initials (`A.J.`, `J. R.`) are fine.
  z.refine((s) => !/\.\p{L}{2}/u.test(s), { message: 'must not look like a web address', ...wellFormed }),
));

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

const dateChecks = () => [z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD'), z.refine<string>(isRealDate, 'must be a real calendar date')] as const;
export const IsoDate = lazily(() => z.string().check(...dateChecks()));

/** Today in London by the real clock: only to tell a date of birth from a typing slip, never to decide a rule. */
const todayInLondon = () => dateInLondon(new Date());

/** A date of birth: a real date, not in the future and not before 1900 (2100, 1800 and 9999 are typing slips). */
export const DateOfBirth = lazily(() => z.string().check(
  ...dateChecks(),
  z.refine((s) => s >= '1900-01-01', { message: 'must be after 1900', ...wellFormed }),
  z.refine((s) => s <= todayInLondon(), { message: 'must not be in the future', ...wellFormed }),
));

export const ClockTime = lazily(() => z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM (24-hour)')));

export const Timestamp = lazily(() => z.iso.datetime({ offset: true, message: 'must be an ISO 8601 timestamp' }));

/** A timestamp someone sends, kept in one form (UTC, milliseconds) so stored values compare as text. */
export const TimestampInput = lazily(() => z.pipe(Timestamp, z.transform((s: string) => new Date(s).toISOString())));

export const Email = lazily(() => z.email('must be an email address').check(z.maxLength(254)));

/** UK postcode, normalised to upper case with one space before the inward code. */
export const Postcode = lazily(() => z.pipe(
  z.pipe(z.string().check(z.trim()), z.transform((s) => s.toUpperCase().replace(/\s+/g, ''))),
  z.pipe(z.string().check(z.regex(/^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/, 'must be a UK postcode')), z.transform((s) => `${s.slice(0, -3)} ${s.slice(-3)}`)),
));

export const Pence = lazily(() => z.int('must be whole pence').check(z.minimum(0), z.maximum(1_000_000_000_00)));

/**
 * A share from 0 to `max`, to at most 4 decimal places: finer means nothing to finance, and DynamoDB keeps no
 * number below 1e-130 (a share of 5e-324 was a 500). multipleOf documents it; the refine does it, float-safe.
 */
export const Share = (max = 1, message?: string) => z.number().check(
  z.minimum(0), z.maximum(max, message), z.multipleOf(0.0001),
  z.refine((n) => Number(n.toFixed(4)) === n, 'must have at most 4 decimal places'),
);

/** Query-string booleans arrive as text. */
export const QueryBoolean = lazily(() => z.pipe(z.enum(['true', 'false']), z.transform((s) => s === 'true')));

export const Limit = lazily(() => z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200)), 50));
export const Cursor = lazily(() => z.string().check(z.maxLength(1024), z.regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor this API issued')));

/** A list's query: a page of `limit` from `cursor`, and the list's own filters. One object, not an extended one: a first request compiles less of zod. */
export const paged = <S extends Record<string, z.ZodMiniType>>(filters: S) => z.object({ limit: Limit, cursor: z.optional(Cursor), ...filters });

export const listOf = <T extends z.ZodMiniType>(item: T) => z.object({ items: z.array(item), nextCursor: z.optional(z.string()) });

/** Text describing a field in the OpenAPI document; of a schema built when first used, when the description is first needed. */
export const described = <T extends z.ZodMiniType>(schema: T, description: string): T => (schema._zod.def.type === 'lazy'
  ? lazily(() => built(schema as unknown as z.ZodMiniLazy<z.ZodMiniType>).check(z.describe(description))) as unknown as T
  : schema.check(z.describe(description)) as T);

export const Problem = lazily(() => z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.optional(z.string()),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  reason: z.optional(z.string().check(z.describe('a code to branch on, where the route names them (a Youth Card visit: expired, notYetValid, usedUp, issuedElsewhere)'))),
}));
export type Problem = z.infer<typeof Problem>;

// The words for every problem a schema does not name itself: zod/mini carries no messages of its own
// ("Invalid input" for all), and these are read by parents on the booking site as well as by developers.
// A schema's own message (`'must be a UK postcode'`) always wins over these.
const kinds: Record<string, string> = {
  string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'an object',
  date: 'a date', bigint: 'a whole number', null: 'empty (null)',
};
const formats: Record<string, string> = {
  email: 'an email address', url: 'a web address', uuid: 'an id like 3f2c…-…', datetime: 'an ISO 8601 timestamp', date: 'a date as YYYY-MM-DD',
};
const list = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');
const amount = (n: number | bigint, unit: string) => (unit ? `${n} ${unit}${Number(n) === 1 ? '' : 's'}` : String(n));

function message(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? 'is required' : `must be ${kinds[iss.expected] ?? iss.expected}`;
    case 'too_small': {
      const unit = iss.origin === 'string' ? 'character' : iss.origin === 'array' || iss.origin === 'set' ? 'item' : '';
      if (unit === 'character' && Number(iss.minimum) === 1) return 'is required';
      return `must be ${iss.inclusive === false ? 'more than' : 'at least'} ${amount(iss.minimum, unit)}`;
    }
    case 'too_big': {
      const unit = iss.origin === 'string' ? 'character' : iss.origin === 'array' || iss.origin === 'set' ? 'item' : '';
      return `must be ${iss.inclusive === false ? 'less than' : 'at most'} ${amount(iss.maximum, unit)}`;
    }
    case 'invalid_value':
      return iss.values.length === 1 ? `must be ${list(iss.values)}` : iss.values.length <= 12 ? `must be one of ${list(iss.values)}` : 'is not one of the values allowed';
    case 'invalid_format':
      return `must be ${formats[iss.format] ?? 'in the expected form'}`;
    case 'not_multiple_of':
      return `must be a multiple of ${iss.divisor}`;
    case 'unrecognized_keys':
      return `has ${iss.keys.length === 1 ? 'a field' : 'fields'} this API does not take: ${iss.keys.join(', ')}`;
    case 'invalid_union':
      return 'does not match any of the forms allowed';
    default:
      return undefined;
  }
}

z.config({ customError: message });
