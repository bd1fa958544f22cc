import { agreements, christmasCodes, programmes, providers, sessions } from './demo-data.ts';

// Loads the demo data through the API, as the programme team would, so seeding exercises the
// real admin handlers and their validation. Every call is a PUT or an idempotent load: safe to rerun.

export interface SeedSummary {
  programmes: string[];
  providers: string[];
  sessions: number;
  eligibilityCodes: number;
  ms: number;
}

const concurrency = 8;

export async function seedDemoData(baseUrl: string, adminToken: string, now = new Date()): Promise<SeedSummary> {
  const started = Date.now();
  const call = (method: 'PUT' | 'POST', path: string, body: unknown) => send(baseUrl, adminToken, method, path, body);

  // Programmes and providers first: agreements and sessions refer to both.
  await inPool([
    ...programmes(now).map((p) => () => call('PUT', `/v1/admin/programmes/${p.id}`, p.input)),
    ...providers.map((p) => () => call('PUT', `/v1/admin/providers/${p.id}`, p.input)),
  ]);
  await inPool([
    ...agreements(now).map((a) => () => call('PUT', `/v1/admin/programmes/${a.programmeId}/agreements/${a.providerId}`, a.input)),
    ...sessions(now).map((s) => () => call('PUT', `/v1/admin/sessions/${s.id}`, s.input)),
  ]);
  await call('POST', '/v1/admin/eligibility-codes', { programmeId: 'haf-christmas-2026', codes: christmasCodes });

  return {
    programmes: programmes(now).map((p) => p.id),
    providers: providers.map((p) => p.id),
    sessions: sessions(now).length,
    eligibilityCodes: christmasCodes.length,
    ms: Date.now() - started,
  };
}

async function send(baseUrl: string, token: string, method: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // Demo data holds no personal data, so the problem document is safe to show in full.
  if (!res.ok) throw new Error(`Seeding failed: ${method} ${path} → ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
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
