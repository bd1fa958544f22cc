import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type GetRecordsCommandOutput, type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../../shared/observability/logger.ts';
import { functions } from '../../shared/runtime.ts';

// DynamoDB Local's stream, read the way Lambda's event source mapping reads the real one: shards in
// order (a child after its parent), batches in the Lambda event shape, and ReportBatchItemFailures
// retries from the first failed record, a bounded number of times, then parked as the on-failure queue's
// message (the batch's shard and sequence numbers, not its records), which redrive() hands over again.

// A handler that returns nothing reports no failures, as in Lambda.
// biome-ignore lint/suspicious/noConfusingVoidType: a Lambda stream handler may return nothing at all.
export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

export interface StreamPollerOptions {
  endpoint: string;
  tableName: string;
  handler: StreamHandler;
  /** Pause between polls when there is nothing new. */
  intervalMs?: number;
  /** Records per invocation; by default the runtime contract's, as the deployed event source. */
  batchSize?: number;
  /** Invocations of a failing batch before its records are dropped (logged); by default the contract's retries plus one. */
  maxAttempts?: number;
  retryDelayMs?: number;
  /**
   * Where to start in the shards open when the poller starts. TRIM_HORIZON, as in AWS: a message owed
   * while the stack was stopped still goes out, and the sent-markers stop a replay from sending twice.
   * LATEST skips history (a persisted table with old test data). Shards found later always start at
   * TRIM_HORIZON, or records written between a shard's birth and our next look would be lost.
   */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  region?: string;
}

/** What Lambda's event source mapping sends its on-failure destination (SQS) for a stream batch: where, not what. */
export interface DeadLetter {
  requestContext: { condition: 'RetryAttemptsExhausted'; approximateInvokeCount: number; functionArn: string };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: { shardId: string; startSequenceNumber: string; endSequenceNumber: string; batchSize: number; streamArn: string };
}

export interface StreamPoller {
  stop(): Promise<void>;
  /** The batches given up on, as the dead-letter queue holds them. */
  deadLetters(): DeadLetter[];
  /** Reads a dead letter's records back from the stream and hands them to the handler once: what the failures are, if any. */
  redrive(letter: DeadLetter): Promise<DynamoDBBatchResponse>;
  /** Resolves once every record written before the call has been handed to the handler (and settled). */
  drain(timeoutMs?: number): Promise<void>;
}

