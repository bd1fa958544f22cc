import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resetConfig } from '../../shared/config.ts';
import { commonEnvironment } from '../../shared/runtime.ts';
import { documentClient } from '../../shared/store/client.ts';
import { allowedOrigins } from '../../shared/http/cors.ts';
import { appClientLookup, createAuthorizer } from './authorizer.ts';
import { startDfeDouble, type DfeDouble } from './dfe-double.ts';
import { ensureTable, startDynamo } from './dynamo.ts';
import { startGateway, type Gateway } from './gateway.ts';
import { createIssuer, isMachineRole, issuerUrl, providerClientId, signToken, staffClientId, tokenClaims, type TokenRole } from './issuer.ts';
import { seedDemoData, type SeedSummary } from './seed.ts';
import { reapOrphanedDynamo, removeState, writeState } from './state.ts';
import { startStreamPoller, type DeadLetter, type StreamHandler } from './streams.ts';
import type { DynamoDBBatchResponse } from 'aws-lambda';

// The whole local stack in one call, so `npm start` and the e2e tests run exactly the same thing.

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface LocalStackOptions {
  /** Gateway port; 0 picks a free one. Default: PORT or 3000. */
  port?: number;
  /** Default 8000; 0 picks a free one. */
  dynamoPort?: number;
  /** Default 8005; 0 picks a free one. */
  sesPort?: number;
  /** Keep DynamoDB data under .local/dynamodb/ between runs instead of in memory. */
  persist?: boolean;
  seed?: boolean;
  /** No request log (faults still go to stderr); handlers' logs off unless LOG_LEVEL is set. */
  quiet?: boolean;
  /** Fault tests wrap the notifier the stream feeds (to kill it part way through a batch); the real one by default. */
  wrapNotifier?: (notifier: StreamHandler) => StreamHandler;
  /** Write .local/stack.json and .local/issuer.json for `npm run token` and `npm run invoke`. */
  writeStateFiles?: boolean;
}

// Another council's profile is given as COUNCIL_PROFILE (its JSON), set before this module loads:
// `npm start -- --council <file>` does that, as the CDK app's `-c council=<file>` does for Lambda.

export interface LocalStack {
  url: string;
  dynamoEndpoint: string;
  sesUrl: string;
  tableName: string;
  /** The `iss` of the tokens the gateway accepts. */
  issuer: string;
  seeded?: SeedSummary;
  /** A bearer token; `claims` overrides any claim (tests forge expired or foreign tokens with it). */
  mintToken(role: TokenRole, providerId?: string, claims?: Record<string, unknown>): Promise<string>;
  /** DfE's eligibility checking API, played by the local double. */
  dfeUrl: string;
  dfe: DfeDouble;
  /** Resolves once every stream record written so far has reached the notifier (tests wait for emails with it). */
  drainStream(timeoutMs?: number): Promise<void>;
  /** DynamoDB Local's Java process, for fault tests that stop and continue it (SIGSTOP, SIGCONT). */
  dynamoPid: number;
  /** Stops the local SES (connections refused) and starts it again on the same port, as an outage and its end. */
  ses: { stop(): Promise<void>; start(): Promise<void> };
  /** The stream batches the notifier gave up on, as the on-failure queue holds them; redrive hands one over again. */
  deadLetters(): DeadLetter[];
  redrive(letter: DeadLetter): Promise<DynamoDBBatchResponse>;
  /** Moves the handlers' clock (not the token issuer's) to this instant, or back to real time: a test books, then it is the session's day. */
  setClock(at?: Date): void;
  stop(): Promise<void>;
}

let handlersBoundTo: string | undefined;

