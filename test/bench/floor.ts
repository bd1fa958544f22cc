import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// The cold-start floor: a handler that only creates the DynamoDB document client, as documentClient()
// does (same options), without our config, zod, middy or Powertools: what no function of ours can avoid.

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env.AWS_REGION, maxAttempts: 4 }), {
  marshallOptions: { removeUndefinedValues: true },
});

export const handler = async () => ({ statusCode: 200, body: typeof db.send });
