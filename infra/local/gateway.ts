import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cors } from '../../shared/http/cors.ts';
import { fullScope, roles, type ScopeRole } from '../../shared/http/roles.ts';
import { routeKey, type RouteDef } from '../../shared/http/route.ts';
import { routes } from '../../shared/http/routes/index.ts';
import { claimsAsApiGatewayPasses, type AuthResult } from './authorizer.ts';
import { buildEvent, lambdaContext } from './event.ts';
import { invokeHandler } from './functions.ts';
import { problem, readBody, send, splitOnce, writeResult } from './http-io.ts';
import { jwksPath, type Issuer } from './issuer.ts';
import { createMatcher } from './routing.ts';

// API Gateway, locally: the same route table, CORS, JWT authorizer and payload 2.0 events,
// with each function's handler run in this process.

export interface GatewaySettings {
  issuer: Issuer;
  authorize: (authorization: string | undefined) => Promise<AuthResult>;
  allowedOrigins: readonly string[];
}

export interface Gateway {
  url: string;
  port: number;
  /** The issuer URL and allowed origins contain the port, so they are handed in after listening. */
  configure(settings: GatewaySettings): void;
  /**
   * Until the stack is ready (demo data loaded) every request is a 503 with Retry-After, except those
   * carrying this header's secret: the seeding that makes it ready.
   */
  readonly setupHeader: { name: string; value: string };
  /** Ready: answers everyone from now on. */
  open(): void;
  close(): Promise<void>;
}

export interface GatewayLogs {
  /** One line per request: never bodies, query strings or headers (they carry personal data). */
  request: (line: string) => void;
  /** Handler failures and gateway faults: error names and stack frames, never messages from data. */
  fault: (line: string) => void;
}

export async function startGateway(port: number, logs: GatewayLogs): Promise<Gateway> {
  const match = createMatcher(routes);
  let settings: GatewaySettings | undefined;
  let isOpen = false;
  const setupHeader = { name: 'x-local-setup', value: randomUUID() };

  const server = createServer((req, res) => {
    const started = Date.now();
    const seen = { route: `${req.method} (no route)` };
    handle(req, res, seen)
      .catch((error: unknown) => {
        // Name and stack only: SDK and driver messages can echo item values.
        logs.fault(`gateway error: ${(error as Error)?.name} ${(error as Error)?.stack?.split('\n').slice(1, 4).join(' ')}`);
        if (!res.headersSent) send(res, 500, { 'content-type': 'application/json' }, '{"message":"Internal Server Error"}');
      })
      .finally(() => logs.request(`${seen.route} ${res.statusCode} ${Date.now() - started}ms`));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, seen: { route: string }) {
    if (!settings || (!isOpen && req.headers[setupHeader.name] !== setupHeader.value)) {
      return problem(res, 503, 'Service unavailable', 'The local stack is still starting; try again in a moment.', { 'retry-after': '1' });
    }
    const { issuer, authorize, allowedOrigins } = settings;
    const method = req.method ?? 'GET';
    const [rawPath = '/', rawQueryString = ''] = splitOnce(req.url ?? '/', '?');
    const origin = req.headers.origin;
    const corsHeaders: Record<string, string> = origin && allowedOrigins.includes(origin)
      ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': cors.exposeHeaders.join(',') }
      : {};

    if (method === 'GET' && rawPath === jwksPath) {
      seen.route = `GET ${jwksPath}`;
      return send(res, 200, { 'content-type': 'application/json' }, JSON.stringify(issuer.jwks));
    }
    // API Gateway answers every preflight itself once CORS is configured; no OPTIONS route is needed.
    if (method === 'OPTIONS') {
      seen.route = 'OPTIONS (CORS preflight)';
      const preflight: Record<string, string> = corsHeaders['access-control-allow-origin'] && req.headers['access-control-request-method']
        ? { 'access-control-allow-origin': origin!, 'access-control-allow-methods': cors.allowMethods.join(','),
            'access-control-allow-headers': cors.allowHeaders.join(','), 'access-control-max-age': String(cors.maxAgeSeconds) }
        : {};
      return send(res, 204, preflight);
    }

    const found = match(method, rawPath);
    if (found.kind === 'none') return problem(res, 404, 'Not found', 'No route matches this method and path.', corsHeaders);
    if (found.kind === 'method-not-allowed') {
      return problem(res, 405, 'Method not allowed', `This path takes ${found.allow.join(', ')}.`, { ...corsHeaders, allow: found.allow.join(', ') });
    }
    const { route, pathParameters } = found;
    seen.route = routeKey(route);

    const body = await readBody(req);
    if (!body) return send(res, 413, { ...corsHeaders, 'content-type': 'application/json' }, '{"message":"Request Entity Too Large"}');

    let claims: Record<string, string> | undefined;
    let scopes: string[] | null = null;
    if (roles[route.role].kind !== 'public') {
      const verdict = await checkToken(route, req.headers.authorization, authorize);
      if ('refusal' in verdict) {
        const { status, title, detail, challenge } = verdict.refusal;
        return problem(res, status, title, detail, { ...corsHeaders, 'www-authenticate': challenge });
      }
      ({ claims, scopes } = verdict);
    }

    const event = buildEvent({ req, route, rawPath, rawQueryString, pathParameters, body, claims, scopes });
    const result = await invokeHandler(route.fn, event, () => lambdaContext(route.fn, randomUUID()), logs.fault);
    writeResult(res, result, { ...corsHeaders, 'apigw-requestid': event.requestContext.requestId });
  }

  // API Gateway keeps an idle connection for minutes; Node's 5 s default let a client reuse a socket the
  // server was just closing (ECONNRESET on a POST, which fetch does not retry) when a test paused between requests.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is in use: is \`npm start\` already running? PORT=<n> picks another.`) : error));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    configure(s) {
      settings = s;
    },
    setupHeader,
    open() {
      isOpen = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

type Verdict =
  | { claims: Record<string, string>; scopes: string[] | null }
  | { refusal: { status: 401 | 403; title: string; detail: string; challenge: string } };

/** The authorizer's answer, then the route's authorization scopes, as API Gateway applies them. */
async function checkToken(route: RouteDef, authorization: string | undefined, authorize: GatewaySettings['authorize']): Promise<Verdict> {
  const auth = await authorize(authorization);
  if (!auth.ok) {
    return { refusal: { status: 401, title: 'Unauthorised', detail: 'A valid bearer token is needed for this route.',
      challenge: `Bearer error="invalid_token", error_description="${auth.reason}"` } };
  }
  // The CDK stack sets `authorizationScopes` on a machine role's routes, so API Gateway demands the scope
  // itself, and only on such routes does it pass the token's scopes on (elsewhere `scopes` is null).
  const scoped = roles[route.role].kind === 'scope';
  const tokenScopes = typeof auth.claims.scope === 'string' ? auth.claims.scope.split(' ').filter(Boolean) : [];
  const needed = scoped ? fullScope(route.role as ScopeRole) : '';
  if (scoped && !tokenScopes.includes(needed)) {
    return { refusal: { status: 403, title: 'Forbidden', detail: `This route needs a ${route.role} token.`,
      challenge: `Bearer scope="${needed}", error="insufficient_scope"` } };
  }
  return { claims: claimsAsApiGatewayPasses(auth.claims), scopes: scoped ? tokenScopes : null };
}
