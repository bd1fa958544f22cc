import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { routeKey, type RouteDef } from '../../shared/http/route.ts';
import { functions, type FunctionContract } from '../../shared/runtime.ts';

// Builds the payload format 2.0 event API Gateway HTTP APIs send to Lambda, field by field,
// so a handler that works here meets the same shapes (and the same quirks) in AWS.

export interface EventInput {
  req: IncomingMessage;
  route: RouteDef;
  rawPath: string;
  rawQueryString: string;
  pathParameters: Record<string, string>;
  body: Buffer;
  /** Already in API Gateway's string form; absent on public routes. */
  claims?: Record<string, string>;
  /** The token's scopes on routes with authorization scopes; API Gateway sends null on the others. */
  scopes?: string[] | null;
}

export function buildEvent({ req, route, rawPath, rawQueryString, pathParameters, body, claims, scopes = null }: EventInput): APIGatewayProxyEventV2WithJWTAuthorizer {
  const headers = lowerCasedHeaders(req.rawHeaders);
  // Payload 2.0 moves cookies out of the headers into their own list.
  const cookies = headers.cookie?.split(/;\s*/).filter(Boolean);
  delete headers.cookie;
  delete headers.connection; // hop-by-hop: API Gateway does not pass it on
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  headers['x-forwarded-for'] ??= sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(req.socket.localPort ?? '');
  const now = new Date();
  const key = routeKey(route);
  const text = asUtf8(body);
  const query = queryParameters(rawQueryString);

  const event = {
    version: '2.0',
    routeKey: key,
    rawPath,
    rawQueryString,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: (headers.host ?? '127.0.0.1').split('.')[0] ?? 'local',
      http: { method: route.method, path: rawPath, protocol: `HTTP/${req.httpVersion}`, sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: key,
      stage: '$default',
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes } } } : {}),
    },
    ...(body.length > 0 ? { body: text ?? body.toString('base64'), isBase64Encoded: text === undefined } : { isBase64Encoded: false }),
  };
  return event as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** Lower-case names; repeated headers joined with commas, as API Gateway does. */
function lowerCasedHeaders(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    out[name] = out[name] === undefined ? value : `${out[name]}${name === 'cookie' ? '; ' : ','}${value}`;
  }
  return out;
}

/** Decoded values; a repeated parameter becomes `a,b` (API Gateway's rule for payload 2.0). */
function queryParameters(raw: string): Record<string, string> | undefined {
  if (raw === '') return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(raw)) out[name] = out[name] === undefined ? value : `${out[name]},${value}`;
  return Object.keys(out).length > 0 ? out : undefined;
}

function asUtf8(body: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return undefined;
  }
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `23/Nov/2026:09:41:07 +0000`, API Gateway's `requestContext.time`. */
function apiGatewayTime(d: Date): string {
  return `${pad(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** A Lambda context with the fields handlers and the logger read, as the runtime contract sets the function up; the clock starts now. */
export function lambdaContext(functionName: string, requestId: string): Context {
  const contract = contractOf(functionName);
  const deadline = Date.now() + contract.timeoutSeconds * 1000;
  const region = process.env.AWS_REGION ?? 'eu-west-2';
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(contract.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${requestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The function's settings from the runtime contract (shared/runtime.ts), as CDK deploys it. */
export function contractOf(functionName: string): FunctionContract {
  const contract = (functions as Record<string, FunctionContract>)[functionName];
  if (!contract) throw new Error(`${functionName} is not in shared/runtime.ts`);
  return contract;
}
