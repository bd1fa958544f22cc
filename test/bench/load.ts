import { readFile, writeFile } from 'node:fs/promises';

// The load generator, run as its own process (spawned by http.ts) so the requests cross loopback
// as parents' browsers' would and its own work does not share an event loop with the stack it measures.
// Usage: node --import tsx test/bench/load.ts <plan.json> <results.json>

export interface PlannedRequest { method: string; path: string; headers?: Record<string, string>; body?: unknown }
export interface LoadPlan { url: string; concurrency: number; timeoutMs: number; requests: PlannedRequest[] }
/** What one request got: `outcomes` are the booking statuses of a created application, in order. */
export interface LoadResult { status: number; ms: number; error?: string; reference?: string; outcomes?: string[] }
export interface LoadReport { wallMs: number; results: LoadResult[] }

async function fire(plan: LoadPlan, r: PlannedRequest): Promise<LoadResult> {
  const started = performance.now();
  try {
    const res = await fetch(`${plan.url}${r.path}`, {
      method: r.method,
      headers: { ...(r.body === undefined ? {} : { 'content-type': 'application/json' }), ...r.headers },
      body: r.body === undefined ? undefined : JSON.stringify(r.body),
      signal: AbortSignal.timeout(plan.timeoutMs),
    });
    const text = await res.text();
    const ms = performance.now() - started;
    // Only what the bench checks is kept: the results file stays small at thousands of requests.
    const json = (() => { try { return JSON.parse(text) as Record<string, unknown>; } catch { return undefined; } })();
    const children = (json?.children ?? []) as { bookings?: { status: string }[] }[];
    return {
      status: res.status, ms,
      ...(typeof json?.reference === 'string' ? { reference: json.reference } : {}),
      ...(res.status === 201 ? { outcomes: children.flatMap((c) => (c.bookings ?? []).map((b) => b.status)) } : {}),
      ...(res.status >= 400 ? { error: text.slice(0, 200) } : {}),
    };
  } catch (e) {
    return { status: 0, ms: performance.now() - started, error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

async function main() {
  const [planPath, outPath] = process.argv.slice(2);
  if (!planPath || !outPath) throw new Error('usage: load.ts <plan.json> <results.json>');
  const plan = JSON.parse(await readFile(planPath, 'utf8')) as LoadPlan;
  const results: LoadResult[] = new Array(plan.requests.length);
  let next = 0;
  const started = performance.now();
  // A fixed pool of workers: at most `concurrency` requests in flight, each worker takes the next one.
  const worker = async () => {
    while (next < plan.requests.length) {
      const i = next++;
      results[i] = await fire(plan, plan.requests[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(plan.concurrency, plan.requests.length)) }, worker));
  const report: LoadReport = { wallMs: performance.now() - started, results };
  await writeFile(outPath, JSON.stringify(report));
}

await main();
