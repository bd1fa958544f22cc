import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { meterClient, type MeterSnapshot, type Usage } from './meter.ts';

// Request units per confirmed place and per application, and what they cost on demand. documentClient()
// meters the stores' clients itself; any other DynamoDB client (one a library makes for itself) is
// metered lazily, on its first send, so no unit goes uncounted.

/**
 * DynamoDB on-demand, eu-west-2 (London), standard table class, after AWS's November 2024 cut of
 * on-demand prices by half: US$0.7425 per million write request units and US$0.1485 per million read
 * request units (from aws.amazon.com/dynamodb/pricing/on-demand as last read; check before quoting).
 */
export const rates = { region: 'eu-west-2', wruPerMillion: 0.7425, rruPerMillion: 0.1485, source: 'aws.amazon.com/dynamodb/pricing/on-demand (eu-west-2, after the Nov 2024 on-demand price cut)' };

export function meterEveryDynamoClient(): void {
  // Both clients send through the SDK's base Client.send (a document client's commands run on its
  // client's middleware stack), so one wrapper there sees every call of every DynamoDB client.
  type Send = (this: unknown, ...args: unknown[]) => Promise<unknown>;
  const base = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: Send };
  const send = base.send;
  base.send = function (this: unknown, ...args: unknown[]) {
    if (this instanceof DynamoDBClient || this instanceof DynamoDBDocumentClient) meterClient(this);
    return send.apply(this, args);
  };
}

export type CommandRow = Usage & { label: string; command: string };

export function rows(usage: MeterSnapshot, labels: readonly string[]): CommandRow[] {
  return labels.flatMap((label) => Object.entries(usage[label] ?? {}).map(([command, u]) => ({ label, command, ...u })))
    .sort((a, b) => b.wru + b.rru - (a.wru + a.rru));
}

export function total(usage: MeterSnapshot, labels: readonly string[]): Usage {
  const sum: Usage = { calls: 0, failed: 0, rru: 0, wru: 0, computedWru: 0, failedWru: 0, reportedWruReplaced: 0 };
  for (const r of rows(usage, labels)) for (const k of Object.keys(sum) as (keyof Usage)[]) sum[k] += r[k];
  return sum;
}

const r2 = (n: number) => Math.round(n * 100) / 100;

/** Units per confirmed place and per application, and the on-demand price of 1,000 places. */
export function perPlace(usage: MeterSnapshot, labels: readonly string[], places: number, applications: number) {
  const t = total(usage, labels);
  const wruPerPlace = r2(t.wru / Math.max(1, places));
  const rruPerPlace = r2(t.rru / Math.max(1, places));
  return {
    labels, places, applications, wruPerPlace, rruPerPlace,
    wruPerApplication: r2(t.wru / Math.max(1, applications)), rruPerApplication: r2(t.rru / Math.max(1, applications)),
    computedWruShare: r2(t.computedWru / Math.max(1, t.wru)),
    /** WRU per place if AWS does not bill cancelled transactions and failed conditional writes: the lower bound. */
    wruPerPlaceWithoutFailed: r2((t.wru - t.failedWru) / Math.max(1, places)),
    requestsPerApplication: r2(t.calls / Math.max(1, applications)),
    failedRequests: t.failed,
    usdPer1000Places: Math.round((1000 * (wruPerPlace * rates.wruPerMillion + rruPerPlace * rates.rruPerMillion) / 1e6) * 1e5) / 1e5,
  };
}
