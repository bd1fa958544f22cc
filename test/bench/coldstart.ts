import { spawn } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { esbuildOptions } from '../../infra/bundling/options.ts';
import { ensureTable, startDynamo } from '../../infra/local/dynamo.ts';
import { council } from '../../shared/council/profile.ts';
import { commonEnvironment, functions } from '../../shared/runtime.ts';
import { bornYearsAgo } from '../support/clock.ts';
import { benchDir, freePort, median, percentile, projectRoot } from './http.ts';

// Cold start as Lambda would see it: each function bundled the way CDK bundles it (both take their options
// from infra/bundling/options.ts, so the two cannot drift apart), then `import()` + a first invocation
// in a fresh `node` each time. Every first invocation makes one DynamoDB call, and so does the floor's
// (credentials and the HTTP agent load on the first call): a DynamoDB Local on loopback answers it.

export interface ColdStart {
  function: string; bundleBytes: number; initMs: number; floorInitMs: number; initRatio: number;
  /** The middle half of the round-by-round ratios (each against the floor's start in the same round): how far one run can be trusted. */
  ratioQuartiles: [number, number];
  importMs: number; firstInvokeMs: number; topPackages: { name: string; bytes: number }[];
}

const entries = () => [
  ...Object.keys(functions).map((fn) => ({ name: fn, entry: `functions/${fn}/handler.ts` })),
  { name: 'floor', entry: 'test/bench/floor.ts' },
];

