import { createServer, type AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadPlan, LoadReport } from './load.ts';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const benchDir = join(projectRoot, '.bench');

// biome-ignore-start lint/suspicious/noExplicitAny: the bench reads answers to requests it has just made; typing each shape would add nothing.
export interface Api {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any }>;
  /** The same, failing loudly unless the answer is 2xx: setup must not go wrong silently. */
  must(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<any>;
}
// biome-ignore-end lint/suspicious/noExplicitAny: see above

export function api(url: string, token?: string): Api {
  const call: Api['call'] = async (method, path, body, headers = {}) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let json: unknown;
    try { json = JSON.parse(text); } catch { json = text; }
    return { status: res.status, json };
  };
  return {
    call,
    must: async (method, path, body, headers) => {
      const r = await call(method, path, body, headers);
      if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status}: ${JSON.stringify(r.json).slice(0, 500)}`);
      return r.json;
    },
  };
}

/** Runs a plan from a second process (load.ts), killed if it outlives `limitMs`. */
export async function runLoad(plan: LoadPlan, name: string, limitMs = 300_000): Promise<LoadReport> {
  const dir = join(benchDir, 'load');
  await mkdir(dir, { recursive: true });
  const planPath = join(dir, `${name}.plan.json`);
  const outPath = join(dir, `${name}.results.json`);
  await writeFile(planPath, JSON.stringify(plan));
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/bench/load.ts'), planPath, outPath], {
      cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`load generator exited with ${signal ?? code} (limit ${limitMs / 1000} s)`));
    });
  });
  return JSON.parse(await readFile(outPath, 'utf8')) as LoadReport;
}

export const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
export const median = (xs: readonly number[]) => percentile([...xs].sort((a, b) => a - b), 50);

/** A port free on every interface (DynamoDB Local binds them all). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
