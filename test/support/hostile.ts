import fc from 'fast-check';
import * as z from 'zod/mini';

// Requests made from a route's own schemas (as JSON Schema, the form the OpenAPI document already uses), so a
// route added to the table is fuzzed without anyone writing a generator for it. `shaped` gives values that
// follow the schema (often valid, so they reach the handler); `hostile` breaks it in one place at a time.

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

export const jsonSchemaOf = (schema: z.ZodMiniType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;

/** Known good values by property name (ids of the test's own records), mixed in so requests get past lookups. */
export type Hints = Record<string, readonly string[]>;

const isoDate = /^\^\\d\{4\}-\\d\{2\}-\\d\{2\}\$$/;
const dayMs = 86_400_000;

/** Strings that have broken parsers, logs, emails, spreadsheets or databases somewhere. */
export const nastyStrings = [
  '', ' ', '\t', '\u0000', 'a\u0000b', '\u202Eevil\u202C', 'Zo\u200Bë', '\u200D\u200C\uFEFF', '\uD800', '\uDFFF', 'x\uD83D', '🧒🏽‍🦱',
  'e\u0301\u0301\u0301\u0301', 'עברית', 'العربية', 'ǅ', 'İı', '\r\nBcc: victim@example.org', '<script>alert(1)</script>', '"\'\\',
  "Robert'); DROP TABLE children;--", '=HYPERLINK("http://x")', '+1', '-1', '@SUM(A1)', '../../etc/passwd', '%00', '%zz', '$' + '{7*7}', '{{7*7}}',
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'null', 'undefined', 'NaN', 'true', '0', '-0', '1e999', '0x10',
  'PK#x', 'REQUEST#x', '#', 'https://evil.example/phish', 'javascript:alert(1)',
] as const;

/** Property names that trip up object handling. */
export const nastyKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '', ' ', '\u0000', 'a.b', '0', 'pk', 'sk'] as const;

const wrongValues: unknown[] = [null, true, false, 0, -1, 1.5, '', 'x', [], {}, [null], { a: 1 }, [[[]]], '0', 'true'];

/** A JSON value nested `depth` deep, in arrays or objects. */
export const deep = (depth: number, kind: 'array' | 'object'): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
};

/** An object with these entries as own properties, `__proto__` included (a literal would set the prototype). */
const own = (entries: [string, unknown][]) => Object.fromEntries(entries) as Record<string, unknown>;

const types = (s: JsonSchema) => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

function shapedString(s: JsonSchema, hint?: readonly string[]): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? Math.max(min, 40);
  let base: fc.Arbitrary<string>;
  if (s.pattern && isoDate.test(`^${s.pattern.slice(1, -1)}$`)) {
    // Real dates near today as well as pattern-shaped nonsense like 2026-13-45.
    const now = Date.now();
    base = fc.oneof(
      fc.integer({ min: -20 * 366, max: 400 }).map((d) => new Date(now + d * dayMs).toISOString().slice(0, 10)),
      fc.stringMatching(new RegExp(s.pattern, 'u')),
    );
  } else if (s.pattern) {
    base = fc.stringMatching(new RegExp(s.pattern, 'u')).map((v) => (v.length > max ? v.slice(0, max) : v));
  } else if (s.format === 'email') {
    base = fc.emailAddress();
  } else if (s.format === 'uuid') {
    base = fc.uuid();
  } else if (s.format === 'date-time') {
    base = fc.integer({ min: -400, max: 400 }).map((d) => new Date(Date.now() + d * dayMs).toISOString());
  } else {
    base = fc.string({ minLength: min, maxLength: Math.min(max, 60), unit: 'grapheme' });
  }
  return hint?.length ? fc.oneof({ arbitrary: fc.constantFrom(...hint), weight: 2 }, { arbitrary: base, weight: 1 }) : base;
}

function shapedNumber(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : Number.EPSILON) : -1_000_000);
  const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : Number.EPSILON) : 1_000_000);
  return integer
    ? fc.integer({ min: Math.ceil(Math.max(min, Number.MIN_SAFE_INTEGER)), max: Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER)) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Values that follow the schema: types, required fields, enums, patterns and lengths (often valid, never guaranteed). */
