import type { FieldError } from '../http/problem.ts';

// HTML forms: what a browser posts, and the GOV.UK way of saying what is wrong with it. A field's problem
// reads as its label followed by the API's own message ("Email address must be an email address"), so the
// site and the API never word a rule two ways.

export type Form = Record<string, string | string[]>;

/** `application/x-www-form-urlencoded`, with a repeated name (checkboxes) as a list. */
export function parseForm(body: string): Form {
  const out: Form = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = out[name];
    out[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return out;
}

/** One value of a field (the first, if it was sent more than once); absent or blank as undefined. */
export function field(form: Form, name: string): string | undefined {
  const v = form[name];
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s === '' ? undefined : s;
}

export const fields = (form: Form, name: string): string[] => [form[name] ?? []].flat().filter((v) => v.trim() !== '');

/** A GOV.UK date input's three boxes as YYYY-MM-DD, or what was typed, so the schema can say what is wrong. */
export function dateField(form: Form, name: string): string | undefined {
  const [d, m, y] = ['day', 'month', 'year'].map((p) => field(form, `${name}-${p}`) ?? '');
  if (!d && !m && !y) return undefined;
  if (/^\d{1,2}$/.test(d!) && /^\d{1,2}$/.test(m!) && /^\d{4}$/.test(y!)) return `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
  return `${y}-${m}-${d}`;
}

export const dateParts = (iso: string | undefined) => {
  const [year, month, day] = (iso ?? '').split('-');
  return { day: day ?? '', month: month ?? '', year: year ?? '' };
};

export interface FormErrors {
  /** For the error summary: each problem, linking to its field. */
  list: { text: string; href: string }[];
  /** For each field's own error message, by field name. */
  fields: Record<string, { text: string }>;
}

export interface FieldInfo { label: string; id?: string }

/**
 * The API's field errors as a form's: `paths` maps a schema path (`parent.email`) to the field's name in
 * the form and its label. A path with no field goes to the form's first field.
 */
export function formErrors(errors: readonly FieldError[], paths: Record<string, FieldInfo & { name: string }>, fallback?: string): FormErrors {
  const list: FormErrors['list'] = [];
  const byField: FormErrors['fields'] = {};
  for (const e of errors) {
    const known = paths[e.path] ?? Object.entries(paths).find(([p]) => e.path.startsWith(`${p}.`))?.[1];
    const target = known ?? (fallback ? paths[fallback] : undefined) ?? Object.values(paths)[0];
    if (!target || byField[target.name]) continue;
    const text = `${target.label} ${e.message}`;
    byField[target.name] = { text };
    list.push({ text, href: `#${target.id ?? target.name}` });
  }
  return { list, fields: byField };
}

/** One error, for a check the page makes itself (two sessions on one day, say). */
export const oneError = (name: string, text: string, id = name): FormErrors => ({ list: [{ text, href: `#${id}` }], fields: { [name]: { text } } });
