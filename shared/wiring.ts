import { randomUUID } from 'node:crypto';
import { config } from './config.ts';
import type { FsmChecker } from './domain/eligibility.ts';
import { dfeClientFromConfig } from './eligibility/dfe-client.ts';
import { idempotency, type Idempotency } from './http/idempotency.ts';
import { ApplicationStore } from './store/applications.ts';
import { AttendanceStore } from './store/attendance.ts';
import { BookingStore } from './store/bookings.ts';
import { CatalogueStore } from './store/catalogue.ts';
import { documentClient } from './store/client.ts';
import { ThrottleStore } from './store/throttle.ts';

// The real adapters, built once per function at module scope and handed to the actions,
// so tests hand in their own table, clock or checker without patching modules.
export interface Deps {
  catalogue: CatalogueStore;
  applications: ApplicationStore;
  bookings: BookingStore;
  attendance: AttendanceStore;
  throttle: ThrottleStore;
  checker?: FsmChecker;
  now: () => Date;
  newId: () => string;
}

export function storesFor(db: ReturnType<typeof documentClient>, table: string) {
  return {
    catalogue: new CatalogueStore(db, table), applications: new ApplicationStore(db, table), bookings: new BookingStore(db, table),
    attendance: new AttendanceStore(db, table), throttle: new ThrottleStore(db, table),
  };
}

export function wire(): Deps {
  return { ...storesFor(documentClient(), config().TABLE_NAME), checker: dfeClientFromConfig(), now: () => new Date(), newId: randomUUID };
}

export function wireIdempotency(): Idempotency {
  const { TABLE_NAME, AWS_REGION, DYNAMODB_ENDPOINT } = config();
  return idempotency(TABLE_NAME, {
    region: AWS_REGION,
    ...(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}
