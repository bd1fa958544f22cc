import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isMachineRole, providerClientId, signToken, tokenClaims, tokenRoles, type TokenRole } from './issuer.ts';
import { readRunningStack } from './state.ts';

// `npm run token -- <role> [<providerId>]`: prints a bearer token the running local stack accepts, and
// nothing else, so it can go straight into $(...). Staff roles need nothing more; a provider token names its provider.

const usage = `Usage: npm run token -- ${tokenRoles.map((r) => (isMachineRole(r) ? `${r} <providerId>` : r)).join('|')}`;
const [role, providerId, ...rest] = process.argv.slice(2);

const known = tokenRoles.includes(role as TokenRole);
const valid = known && rest.length === 0 && (isMachineRole(role as TokenRole) ? !!providerId : providerId === undefined);
if (!valid) {
  console.error(usage);
  process.exit(2);
}

try {
  const { state, issuer } = await readRunningStack();
  let clientId: string | undefined;
  if (isMachineRole(role as TokenRole)) {
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
  console.log(await signToken(issuer, tokenClaims(issuer, role as TokenRole, clientId)));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
