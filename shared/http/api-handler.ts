import type { APIGatewayProxyEventV2WithJWTAuthorizer as Event, APIGatewayProxyStructuredResultV2 as Result, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { logger } from '../observability/logger.ts';
import { metrics } from '../observability/metrics.ts';
import { authorise, principalFrom, type Principal } from './auth.ts';
import { clientOf } from './client.ts';
import { formats, negotiate, type Format } from './csv.ts';
import { badRequest, fieldErrors, HttpProblem, tooLarge, unauthorised, unsupportedMediaType, invalid } from './problem.ts';
import { routeKey, type Reply, type RouteDef } from './route.ts';
import { lazily } from '../schemas/lazily.ts';
import type { Idempotency } from './idempotency.ts';
import { beforeTimeout } from './deadline.ts';
import { otherClient, refuseEveryToken, type TokenVerifier } from './jwt.ts';
import { csvResponse, errorResponse, jsonResponse, withEdgeHeaders } from './responses.ts';

export const maxBodyBytes = 64 * 1024;

type Out<S> = S extends z.ZodMiniType ? z.output<S> : Record<string, never>;

export interface Request<R extends RouteDef = RouteDef> {
  params: Out<R['params']>;
  query: Out<R['query']>;
  body: Out<R['body']>;
  principal: Principal;
  /** Lower-cased request headers. */
  headers: Readonly<Record<string, string | undefined>>;
  correlationId: string;
  /** The caller's address as a digest: limits per client without keeping an address. */
  client: string;
  route: R;
  /** What the caller asked for (`?format=` or Accept); only routes with a CSV view ever get `csv`. */
  format: Format;
}

export type { Reply };
export type Action<R extends RouteDef> = (req: Request<R>) => Promise<Reply>;

/** Every route the function serves must have exactly one action: the compiler checks the table. */
export type Actions<T extends readonly RouteDef[]> = {
  [R in T[number] as R['operationId']]: Action<R>;
};

const correlationIdPattern = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The thin edge every API function shares: parse → authorise → action → reply, problems for everything
 * else. It takes the function's own routes (its own file in routes/), so it loads only the schemas it serves.
 */
export function apiHandler<T extends readonly RouteDef[]>(
  ownRoutes: T, actions: Actions<T>, opts: { idempotency?: Idempotency; verifyToken?: TokenVerifier } = {},
) {
  const table = new Map(ownRoutes.map((r) => [routeKey(r), r]));
  // A route promised to keep its first answer must not quietly run without the record that keeps it.
  const unkept = ownRoutes.filter((r) => r.idempotent === 'record' && !opts.idempotency).map(routeKey);
  if (unkept.length) throw new Error(`No idempotency record store wired for ${unkept.join(', ')}`);
  // A route that takes an optional token, with nothing to check it against, refuses every token (401): never as anonymous.
  const verifyToken = opts.verifyToken ?? refuseEveryToken;
  const byOperation = actions as unknown as Record<string, Action<RouteDef>>;

  return async (event: Event, context: Context): Promise<Result> => {
    logger.startInvocation(context);
    const started = Date.now();
    const given = event.headers?.['x-correlation-id'];
    const correlationId = given && correlationIdPattern.test(given) ? given : event.requestContext.requestId;
    logger.appendKeys({ correlationId, routeKey: event.routeKey });
    let result: Result;
    try {
      const route = table.get(event.routeKey);
      if (!route) throw new HttpProblem(404, 'Not found', 'No such route.');
      const claims = event.requestContext.authorizer?.jwt?.claims ?? await optionalClaims(route, event, verifyToken);
      const request = parseRequest(route, event, correlationId, claims);
      const action = byOperation[route.operationId];
      if (!action) throw new HttpProblem(404, 'Not found', 'No such route.');
      const reply = await beforeTimeout(runAction(route, request, action, opts.idempotency), context);
      result = route.csv && request.format === 'csv' && reply.status < 300
        ? csvResponse(reply, route.csv, request.params as Record<string, string>)
        : jsonResponse(reply);
      // The same URL answers JSON or CSV by the Accept header, so caches must key on it.
      if (route.csv) result.headers = { ...result.headers, vary: 'accept' };
    } catch (error) {
      result = errorResponse(error);
    }
    logger.info('request', { status: result.statusCode, ms: Date.now() - started });
    metrics.flush();
    return withEdgeHeaders(result, correlationId);
  };
}

const IdempotencyKey = lazily(() => z.string().check(z.minLength(1), z.maxLength(128)));

/** Routes that create something honour an Idempotency-Key when the caller sends one. */
function runAction(route: RouteDef, request: Request, action: Action<RouteDef>, store: Idempotency | undefined) {
  const key = request.headers['idempotency-key'];
  if (!route.idempotent || key === undefined) return action(request);
  if (!IdempotencyKey.safeParse(key).success) throw invalid([{ path: 'Idempotency-Key', message: 'must be 1–128 characters' }]);
  if (route.idempotent === 'action' || !store) return action(request); // no store: refused at construction
  return store.run({ operation: route.operationId, key, body: request.body }, () => action(request));
}

/**
 * A token sent to a route that takes one optionally: checked as the gateway would; a forged, expired or malformed
 * one is a 401; none, or a good one of another app client (a provider's), leaves the caller anonymous.
 */
async function optionalClaims(route: RouteDef, event: Event, verify: TokenVerifier) {
  const authorization = event.headers?.authorization ?? event.headers?.Authorization;
  if (route.token !== 'optional' || !authorization) return undefined;
  const checked = await verify(authorization);
  if (!checked.ok && checked.reason === otherClient) return undefined;
  if (!checked.ok) throw unauthorised('The bearer token is not valid: send none, or a current one.');
  return checked.claims as Record<string, unknown>;
}

function parseRequest(route: RouteDef, event: Event, correlationId: string, claims: Record<string, unknown> | undefined): Request {
  const principal = principalFrom(claims);
  authorise(principal, route.role);

  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const params = validate(route.params, event.pathParameters ?? {});
  // On a route with a CSV view the edge owns `format`, so the route's own query schema never sees it.
  const { format: asked, ...routeQuery } = event.queryStringParameters ?? {};
  const format = validate(route.csv ? FormatQuery : undefined, { format: asked });
  const query = validate(route.query, route.csv ? routeQuery : (event.queryStringParameters ?? {}));
  const body = route.body ? validate(route.body, readJsonBody(event, headers['content-type'])) : validate(undefined, undefined);
  const named = validate(route.headers, headers);
  const problems = [...params.problems, ...query.problems, ...format.problems, ...named.problems, ...body.problems];
  if (problems.length > 0) throw invalid(problems);
  return {
    params: params.value, query: query.value, body: body.value, principal, headers, correlationId, route,
    client: clientOf(event),
    format: route.csv ? negotiate((format.value as { format?: Format }).format, headers.accept) : 'json',
  } as Request;
}

const FormatQuery = lazily(() => z.object({ format: z.optional(z.enum(formats, 'must be json or csv')) }));

function validate(schema: z.ZodMiniType | undefined, input: unknown) {
  if (!schema) return { value: {}, problems: [] };
  const r = schema.safeParse(input);
  return r.success ? { value: r.data, problems: [] } : { value: undefined, problems: fieldErrors(r.error.issues) };
}

function readJsonBody(event: Event, contentType: string | undefined): unknown {
  const raw = event.body ?? '';
  const bytes = Buffer.byteLength(raw, event.isBase64Encoded ? 'base64' : 'utf8');
  if (bytes > maxBodyBytes) throw tooLarge(maxBodyBytes);
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!mediaType || !(mediaType === 'application/json' || mediaType.endsWith('+json'))) throw unsupportedMediaType();
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (text.trim() === '') throw badRequest('The request needs a JSON body.');
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The body is not valid JSON.');
  }
}
