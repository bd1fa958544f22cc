import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { HttpProblem, conflict, invalid, unavailable } from './problem.ts';
import type { Reply } from './route.ts';

// A create retried with the same Idempotency-Key and body returns the first answer and creates
// nothing new; the same key with another body is a 422. Keyed on the header (not the parsed
// event), with Powertools' conditional writes in our one table; records expire through its TTL.

export interface IdempotencyPayload { operation: string; key: string; body: unknown }

export interface Idempotency {
  registerContext(context: Context): void;
  run(payload: IdempotencyPayload, action: () => Promise<Reply>): Promise<Reply>;
}

export function idempotency(tableName: string, clientConfig?: DynamoDBClientConfig): Idempotency {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName, keyAttr: 'pk', sortKeyAttr: 'sk', staticPkValue: 'IDEMPOTENCY', expiryAttr: 'expiresAtEpoch', clientConfig,
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[operation, key]', payloadValidationJmesPath: 'body', throwOnNoIdempotencyKey: true, expiresAfterSeconds: 24 * 3600,
  });
  const once = makeIdempotent(
    async (_payload: IdempotencyPayload, action: () => Promise<Reply>) => action(),
    { persistenceStore, config },
  );
  return {
    registerContext: (context) => config.registerLambdaContext(context),
    run: async (payload, action) => {
      try {
        return await once(payload, action);
      } catch (e) {
        throw mapError(e);
      }
    },
  };
}

function mapError(e: unknown): unknown {
  const name = (e as Error)?.name;
  if (e instanceof HttpProblem || name === 'DomainError') return e;
  if (name === 'IdempotencyValidationError') {
    return invalid([{ path: 'Idempotency-Key', message: 'was already used with a different body; use a new key for a new request' }]);
  }
  if (name === 'IdempotencyAlreadyInProgressError') return conflict('A request with this Idempotency-Key is still being processed.');
  if (name?.startsWith('Idempotency')) {
    // Powertools wraps the action's own errors; surface the original so it maps to its own status.
    const cause = (e as { cause?: unknown }).cause;
    return cause ?? unavailable();
  }
  return e;
}
