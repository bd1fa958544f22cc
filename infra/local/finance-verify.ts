import { parseArgs } from 'node:util';
import { config } from '../../shared/config.ts';
import { verifyFigures } from '../../shared/services/figures.ts';
import { documentClient } from '../../shared/store/client.ts';
import { storesFor } from '../../shared/wiring.ts';
import { readRunningStack } from './state.ts';

// `npm run finance:verify -- --programme <id> [--aws]`: recounts a programme's finance figures from its
// bookings and prints every difference from the figures the stream kept (exit 1 if there is one). Against
// the running local stack, or with --aws the table TABLE_NAME in AWS_REGION with your AWS credentials.

const usage = 'Usage: npm run finance:verify -- --programme <programmeId> [--aws]';
let args: { programme?: string; aws?: boolean };
try {
  ({ values: args } = parseArgs({ options: { programme: { type: 'string' }, aws: { type: 'boolean', default: false } } }));
} catch {
  args = {};
}
if (!args.programme) {
  console.error(usage);
  process.exit(2);
}

try {
  if (!args.aws) {
    const { state } = await readRunningStack();
    process.env.DYNAMODB_ENDPOINT = state.dynamoEndpoint;
    process.env.TABLE_NAME = state.tableName;
    process.env.AWS_REGION = state.region;
  }
  const db = documentClient();
  const stores = storesFor(db, config().TABLE_NAME);
  const started = Date.now();
  const r = await verifyFigures({ ...stores, now: () => new Date() }, args.programme);
  console.log(`${r.programmeId}: ${r.sessions} sessions, ${r.bookings} bookings recounted in ${Date.now() - started} ms`);
  if (r.expired) {
    console.log(`No booking is left to recount from (the personal data is kept until ${r.personalDataKeptUntil}, or was erased): the figures kept stand.`);
  } else if (r.differences.length === 0) {
    console.log('The figures kept from the stream agree with the recount: no difference.');
  } else {
    for (const d of r.differences) {
      const names = [...new Set([...Object.keys(d.kept), ...Object.keys(d.recounted)])].sort();
      const moved = names.filter((n) => (d.kept[n] ?? 0) !== (d.recounted[n] ?? 0)).map((n) => `${n} kept ${d.kept[n] ?? 0}, recounted ${d.recounted[n] ?? 0}`);
      console.log(`DIFFERENCE ${d.what}: ${moved.join('; ')}`);
    }
    console.log(`${r.differences.length} difference(s).`);
  }
  db.destroy();
  process.exit(r.differences.length === 0 ? 0 : 1);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
