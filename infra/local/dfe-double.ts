import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

// A local stand-in for DfE's Eligibility Checking Service, speaking the same contract:
// POST /oauth2/token (form-encoded client credentials), POST /check/free-school-meals (202 + links),
// GET /check/{id}/status. Outcomes are decided on submission from the table below; only the
// outcome and when it becomes visible are kept, never the NI number or the name.
//
// Test identities (lastName is case-insensitive):
//
// | lastName  | identifier | status answered once processed                                   |
// |-----------|------------|------------------------------------------------------------------|
// | Smith     | any        | eligible                                                         |
// | Jones     | any        | notEligible                                                      |
// | Unknown   | any        | parentNotFound                                                   |
// | Slow      | any        | queuedForProcessing for `slowCheckMs` (10 s), then eligible      |
// | Broken    | any        | error (DfE's status when it could not decide)                    |
// | any other | NI number  | eligible if the NI number's last digit is even, else notEligible |
// | any other | NASS no.   | eligible                                                         |
//
// e.g. { lastName: 'Smith', dateOfBirth: '1990-01-01', nationalInsuranceNumber: 'AB123456C' }.
// Validation follows DfE's: lastName required, dateOfBirth yyyy-mm-dd, a well-formed NI number or
// else a NASS number, never both; failures are 400 `{ errors: [{ title }] }` as DfE sends them.

export type DfeDoubleMode = 'normal' | 'down' | 'slow';
export type DfeStatus = 'queuedForProcessing' | 'eligible' | 'notEligible' | 'parentNotFound' | 'error';

export interface DfeDoubleOptions {
  port?: number;
  clientId: string;
  clientSecret: string;
  tokenTtlSeconds?: number;
  /** How long an ordinary check stays queued, so clients really poll. */
  processingMs?: number;
  /** How long the `Slow` surname stays queued. */
  slowCheckMs?: number;
  /** In `slow` mode, how long every response is held back. */
  slowResponseMs?: number;
  /** When checks are ready and tokens expire; real time by default, a test's clock to move time instead of waiting. */
  clock?: { now(): number };
}

export interface DfeDouble {
  url: string;
  stop(): Promise<void>;
  setMode(mode: DfeDoubleMode): void;
  /** Forget every issued token, as if DfE rotated its keys: the next call with one gets a 401. */
  revokeTokens(): void;
  stats: { tokenRequests: number; tokensIssued: number; checks: number; statusRequests: number; unauthorised: number };
}

export const dfeDoubleIdentities: Record<string, DfeStatus> = {
  smith: 'eligible', jones: 'notEligible', unknown: 'parentNotFound', broken: 'error',
};

const NI = /^(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]?$/;
const MAX_BODY = 64 * 1024;

