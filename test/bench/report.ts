import type { ColdStart } from './coldstart.ts';
import type { CommandRow, perPlace } from './cost.ts';
import { rates } from './cost.ts';
import type { RushFigures } from './rush.ts';
import type { ScalePoint } from './scale.ts';
import type { SitePage } from './site.ts';
import type { StraightFigures } from './straight.ts';

// The printed table and the targets, from the same object that is written to .bench/latest.json.

export interface Target { name: string; value: string; target: string; ok: boolean }
type Cost = ReturnType<typeof perPlace>;

export interface BenchResult {
  date: string;
  machine: Record<string, string | number>;
  options: Record<string, unknown>;
  durationS: number;
  rush?: Omit<RushFigures, 'usage'> & { hot?: Omit<RushFigures, 'usage'> };
  rushes: (Omit<RushFigures, 'usage'> & { variant: string })[];
  site?: SitePage[];
  /** The local stack's own overhead: booking transactions straight to DynamoDB Local against those through the stack. */
  localOverhead?: { straight: StraightFigures; throughStack: { applicationsPerS: number; placesPerS: number; transactionsPerS: number; concurrency: number }; ratio: number };
  cost?: Cost & { rates: typeof rates; uncontested?: Cost; emails?: Cost; byCommand: CommandRow[]; uncontestedByCommand?: CommandRow[]; attendance?: ScalePoint[]; notes: string[] };
  coldStart: ColdStart[];
  scale: { points: ScalePoint[]; todo?: string };
  targets: Target[];
}

const kb = (n: number) => `${(n / 1000).toFixed(0)} kB`;

/** The site carries its precompiled views and stylesheet: it has a budget of its own (issue 11). */
export const coldLimits = (fn: string) => (fn === 'site' ? { bytes: 800_000, ratio: 2 } : { bytes: 450_000, ratio: 1.25 });
const tick = (ok: boolean) => (ok ? '✓' : '✗');

export function targets(r: BenchResult): Target[] {
  const t: Target[] = [];
  for (const run of r.rushes) {
    t.push({ name: `overbooked, ${run.variant} c=${run.concurrency}`, value: String(run.overbooked), target: '= 0', ok: run.overbooked === 0 });
    t.push({ name: `lost, ${run.variant} c=${run.concurrency}`, value: String(run.lost), target: '= 0', ok: run.lost === 0 });
  }
  if (r.cost) {
    const { uncontested: u } = r.cost;
    // A meter that saw no call would pass every unit target: that is a broken bench, not a cheap booking.
    t.push({ name: 'DynamoDB calls metered (rush)', value: String(r.cost.requestsPerApplication), target: '> 0 per application', ok: r.cost.requestsPerApplication > 0 });
    if (u) {
      t.push({ name: 'WRU per confirmed place (uncontested)', value: String(u.wruPerPlace), target: '≤ 7', ok: u.wruPerPlace <= 7 });
      t.push({ name: 'WRU per application (uncontested)', value: String(u.wruPerApplication), target: '≤ 14', ok: u.wruPerApplication <= 14 });
      const limit = Math.round(1.3 * u.wruPerApplication * 100) / 100;
      t.push({ name: `WRU per application (rush c=${r.rushes[0]?.concurrency})`, value: String(r.cost.wruPerApplication), target: `≤ 1.3 × uncontested = ${limit}`, ok: r.cost.wruPerApplication <= limit });
      t.push({ name: 'RRU per confirmed place (uncontested)', value: String(u.rruPerPlace), target: '≤ 4', ok: u.rruPerPlace <= 4 });
    }
  }
  for (const c of r.coldStart.filter((c) => c.function !== 'floor')) {
    const limit = coldLimits(c.function);
    t.push({ name: `bundle ${c.function}`, value: kb(c.bundleBytes), target: `≤ ${kb(limit.bytes)}`, ok: c.bundleBytes <= limit.bytes });
    t.push({ name: `initRatio ${c.function}`, value: String(c.initRatio), target: `≤ ${limit.ratio}`, ok: c.initRatio <= limit.ratio });
  }
  for (const p of r.site ?? []) {
    t.push({ name: `site ${p.page}: render p95`, value: `${p.renderP95Ms} ms`, target: '≤ 50 ms', ok: p.renderP95Ms <= 50 });
    t.push({ name: `site ${p.page}: HTML + CSS + JS gzipped`, value: kb(p.totalGzBytes), target: '< 100 kB', ok: p.totalGzBytes < 100_000 });
  }
  // One line per route measured: the attendance list, and finance's reconciliation.
  for (const route of new Set(r.scale.points.map((p) => p.route))) {
    const pts = r.scale.points.filter((p) => p.route === route);
    if (pts.length < 2) continue;
    const flat = pts.every((p) => p.requestsPerList === pts[0]!.requestsPerList && p.rruPerList === pts[0]!.rruPerList && p.scans === 0);
    const what = route.includes('reconciliation') ? 'reconciliation' : r.scale.todo ? 'session listing' : 'attendance';
    t.push({ name: `${what} requests/RRU vs table size`, value: pts.map((p) => `${p.requestsPerList}/${p.rruPerList}`).join(', '), target: 'same at every size, no Scan', ok: flat });
  }
  return t;
}

