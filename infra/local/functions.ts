import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { contractOf } from './event.ts';

// Runs a function's handler in this process, as Lambda would run it in its own: loaded once
// (a warm container), bounded by the function's timeout, and a throw becomes API Gateway's 500.

type Handler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyResultV2>;

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const loaded = new Map<string, Promise<Handler>>();

export const handlerPath = (fn: string) => `${projectRoot}functions/${fn}/handler.ts`;

export function loadHandler(fn: string): Promise<Handler> {
  let handler = loaded.get(fn);
  if (!handler) {
    const file = handlerPath(fn);
    if (!existsSync(file)) return Promise.reject(new Error(`functions/${fn}/handler.ts does not exist (yet)`));
    handler = import(pathToFileURL(file).href).then((mod: { handler?: unknown }) => {
      if (typeof mod.handler !== 'function') throw new Error(`functions/${fn}/handler.ts exports no handler function`);
      return mod.handler as Handler;
    });
    // A module that failed to load is tried again next time, so a fixed file is picked up.
    handler.catch(() => loaded.delete(fn));
    loaded.set(fn, handler);
  }
  return handler;
}

class TimedOut extends Error {
  constructor(seconds: number) {
    super(`Task timed out after ${seconds} seconds`);
  }
}

/**
 * In AWS every invocation has its own instance and CPU; here they all share this process and the
 * machine's cores with DynamoDB Local. Running at most this many at once (the rest wait their turn,
 * as requests queue in front of a busy service) keeps each invocation's 10 s budget its own.
 */
const maxConcurrent = Number(process.env.LOCAL_CONCURRENCY ?? 32);
let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running >= maxConcurrent) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

const internalError = { statusCode: 500, headers: { 'content-type': 'application/json' }, body: '{"message":"Internal Server Error"}' };

export async function invokeHandler(
  fn: string,
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  /** Made once the invocation starts, so time spent waiting for a slot is not the function's. */
  makeContext: () => Context,
  log: (line: string) => void,
): Promise<APIGatewayProxyResultV2> {
  let handler: Handler;
  try {
    handler = await loadHandler(fn);
  } catch (error) {
    // A load failure is about code, not data, so its message is safe and useful to print.
    log(`${fn}: cannot load handler: ${(error as Error)?.stack ?? String(error)}`);
    return internalError;
  }
  let timer: NodeJS.Timeout | undefined;
  const release = await slot();
  const context = makeContext();
  try {
    const { timeoutSeconds } = contractOf(fn);
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimedOut(timeoutSeconds)), timeoutSeconds * 1000);
    });
    return await Promise.race([handler(event, context), timedOut]);
  } catch (error) {
    // Name and the top of the stack only: messages from the SDK or zod can echo personal data.
    const e = error as Error;
    const detail = e instanceof TimedOut ? e.message : `${e?.name ?? 'Error'} ${e?.stack?.split('\n').slice(1, 4).map((l) => l.trim()).join(' | ') ?? ''}`;
    log(`${fn} failed: ${detail}`);
    return internalError;
  } finally {
    clearTimeout(timer);
    release();
  }
}
