import type { APIGatewayProxyEventV2WithJWTAuthorizer as Event, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

// API Gateway HTTP API (v2) events as the JWT authorizer delivers them: claims already
// verified, array claims flattened to text the way API Gateway does.

export const claims = {
  admin: { sub: 'staff-admin-1', client_id: 'local-staff-client', token_use: 'access', 'cognito:groups': '[admin]' },
  finance: { sub: 'staff-finance-1', client_id: 'local-staff-client', token_use: 'access', 'cognito:groups': '[finance]' },
  provider: (clientId: string) => ({ sub: clientId, client_id: clientId, token_use: 'access', scope: 'family-services/provider' }),
};

export function apiEvent(opts: {
  method: string; path: string; route?: string; body?: unknown; rawBody?: string; contentType?: string | null;
  query?: Record<string, string>; params?: Record<string, string>; claims?: Record<string, string>; headers?: Record<string, string>;
  sourceIp?: string;
}): Event {
  const routePath = opts.route ?? opts.path;
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const contentType = opts.contentType === null ? {} : { 'content-type': opts.contentType ?? 'application/json' };
  const query = opts.query ?? {};
  return {
    version: '2.0',
    routeKey: `${opts.method} ${routePath}`,
    rawPath: opts.path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { ...(body !== undefined ? contentType : {}), ...opts.headers },
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: opts.params,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000', apiId: 'local', domainName: '127.0.0.1', domainPrefix: '127',
      http: { method: opts.method, path: opts.path, protocol: 'HTTP/1.1', sourceIp: opts.sourceIp ?? '127.0.0.1', userAgent: 'vitest' },
      requestId: randomUUID(), routeKey: `${opts.method} ${routePath}`, stage: '$default',
      time: new Date().toUTCString(), timeEpoch: Date.now(),
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: opts.claims ?? {}, scopes: [] } },
    },
  } as unknown as Event;
}

export const lambdaContext = (functionName = 'test'): Context => ({
  callbackWaitsForEmptyEventLoop: false, functionName, functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-west-2:000000000000:function:${functionName}`, memoryLimitInMB: '512',
  awsRequestId: randomUUID(), logGroupName: `/aws/lambda/${functionName}`, logStreamName: 'test',
  getRemainingTimeInMillis: () => 10_000, done: () => {}, fail: () => {}, succeed: () => {},
});
