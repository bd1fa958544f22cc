// Adapter to DfE's Eligibility Checking Service ("check your eligibility" API): OAuth2 client
// credentials, then POST /check/free-school-meals (202, queued) and GET /check/{id}/status.
// Routes, field names and status values follow DfE's API (DFE-Digital/check-your-eligibility).
// Nothing here logs, and every error message is a fixed string: a parent's NI number, name or
// date of birth cannot reach a log through an error thrown from this file.
import { config } from '../config.ts';
import {
  CheckerUnavailable, dfeRetryAfterSeconds, type EligibilityOutcome, type FsmChecker, type FsmCheckResult, type ParentIdentity,
} from '../domain/eligibility.ts';
import { dfeCredentialsFromSecret, type DfeCredentials } from './dfe-secret.ts';

export type { DfeCredentials };

/** DfE refused the request itself (a 4xx other than auth): sending the same input again won't help. */
export class DfeRejectedRequest extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'DfeRejectedRequest';
  }
}


/** The client's time: when to renew a token, when to stop polling, and the pauses between polls. */
export interface DfeClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: DfeClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export interface DfeClientOptions {
  baseUrl: string;
  /** Fixed credentials, or how to read them (from a secret: see dfe-secret.ts) when a token is first needed. */
  credentials: DfeCredentials | (() => Promise<DfeCredentials>);
  /** How long check() polls before answering `pending`; defaults to DFE_WAIT_MS. */
  waitMs?: number;
  /** Per-request timeout; a slower DfE counts as unavailable. */
  timeoutMs?: number;
  /** OAuth2 scope, if DfE issued the client one to ask for. */
  scope?: string;
  fetch?: typeof fetch;
  /** Real time by default; a test passes one it can move, shared with the DfE double. */
  clock?: DfeClock;
}

const TOKEN_MARGIN_S = 60;
const RETRY_AFTER_S = dfeRetryAfterSeconds;
const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 1_000;
const CHECK_ID = /^[A-Za-z0-9-]{1,64}$/;
const FINAL: Record<string, EligibilityOutcome> = {
  queuedforprocessing: 'pending', eligible: 'eligible', noteligible: 'notEligible', parentnotfound: 'parentNotFound',
};

export class DfeEligibilityClient implements FsmChecker {
  private readonly base: string;
  private readonly waitMs: number;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly clock: DfeClock;
  private token?: { value: string; renewAt: number };
  private tokenRequest?: Promise<string>;
  private credentialsRead?: Promise<DfeCredentials>;

  constructor(private readonly opts: DfeClientOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.waitMs = opts.waitMs ?? config().DFE_WAIT_MS;
    this.timeoutMs = opts.timeoutMs ?? 3_000;
    this.fetchFn = opts.fetch ?? globalThis.fetch;
    this.clock = opts.clock ?? realClock;
  }

  async check(parent: ParentIdentity): Promise<FsmCheckResult> {
    const deadline = this.clock.now() + this.waitMs;
    const res = await this.call('POST', '/check/free-school-meals', { data: dfeData(parent) });
    if (res.status !== 202 && res.status !== 200) throw await failure(res, 'check');
    const body = await readJson(res);
    const id = checkIdFrom(body);
    // DfE answers a repeated check from its stored result, so the 202 may already be final.
    let outcome = outcomeFrom(body, 'queuedForProcessing');
    for (let delay = FIRST_POLL_MS; outcome === 'pending'; delay = Math.min(delay * 2, MAX_POLL_MS)) {
      const left = deadline - this.clock.now();
      if (left <= 0) break;
      await this.clock.sleep(Math.min(delay, left));
      outcome = (await this.status(id)).outcome;
    }
    return { outcome, dfeCheckId: id };
  }

  async status(dfeCheckId: string): Promise<FsmCheckResult> {
    if (!CHECK_ID.test(dfeCheckId)) throw new DfeRejectedRequest('Not a DfE check id', 400);
    const res = await this.call('GET', `/check/${dfeCheckId}/status`);
    if (res.status !== 200) throw await failure(res, 'status');
    return { outcome: outcomeFrom(await readJson(res)), dfeCheckId };
  }

