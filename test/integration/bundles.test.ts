import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions, projectRoot } from '../../infra/bundling/options.ts';
import { freshTable } from '../support/table.ts';

// A function as Lambda runs it: bundled with the options CDK uses (infra/bundling/options.ts), loaded in a
// fresh node with nothing but its environment, credentials included, and called once against DynamoDB Local.

let t: Awaited<ReturnType<typeof freshTable>>;
let dir: string;
let bundle: string;
let site: string;

beforeAll(async () => {
  t = await freshTable();
  dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  bundle = join(dir, 'index.mjs');
  await build(esbuildOptions(join(projectRoot, 'functions/public-api/handler.ts'), bundle));
  // The site as CDK packs it: its bundle, and the built files copied beside it (infra/stack.ts).
  site = join(dir, 'site', 'index.mjs');
  await build(esbuildOptions(join(projectRoot, 'functions/site/handler.ts'), site));
  cpSync(join(projectRoot, 'shared/site/generated/static'), join(dir, 'site', 'generated', 'static'), { recursive: true });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t?.drop();
});

/** One invocation in a fresh process: its answer, and the log lines it wrote. */
function invoke(env: Record<string, string>, routeKey: string, opts: { file?: string; rawPath?: string; pathParameters?: Record<string, string> } = {}) {
  const [method, path] = routeKey.split(' ');
  const file = opts.file ?? bundle;
  const event = {
    version: '2.0', routeKey, rawPath: opts.rawPath ?? path, rawQueryString: '', headers: {}, ...(opts.pathParameters ? { pathParameters: opts.pathParameters } : {}),
    requestContext: { requestId: 'r1', routeKey, http: { method, path: opts.rawPath ?? path, sourceIp: '127.0.0.1' } }, isBase64Encoded: false,
  };
  const script = `const { handler } = await import(${JSON.stringify(file)});
    const out = await handler(${JSON.stringify(event)}, { functionName: 'public-api', awsRequestId: 'r1', invokedFunctionArn: 'arn', memoryLimitInMB: '1024' });
    process.stdout.write('ANSWER ' + JSON.stringify(out) + '\\n');`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: dir, encoding: 'utf8', timeout: 30_000,
    // Only what Lambda would give it: no project files on the path, no ~/.aws, credentials as environment variables.
    env: { PATH: process.env.PATH ?? '', HOME: dir, AWS_REGION: 'eu-west-2', AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local', AWS_SESSION_TOKEN: 'local', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
  });
  const answer = run.stdout.split('\n').find((l) => l.startsWith('ANSWER '));
  if (!answer) throw new Error(`no answer: ${run.stderr.slice(0, 500)}`);
  return { answer: JSON.parse(answer.slice(7)) as { statusCode: number; body: string; headers: Record<string, string> }, logs: `${run.stdout}${run.stderr}` };
}

describe('the public API, bundled as CDK bundles it', () => {
  it('answers with credentials from the environment alone (the SDK credential chain is not in the bundle)', () => {
    expect(readFileSync(bundle, 'utf8')).not.toMatch(/credential-provider-(sso|ini|process|web-identity)/);
    const { answer } = invoke({ TABLE_NAME: t.tableName, DYNAMODB_ENDPOINT: t.endpoint }, 'GET /v1/programmes');
    expect([answer.statusCode, JSON.parse(answer.body)]).toEqual([200, { items: [] }]);
  });

  it('logs an unexpected error with stack frames in our source files, read from the map beside the bundle', () => {
    const { answer, logs } = invoke({ TABLE_NAME: 'no-such-table', DYNAMODB_ENDPOINT: t.endpoint }, 'GET /v1/programmes');
    expect(answer.statusCode).toBe(500);
    const line = logs.split('\n').find((l) => l.includes('"unexpected error"'));
    expect(JSON.parse(line ?? "{}").stack).toMatch(/shared\/store\/catalogue\.ts:\d+:\d+/);
  });
});

describe('the booking site, bundled as CDK bundles it', () => {
  it('serves its start page from the precompiled views, and its stylesheet from the files beside the bundle', () => {
    const env = { TABLE_NAME: t.tableName, DYNAMODB_ENDPOINT: t.endpoint };
    const start = invoke(env, 'GET /', { file: site });
    expect(start.answer.statusCode).toBe(200);
    expect(start.answer.body).toContain('Book a free holiday club place');
    const css = /href="(\/assets\/site-[a-f0-9]+\.css)"/.exec(start.answer.body)?.[1];
    expect(css).toBeDefined();
    const sheet = invoke(env, 'GET /assets/{file}', { file: site, rawPath: css, pathParameters: { file: css!.slice('/assets/'.length) } });
    expect([sheet.answer.statusCode, sheet.answer.headers['cache-control']]).toEqual([200, 'public, max-age=31536000, immutable']);
    expect(sheet.answer.body).toContain('.govuk-button');
  });
});
