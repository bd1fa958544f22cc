import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 as Event, APIGatewayProxyStructuredResultV2 as Result, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { config } from '../config.ts';
import type { SiteSessionsPort } from '../domain/ports.ts';
import { logger } from '../observability/logger.ts';
import { metrics } from '../observability/metrics.ts';
import type { SiteSessionRecord } from '../schemas/records.ts';
import { readDraft, type SiteDraft } from '../site/draft.ts';
import { parseForm, type Form } from '../site/forms.ts';
import { errorPage, pageSecurityHeaders } from '../site/pages/errors.ts';
import { render } from '../site/render.ts';
import { clientOf } from './client.ts';
import { beforeTimeout } from './deadline.ts';
import { sessionCookie } from './cookies.ts';
import { HttpProblem, notFound } from './problem.ts';
import { toProblem } from './responses.ts';
import { routeKey, type RouteDef } from './route.ts';

// The edge every page shares, as api-handler.ts is the API's: find the route, read the visitor's session
// from its cookie, refuse a form post that is cross-site or lacks the session's token, run the page, and
// answer HTML (or a 303 to the next page) with a strict Content-Security-Policy. A failure is a page that
// says what to do, never a stack trace.

const sessionHours = 2;
const maxFormBytes = 64 * 1024;

/** A visitor's session as a page sees it: change it, and the edge saves it. */
export interface SiteSession { id: string; csrf: string; draft: SiteDraft; manage: Record<string, string>; flash?: string }

type Out<S> = S extends z.ZodMiniType ? z.output<S> : Record<string, never>;

export interface PageRequest<R extends RouteDef = RouteDef> {
  params: Out<R['params']>;
  query: Out<R['query']>;
  /** The posted form (empty on a GET). */
  form: Form;
  session: SiteSession;
  /** A digest of the caller's address, for the limits per client. */
  client: string;
  correlationId: string;
}

export type PageResult =
  | { view: string; model?: Record<string, unknown>; status?: number; headers?: Record<string, string> }
  | { redirect: string }
  | { asset: { type: string; body: string } };

export type Pages<T extends readonly RouteDef[]> = {
  [R in T[number] as R['operationId']]: (req: PageRequest<R>) => Promise<PageResult>;
};

export interface PageDeps { sessions: SiteSessionsPort; now: () => Date }

export function pageHandler<T extends readonly RouteDef[]>(ownRoutes: T, pages: Pages<T>, deps: PageDeps) {
  const table = new Map(ownRoutes.map((r) => [routeKey(r), r]));
  const byOperation = pages as unknown as Record<string, (req: PageRequest) => Promise<PageResult>>;

  return async (event: Event, context: Context): Promise<Result> => {
    logger.startInvocation(context);
    const started = Date.now();
    const correlationId = event.requestContext.requestId;
    logger.appendKeys({ correlationId, routeKey: event.routeKey });
    let result: Result;
    try {
      const route = table.get(event.routeKey);
      if (!route) throw notFound();
      // A stalled dependency is the "service is busy" page, not the gateway's bare 500 when the function times out.
      result = await beforeTimeout(servePage(route, byOperation[route.operationId]!, event, deps, correlationId), context);
    } catch (error) {
      const problem = toProblem(error);
      result = errorPage(problem);
    }
    logger.info('page', { status: result.statusCode, ms: Date.now() - started });
    metrics.flush();
    return result;
  };
}