export async function startDfeDouble(opts: DfeDoubleOptions): Promise<DfeDouble> {
  const ttl = opts.tokenTtlSeconds ?? 3_600;
  const processingMs = opts.processingMs ?? 100;
  const tokens = new Map<string, number>(); // token -> expiry (ms)
  const checks = new Map<string, { status: DfeStatus; readyAt: number }>();
  const timers = new Set<NodeJS.Timeout>();
  const stats = { tokenRequests: 0, tokensIssued: 0, checks: 0, statusRequests: 0, unauthorised: 0 };
  let mode: DfeDoubleMode = 'normal';
  const now = () => (opts.clock ? opts.clock.now() : Date.now());

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const errors = (...titles: string[]) => ({ errors: titles.map((title) => ({ title })) });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (mode === 'slow') {
      await new Promise<void>((r) => { const t = setTimeout(() => { timers.delete(t); r(); }, opts.slowResponseMs ?? 5_000); timers.add(t); });
    }
    if (mode === 'down') return send(res, 503, errors('Service unavailable'), { 'retry-after': '30' });
    const path = new URL(req.url ?? '/', 'http://double').pathname;
    const raw = await readBody(req);
    if (raw === undefined) return send(res, 413, errors('Request too large'));

    if (req.method === 'POST' && path === '/oauth2/token') {
      stats.tokenRequests++;
      const form = new URLSearchParams(raw);
      if (form.get('grant_type') !== 'client_credentials') return send(res, 400, { error: 'unsupported_grant_type' });
      if (form.get('client_id') !== opts.clientId || form.get('client_secret') !== opts.clientSecret) {
        return send(res, 401, { errors: [{ title: 'invalid_client', detail: 'Invalid client credentials' }] });
      }
      const token = randomBytes(24).toString('base64url');
      tokens.set(token, now() + ttl * 1000);
      stats.tokensIssued++;
      return send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: ttl });
    }

    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expiry = bearer ? tokens.get(bearer) : undefined;
    if (!expiry || expiry <= now()) {
      stats.unauthorised++;
      return send(res, 401, undefined, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }

    if (req.method === 'POST' && path === '/check/free-school-meals') {
      let body: unknown;
      try { body = JSON.parse(raw); } catch { return send(res, 400, errors('Invalid request, malformed JSON')); }
      const decided = decide(body);
      if (typeof decided === 'string') return send(res, 400, errors(decided));
      const id = randomUUID();
      const delay = decided.slow ? (opts.slowCheckMs ?? 10_000) : processingMs;
      checks.set(id, { status: decided.status, readyAt: now() + delay });
      stats.checks++;
      return send(res, 202, {
        data: { status: 'queuedForProcessing' },
        links: {
          get_EligibilityCheck: `/check/${id}`, put_EligibilityCheckProcess: `/engine/process/${id}`,
          get_EligibilityCheckStatus: `/check/${id}/status`,
        },
      });
    }

    const statusOf = /^\/check\/([^/]+)\/status$/.exec(path)?.[1];
    if (req.method === 'GET' && statusOf) {
      stats.statusRequests++;
      const check = checks.get(statusOf);
      if (!check) return send(res, 404, errors(statusOf));
      return send(res, 200, { data: { status: now() < check.readyAt ? 'queuedForProcessing' : check.status } });
    }
    return send(res, 404, errors('Not found'));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => { if (!res.headersSent) send(res, 500, errors('Internal error')); else res.destroy(); });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    setMode: (m) => { mode = m; },
    revokeTokens: () => tokens.clear(),
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** DfE's validation, then the outcome from the identity table; returns an error title when invalid. */
function decide(body: unknown): { status: DfeStatus; slow?: boolean } | string {
  const data = (body as { data?: Record<string, unknown> } | null)?.data;
  if (!data || typeof data !== 'object') return 'Invalid request, data is required';
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const lastName = str(data.lastName);
  const ni = str(data.nationalInsuranceNumber).replace(/\s+/g, '').toUpperCase();
  const nass = str(data.nationalAsylumSeekerServiceNumber);
  if (!lastName) return 'LastName is required';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(str(data.dateOfBirth))) return 'Date of birth is required:- (yyyy-mm-dd)';
  if (ni && nass) return 'National Insurance Number or National Asylum Seeker Service Number is required, not both';
  if (ni && !NI.test(ni)) return 'Invalid National Insurance Number';
  if (!ni && !nass) return 'National Insurance Number or National Asylum Seeker Service Number is required';

  const surname = lastName.toLowerCase();
  if (surname === 'slow') return { status: 'eligible', slow: true };
  const listed = dfeDoubleIdentities[surname];
  if (listed) return { status: listed };
  if (!ni) return { status: 'eligible' };
  const lastDigit = Number(ni.replace(/\D/g, '').slice(-1));
  return { status: lastDigit % 2 === 0 ? 'eligible' : 'notEligible' };
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// `tsx infra/local/dfe-double.ts`: run it on its own (PORT, DFE_CLIENT_ID, DFE_CLIENT_SECRET).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const d = await startDfeDouble({
    port: Number(process.env.PORT ?? 0), clientId: process.env.DFE_CLIENT_ID ?? 'local-client',
    clientSecret: process.env.DFE_CLIENT_SECRET ?? 'local-secret',
  });
  process.stdout.write(`DfE eligibility double on ${d.url}\n`);
}
