import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { now } from './clock.ts';
import { config } from './config.ts';
import type { FsmChecker } from './domain/eligibility.ts';
import { dfeClientFromConfig } from './eligibility/dfe-client.ts';
import { idempotency, type Idempotency } from './http/idempotency.ts';
import { ApplicationStore } from './store/applications.ts';
import { AttendanceStore } from './store/attendance.ts';
import { BookingStore } from './store/bookings.ts';
import { CatalogueStore } from './store/catalogue.ts';
import { documentClient } from './store/client.ts';
import { EligibilityStore } from './store/eligibility.ts';
import { MessageStore } from './store/messages.ts';
import { ThrottleStore } from './store/throttle.ts';

// The real adapters, built once per function at module scope and handed to the actions, so tests hand
// in their own table, clock or checker without patching modules.

export function storesFor(db: DynamoDBDocumentClient, table: string) {
  return {
    catalogue: new CatalogueStore(db, table), applications: new ApplicationStore(db, table), eligibility: new EligibilityStore(db, table),
    bookings: new BookingStore(db, table), attendance: new AttendanceStore(db, table), throttle: new ThrottleStore(db, table),
    messages: new MessageStore(db, table),
  };
}

export type Deps = ReturnType<typeof storesFor> & { checker?: FsmChecker; now: () => Date; newId: () => string };

export function wire(): Deps {
  return { ...storesFor(documentClient(), config().TABLE_NAME), checker: dfeClientFromConfig(), now, newId: randomUUID };
}

export function wireIdempotency(): Idempotency {
  const { TABLE_NAME, AWS_REGION, DYNAMODB_ENDPOINT } = config();
  return idempotency(TABLE_NAME, {
    region: AWS_REGION,
    ...(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}
