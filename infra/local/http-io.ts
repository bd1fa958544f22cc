import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { HttpProblem } from '../../shared/http/problem.ts';

// Reading requests and writing answers the way API Gateway does at its edge.

const maxBodyBytes = 10 * 1024 * 1024; // API Gateway's own payload limit; handlers enforce the API's 64 KiB

export function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

/** The whole body, or undefined once it passes API Gateway's limit (the rest is drained, not kept). */
export async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBodyBytes) chunks.push(chunk);
  }
  return size > maxBodyBytes ? undefined : Buffer.concat(chunks);
}

/** Payload 2.0 rules: a result without `statusCode` is a 200 JSON body; cookies become Set-Cookie. */
export function writeResult(res: ServerResponse, result: APIGatewayProxyResultV2, extra: Record<string, string>) {
  if (typeof result !== 'object' || result === null || !('statusCode' in result) || result.statusCode === undefined) {
    return send(res, 200, { 'content-type': 'application/json', ...extra }, typeof result === 'string' ? result : JSON.stringify(result));
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  // API Gateway's CORS settings win over any CORS headers the integration returns.
  Object.assign(headers, extra);
  const body = result.body === undefined ? '' : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  send(res, result.statusCode, headers, body);
}

/** The gateway's own refusals, as the same problem documents (and `type` URIs) the handlers use. */
export function problem(res: ServerResponse, status: number, title: string, detail: string, headers: Record<string, string>) {
  const body = JSON.stringify(new HttpProblem(status, title, detail));
  send(res, status, { ...headers, 'content-type': 'application/problem+json; charset=utf-8' }, body);
}

export function send(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: string | Buffer = '') {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

