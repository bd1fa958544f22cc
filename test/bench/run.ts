import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { coldStarts, type ColdStart } from './coldstart.ts';
import { meterEveryDynamoClient, perPlace, rates, rows } from './cost.ts';
import { api, benchDir } from './http.ts';
import { print, targets, type BenchResult } from './report.ts';
import { runRush, type RushFigures } from './rush.ts';
import { scaleOfReads, scaleTodo, type ScalePoint } from './scale.ts';
import { siteFigures } from './site.ts';
import { straightTransactions } from './straight.ts';
import { ensureProvider, hotShape, spreadShape } from './world.ts';

// `npm run bench`: cold starts first (on a quiet machine), then the local stack in this process for
// the scale of reads, the rush at each concurrency, and an uncontested run for the cost of a plain booking.
// Flags: --concurrency 64,256  --families 2000  --hot 1000  --scale 1000,10000,50000  --cold-runs 40  --skip cold,site,scale,rush

const { values: args } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '64' }, families: { type: 'string', default: '2000' }, hot: { type: 'string', default: '1000' },
    scale: { type: 'string', default: '1000,10000,50000' }, 'cold-runs': { type: 'string', default: '40' }, skip: { type: 'string', default: '' },
  },
});
const list = (s: string) => s.split(',').map((x) => Number(x.trim())).filter((n) => Number.isInteger(n) && n > 0);
const concurrencies = list(args.concurrency);
const skip = new Set(args.skip.split(',').map((s) => s.trim()));
const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

// Handlers' request logs would be written by this same process the bench measures; warnings and errors still show.
process.env.LOG_LEVEL ??= 'WARN';
// Full JIT for DynamoDB Local: the bench runs minutes, so steady-state speed beats the faster start of C1 only.
process.env.JAVA_TOOL_OPTIONS ??= '-XX:+UseSerialGC -Xms512m';
meterEveryDynamoClient();

// `java -version` prints its banner on stderr.
const java = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 10_000 }).stderr ?? '';
const result: BenchResult = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version,
    os: `${osType()} ${release()}`, java: (/version "([^"]+)"/.exec(java)?.[1] ?? 'unknown'),
  },
  options: { concurrencies, families: Number(args.families), hot: Number(args.hot), scale: list(args.scale), coldRuns: Number(args['cold-runs']), skip: [...skip] },
  durationS: 0, rushes: [], coldStart: [] as ColdStart[], scale: { points: [] as ScalePoint[], ...(scaleTodo ? { todo: scaleTodo } : {}) }, targets: [],
};

if (!skip.has('cold')) {
  log('cold start: bundling as CDK does and timing fresh processes');
  result.coldStart = await coldStarts(Number(args['cold-runs']), log);
}

