import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadIssuer, saveIssuer, type Issuer } from './issuer.ts';

// Where a running `npm start` leaves its endpoints and signing key for the other local
// commands (token, invoke), which run in their own processes. Removed on a clean stop.

const dir = fileURLToPath(new URL('../../.local/', import.meta.url));
export const stackFile = `${dir}stack.json`;
export const issuerFile = `${dir}issuer.json`;

export interface StackState {
  url: string;
  dynamoEndpoint: string;
  sesUrl: string;
  tableName: string;
  region: string;
  issuer: string;
  pid: number;
  /** DynamoDB Local's Java process, so a later start can clear it away if this one was killed hard. */
  dynamoPid?: number;
  /** The stack's request digest secret, so `npm run invoke` keys digests as the stack's handlers do. */
  requestDigestSecret?: string;
}

type StackInfo = { url: string; dynamoEndpoint: string; sesUrl: string; tableName: string; dynamoPid?: number };

export async function writeState(stack: StackInfo, issuer: Issuer) {
  await mkdir(dir, { recursive: true });
  const state: StackState = {
    url: stack.url,
    dynamoEndpoint: stack.dynamoEndpoint,
    sesUrl: stack.sesUrl,
    tableName: stack.tableName,
    region: process.env.AWS_REGION ?? 'eu-west-2',
    issuer: issuer.url,
    pid: process.pid,
    ...(stack.dynamoPid ? { dynamoPid: stack.dynamoPid } : {}),
    ...(process.env.REQUEST_DIGEST_SECRET ? { requestDigestSecret: process.env.REQUEST_DIGEST_SECRET } : {}),
  };
  await writeFile(stackFile, `${JSON.stringify(state, null, 2)}\n`);
  await saveIssuer(issuerFile, issuer);
}

export async function removeState(): Promise<void> {
  await Promise.all([rm(stackFile, { force: true }), rm(issuerFile, { force: true })]);
}

/**
 * A stack killed with SIGKILL cannot stop its Java child, which then holds port 8000 on every
 * interface. If the state file names a dead stack whose DynamoDB Local still runs, stop that Java.
 */
export async function reapOrphanedDynamo(log: (line: string) => void): Promise<void> {
  if (!existsSync(stackFile)) return;
  const old = JSON.parse(await readFile(stackFile, 'utf8')) as StackState;
  if (!old.dynamoPid || isAlive(old.pid) || !isAlive(old.dynamoPid)) return;
  const cmdline = await readFile(`/proc/${old.dynamoPid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes('DynamoDBLocal.jar')) return; // the pid has been reused by something else
  log(`Stopping DynamoDB Local (pid ${old.dynamoPid}) left behind by a stack that was killed.`);
  process.kill(old.dynamoPid, 'SIGTERM');
  for (let i = 0; i < 50 && isAlive(old.dynamoPid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(old.dynamoPid)) process.kill(old.dynamoPid, 'SIGKILL');
  await removeState();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const notRunning = 'The local stack is not running: start it with `npm start` (in another terminal) and try again.';

/** The running stack's state; fails with a clear message when there is none or it has gone. */
export async function readRunningStack(): Promise<{ state: StackState; issuer: Issuer }> {
  if (!existsSync(stackFile) || !existsSync(issuerFile)) throw new Error(`${notRunning} (no .local/stack.json)`);
  const state = JSON.parse(await readFile(stackFile, 'utf8')) as StackState;
  const issuer = await loadIssuer(issuerFile);
  // A file left by a stack that was killed hard says nothing; ask the gateway whether it knows our key.
  const jwks = await fetch(`${issuer.url}/.well-known/jwks.json`, { signal: AbortSignal.timeout(2_000) })
    .then((r) => (r.ok ? (r.json() as Promise<{ keys: { kid?: string }[] }>) : undefined))
    .catch(() => undefined);
  if (!jwks) throw new Error(`${notRunning} (nothing answers at ${state.url})`);
  if (!jwks.keys.some((k) => k.kid === issuer.kid)) throw new Error(`${notRunning} (.local/issuer.json is from an earlier run)`);
  return { state, issuer };
}
