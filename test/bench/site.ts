import { gzipSync } from 'node:zlib';
import type { LocalStack } from '../../infra/local/stack.ts';
import { bornYearsAgo } from '../support/clock.ts';
import { type Api, percentile } from './http.ts';
import { createProgramme, loadCodes } from './world.ts';

// The booking site warm: how long the site takes to answer each page of the journey (20 sequential requests
// a page, after one to warm it, through the local gateway; DynamoDB Local's calls included) and to render it
// (its Server-Timing), and what a phone downloads for each: the HTML, stylesheets and scripts, gzipped.

export interface SitePage { page: string; path: string; p50Ms: number; p95Ms: number; renderP95Ms: number; htmlGzBytes: number; totalGzBytes: number }

/** A browser's part: the session cookie, and the form token of the last page. */
class Visitor {
  private cookie = '';
  private csrf = '';
  constructor(private readonly url: string) {}

  async get(path: string): Promise<{ status: number; html: string; ms: number; renderMs: number }> {
    const started = performance.now();
    const res = await fetch(`${this.url}${path}`, { headers: this.cookie ? { cookie: this.cookie } : {}, redirect: 'manual' });
    const html = await res.text();
    const ms = performance.now() - started;
    this.remember(res);
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.csrf;
    const renderMs = Number(/render;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? Number.NaN);
    return { status: res.status, html, ms, renderMs };
  }

  async post(path: string, form: Record<string, string | string[]>): Promise<void> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...form, _csrf: this.csrf })) for (const one of [v].flat()) body.append(k, one);
    const res = await fetch(`${this.url}${path}`, {
      method: 'POST', redirect: 'manual', body,
      headers: { cookie: this.cookie, origin: this.url, 'content-type': 'application/x-www-form-urlencoded' },
    });
    await res.text();
    if (res.status !== 303) throw new Error(`POST ${path} answered ${res.status}, not a redirect to the next step`);
    this.remember(res);
  }

  private remember(res: Response) {
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
  }
}

const gz = (s: string) => gzipSync(Buffer.from(s)).length;

export async function siteFigures(stack: LocalStack, admin: Api, log: (s: string) => void): Promise<SitePage[]> {
  const { programmeId, sessions } = await createProgramme(admin, 'site', 20, 25);
  await loadCodes(admin, programmeId, ['SITE-BENCH-0001']);
  const v = new Visitor(stack.url);
  // A parent half way through: a holiday, a code, their details and a child, so every page has its data.
  await v.get('/programmes');
  await v.post('/programmes', { programmeId });
  await v.post('/eligibility/code', { code: 'SITE-BENCH-0001' });
  await v.post('/your-details', { firstName: 'Sam', lastName: 'Bench', email: 'sam.bench@example.org', postcode: 'LE19 4AD' });
  const [y, m, d] = bornYearsAgo(9).split('-');
  await v.post('/children/1', { firstName: 'Ada', lastName: 'Bench', 'dateOfBirth-day': d!, 'dateOfBirth-month': m!, 'dateOfBirth-year': y! });
  await v.post('/children/1/sessions', { shown: sessions.slice(0, 2).map((s) => s.id), sessionIds: sessions.slice(0, 2).map((s) => s.id) });

  const pages: [string, string][] = [['start', '/'], ['choose a holiday', '/programmes'], ['choose sessions (20)', '/children/1/sessions'], ['check your answers', '/check-answers']];
  const out: SitePage[] = [];
  for (const [page, path] of pages) {
    const first = await v.get(path!);
    if (first.status !== 200) throw new Error(`${path} answered ${first.status}`);
    const ms: number[] = [];
    const renders: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await v.get(path!);
      ms.push(r.ms);
      renders.push(r.renderMs);
    }
    ms.sort((a, b) => a - b);
    renders.sort((a, b) => a - b);
    // Everything the page loads: its stylesheets and scripts, by the addresses in its HTML.
    const assets = [...first.html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((a) => a[1]!);
    let assetBytes = 0;
    for (const a of assets) assetBytes += gz(await (await fetch(`${stack.url}${a}`)).text());
    out.push({
      page, path: path!, p50Ms: Math.round(percentile(ms, 50) * 10) / 10, p95Ms: Math.round(percentile(ms, 95) * 10) / 10,
      renderP95Ms: Math.round(percentile(renders, 95) * 10) / 10,
      htmlGzBytes: gz(first.html), totalGzBytes: gz(first.html) + assetBytes,
    });
  }
  log(`  site: ${out.map((p) => `${p.page} p95 ${p.p95Ms} ms`).join(', ')}`);
  return out;
}