const { startLocalStack } = await import('../../infra/local/stack.ts');
const { documentClient } = await import('../../shared/store/client.ts');
log('starting the local stack');
const stack = await startLocalStack({ port: 0, dynamoPort: 0, sesPort: 0, seed: false, quiet: true });
try {
  const admin = api(stack.url, await stack.mintToken('admin'));
  const db = documentClient();
  await ensureProvider(admin);

  if (!skip.has('site')) {
    log('the booking site, warm: answer times and what a phone downloads');
    result.site = await siteFigures(stack, admin, log);
  }

  if (!skip.has('scale')) {
    log(`scale of reads at ${list(args.scale).join(', ')} bookings`);
    result.scale.points = await scaleOfReads(stack, admin, db, list(args.scale), log);
    const t = Date.now();
    await stack.drainStream(300_000);
    log(`  stream drained after the bulk load in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }

  const strip = ({ usage, ...f }: RushFigures) => f;
  let first: RushFigures | undefined;
  let uncontested: RushFigures | undefined;
  if (!skip.has('rush')) {
    for (const c of concurrencies) {
      log(`rush: ${args.families} families, 20 sessions × 25 places, concurrency ${c}`);
      const spread = await runRush(stack, admin, db, { runId: `c${c}-spread`, families: Number(args.families), sessions: 20, capacity: 25, shape: spreadShape, concurrency: c });
      log(`  ${spread.applications} applications in ${spread.durationS} s: ${spread.confirmed} confirmed, overbooked ${spread.overbooked}, lost ${spread.lost}`);
      log(`rush, hot: ${args.hot} attempts at one session of 30 places, concurrency ${c}`);
      const hot = await runRush(stack, admin, db, { runId: `c${c}-hot`, families: Number(args.hot), sessions: 1, capacity: 30, shape: hotShape, concurrency: c, seed: 2 });
      log(`  ${hot.applications} applications in ${hot.durationS} s: ${hot.confirmed} confirmed, overbooked ${hot.overbooked}, lost ${hot.lost}`);
      result.rushes.push({ variant: 'spread', ...strip(spread) }, { variant: 'hot', ...strip(hot) });
      if (!first) {
        first = spread;
        result.rush = { ...strip(spread), hot: strip(hot) };
      }
    }
    log('uncontested: 600 families, 20 sessions × 500 places, concurrency 16');
    uncontested = await runRush(stack, admin, db, { runId: 'ample', families: 600, sessions: 20, capacity: 500, shape: spreadShape, concurrency: 16, seed: 3 });
    result.rushes.push({ variant: 'uncontested', ...strip(uncontested) });
    log('the floor: the same booking transactions straight to DynamoDB Local, concurrency 16');
    const straight = await straightTransactions(admin, db, stack.tableName, { count: 2000, concurrency: 16 });
    // Places a second, not transactions: through the stack a child's several places share one transaction.
    const through = {
      applicationsPerS: uncontested.throughputPerS, placesPerS: Math.round((uncontested.confirmed / uncontested.durationS) * 10) / 10,
      transactionsPerS: Math.round((uncontested.transactions / uncontested.durationS) * 10) / 10, concurrency: 16,
    };
    result.localOverhead = { straight, throughStack: through, ratio: Math.round((through.placesPerS / straight.placesPerS) * 100) / 100 };
  }

  if (first) {
    // Every unit the public API spent, its repeat-safety records included (they are its own writes now).
    const api = ['public-api'];
    result.cost = {
      ...perPlace(first.usage, api, first.confirmed, first.applications), rates,
      ...(uncontested ? { uncontested: perPlace(uncontested.usage, api, uncontested.confirmed, uncontested.applications) } : {}),
      emails: perPlace(first.usage, ['notifier'], first.confirmed, first.emailsSent),
      byCommand: rows(first.usage, [...api, 'notifier']),
      ...(uncontested ? { uncontestedByCommand: rows(uncontested.usage, api) } : {}),
      ...(result.scale.points.length ? { attendance: result.scale.points } : {}),
      notes: [
        'Units are what DynamoDB Local reports for GetItem, Query, BatchGetItem, PutItem and UpdateItem, which follow the published rules.',
        'Computed (not reported): TransactWriteItems, because DynamoDB Local rounds a transaction\'s items together, whereas AWS bills 2 WRU per item per 1 KB (a ConditionCheck as a write); failed calls, which carry no ConsumedCapacity: a cancelled transaction counted as if every item were prepared (an upper bound), a failed conditional write as 1 WRU.',
        'Per place = every unit the run consumed (confirmed, waitlisted and failed attempts, application and repeat-safety records, code claims) ÷ places confirmed; per application ÷ applications. Email: notifier units ÷ places, requests per email.',
        'Stream reads (GetRecords by Lambda\'s event source mapping) are free and not counted; SES is extra.',
      ],
    };
  }
} finally {
  await stack.stop();
}

result.durationS = Math.round((Date.now() - started) / 1000);
result.targets = targets(result);
await mkdir(benchDir, { recursive: true });
await writeFile(join(benchDir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`\n${print(result)}\n\nwritten to .bench/latest.json`);
