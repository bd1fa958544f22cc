import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BookingStore } from '../../shared/store/bookings.ts';
import { bornYearsAgo } from '../support/clock.ts';
import type { Api } from './http.ts';
import { createProgramme, providerId } from './world.ts';

// The local stack's floor: the booking transaction itself, sent straight to DynamoDB Local from this
// process by the store (no gateway, no handler, no validation, no other call), as fast as it takes them
// at the rush's concurrency. Applications through the stack are measured against it.

/** Each transaction here is one place, so places a second and transactions a second are the same figure. */
export interface StraightFigures { transactions: number; concurrency: number; durationS: number; transactionsPerS: number; placesPerS: number }

export async function straightTransactions(admin: Api, db: DynamoDBDocumentClient, tableName: string, opts: { count: number; concurrency: number }): Promise<StraightFigures> {
  // Sessions with room for every transaction, so each one confirms, as in the uncontested run.
  const { programmeId, sessions } = await createProgramme(admin, 'straight', 20, 500);
  const store = new BookingStore(db, tableName);
  const now = new Date().toISOString();
  const expiresAtEpoch = Math.floor(Date.now() / 1000) + 365 * 86_400;
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: opts.concurrency }, async () => {
    while (next < opts.count) {
      const n = next++;
      const session = sessions[n % sessions.length]!;
      const reference = `HAF-STRAIGHT${String(n).padStart(5, '0')}`;
      const outcome = await store.place({
        bookingId: `${reference}-1-1`, reference, sessionId: session.id, programmeId, providerId, sessionDate: session.date,
        childId: `${reference}-1`, childKey: `straight-child-${n}`, family: `straight-family-${n}`, discretionary: false,
        arrivedAt: now, expiresAtEpoch, child: { firstName: 'Straight', lastName: 'Through', dateOfBirth: bornYearsAgo(8) }, parentPhone: '07700 900123',
      }, { maxDays: 4, discretionaryPlaces: 0 }, now);
      if (outcome.status !== 'confirmed') throw new Error(`straight transaction ${n} was ${outcome.status}, not confirmed`);
    }
  }));
  const durationS = (performance.now() - started) / 1000;
  const round = (x: number) => Math.round(x * 10) / 10;
  const perS = round(opts.count / durationS);
  return { transactions: opts.count, concurrency: opts.concurrency, durationS: round(durationS), transactionsPerS: perS, placesPerS: perS };
}