  /** One authorised call; a 401 means DfE no longer honours our token, so fetch another and retry once. */
  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const res = await this.send(this.base + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`, accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status !== 401 || attempt > 0) return res;
      await res.body?.cancel();
      // Only drop it if no concurrent caller has already replaced it.
      if (this.token?.value === token) this.token = undefined;
    }
  }

  /** Cached until shortly before expiry; concurrent callers share one token request. */
  private accessToken(): Promise<string> {
    if (this.token && this.clock.now() < this.token.renewAt) return Promise.resolve(this.token.value);
    this.tokenRequest ??= this.requestToken().finally(() => { this.tokenRequest = undefined; });
    return this.tokenRequest;
  }

  private credentials(): Promise<DfeCredentials> {
    const given = this.opts.credentials;
    if (typeof given !== 'function') return Promise.resolve(given);
    this.credentialsRead ??= given().catch((e: unknown) => { this.credentialsRead = undefined; throw e; });
    return this.credentialsRead;
  }

  private async requestToken(): Promise<string> {
    const { clientId, clientSecret } = await this.credentials();
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    if (this.opts.scope) form.set('scope', this.opts.scope);
    const res = await this.send(`${this.base}/oauth2/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form,
    });
    if (res.status >= 500 || res.status === 429) throw await failure(res, 'token');
    if (res.status !== 200) {
      await res.body?.cancel();
      this.credentialsRead = undefined; // the secret may have been rotated: read it again next time
      throw new CheckerUnavailable(`DfE refused our client credentials (${res.status})`, RETRY_AFTER_S);
    }
    const body = await readJson(res) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new CheckerUnavailable('DfE sent no access token', RETRY_AFTER_S);
    }
    const ttl = Number(body.expires_in);
    const ttlS = Number.isFinite(ttl) && ttl > 0 ? ttl : TOKEN_MARGIN_S;
    // A 60 s margin, or a tenth of a short lifetime, so a token never expires in flight.
    this.token = { value: body.access_token, renewAt: this.clock.now() + (ttlS - Math.min(TOKEN_MARGIN_S, ttlS / 10)) * 1000 };
    return body.access_token;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchFn(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new CheckerUnavailable(timedOut ? 'DfE did not answer in time' : 'DfE could not be reached', RETRY_AFTER_S);
    }
  }
}

/** DfE wants exactly one identifier, the other empty (as its own tests send it). */
function dfeData(parent: ParentIdentity) {
  const ni = 'nationalInsuranceNumber' in parent ? parent.nationalInsuranceNumber.replace(/\s+/g, '').toUpperCase() : '';
  const nass = 'nationalAsylumSeekerServiceNumber' in parent ? parent.nationalAsylumSeekerServiceNumber.trim() : '';
  return {
    nationalInsuranceNumber: ni, lastName: parent.lastName.trim(), dateOfBirth: parent.dateOfBirth,
    nationalAsylumSeekerServiceNumber: nass,
  };
}

function checkIdFrom(body: unknown): string {
  const link = (body as { links?: { get_EligibilityCheck?: unknown } }).links?.get_EligibilityCheck;
  const id = typeof link === 'string' ? link.split(/[?#]/)[0]!.split('/').filter(Boolean).pop() : undefined;
  if (!id || !CHECK_ID.test(id)) throw new CheckerUnavailable('DfE sent no check id', RETRY_AFTER_S);
  return id;
}

/** DfE's `error` (spelt `Error` or `DwpError` in older versions) and anything unknown mean DfE could not decide. */
function outcomeFrom(body: unknown, fallback?: string): EligibilityOutcome {
  const status = (body as { data?: { status?: unknown } }).data?.status ?? fallback;
  const outcome = typeof status === 'string' ? FINAL[status.toLowerCase()] : undefined;
  if (!outcome) throw new CheckerUnavailable('DfE could not complete the check', RETRY_AFTER_S);
  return outcome;
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    throw new CheckerUnavailable('DfE sent an unreadable response', RETRY_AFTER_S);
  }
}

/** DfE's error bodies may echo what we sent, so they are dropped unread. */
async function failure(res: Response, what: 'check' | 'status' | 'token'): Promise<Error> {
  await res.body?.cancel();
  const s = res.status;
  if (s === 429 || s >= 500) {
    const after = Number(res.headers.get('retry-after'));
    const retry = Number.isInteger(after) && after > 0 ? Math.min(after, 3_600) : RETRY_AFTER_S;
    return new CheckerUnavailable(`DfE eligibility service failed (${s})`, retry);
  }
  if (s === 401 || s === 403) return new CheckerUnavailable(`DfE refused our access token (${s})`, RETRY_AFTER_S);
  if (what === 'status' && s === 404) return new DfeRejectedRequest('DfE has no check with this id', s);
  if (s >= 400 && s < 500) return new DfeRejectedRequest(`DfE rejected the ${what} request (${s})`, s);
  return new CheckerUnavailable(`DfE answered the ${what} request unexpectedly (${s})`, RETRY_AFTER_S);
}

/** The client the functions use, or undefined where DfE is not configured (codes only). */
export function dfeClientFromConfig(): DfeEligibilityClient | undefined {
  const c = config();
  if (!c.DFE_API_URL) return undefined;
  // In AWS, a secret (DFE_SECRET_ID); locally, the double's credentials in the environment.
  const fromEnv = c.DFE_CLIENT_ID && c.DFE_CLIENT_SECRET ? { clientId: c.DFE_CLIENT_ID, clientSecret: c.DFE_CLIENT_SECRET } : undefined;
  const credentials = c.DFE_SECRET_ID ? dfeCredentialsFromSecret(c.DFE_SECRET_ID) : fromEnv;
  if (!credentials) throw new Error('DFE_API_URL needs DFE_SECRET_ID, or DFE_CLIENT_ID and DFE_CLIENT_SECRET');
  return new DfeEligibilityClient({
    baseUrl: c.DFE_API_URL, credentials, waitMs: c.DFE_WAIT_MS,
    // Short per-request timeouts keep the worst case (token, check, retry, status) inside the function's 10 s.
    timeoutMs: 1_500,
  });
}