/** Only the local double knows these; in AWS the client id and secret come from DfE. */
const dfeCredentials = { clientId: 'local-client', clientSecret: 'local-secret' };

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const started = Date.now();
  // Request lines start once the stack is ready, so seeding does not flood the terminal.
  let ready = false;
  const log = (line: string) => void (opts.quiet ? undefined : console.log(line));
  const logs = { request: (line: string) => void (ready && log(line)), fault: (line: string) => console.error(line) };
  const cleanups: (() => Promise<void>)[] = [];
  // In the order pushed: the gateway stops taking requests before SES and DynamoDB go away.
  const stop = async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
  };
  try {
    if (opts.writeStateFiles) await reapOrphanedDynamo(log);
    // The gateway listens first: its URL is part of the issuer, the origins and the handlers' env.
    const gateway: Gateway = await startGateway(opts.port ?? Number(process.env.PORT ?? 3000), logs);
    cleanups.push(() => gateway.close());

    // The usual ports when they are free; taken ones (another tool on a laptop often holds 8000) give way to free ones.
    const [db, mail, dfeDouble] = await Promise.allSettled([
      onPort(opts.dynamoPort, 8000, (port) => startDynamo(port, opts.persist ? join(projectRoot, '.local/dynamodb') : undefined)),
      onPort(opts.sesPort, 8005, startSes),
      startDfeDouble({ port: 0, ...dfeCredentials }),
    ]);
    if (dfeDouble.status === 'fulfilled') cleanups.push(() => dfeDouble.value.stop());
    if (dfeDouble.status === 'rejected') throw dfeDouble.reason;
    let sesServer = mail.status === 'fulfilled' ? mail.value : undefined;
    if (mail.status === 'fulfilled') cleanups.push(() => (sesServer?.listening ? closeServer(sesServer) : Promise.resolve()));
    if (db.status === 'fulfilled') cleanups.push(() => db.value.stop());
    if (db.status === 'rejected') throw db.reason;
    if (mail.status === 'rejected') throw mail.reason;
    const [dynamo, ses] = [db.value, mail.value];

    // Handlers load once per process and keep the endpoint they first read, as a warm Lambda keeps its config.
    if (handlersBoundTo && handlersBoundTo !== dynamo.endpoint) {
      throw new Error(`Handlers in this process already point at ${handlersBoundTo}: start one local stack per process (or reuse its ports).`);
    }
    handlersBoundTo = dynamo.endpoint;
    const tableName = process.env.TABLE_NAME ?? 'family-services';
    pointHandlersAt({ tableName, dynamoEndpoint: dynamo.endpoint, sesUrl: ses.url, gatewayUrl: gateway.url, dfeUrl: dfeDouble.value.url, quiet: opts.quiet });
    await ensureTable(dynamo.client, tableName);

    // The table's stream drives the notifier, as the event source mapping does in AWS.
    const { handler: notifier } = await import('../../functions/notifier/handler.ts');
    const handler = opts.wrapNotifier ? opts.wrapNotifier(notifier) : notifier;
    const poller = startStreamPoller({ endpoint: dynamo.endpoint, tableName, handler, intervalMs: 100 });
    // Unshifted: the poller must stop before SES and DynamoDB go away.
    cleanups.unshift(() => poller.stop());

    const doc = documentClient();
    cleanups.push(async () => doc.destroy());
    const issuer = await createIssuer(gateway.url);
    gateway.configure({
      issuer,
      authorize: createAuthorizer({ issuer: issuer.url, jwks: issuer.jwks, isAppClient: appClientLookup(doc, tableName) }),
      allowedOrigins: allowedOrigins(process.env.ALLOWED_ORIGINS ?? ''),
    });

    const mintToken = async (role: TokenRole, providerId?: string, claims: Record<string, unknown> = {}) => {
      const clientId = isMachineRole(role) ? await providerClientId(doc, tableName, providerId ?? '') : undefined;
      return signToken(issuer, tokenClaims(issuer, role, clientId, claims));
    };
    const stack: LocalStack = {
      url: gateway.url, dynamoEndpoint: dynamo.endpoint, sesUrl: ses.url, dfeUrl: dfeDouble.value.url, tableName, issuer: issuer.url,
      mintToken, drainStream: (timeoutMs) => poller.drain(timeoutMs), dfe: dfeDouble.value, stop, dynamoPid: dynamo.pid,
      ses: {
        stop: async () => { if (sesServer?.listening) await closeServer(sesServer); },
        start: async () => { if (!sesServer?.listening) sesServer = await startSes(Number(new URL(ses.url).port)); },
      },
      deadLetters: () => poller.deadLetters(), redrive: (letter) => poller.redrive(letter),
      setClock: (at) => { process.env.LOCAL_CLOCK_OFFSET_MS = at ? String(at.getTime() - Date.now()) : '0'; },
    };
    if (opts.writeStateFiles) {
      await writeState(stack, issuer);
      cleanups.push(removeState);
    }
    if (opts.seed) {
      const { name, value } = gateway.setupHeader;
      stack.seeded = await seedDemoData(gateway.url, await mintToken('admin'), new Date(), { [name]: value }, {
        mintToken: (role, providerId) => mintToken(role, providerId), setClock: stack.setClock, drainStream: stack.drainStream,
      });
    }
    gateway.open();
    ready = true;
    log(`local stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return stack;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Handlers run in this process and read their settings from the environment, as in Lambda. */
function pointHandlersAt(p: { tableName: string; dynamoEndpoint: string; sesUrl: string; gatewayUrl: string; dfeUrl: string; quiet?: boolean }) {
  const env = process.env;
  env.DFE_API_URL = p.dfeUrl;
  env.DFE_CLIENT_ID = dfeCredentials.clientId;
  env.DFE_CLIENT_SECRET = dfeCredentials.clientSecret;
  // What Secrets Manager holds in AWS: the key of the digests idempotent requests keep, new for each stack.
  env.REQUEST_DIGEST_SECRET ??= randomBytes(32).toString('base64url');
  env.TABLE_NAME = p.tableName;
  env.AWS_REGION ??= 'eu-west-2';
  env.DYNAMODB_ENDPOINT = p.dynamoEndpoint;
  env.SES_ENDPOINT = p.sesUrl;
  env.SITE_URL ??= p.gatewayUrl;
  // A function that checks a staff token itself (a referrer's on POST /v1/applications) trusts the local issuer.
  env.JWT_ISSUER = issuerUrl(p.gatewayUrl);
  env.JWT_CLIENT_IDS = staffClientId;
  env.ALLOWED_ORIGINS ??= `${p.gatewayUrl},${p.gatewayUrl.replace('127.0.0.1', 'localhost')}`;
  // Local services accept any credentials; the SDK still wants some to sign with.
  env.AWS_ACCESS_KEY_ID ??= 'local';
  env.AWS_SECRET_ACCESS_KEY ??= 'local';
  env.SERVICE_NAME ??= 'family-services';
  // As CDK sets them, except metrics: EMF lines would only clutter a terminal.
  for (const [k, v] of Object.entries(commonEnvironment)) env[k] ??= v;
  env.METRICS_DISABLED ??= 'true';
  env.LOCAL_CLOCK_OFFSET_MS = '0';

  resetConfig();
}

async function startSes(port: number): Promise<Server & { url: string }> {
  // From ESM the CommonJS module's default export may arrive as the exports object itself.
  const mod = (await import('aws-ses-v2-local')) as unknown as { default: unknown };
  const start = (typeof mod.default === 'function' ? mod.default : (mod.default as { default: unknown }).default) as
    (config: { host: string; port: number }) => Promise<Server>;
  const server = await start({ host: '127.0.0.1', port });
  // It resolves even when listening failed (Express hands the error to the callback), so check.
  if (!server.listening) throw new Error(`Local SES could not listen on 127.0.0.1:${port}: is the port in use?`);
  return Object.assign(server, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Starts a server on its port; a port we chose as free (another process may take it between our probe and the
 * server's bind: test files start stacks side by side) is chosen again, up to three times.
 */
async function onPort<T>(asked: number | undefined, usual: number, start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await portFor(asked, usual);
    try {
      return await start(port);
    } catch (error) {
      const chosen = asked === 0 || (asked === undefined && port !== usual);
      if (!chosen || attempt >= 3) throw error;
    }
  }
}

/** The port asked for (0: any free one), or else the usual one if free, or else any free one. */
async function portFor(asked: number | undefined, usual: number): Promise<number> {
  if (asked === 0) return freePort();
  if (asked !== undefined) return asked;
  return (await isFree(usual)) ? usual : freePort();
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

/** A port free on every interface, since DynamoDB Local listens on all of them and takes no port 0. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
