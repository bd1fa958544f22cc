import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.ts';
import { tableClient } from '../runtime.ts';

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A document client for the configured table; locally it points at DynamoDB Local. */
export function documentClient(): DynamoDBDocumentClient {
  const { AWS_REGION, DYNAMODB_ENDPOINT } = config();
  const client = new DynamoDBClient({
    region: AWS_REGION,
    // DynamoDB Local accepts any credentials; those in the environment are used when set (the bench sets
    // them, so its cold starts resolve credentials as Lambda does), made-up ones otherwise.
    ...(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT, ...(process.env.AWS_ACCESS_KEY_ID ? {} : { credentials: localCredentials }) } : {}),
    // Bounded waits (shared/runtime.ts): without them a stalled table holds a request until the function times out.
    maxAttempts: tableClient.maxAttempts,
    requestHandler: {
      connectionTimeout: tableClient.connectionTimeoutMs, requestTimeout: tableClient.requestTimeoutMs, throwOnRequestTimeout: true,
    },
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}