export function shaped(s: JsonSchema, hints: Hints = {}, name?: string): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const union = s.anyOf ?? s.oneOf;
  if (union) return fc.oneof(...union.map((u) => shaped(u, hints, name)));
  const t = types(s);
  if (t.includes('object') || s.properties) {
    const props = s.properties ?? {};
    const model = Object.fromEntries(Object.entries(props).map(([k, p]) => [k, shaped(p, hints, k)]));
    return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
  }
  if (t.includes('array')) {
    const minLength = s.minItems ?? 0;
    return fc.array(shaped(s.items ?? {}, hints, name), { minLength, maxLength: Math.max(minLength, Math.min(s.maxItems ?? 4, 4)) });
  }
  if (t.includes('string')) return shapedString(s, name ? hints[name] : undefined);
  if (t.includes('integer')) return shapedNumber(s, true);
  if (t.includes('number')) return shapedNumber(s, false);
  if (t.includes('boolean')) return fc.boolean();
  if (t.includes('null')) return fc.constant(null);
  return fc.jsonValue({ maxDepth: 2 });
}

/** A value of the wrong kind for this schema (or just an odd one where anything goes). */
const wrongType = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...wrongValues), weight: 4 },
    { arbitrary: fc.constantFrom(...nastyStrings), weight: 2 },
    { arbitrary: fc.constantFrom(deep(64, 'array'), deep(64, 'object'), deep(3000, 'array')), weight: 1 },
  );

function hostileString(s: JsonSchema, hint?: readonly string[]): fc.Arbitrary<unknown> {
  const min = s.minLength ?? 0;
  const lengths = [s.maxLength, s.maxLength !== undefined ? s.maxLength + 1 : undefined, min > 0 ? min - 1 : undefined, 5_000, 60_000]
    .filter((n): n is number => n !== undefined);
  const valid = shapedString(s, hint);
  return fc.oneof(
    fc.constantFrom(...nastyStrings),
    // A valid value with something hostile before, after or inside it.
    fc.tuple(valid, fc.constantFrom(...nastyStrings), fc.nat(3)).map(([v, n, at]) =>
      at === 0 ? n + v : at === 1 ? v + n : `${v.slice(0, 1)}${n}${v.slice(1)}`),
    fc.tuple(fc.constantFrom(...lengths), fc.constantFrom('a', 'é', '𝒜', '\u200B', ' ', 'e\u0301')).map(([n, c]) => c.repeat(Math.ceil(n / c.length)).slice(0, n)),
    fc.string({ unit: 'binary', maxLength: 30 }),
    wrongType(),
  );
}

function hostileNumber(s: JsonSchema, integer: boolean): fc.Arbitrary<unknown> {
  const edges = [s.minimum, s.maximum, s.exclusiveMinimum, s.exclusiveMaximum].filter((n): n is number => n !== undefined)
    .flatMap((n) => [n - 1, n, n + 1, n - 0.5, n + 0.5]);
  return fc.oneof(
    fc.constantFrom(...edges, 0, -0, 0.1, -1, 2 ** 31, -(2 ** 31), 2 ** 53 + 2, 1e21, 1e308, -1e308, 5e-324),
    shapedNumber(s, integer).map((n) => String(n)),
    integer ? fc.double({ noNaN: true, noDefaultInfinity: true }) : fc.constant('1'),
    wrongType(),
  );
}

