import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { now } from './clock.ts';
import { config } from './config.ts';
import type { FsmChecker } from './domain/eligibility.ts';
import type { RequestDigest } from './domain/ports.ts';
import { idempotencyOver, type Idempotency } from './http/idempotency.ts';
import { ApplicationStore } from './store/applications.ts';
import { AttendanceStore } from './store/attendance.ts';
import { BookingStore } from './store/bookings.ts';
import { CatalogueStore } from './store/catalogue.ts';
import { documentClient } from './store/client.ts';
import { EligibilityStore } from './store/eligibility.ts';
import { FinanceStore } from './store/finance.ts';
import { MessageStore } from './store/messages.ts';
import { PrivacyStore } from './store/privacy.ts';
import { RetentionStore } from './store/retention.ts';
import { ReferralStore } from './store/referrals.ts';
import { RequestStore } from './store/requests.ts';
import { ThrottleStore } from './store/throttle.ts';
import { YouthCardStore } from './store/youth-cards.ts';

// The real adapters, built once per function at module scope and handed to the actions, so tests hand
// in their own table, clock or checker without patching modules. Each function builds only the stores
// it uses (functions/<name>/handler.ts), so its bundle carries no others.

/** The table and a client for it, from the configuration. */
export const table = (): { db: DynamoDBDocumentClient; name: string } => ({ db: documentClient(), name: config().TABLE_NAME });

/** The time and fresh ids, as the functions take them. */
export const system = { now, newId: randomUUID };

/** Every store over one table: for tests and tools that play every function at once. */
export function storesFor(db: DynamoDBDocumentClient, name: string) {
  const finance = new FinanceStore(db, name);
  return {
    catalogue: new CatalogueStore(db, name), applications: new ApplicationStore(db, name), eligibility: new EligibilityStore(db, name),
    bookings: new BookingStore(db, name), attendance: new AttendanceStore(db, name), throttle: new ThrottleStore(db, name),
    messages: new MessageStore(db, name), requests: new RequestStore(db, name),
    referrals: new ReferralStore(db, name), youthCards: new YouthCardStore(db, name),
    finance, figures: finance, ledger: finance,
    privacy: new PrivacyStore(db, name), retention: new RetentionStore(db, name),
  };
}

export type Deps = ReturnType<typeof storesFor> & { checker?: FsmChecker; now: () => Date; newId: () => string; requestDigest: RequestDigest };

/** Creates answered under an Idempotency-Key, in the same table through the same client. */
export const wireIdempotency = (deps: { requests: RequestStore; now: () => Date; requestDigest: RequestDigest }): Idempotency =>
  idempotencyOver(deps.requests, deps.requestDigest, deps.now);