function table(rows: (string | number)[][]): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ').trimEnd());
}

export function print(r: BenchResult): string {
  const out: string[] = [`npm run bench — ${r.date} — ${r.machine.cpu} × ${r.machine.cores}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node} — ${r.durationS} s`, ''];
  if (r.rushes.length) {
    out.push('THE RUSH (applications fired from a second process over loopback; figures read back from the table)');
    out.push(...table([
      ['run', 'c', 'apps', 'places', 'asked', 'confirmed', 'waitlisted', 'rejected', 'overbooked', 'lost', '(retry ok)', 'emails sent/owed', 'tx (cancelled)', 'apps/s', 'p50 ms', 'p95 ms', 'p99 ms'],
      ...r.rushes.map((x) => [x.variant, x.concurrency, x.applications, x.places, x.attempts, x.confirmed, x.waitlisted, x.rejected,
        `${x.overbooked} ${tick(x.overbooked === 0)}`, `${x.lost} ${tick(x.lost === 0)}`, x.recoveredByRetry, `${x.emailsSent}/${x.emailsOwed}`,
        `${x.transactions} (${x.transactionsCancelled})`, x.throughputPerS, x.p50Ms, x.p95Ms, x.p99Ms]),
    ]));
    const lostOnes = r.rushes.filter((x) => x.lost > 0);
    for (const x of lostOnes) out.push(`  lost in ${x.variant} c=${x.concurrency}, e.g. ${x.lostDetail.slice(0, 2).join(' | ').slice(0, 200)}`);
    out.push('  asked = booking outcomes in 201 answers; lost = no outcome (non-2xx, network error, or 201 not complete in the table); retry ok = lost requests answered 201 on one retry with the same Idempotency-Key', '');
  }
  if (r.cost) {
    const c = r.cost;
    out.push(`COST PER CONFIRMED PLACE (ReturnConsumedCapacity on every call; on demand at ${rates.region}: $${rates.wruPerMillion}/M WRU, $${rates.rruPerMillion}/M RRU)`);
    const line = (name: string, x: Cost) => [name, x.places, x.applications, x.wruPerPlace, x.wruPerPlaceWithoutFailed, x.rruPerPlace,
      x.wruPerApplication, x.rruPerApplication, x.requestsPerApplication, `${Math.round(x.computedWruShare * 100)}%`, `$${x.usdPer1000Places.toFixed(4)}`];
    out.push(...table([
      ['scope', 'places', 'apps', 'WRU/place', '(no failed)', 'RRU/place', 'WRU/app', 'RRU/app', 'requests/app', 'WRU computed', '$ per 1,000 places'],
      line(`rush c=${r.rushes[0]?.concurrency}`, c),
      ...(c.uncontested ? [line('uncontested (no session full)', c.uncontested)] : []),
      ...(c.emails ? [line('emails (notifier; "app" = email)', c.emails)] : []),
    ]));
    const byCommand = (title: string, rows: CommandRow[]) => [`  where the units go (${title}):`,
      ...table([['  function', 'command', 'calls', 'failed', 'WRU', '(computed)', '(of failed calls)', 'RRU'],
        ...rows.slice(0, 12).map((b) => [`  ${b.label}`, b.command, b.calls, b.failed, Math.round(b.wru), Math.round(b.computedWru), Math.round(b.failedWru), Math.round(b.rru)])])];
    out.push(...byCommand('rush', c.byCommand));
    if (c.uncontestedByCommand) out.push(...byCommand('uncontested', c.uncontestedByCommand));
    out.push(...c.notes.map((n) => `  · ${n}`), '');
  }
  if (r.localOverhead) {
    const o = r.localOverhead;
    out.push(`THE LOCAL STACK'S OWN OVERHEAD (places confirmed per second at concurrency ${o.straight.concurrency}, all confirming)`);
    out.push(...table([
      ['path', 'places/s', 'transactions/s', 'applications/s'],
      ['straight to DynamoDB Local (the store, in process; a transaction a place)', o.straight.placesPerS, o.straight.transactionsPerS, '–'],
      ['through the gateway and handlers (uncontested run)', o.throughStack.placesPerS, o.throughStack.transactionsPerS, o.throughStack.applicationsPerS],
    ]));
    out.push(`  ratio ${o.ratio}: the share of DynamoDB Local's own rate of places that bookings through the stack reach`, '');
  }
  if (r.site?.length) {
    out.push('THE BOOKING SITE, WARM (20 sequential requests a page through the local gateway; downloads gzipped)');
    out.push(...table([['page', 'path', 'answer p50 ms', 'answer p95 ms', 'render p95 ms', 'HTML', 'HTML + CSS + JS'],
      ...r.site.map((p) => [p.page, p.path, p.p50Ms, p.p95Ms, `${p.renderP95Ms} ${tick(p.renderP95Ms <= 50)}`, kb(p.htmlGzBytes), `${kb(p.totalGzBytes)} ${tick(p.totalGzBytes < 100_000)}`])]), '');
  }
  if (r.coldStart.length) {
    out.push('COLD START (esbuild as CDK bundles it; median of fresh `node` processes: import() + first invocation, the environment CDK sets)');
    out.push(...table([['function', 'bundle', 'initMs', 'floorMs', 'initRatio', 'rounds q1–q3', 'import', 'first call', 'largest parts of the bundle'],
      ...r.coldStart.map((x) => [x.function, `${kb(x.bundleBytes)} ${x.function === 'floor' ? ' ' : tick(x.bundleBytes <= coldLimits(x.function).bytes)}`, x.initMs, x.floorInitMs,
        `${x.initRatio} ${x.function === 'floor' ? ' ' : tick(x.initRatio <= coldLimits(x.function).ratio)}`, x.function === 'floor' ? '' : `${x.ratioQuartiles[0]}–${x.ratioQuartiles[1]}`, x.importMs, x.firstInvokeMs, x.topPackages.slice(0, 3).map((p) => `${p.name} ${kb(p.bytes)}`).join(', ')])]), '');
  }
  if (r.scale.points.length) {
    out.push('SCALE OF READS (one session of 25 confirmed + 15 waitlisted, and its programme\'s reconciliation; 20 sequential requests per size)');
    if (r.scale.todo) out.push(`  ${r.scale.todo}`);
    out.push(...table([['bookings in table', 'route', 'rows', 'median ms', 'p95 ms', 'requests/list', 'RRU/list', 'Scans'],
      ...r.scale.points.map((p) => [p.bookings, p.route, p.rows, p.medianMs, p.p95Ms, p.requestsPerList, p.rruPerList, p.scans])]), '');
  }
  out.push('TARGETS');
  out.push(...table(r.targets.map((t) => [`  ${tick(t.ok)} ${t.name}`, t.value, t.target])));
  return out.join('\n');
}
