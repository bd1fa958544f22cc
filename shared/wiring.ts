import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { now } from './clock.ts';
import { config } from './config.ts';
import type { FsmChecker } from './domain/eligibility.ts';
import { dfeClientFromConfig } from './eligibility/dfe-client.ts';
import { idempotencyOver, type Idempotency } from './http/idempotency.ts';
import { ApplicationStore } from './store/applications.ts';
import { AttendanceStore } from './store/attendance.ts';
import { BookingStore } from './store/bookings.ts';
import { CatalogueStore } from './store/catalogue.ts';
import { documentClient } from './store/client.ts';
import { EligibilityStore } from './store/eligibility.ts';
import { MessageStore } from './store/messages.ts';
import { RequestStore } from './store/requests.ts';
import { ThrottleStore } from './store/throttle.ts';

// The real adapters, built once per function at module scope and handed to the actions, so tests hand
// in their own table, clock or checker without patching modules.

export function storesFor(db: DynamoDBDocumentClient, table: string) {
  return {
    catalogue: new CatalogueStore(db, table), applications: new ApplicationStore(db, table), eligibility: new EligibilityStore(db, table),
    bookings: new BookingStore(db, table), attendance: new AttendanceStore(db, table), throttle: new ThrottleStore(db, table),
    messages: new MessageStore(db, table), requests: new RequestStore(db, table),
  };
}

export type Deps = ReturnType<typeof storesFor> & { checker?: FsmChecker; now: () => Date; newId: () => string };

export function wire(): Deps {
  return { ...storesFor(documentClient(), config().TABLE_NAME), checker: dfeClientFromConfig(), now, newId: randomUUID };
}

/** Creates answered under an Idempotency-Key, in the same table through the same client. */
export const wireIdempotency = (deps: { requests: RequestStore; now: () => Date }): Idempotency => idempotencyOver(deps.requests, deps.now);
