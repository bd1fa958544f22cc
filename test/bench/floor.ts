import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

// The cold-start floor: a handler that creates the DynamoDB document client as documentClient() does (same
// options) and makes one call, without our config, zod or logger: what no function of ours can avoid.

const endpoint = process.env.DYNAMODB_ENDPOINT;
const db = DynamoDBDocumentClient.from(new DynamoDBClient({
  region: process.env.AWS_REGION, maxAttempts: 4,
  ...(endpoint ? { endpoint, ...(process.env.AWS_ACCESS_KEY_ID ? {} : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }) } : {}),
}), { marshallOptions: { removeUndefinedValues: true } });

export const handler = async () => {
  await db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'FLOOR', sk: 'FLOOR' } }));
  return { statusCode: 200 };
};