const apiEvent = (method: string, path: string, o: { rawPath?: string; params?: Record<string, string>; claims?: Record<string, string>; body?: unknown } = {}) => ({
  version: '2.0', routeKey: `${method} ${path}`, rawPath: o.rawPath ?? path, rawQueryString: '',
  headers: { host: 'bench.local', 'user-agent': 'bench', ...(o.body ? { 'content-type': 'application/json', 'idempotency-key': 'cold-start' } : {}) },
  ...(o.params ? { pathParameters: o.params } : {}),
  ...(o.body ? { body: JSON.stringify(o.body) } : {}),
  requestContext: {
    accountId: '000000000000', apiId: 'bench', domainName: 'bench.local', domainPrefix: 'bench', requestId: 'cold-start', routeKey: `${method} ${path}`,
    stage: '$default', time: '23/Nov/2026:10:00:00 +0000', timeEpoch: Date.now(),
    http: { method, path: o.rawPath ?? path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
    ...(o.claims ? { authorizer: { jwt: { claims: o.claims, scopes: null } } } : {}),
  },
  isBase64Encoded: false,
});

/** A stream record of a session's counts where a place was freed while children wait: the notifier reads the session. */
const placeFreed = () => {
  const places = (booked: number) => ({ pk: { S: 'SESSION#bench-session' }, sk: { S: 'PLACES' }, entity: { S: 'Places' },
    capacity: { N: '10' }, booked: { N: String(booked) }, waitlisted: { N: '2' }, discretionaryBooked: { N: '0' }, discretionaryWaitlisted: { N: '0' } });
  return { Records: [{ eventID: 'cold', eventName: 'MODIFY', eventSource: 'aws:dynamodb', dynamodb: { NewImage: places(9), OldImage: places(10), SequenceNumber: '1' } }] };
};

const benchApplication = {
  scheme: 'HAF', programmeId: 'bench-programme', consent: { dataProcessing: true }, eligibility: { code: 'BENCH-CODE-0001' },
  parent: { firstName: 'Sam', lastName: 'Example', email: 'sam.example@example.org', phone: '07700 900123', postcode: 'LE19 4AD' },
  children: [
    { firstName: 'Alex', lastName: 'Example', dateOfBirth: bornYearsAgo(9), dietaryNeeds: 'vegetarian', sessionIds: ['bench-session-1', 'bench-session-2'] },
    { firstName: 'Jo', lastName: 'Example', dateOfBirth: bornYearsAgo(6), sessionIds: ['bench-session-1'] },
  ],
};

// Each first invocation makes one DynamoDB call (credentials and the HTTP agent load then), as the floor's
// does, and the answer expected shows it got that far: a new function needs its line here.
const firstCalls: Record<string, { event: unknown; status: number | string }> = {
  // What the first parents on opening morning send: a whole application, validated, then one read (of a
  // programme that is not there here, so 422).
  'public-api': { event: apiEvent('POST', '/v1/applications', { body: benchApplication }), status: 422 },
  // A check that does not exist: one read, then 404.
  'eligibility-api': {
    event: apiEvent('GET', '/v1/eligibility-checks/{checkId}', { rawPath: '/v1/eligibility-checks/00000000-0000-4000-8000-000000000000', params: { checkId: '00000000-0000-4000-8000-000000000000' } }), status: 404,
  },
  'admin-api': {
    event: apiEvent('GET', '/v1/admin/programmes/{programmeId}/child-matches', {
      rawPath: '/v1/admin/programmes/bench/child-matches', params: { programmeId: 'bench' },
      claims: { sub: 'bench-admin', client_id: 'bench', token_use: 'access', 'cognito:groups': '[admin]' },
    }), status: 200,
  },
  // An app client that maps to no provider: one read of its claim, then 403.
  'provider-api': { event: apiEvent('GET', '/v1/provider/sessions', { claims: { sub: 'bench', client_id: 'bench', token_use: 'access', scope: 'family-services/provider' } }), status: 403 },
  // A month-end reconciliation of a programme that is not there: validated, one read, then 404.
  'finance-api': {
    event: { ...apiEvent('GET', '/v1/finance/reconciliation', { claims: { sub: 'bench-finance', client_id: 'bench', token_use: 'access', 'cognito:groups': '[finance]' } }),
      rawQueryString: 'programme=bench', queryStringParameters: { programme: 'bench' } },
    status: 404,
  },
  notifier: { event: placeFreed(), status: 'ok' },
  // The start page: the open holidays read from the table, rendered from the precompiled views.
  site: { event: apiEvent('GET', '/'), status: 200 },
  // A signed-in referrer's list: one Query of their own referrals (none here), then 200.
  'referrer-api': {
    event: apiEvent('GET', '/v1/referrer/referrals', { claims: { sub: 'bench-referrer', client_id: 'bench', token_use: 'access', 'cognito:groups': '[referrer]' } }),
    status: 200,
  },
  // The document needs no table: its cold start is module loading and generating it.
  docs: { event: apiEvent('GET', '/v1/openapi.json'), status: 200 },
  floor: { event: {}, status: 200 },
};

// Runs in the fresh process: time the import and the first call, and print one marked line.
const childScript = `
const ctx = { functionName: 'bench', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:eu-west-2:000000000000:function:bench',
  memoryLimitInMB: '512', awsRequestId: 'cold-start', logGroupName: 'bench', logStreamName: 'bench', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10000, done() {}, fail() {}, succeed() {} };
const t0 = performance.now();
const mod = await import(process.env.BENCH_BUNDLE);
const t1 = performance.now();
const out = await mod.handler(JSON.parse(process.env.BENCH_EVENT), ctx);
const t2 = performance.now();
process.stdout.write('\\nCOLD ' + JSON.stringify({ importMs: t1 - t0, firstInvokeMs: t2 - t1, status: out?.statusCode ?? (out?.batchItemFailures?.length ? 'failed' : 'ok') }) + '\\n');
`;

function runOnce(bundle: string, event: unknown, env: Record<string, string>): Promise<{ importMs: number; firstInvokeMs: number; status: unknown }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', childScript], {
      cwd: benchDir, env: { ...env, BENCH_BUNDLE: bundle, BENCH_EVENT: JSON.stringify(event) }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('COLD '));
      if (line) resolve(JSON.parse(line.slice(5)));
      else reject(new Error(`cold start of ${bundle} printed no result:\n${err.slice(0, 800)}`));
    });
  });
}

