import { council } from '../../shared/council/profile.ts';
import {
  agreements, codePrefix, demoCodes, programmes, providers, referralAgreements, referralProgrammes, referralProviders, sessions,
} from './demo-data.ts';
import { seedFinanceDemo, type FinanceDemoSummary, type FinanceDemoTools } from './demo-finance.ts';

// Loads the demo data through the API, as the programme team would, so seeding exercises the
// real admin handlers and their validation. Every call is a PUT or an idempotent load: safe to rerun.

export interface SeedSummary {
  programmes: string[];
  /** The programme booking is open for, whose codes these are. */
  bookable: string;
  providers: string[];
  sessions: number;
  /** Made by the service (unguessable): npm start writes them to .local/demo-codes.txt. */
  eligibilityCodes: { code: string; outcome: string }[];
  /** The soonest programme's families, registers and payments, when the stack's tools were given. */
  finance?: FinanceDemoSummary;
  ms: number;
}

const concurrency = 8;

export async function seedDemoData(
  baseUrl: string, adminToken: string, now = new Date(), extraHeaders: Record<string, string> = {}, tools?: FinanceDemoTools,
): Promise<SeedSummary> {
  const started = Date.now();
  const profile = council();
  const call = (method: 'PUT' | 'POST', path: string, body: unknown, token: string | undefined = adminToken, headers: Record<string, string> = {}) =>
    send(baseUrl, { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extraHeaders, ...headers }, method, path, body);
  const run = (method: 'PUT' | 'POST', path: string, body: unknown) => async () => { await call(method, path, body); };

  // Programmes and providers first: agreements and sessions refer to both.
  await inPool([
    ...programmes(now).map((p) => run('PUT', `/v1/admin/programmes/${p.id}`, p.input)),
    ...providers(profile).map((p) => run('PUT', `/v1/admin/providers/${p.id}`, p.input)),
    // Active Families and the Youth Card: a programme of each, and their providers.
    ...referralProgrammes(now).map((p) => run('PUT', `/v1/admin/programmes/${p.id}`, p.input)),
    ...referralProviders(profile).map((p) => run('PUT', `/v1/admin/providers/${p.id}`, p.input)),
  ]);
  await inPool([
    ...agreements(profile, now).map((a) => run('PUT', `/v1/admin/programmes/${a.programmeId}/agreements/${a.providerId}`, a.input)),
    ...sessions(profile, now).map((s) => run('PUT', `/v1/admin/sessions/${s.id}`, s.input)),
    ...referralAgreements(profile, now).map((a) => run('PUT', `/v1/admin/programmes/${a.programmeId}/agreements/${a.providerId}`, a.input)),
  ]);
  const codes: SeedSummary['eligibilityCodes'] = [];
  const bookable = programmes(now)[0]!;
  for (const { count, outcome } of demoCodes) {
    const made = await call('POST', '/v1/admin/eligibility-codes', { programmeId: bookable.id, generate: { count, outcome, prefix: codePrefix(bookable.season) } });
    codes.push(...(made as { codes: SeedSummary['eligibilityCodes'] }).codes);
  }

  // Finance's demo (families, registers, payments) needs the stack's clock and tokens.
  const finance = tools ? await seedFinanceDemo((m, path, body, token, headers) => call(m, path, body, token === null ? '' : token, headers), profile, now, tools) : undefined;

  return {
    programmes: [...programmes(now), ...referralProgrammes(now)].map((p) => p.id),
    bookable: bookable.id,
    providers: [...providers(profile), ...referralProviders(profile)].map((p) => p.id),
    sessions: sessions(profile, now).length,
    eligibilityCodes: codes,
    ...(finance ? { finance } : {}),
    ms: Date.now() - started,
  };
}

async function send(baseUrl: string, headers: Record<string, string>, method: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // Demo data holds no personal data, so the problem document is safe to show in full.
  if (!res.ok) throw new Error(`Seeding failed: ${method} ${path} → ${res.status} ${await res.text()}`);
  return res.json();
}

/** Runs the tasks with at most `concurrency` in flight; the first failure rejects (after the rest settle). */
async function inPool(tasks: (() => Promise<void>)[]): Promise<void> {
  const queue = [...tasks];
  const errors: unknown[] = [];
  const worker = async () => {
    for (let task = queue.shift(); task; task = queue.shift()) await task().catch((e: unknown) => errors.push(e));
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (errors.length > 0) throw errors[0];
}
