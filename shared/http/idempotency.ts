import { createHash } from 'node:crypto';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RequestDigest, RequestsPort } from '../domain/ports.ts';
import { RequestStore } from '../store/requests.ts';
import { conflict, invalid } from './problem.ts';
import type { Reply } from './route.ts';

// A create retried with the same Idempotency-Key and body returns the first answer and creates nothing
// new; the same key with another body is a 422; a repeat while the first is still running waits a moment
// for its answer, then gets a 409 with Retry-After. Sign-ups do without it: their reference is claimed from
// the key itself (decision 002).

export interface IdempotencyPayload { operation: string; key: string; body: unknown }

export interface Idempotency {
  run(payload: IdempotencyPayload, action: () => Promise<Reply>): Promise<Reply>;
}

/** A run holds its key a little past the function's 10 s timeout. */
const leaseMs = 11_000;
const repeatWaitMs = 3_000;

export function idempotencyOver(requests: RequestsPort, digestOf: RequestDigest, now: () => Date = () => new Date()): Idempotency {
  return {
    async run({ operation, key, body }, action) {
      const recordKey = createHash('sha256').update(`${operation}\u0000${key}`).digest('base64url');
      // Only a keyed digest of the body is kept (shared/secrets/request-digest.ts).
      const digest = await digestOf(operation, key, body);
      const deadline = Date.now() + repeatWaitMs;
      for (let pause = 50; ; pause = Math.min(pause * 2, 500)) {
        const claim = await requests.claim(recordKey, digest, now(), leaseMs);
        if (claim.kind === 'answered') return claim.answer as Reply;
        if (claim.kind === 'mismatch') {
          throw invalid([{ path: 'Idempotency-Key', message: 'was already used with a different body; use a new key for a new request' }]);
        }
        if (claim.kind === 'claimed') break;
        if (Date.now() + pause > deadline) {
          const busy = conflict('A request with this Idempotency-Key is still being processed; ask again in a moment.');
          busy.headers['retry-after'] = '1';
          throw busy;
        }
        await new Promise((r) => setTimeout(r, pause));
      }
      try {
        const reply = await action();
        await requests.complete(recordKey, reply);
        return reply;
      } catch (error) {
        // A failed run keeps nothing: the retry does the request afresh.
        await requests.release(recordKey).catch(() => undefined);
        throw error;
      }
    },
  };
}

/** The same over the table, from a client's settings (the functions' wiring and tests). */
export function idempotency(tableName: string, digestOf: RequestDigest, clientConfig?: DynamoDBClientConfig): Idempotency {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig ?? {}), { marshallOptions: { removeUndefinedValues: true } });
  return idempotencyOver(new RequestStore(db, tableName), digestOf);
}