/** The schema broken in one place: a wrong type, a missing or extra field, a boundary or hostile value. */
export function hostile(s: JsonSchema, hints: Hints = {}, name?: string): fc.Arbitrary<unknown> {
  if (s.const !== undefined || s.enum) {
    const known = s.enum ?? [s.const];
    return fc.oneof(fc.constantFrom(...known.map((v) => (typeof v === 'string' ? v.toLowerCase() : String(v))), ...known.map((v) => ` ${String(v)}`)), wrongType());
  }
  const union = s.anyOf ?? s.oneOf;
  if (union) return fc.oneof(...union.map((u) => hostile(u, hints, name)), fc.tuple(...union.map((u) => shaped(u, hints, name))).map((vs) => Object.assign({}, ...vs)));
  const t = types(s);
  if (t.includes('object') || s.properties) {
    const props = s.properties ?? {};
    const keys = Object.keys(props);
    const whole = shaped(s, hints, name) as fc.Arbitrary<Record<string, unknown>>;
    const options: fc.Arbitrary<unknown>[] = [
      wrongType(),
      // An extra field, with a name that trips up objects or an odd value.
      fc.tuple(whole, fc.oneof(fc.constantFrom(...nastyKeys), fc.string({ maxLength: 8 })), fc.oneof(wrongType(), fc.jsonValue({ maxDepth: 2 })))
        .map(([v, k, x]) => own([...Object.entries(v), [k, x]])),
      fc.tuple(whole, fc.constantFrom(...nastyKeys)).map(([v, k]) => own([...Object.entries(v), [k, { polluted: true, isAdmin: true, toString: 1 }]])),
    ];
    const required = (s.required ?? []).filter((k) => k in props);
    if (required.length) {
      options.push(fc.tuple(whole, fc.constantFrom(...required)).map(([v, k]) => own(Object.entries(v).filter(([key]) => key !== k))));
    }
    if (keys.length) {
      // One field made hostile, the others shaped.
      options.push(fc.constantFrom(...keys).chain((k) =>
        fc.tuple(whole, hostile(props[k]!, hints, k)).map(([v, bad]) => own([...Object.entries(v).filter(([key]) => key !== k), [k, bad]]))));
      options.push(fc.constantFrom(...keys).chain((k) => fc.tuple(whole, fc.constantFrom(null, undefined)).map(([v, x]) => own([...Object.entries(v), [k, x]]))));
    }
    return fc.oneof(...options);
  }
  if (t.includes('array')) {
    const item = s.items ?? {};
    const many = (s.maxItems ?? 200) + 1;
    return fc.oneof(
      wrongType(),
      fc.tuple(fc.array(shaped(item, hints, name), { minLength: 0, maxLength: 3 }), hostile(item, hints, name)).map(([v, bad]) => [...v, bad]),
      fc.constant([]),
      shaped(item, hints, name).map((v) => Array.from({ length: many }, () => v)),
      shaped(item, hints, name).map((v) => [v, v]),
    );
  }
  if (t.includes('string')) return hostileString(s, name ? hints[name] : undefined);
  if (t.includes('integer')) return hostileNumber(s, true);
  if (t.includes('number')) return hostileNumber(s, false);
  return wrongType();
}

/** Query strings from a query schema: parameters as pairs, so a key can come twice. */
export type Pairs = [string, string][];

const asQueryValue = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');

export function shapedQuery(s: JsonSchema, hints: Hints = {}): fc.Arbitrary<Pairs> {
  return (shaped(s, hints) as fc.Arbitrary<Record<string, unknown>>).map((v) =>
    Object.entries(v ?? {}).filter(([, x]) => x !== undefined).map(([k, x]) => [k, asQueryValue(x)] as [string, string]));
}

export function hostileQuery(s: JsonSchema, hints: Hints = {}): fc.Arbitrary<Pairs> {
  const props = Object.keys(s.properties ?? {});
  const valid = shapedQuery(s, hints);
  const options: fc.Arbitrary<Pairs>[] = [
    (hostile(s, hints) as fc.Arbitrary<unknown>).map((v) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, asQueryValue(x)] as [string, string])
        : [['q', asQueryValue(v)]]),
    fc.tuple(valid, fc.constantFrom(...nastyKeys, 'format', 'limit', 'cursor', 'x[]', 'a[b]'), fc.constantFrom(...nastyStrings)).map(([v, k, x]) => [...v, [k, x]]),
    fc.tuple(valid, fc.constantFrom('limit', 'cursor'), fc.constantFrom('0', '-1', '201', '1e3', 'abc', '', '%', 'eyJ9', 'x'.repeat(2000), 'e30', 'eyJwayI6IlBLIyJ9'))
      .map(([v, k, x]) => [...v, [k, x]]),
  ];
  // The same key twice: API Gateway joins the values with a comma.
  if (props.length) options.push(fc.tuple(valid, fc.constantFrom(...props), fc.constantFrom('a', '1', 'HAF', '')).map(([v, k, x]) => [...v, [k, x], [k, x]]));
  return fc.oneof(...options);
}