interface ShardState { id: string; parent?: string; start: 'TRIM_HORIZON' | 'LATEST'; iterator?: string; last?: string; closed: boolean }
interface Waiter { after: number; resolve: () => void; reject: (e: Error) => void }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function startStreamPoller(opts: StreamPollerOptions): StreamPoller {
  const { stream } = functions.notifier;
  const { tableName, handler, intervalMs = 200, batchSize = stream.batchSize, maxAttempts = stream.retryAttempts + 1, retryDelayMs = 100 } = opts;
  const region = opts.region ?? process.env.AWS_REGION ?? 'eu-west-2';
  const clientConfig = { endpoint: opts.endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const tables = new DynamoDBClient(clientConfig);
  const streams = new DynamoDBStreamsClient(clientConfig);
  const shards = new Map<string, ShardState>();
  const waiters: Waiter[] = [];
  const parked: DeadLetter[] = [];
  let streamArn: string | undefined;
  let firstLook = true;
  let cycles = 0;
  let stopped = false;
  let wake = () => {};

  async function discover(): Promise<string> {
    streamArn ??= (await tables.send(new DescribeTableCommand({ TableName: tableName }))).Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`table ${tableName} has no stream`);
    let ExclusiveStartShardId: string | undefined;
    do {
      const out = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId }));
      for (const s of out.StreamDescription?.Shards ?? []) {
        if (!s.ShardId || shards.has(s.ShardId)) continue;
        const start = firstLook ? (opts.startingPosition ?? 'TRIM_HORIZON') : 'TRIM_HORIZON';
        shards.set(s.ShardId, { id: s.ShardId, parent: s.ParentShardId, start, closed: false });
      }
      ExclusiveStartShardId = out.StreamDescription?.LastEvaluatedShardId;
    } while (ExclusiveStartShardId);
    firstLook = false;
    return streamArn;
  }

  const ready = (s: ShardState) => !s.closed && !(s.parent && shards.get(s.parent)?.closed === false);

  /** One GetRecords on the shard; true when there may be more to do (records came, or the shard closed). */
  async function poll(arn: string, s: ShardState): Promise<boolean> {
    s.iterator ??= (await streams.send(new GetShardIteratorCommand({
      StreamArn: arn, ShardId: s.id,
      ...(s.last ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: s.last } : { ShardIteratorType: s.start }),
    }))).ShardIterator;
    let out: GetRecordsCommandOutput;
    try {
      out = await streams.send(new GetRecordsCommand({ ShardIterator: s.iterator, Limit: 100 }));
    } catch (error) {
      if ((error as Error).name !== 'ExpiredIteratorException') throw error;
      s.iterator = undefined; // a fresh one from just after the last record handed over
      return true;
    }
    const records = out.Records ?? [];
    for (let i = 0; i < records.length; i += batchSize) {
      const batch = records.slice(i, i + batchSize);
      await handOver(arn, s.id, batch);
      s.last = batch.at(-1)?.dynamodb?.SequenceNumber ?? s.last;
    }
    s.iterator = out.NextShardIterator;
    if (!s.iterator) s.closed = true;
    return records.length > 0 || s.closed;
  }

  async function handOver(arn: string, shardId: string, records: _Record[]): Promise<void> {
    let batch = records.map((r) => toLambdaRecord(r, arn, region));
    for (let attempt = 1; ; attempt++) {
      let failed: string[];
      try {
        const out = await handler({ Records: batch }, lambdaContext());
        failed = (out?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
      } catch (error) {
        logger.warn('notifier threw; retrying the whole batch', { error: (error as Error)?.name });
        failed = [''];
      }
      if (failed.length === 0) return;
      // As Lambda does: retry from the first failed record on; an unknown identifier means the whole batch.
      const first = batch.findIndex((r) => failed.includes(r.dynamodb?.SequenceNumber ?? ''));
      batch = batch.slice(Math.max(first, 0));
      if (attempt >= maxAttempts) {
        logger.error('stream records parked in the dead-letter queue after retries', {
          tableName, count: batch.length, sequenceNumbers: batch.map((r) => r.dynamodb?.SequenceNumber),
        });
        parked.push(deadLetter(arn, shardId, batch, attempt));
        return;
      }
      await sleep(Math.min(2_000, retryDelayMs * 2 ** (attempt - 1)));
    }
  }

  async function run(): Promise<void> {
    while (!stopped) {
      const cycle = ++cycles;
      let again = false;
      try {
        const arn = await discover();
        for (const s of [...shards.values()]) if (!stopped && ready(s) && (await poll(arn, s))) again = true;
        if (!again) settle(cycle);
        again ||= waiters.length > 0; // someone is waiting: look again now rather than after the pause
      } catch (error) {
        logger.warn('stream poll failed; trying again', { tableName, error: (error as Error)?.name });
      }
      if (again && !stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        wake = () => { clearTimeout(timer); resolve(); };
      });
    }
  }

  /** A quiet cycle that began after a drain() call proves everything written before it was handed over. */
  function settle(cycle: number) {
    for (const w of waiters.filter((x) => x.after < cycle)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  }

  /** Every record of the shard from `start` to `end` (inclusive), read afresh as a redrive does in AWS. */
  async function recordsBetween(info: DeadLetter['DDBStreamBatchInfo']): Promise<_Record[]> {
    let iterator = (await streams.send(new GetShardIteratorCommand({
      StreamArn: info.streamArn, ShardId: info.shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: info.startSequenceNumber,
    }))).ShardIterator;
    const found: _Record[] = [];
    const end = BigInt(info.endSequenceNumber);
    while (iterator) {
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
      for (const r of out.Records ?? []) {
        if (BigInt(r.dynamodb?.SequenceNumber ?? '0') > end) return found;
        found.push(r);
      }
      if (found.length >= info.batchSize || (out.Records ?? []).length === 0) return found;
      iterator = out.NextShardIterator;
    }
    return found;
  }

  const running = run();
  return {
    deadLetters: () => [...parked],
    async redrive(letter) {
      const records = await recordsBetween(letter.DDBStreamBatchInfo);
      const out = await handler({ Records: records.map((r) => toLambdaRecord(r, letter.DDBStreamBatchInfo.streamArn, region)) }, lambdaContext());
      return { batchItemFailures: out?.batchItemFailures ?? [] };
    },
    drain(timeoutMs = 30_000) {
      if (stopped) return Promise.reject(new Error('the stream poller is stopped'));
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`stream not drained within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ after: cycles, resolve: () => { clearTimeout(timer); resolve(); }, reject });
        wake();
      });
    },
    async stop() {
      stopped = true;
      wake();
      await running;
      for (const w of waiters.splice(0)) w.reject(new Error('the stream poller stopped before draining'));
      tables.destroy();
      streams.destroy();
    },
  };
}

function deadLetter(streamArn: string, shardId: string, batch: DynamoDBRecord[], invokes: number): DeadLetter {
  const sequence = (r: DynamoDBRecord | undefined) => r?.dynamodb?.SequenceNumber ?? '';
  return {
    requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: invokes, functionArn: lambdaContext().invokedFunctionArn },
    version: '1.0', timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: { shardId, startSequenceNumber: sequence(batch[0]), endSequenceNumber: sequence(batch.at(-1)), batchSize: batch.length, streamArn },
  };
}

/** The record as Lambda delivers it: JSON, so binary values arrive as base64 text and times as epoch seconds. */
function toLambdaRecord(r: _Record, eventSourceARN: string, awsRegion: string): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  const json = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    return raw instanceof Uint8Array ? Buffer.from(raw).toString('base64') : value;
  })));
  return {
    eventID: r.eventID, eventName: r.eventName, eventVersion: r.eventVersion ?? '1.1', eventSource: 'aws:dynamodb', awsRegion, eventSourceARN,
    dynamodb: {
      ApproximateCreationDateTime: d.ApproximateCreationDateTime ? Math.floor(d.ApproximateCreationDateTime.getTime() / 1000) : undefined,
      Keys: json(d.Keys), NewImage: emptyMaps(json(d.NewImage)) as never, OldImage: emptyMaps(json(d.OldImage)) as never,
      SequenceNumber: d.SequenceNumber, SizeBytes: d.SizeBytes, StreamViewType: d.StreamViewType,
    },
  };
}

type Av = Record<string, unknown>;

/**
 * The Streams client reads an empty map (`{"M":{}}` on the wire, as Lambda delivers it) back as `{}`, which no
 * decoder can read: an attribute value with no type can only have been an empty map (lists keep `L`, sets are never empty).
 */
function emptyMaps(image: Record<string, Av> | undefined): Record<string, Av> | undefined {
  if (!image) return image;
  const fix = (av: Av): Av => {
    if (Object.keys(av).length === 0) return { M: {} };
    if (av.M) return { M: Object.fromEntries(Object.entries(av.M as Record<string, Av>).map(([k, v]) => [k, fix(v)])) };
    if (av.L) return { L: (av.L as Av[]).map(fix) };
    return av;
  };
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, fix(v)]));
}

function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false, functionName: 'notifier', functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-2:000000000000:function:notifier', memoryLimitInMB: String(functions.notifier.memoryMb),
    awsRequestId: randomUUID(), logGroupName: '/aws/lambda/notifier', logStreamName: 'local',
    getRemainingTimeInMillis: () => functions.notifier.timeoutSeconds * 1000, done: () => {}, fail: () => {}, succeed: () => {},
  };
}
