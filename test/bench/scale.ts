import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bornYearsAgo } from '../support/clock.ts';
import { name } from '../support/names.ts';
import type { LocalStack } from '../../infra/local/stack.ts';
import { routes } from '../../shared/http/routes/index.ts';
import { keys } from '../../shared/store/keys.ts';
import { meter } from './meter.ts';
import { api, type Api, percentile } from './http.ts';
import { diff } from './rush.ts';
import { total } from './cost.ts';
import { createProgramme, days, providerId } from './world.ts';

// Reads must not grow with the table: the attendance list of one session of 25 children, and finance's
// reconciliation of its programme (read from the figures the stream keeps), are timed and metered with
// 1k, 10k and 50k bookings in the table. The bookings are written straight into DynamoDB
// (BatchWriteItem, the item shape BookingStore writes) across many sessions, 25 to a session.

export interface ScalePoint { bookings: number; route: string; medianMs: number; p95Ms: number; requestsPerList: number; rruPerList: number; scans: number; rows: number }

const hasAttendance = routes.some((r) => r.operationId === 'getAttendance');
export const scaleTodo = hasAttendance ? undefined
  : 'TODO: GET /v1/provider/sessions/{sessionId}/attendance does not exist yet; measured the session listing instead.';

/** Two years from now: the bulk bookings outlive the bench, and DynamoDB Local's TTL never takes them mid-run. */
const retainedUntil = Math.floor(Date.now() / 1000) + 2 * 365 * 86_400;

/** A booking item as BookingStore.place writes it (bookingItem in shared/store/bookings.ts). */
function booking(sessionId: string, n: number, status: 'confirmed' | 'waitlisted', programmeId: string) {
  const bookingId = `HAF-BULK${String(n).padStart(6, '0')}-1-1`;
  const at = new Date(Date.now() - 86_400_000 + n * 1000).toISOString();
  return {
    ...keys.booking(sessionId, bookingId), entity: 'Booking', bookingId, reference: bookingId.slice(0, 16), sessionId, programmeId, providerId,
    sessionDate: days[0]!, childId: `${bookingId.slice(0, 16)}-1`, childKey: `bulk-child-${n}`, family: `bulk-family-${n}`, discretionary: false, arrivedAt: at, expiresAtEpoch: retainedUntil,
    child: { firstName: 'Bulk', lastName: name('Child', n), dateOfBirth: bornYearsAgo(9), dietaryNeeds: 'No nuts' }, parentPhone: '07700 900123',
    status, createdAt: at, updatedAt: at,
  };
}

async function writeAll(db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]) {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  // Eight batches in flight; unprocessed items go round again, a bounded number of times.
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < batches.length) {
      let pending = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 8) throw new Error('BatchWriteItem kept items unprocessed');
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
      }
    }
  }));
}

export async function scaleOfReads(stack: LocalStack, admin: Api, db: DynamoDBDocumentClient, sizes: readonly number[], log: (s: string) => void): Promise<ScalePoint[]> {
  const { programmeId, sessions } = await createProgramme(admin, 'scale', 1, 40);
  const measured = sessions[0]!.id;
  // The measured session: 25 confirmed and 15 waitlisted, and a Places item that agrees.
  const own = Array.from({ length: 40 }, (_, i) => booking(measured, 900_000 + i, i < 25 ? 'confirmed' : 'waitlisted', programmeId));
  await writeAll(db, stack.tableName, [...own, { ...keys.places(measured), entity: 'Places', capacity: 40, booked: 25, waitlisted: 15, discretionaryBooked: 0 }]);
  const provider = api(stack.url, await stack.mintToken('provider', providerId));
  const path = hasAttendance ? `/v1/provider/sessions/${measured}/attendance` : `/v1/sessions?programme=${programmeId}`;
  const label = hasAttendance ? 'provider-api' : 'public-api';
  // The reconciliation of the measured programme: its provider's agreement, its session's figures (from the stream).
  await admin.must('PUT', `/v1/admin/programmes/${programmeId}/agreements/${providerId}`, {
    grantAllocationPence: 100_000, ratePencePerChildDay: 2000, placesCommissioned: 40, paymentBasis: 'booked',
  });
  const finance = api(stack.url, await stack.mintToken('finance'));
  const reads = [
    { client: provider, path, label, rows: (b: Record<string, unknown[] | undefined>) => (b.attendees ?? b.items ?? []).length },
    { client: finance, path: `/v1/finance/reconciliation?programme=${programmeId}`, label: 'finance-api', rows: (b: Record<string, unknown[] | undefined>) => {
      // A reconciliation of empty figures would be cheap for the wrong reason: the 25 places must be in it.
      const booked = (b as unknown as { totals?: { placesBooked?: number } }).totals?.placesBooked;
      if (booked !== 25) throw new Error(`the reconciliation counts ${booked} places, not the session's 25: the stream's figures are missing`);
      return (b.rows ?? []).length;
    } },
  ];

  const points: ScalePoint[] = [];
  let loaded = own.length;
  for (const size of sizes) {
    const started = Date.now();
    const extra = Array.from({ length: Math.max(0, size - loaded) }, (_, i) => booking(`bulk-${String(Math.floor((loaded + i) / 25)).padStart(5, '0')}`, loaded + i, 'confirmed', 'bulk'));
    await writeAll(db, stack.tableName, extra);
    loaded += extra.length;
    log(`  scale: ${loaded} bookings in the table (${extra.length} written in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    await stack.drainStream(300_000); // the figures of the bookings written so far are in
    for (const read of reads) points.push(await measure(read, loaded));
  }
  return points;

  async function measure(read: (typeof reads)[number], bookings: number): Promise<ScalePoint> {
    await read.client.must('GET', read.path); // warm: the first call pays for loading the function in this process
    const before = meter.snapshot();
    const ms: number[] = [];
    let rows = 0;
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      const body = await read.client.must('GET', read.path);
      ms.push(performance.now() - t);
      rows = read.rows(body);
    }
    const usage = diff(meter.snapshot(), before);
    const used = total(usage, [read.label]);
    const sorted = ms.sort((a, b) => a - b);
    return {
      bookings, route: `GET ${read.path.replace(measured, '{sessionId}').replace(/\?.*$/, '')}`, medianMs: Math.round(percentile(sorted, 50) * 10) / 10,
      p95Ms: Math.round(percentile(sorted, 95) * 10) / 10, requestsPerList: used.calls / 20, rruPerList: Math.round((used.rru / 20) * 100) / 100,
      scans: Object.values(usage).reduce((n, commands) => n + (commands.Scan?.calls ?? 0), 0), rows,
    };
  }
}
