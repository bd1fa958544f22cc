import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lambdaContext } from './event.ts';
import { handlerPath, loadHandler } from './functions.ts';
import { readRunningStack } from './state.ts';

// `npm run invoke -- <function> <event.json>`: one function, one event, against the running
// local stack's table and mail, the way `sam local invoke` would, without the gateway in between.

const usage = 'Usage: npm run invoke -- <function> <event.json>   e.g. npm run invoke -- public-api events/public-api/list-sessions.json';
const [fn, eventFile, ...rest] = process.argv.slice(2);
if (!fn || !eventFile || rest.length > 0) {
  console.error(usage);
  process.exit(2);
}
if (!existsSync(handlerPath(fn))) {
  const functionsDir = fileURLToPath(new URL('../../functions/', import.meta.url));
  const known = existsSync(functionsDir) ? readdirSync(functionsDir).filter((f) => existsSync(handlerPath(f))) : [];
  console.error(`No function "${fn}" (no functions/${fn}/handler.ts). Functions: ${known.join(', ') || 'none yet'}`);
  process.exit(2);
}

// npm runs scripts from the project root, but a path the caller typed is relative to where they stand.
const eventPath = resolve(process.env.INIT_CWD ?? process.cwd(), eventFile);
const event: unknown = await readFile(eventPath, 'utf8').then(JSON.parse).catch((error: Error) => {
  console.error(`Cannot read the event ${eventFile}: ${error.message}`);
  process.exit(2);
});

const { state } = await readRunningStack().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});

try {
  // Set before the handler module loads: functions read their config once, as in Lambda.
  Object.assign(process.env, {
    TABLE_NAME: state.tableName,
    AWS_REGION: state.region,
    DYNAMODB_ENDPOINT: state.dynamoEndpoint,
    SES_ENDPOINT: state.sesUrl,
    SITE_URL: process.env.SITE_URL ?? state.url,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    ...(state.requestDigestSecret ? { REQUEST_DIGEST_SECRET: state.requestDigestSecret } : {}),
  });
  const handler = await loadHandler(fn);
  const result = await handler(event as Parameters<typeof handler>[0], lambdaContext(fn, randomUUID()));
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
} catch (error) {
  console.error((error as Error).stack ?? String(error));
  process.exit(1);
}
