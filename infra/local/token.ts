import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { providerClientId, signToken, tokenClaims } from './issuer.ts';
import { readRunningStack } from './state.ts';

// `npm run token -- admin|finance|provider <providerId>`: prints a bearer token the running
// local stack accepts, and nothing else, so it can go straight into $(...).

const usage = 'Usage: npm run token -- admin|finance|provider <providerId>';
const [role, providerId, ...rest] = process.argv.slice(2);

const valid =
  rest.length === 0 &&
  ((role === 'admin' || role === 'finance') ? providerId === undefined : role === 'provider' && !!providerId);
if (!valid) {
  console.error(usage);
  process.exit(2);
}

try {
  const { state, issuer } = await readRunningStack();
  let clientId: string | undefined;
  if (role === 'provider') {
    const doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: state.dynamoEndpoint,
        region: state.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      }),
    );
    clientId = await providerClientId(doc, state.tableName, providerId!);
    doc.destroy();
  }
  console.log(await signToken(issuer, tokenClaims(issuer, role as 'admin' | 'finance' | 'provider', clientId)));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