async function servePage(route: RouteDef, page: (req: PageRequest) => Promise<PageResult>, event: Event, deps: PageDeps, correlationId: string): Promise<Result> {
  const posted = route.method === 'POST';
  const found = await loadSession(event, deps);
  // Before anything else is read: a forged post learns nothing, not even whether its path exists.
  if (posted) refuseForeignPost(event, found);
  const params = route.params ? route.params.safeParse(event.pathParameters ?? {}) : undefined;
  if (params && !params.success) throw notFound();
  // A page's query is its own filters: one that does not read is ignored rather than refused.
  const query = route.query?.safeParse(event.queryStringParameters ?? {});
  const session: SiteSession = found ?? newSession();
  const before = JSON.stringify(session);
  const flash = session.flash;
  session.flash = undefined;

  const form = posted ? readForm(event) : {};
  const outcome = await page({
    params: params?.data ?? {}, query: query?.success ? query.data : {}, form, session, correlationId,
    client: clientOf(event),
  } as PageRequest);

  // A new visitor gets a session (and so a form token) on the first page with a form; a page without one writes nothing.
  const changed = JSON.stringify(session) !== before || flash !== undefined;
  const keep = !route.sessionless && (changed || !found);
  if (keep) await saveSession(session, deps);
  const cookies = keep && !found ? [`${sessionCookie}=${session.id}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=${sessionHours * 3600}`] : undefined;

  if ('redirect' in outcome) return { statusCode: 303, headers: { location: outcome.redirect, 'cache-control': 'no-store' }, ...(cookies ? { cookies } : {}), body: '' };
  if ('asset' in outcome) {
    return { statusCode: 200, headers: { 'content-type': outcome.asset.type, 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' }, body: outcome.asset.body };
  }
  const renderStarted = performance.now();
  const html = render(outcome.view, { ...outcome.model, csrf: session.csrf, flash });
  // How long the HTML took to make, apart from the data behind it: browsers' developer tools and the bench read it.
  const timing = `render;dur=${(performance.now() - renderStarted).toFixed(1)}`;
  return {
    statusCode: outcome.status ?? 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'server-timing': timing, ...pageSecurityHeaders(), ...outcome.headers },
    ...(cookies ? { cookies } : {}),
    body: html,
  };
}

async function loadSession(event: Event, deps: PageDeps): Promise<SiteSession | undefined> {
  const id = (event.cookies ?? []).map((c) => c.split('=')).find(([name]) => name === sessionCookie)?.[1];
  if (!id || !/^[A-Za-z0-9_-]{32}$/.test(id)) return undefined;
  const stored = await deps.sessions.get(id, deps.now());
  return stored && { id: stored.id, csrf: stored.csrf, draft: readDraft(stored.draft), manage: stored.manage, flash: stored.flash };
}

const token = () => randomBytes(24).toString('base64url');
const newSession = (): SiteSession => ({ id: token(), csrf: token(), draft: { children: [], revision: 0 }, manage: {} });

async function saveSession(s: SiteSession, deps: PageDeps) {
  const now = deps.now();
  const record: SiteSessionRecord = {
    id: s.id, csrf: s.csrf, draft: s.draft as Record<string, unknown>, manage: s.manage, ...(s.flash ? { flash: s.flash } : {}),
    createdAt: now.toISOString(), updatedAt: now.toISOString(), expiresAtEpoch: Math.floor(now.getTime() / 1000) + sessionHours * 3600,
  };
  await deps.sessions.put(record);
}

/**
 * A form post must come from this site's own pages: the browser says so (Sec-Fetch-Site, Origin), and
 * it carries the token only this visitor's session knows. Otherwise nothing runs.
 */
function refuseForeignPost(event: Event, session: SiteSession | undefined) {
  const headers = event.headers ?? {};
  const fetchSite = headers['sec-fetch-site'];
  const origin = headers.origin;
  const ours = new URL(config().SITE_URL).origin;
  if ((fetchSite && fetchSite !== 'same-origin') || (origin && origin !== 'null' && origin !== ours)) {
    throw new HttpProblem(403, 'Forbidden', 'This form was sent from another website.');
  }
  if (!session) throw new HttpProblem(403, 'Session ended', 'Your answers were deleted to keep them safe.');
  const sent = Buffer.from(String(parseForm(formBody(event))._csrf ?? ''));
  const expected = Buffer.from(session.csrf);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) throw new HttpProblem(403, 'Forbidden', 'This form could not be checked.');
}

function formBody(event: Event): string {
  const raw = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
}

function readForm(event: Event): Form {
  const body = formBody(event);
  if (Buffer.byteLength(body) > maxFormBytes) throw new HttpProblem(413, 'Request too large', 'That was more than a form can send.');
  const type = (event.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new HttpProblem(415, 'Unsupported media type', 'Send the form from its page.');
  const { _csrf, ...form } = parseForm(body);
  return form;
}
