import { spawn } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { functionNames } from '../../shared/http/routes/index.ts';
import { benchDir, median, projectRoot } from './http.ts';

// Cold start as Lambda would see it: each function bundled the way CDK bundles it (the options are read
// from infra/constructs/lambda.ts, so the two cannot drift apart), then `import()` + a first invocation
// in a fresh `node` each time. The first invocation does no I/O for any function, so the figure is
// module loading plus one pass through the middleware chain: public-api answers GET /v1/schemes (static);
// admin-api and provider-api get a request with no JWT claims and answer 401 at the edge; the notifier
// gets an empty batch; the floor's handler returns at once.

export interface ColdStart {
  function: string; bundleBytes: number; initMs: number; floorInitMs: number; initRatio: number;
  importMs: number; firstInvokeMs: number; topPackages: { name: string; bytes: number }[];
}

async function cdkBundling() {
  const source = await readFile(join(projectRoot, 'infra/constructs/lambda.ts'), 'utf8');
  const target = /target:\s*'([^']+)'/.exec(source)?.[1];
  const banner = /banner:\s*'([^']+)'/.exec(source)?.[1];
  const mainFields = /mainFields:\s*\[([^\]]+)\]/.exec(source)?.[1]?.match(/[\w-]+/g);
  if (!target || !banner || !mainFields || !/minify:\s*true/.test(source) || !/format:\s*OutputFormat\.ESM/.test(source)) {
    throw new Error('infra/constructs/lambda.ts no longer reads as the bench expects: update test/bench/coldstart.ts to match its bundling.');
  }
  return { target, banner, mainFields, sourcemap: /sourceMap:\s*true/.test(source), sourcesContent: !/sourcesContent:\s*false/.test(source) };
}

const entries = () => [
  ...[...functionNames, 'notifier'].map((fn) => ({ name: fn as string, entry: `functions/${fn}/handler.ts` })),
  { name: 'floor', entry: 'test/bench/floor.ts' },
];

const apiEvent = (method: string, path: string) => ({
  version: '2.0', routeKey: `${method} ${path}`, rawPath: path, rawQueryString: '', headers: { host: 'bench.local', 'user-agent': 'bench' },
  requestContext: {
    accountId: '000000000000', apiId: 'bench', domainName: 'bench.local', domainPrefix: 'bench', requestId: 'cold-start', routeKey: `${method} ${path}`,
    stage: '$default', time: '23/Nov/2026:10:00:00 +0000', timeEpoch: Date.now(),
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
  },
  isBase64Encoded: false,
});

const events: Record<string, unknown> = {
  'public-api': apiEvent('GET', '/v1/schemes'),
  'admin-api': apiEvent('PUT', '/v1/admin/programmes/{programmeId}'),
  'provider-api': apiEvent('GET', '/v1/provider/sessions'),
  notifier: { Records: [] },
  floor: {},
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
process.stdout.write('\\nCOLD ' + JSON.stringify({ importMs: t1 - t0, firstInvokeMs: t2 - t1, status: out?.statusCode ?? 'ok' }) + '\\n');
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
  const opts = await cdkBundling();
  const bundles: Record<string, { file: string; bytes: number; top: { name: string; bytes: number }[] }> = {};
  for (const { name, entry } of entries()) {
    const outdir = join(benchDir, 'bundles', name);
    await mkdir(outdir, { recursive: true });
    const file = join(outdir, 'index.mjs');
    // The esbuild call CDK makes: --bundle --target --platform=node --format=esm --minify --sourcemap --sources-content=false
    // --main-fields --banner, nothing external (bundleAwsSDK), from the project root.
    const result = await build({
      entryPoints: [join(projectRoot, entry)], bundle: true, outfile: file, absWorkingDir: projectRoot,
      target: opts.target, platform: 'node', format: 'esm', minify: true, sourcemap: opts.sourcemap, sourcesContent: opts.sourcesContent,
      mainFields: opts.mainFields, banner: { js: opts.banner }, metafile: true, logLevel: 'error',
    });
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
  // As the functions run in AWS (CDK's environment), pointing at nothing: no first invocation makes a call.
  const env = {
    PATH: process.env.PATH ?? '', NODE_OPTIONS: '--enable-source-maps', AWS_REGION: 'eu-west-2', TABLE_NAME: 'family-services',
    AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_NAMESPACE: 'FamilyServices',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const times: Record<string, { importMs: number; firstInvokeMs: number }[]> = {};
  // Round-robin, so drift on the machine touches every bundle alike.
  for (let r = 0; r < runs; r++) {
    for (const name of Object.keys(bundles)) {
      const t = await runOnce(bundles[name]!.file, events[name], { ...env, POWERTOOLS_SERVICE_NAME: name });
      times[name] = [...(times[name] ?? []), t];
    }
    if (r === 0) log(`  cold start: first round done (${Object.keys(bundles).length} bundles), ${runs - 1} to go`);
  }
  const init = (name: string) => median(times[name]!.map((t) => t.importMs + t.firstInvokeMs));
  const floor = init('floor');
  const r1 = (n: number) => Math.round(n * 10) / 10;
  return Object.keys(bundles).filter((n) => n !== 'floor').map((name) => ({
    function: name, bundleBytes: bundles[name]!.bytes, initMs: r1(init(name)), floorInitMs: r1(floor), initRatio: Math.round((init(name) / floor) * 100) / 100,
    importMs: r1(median(times[name]!.map((t) => t.importMs))), firstInvokeMs: r1(median(times[name]!.map((t) => t.firstInvokeMs))),
    topPackages: bundles[name]!.top,
  })).concat([{ function: 'floor', bundleBytes: bundles.floor!.bytes, initMs: r1(floor), floorInitMs: r1(floor), initRatio: 1, importMs: r1(median(times.floor!.map((t) => t.importMs))), firstInvokeMs: r1(median(times.floor!.map((t) => t.firstInvokeMs))), topPackages: bundles.floor!.top }]);
}