export async function coldStarts(runs: number, log: (s: string) => void): Promise<ColdStart[]> {
  const bundles: Record<string, { file: string; bytes: number; top: { name: string; bytes: number }[] }> = {};
  for (const { name, entry } of entries()) {
    const outdir = join(benchDir, 'bundles', name);
    await mkdir(outdir, { recursive: true });
    const file = join(outdir, 'index.mjs');
    // The floor too: what no function bundled this way can avoid.
    const result = await build({ ...esbuildOptions(join(projectRoot, entry), file), metafile: true });
    await writeFile(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
    const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
    const byPackage = new Map<string, number>();
    for (const [path, input] of Object.entries(output?.inputs ?? {})) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? 'our code';
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + input.bytesInOutput);
    }
    const top = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([n, bytes]) => ({ name: n, bytes }));
    bundles[name] = { file, bytes: (await stat(file)).size, top };
  }
  // As the functions run in AWS (CDK's environment: shared/runtime.ts and the council profile), with one
  // difference: the table is a DynamoDB Local on loopback, which every first invocation (and the floor's) calls once.
  const dynamo = await startDynamo(await freePort());
  await ensureTable(dynamo.client, 'family-services');
  const { demo, ...profile } = council();
  const env = {
    PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-2', TABLE_NAME: 'family-services', DYNAMODB_ENDPOINT: dynamo.endpoint,
    AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', MAIL_FROM: 'holiday-clubs@family-services.example.gov.uk',
    COUNCIL_PROFILE: JSON.stringify(profile), ...commonEnvironment, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // In AWS the extension answers it from its cache; here the local stack's way, so no first call is a 503.
    REQUEST_DIGEST_SECRET: 'bench-request-digest-secret-of-32-characters-or-more',
  };
  for (const name of Object.keys(bundles)) if (!firstCalls[name]) throw new Error(`test/bench/coldstart.ts has no first call for ${name}`);
  const times: Record<string, { importMs: number; firstInvokeMs: number }[]> = {};
  // Round-robin, so drift on the machine touches every bundle alike. Round 0 is not counted: it finds DynamoDB
  // Local's JVM still compiling its request path, which slows whichever bundles come first in the round.
  for (let r = 0; r <= runs; r++) {
    for (const name of Object.keys(bundles)) {
      const { event, status } = firstCalls[name]!;
      const t = await runOnce(bundles[name]!.file, event, { ...env, SERVICE_NAME: name });
      if (t.status !== status) throw new Error(`cold start of ${name} answered ${String(t.status)}, not ${String(status)}: its first call did not get as far as DynamoDB`);
      if (r > 0) times[name] = [...(times[name] ?? []), t];
    }
    if (r === 0) log(`  cold start: a first round to warm DynamoDB Local (${Object.keys(bundles).length} bundles, not counted), ${runs} to go`);
  }
  await dynamo.stop();
  const total = (t: { importMs: number; firstInvokeMs: number }) => t.importMs + t.firstInvokeMs;
  const init = (name: string) => median(times[name]!.map(total));
  const floor = init('floor');
  const quartiles = (name: string): [number, number] => {
    const ratios = times[name]!.map((t, r) => total(t) / total(times.floor![r]!)).sort((a, b) => a - b);
    return [Math.round(percentile(ratios, 25) * 100) / 100, Math.round(percentile(ratios, 75) * 100) / 100];
  };
  const r1 = (n: number) => Math.round(n * 10) / 10;
  return Object.keys(bundles).filter((n) => n !== 'floor').map((name) => ({
    function: name, bundleBytes: bundles[name]!.bytes, initMs: r1(init(name)), floorInitMs: r1(floor), initRatio: Math.round((init(name) / floor) * 100) / 100, ratioQuartiles: quartiles(name),
    importMs: r1(median(times[name]!.map((t) => t.importMs))), firstInvokeMs: r1(median(times[name]!.map((t) => t.firstInvokeMs))),
    topPackages: bundles[name]!.top,
  })).concat([{ function: 'floor', bundleBytes: bundles.floor!.bytes, initMs: r1(floor), floorInitMs: r1(floor), initRatio: 1, ratioQuartiles: [1, 1], importMs: r1(median(times.floor!.map((t) => t.importMs))), firstInvokeMs: r1(median(times.floor!.map((t) => t.firstInvokeMs))), topPackages: bundles.floor!.top }]);
}
