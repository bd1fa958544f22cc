import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDemoFiles } from './demo-files.ts';
import type { LocalStack } from './stack.ts';

// `npm start [-- [--persist] [--no-seed] [--council <profile.json>]]`: the API, DynamoDB Local and local SES on loopback.

const usage = 'Usage: npm start [-- [--persist] [--no-seed] [--council <profile.json>]]';
const argv = process.argv.slice(2);
const councilAt = argv.indexOf('--council');
const councilFile = councilAt >= 0 ? argv[councilAt + 1] : undefined;
const args = new Set(argv.filter((_, i) => councilAt < 0 || (i !== councilAt && i !== councilAt + 1)));
const unknown = [...args].filter((a) => a !== '--persist' && a !== '--no-seed');
if (unknown.length > 0 || (councilAt >= 0 && !councilFile)) {
  console.error(`${unknown.length ? `Unknown option ${unknown.join(' ')}. ` : ''}${usage}`);
  process.exit(2);
}
const persist = args.has('--persist');

// The gateway logs one line per request; the functions' own INFO lines would repeat it. Set before
// the stack fills in the deployed defaults (LOG_LEVEL=INFO npm start shows them).
process.env.LOG_LEVEL ??= 'WARN';
if (councilFile) {
  // Checked now, and handed to the handlers as in Lambda, before any of them loads.
  const { parseCouncilProfile } = await import('../../shared/council/profile.ts');
  const path = resolve(process.env.INIT_CWD ?? process.cwd(), councilFile);
  try {
    process.env.COUNCIL_PROFILE = JSON.stringify(parseCouncilProfile(readFileSync(path, 'utf8'), councilFile));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}
const { startLocalStack } = await import('./stack.ts');
const localDir = fileURLToPath(new URL('../../.local/', import.meta.url));

let stack: LocalStack | undefined;
let stopping = false;

async function shutdown(signal: string) {
  // Ctrl-C reaches us twice (from the terminal, and relayed by tsx): act on the first only.
  if (stopping) return;
  stopping = true;
  // stop() is bounded (Java gets SIGKILL after 5 s); this is a last resort. The exit hook still kills Java.
  setTimeout(() => process.exit(1), 15_000).unref();
  console.log(`\n${signal}: stopping the local stack…`);
  await stack?.stop();
  console.log('Stopped.');
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));
watchLauncher();

try {
  stack = await startLocalStack({ persist, seed: !args.has('--no-seed'), writeStateFiles: true });
} catch (error) {
  console.error(`\nThe local stack did not start: ${(error as Error).message}`);
  process.exit(1);
}
if (stopping) await new Promise(() => undefined); // a signal arrived during start: shutdown() exits

const s = stack;
const seeded = s.seeded;
console.log(`
Family services: local stack
  Booking site     ${s.url}/   open it in a browser (a phone-sized window shows it as most parents see it)
  API              ${s.url}   try: curl ${s.url}/v1/sessions
  OpenAPI          ${s.url}/v1/openapi.json
  DynamoDB Local   ${s.dynamoEndpoint}   table ${s.tableName}${persist ? ' (kept in .local/dynamodb/)' : ' (in memory)'}
  Mail (SES)       ${s.sesUrl}   open it in a browser to read the emails sent
  Token issuer     ${s.issuer}
  DfE double       ${s.dfeUrl}   parent surnames: Smith eligible, Jones not eligible, Unknown not found,
                   Slow pending, Broken error; others eligible when the NI number's last digit is even

Tokens:  npm run token -- admin|finance|referrer|provider <providerId>
  e.g.   curl -H "Authorization: Bearer $(npm run -s token -- admin)" ...
Invoke:  npm run invoke -- <function> <event.json>
Logs:    one line per request here; the functions' own logs with LOG_LEVEL=INFO npm start`);
if (seeded) {
  // Codes are made by the service at each start, so none can be guessed: kept in files for the README's examples.
  const written = await writeDemoFiles(localDir, s.url, seeded, new Date());
  const eligible = seeded.eligibilityCodes.filter((c) => c.outcome === 'eligible').slice(0, 3).map((c) => c.code);
  console.log(`
Demo data (${seeded.ms} ms): programmes ${seeded.programmes.join(', ')}; ${seeded.sessions} sessions;
  eligibility codes for ${seeded.bookable}, e.g. ${eligible.join(', ')}: all ${seeded.eligibilityCodes.length} in .local/demo-codes.txt
  ${written.application ? 'an application to send as it is (README, "Booking a HAF place"): .local/demo-application.json' : `no .local/demo-application.json: ${written.missing}`}
  providers: ${seeded.providers.join('\n             ')}`);
}
console.log('\nCtrl-C stops everything.\n');

/**
 * `npm start` runs us as npm → sh → tsx → this process, and a SIGTERM sent to npm is not passed
 * down: npm and sh go, and the stack would run on with nobody to stop it. So watch whoever
 * started tsx (Linux only, via /proc) and stop when it has gone.
 */
function watchLauncher() {
  let launcher = 0;
  try {
    launcher = Number(readFileSync(`/proc/${process.ppid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
  } catch {
    return;
  }
  if (!(launcher > 1)) return;
  setInterval(() => {
    try {
      process.kill(launcher, 0);
    } catch {
      void shutdown('the process that started `npm start` has gone');
    }
  }, 1_000).unref();
}
