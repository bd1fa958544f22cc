import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { config } from '../../shared/config.ts';
import { sesSender } from '../../shared/mail/sender.ts';
import { logger } from '../../shared/observability/logger.ts';
import { offerFreedPlaces } from '../../shared/services/waitlist.ts';
import { ApplicationStore } from '../../shared/store/applications.ts';
import { BookingStore } from '../../shared/store/bookings.ts';
import { CatalogueStore } from '../../shared/store/catalogue.ts';
import { MessageStore } from '../../shared/store/messages.ts';
import { documentClient } from '../../shared/store/client.ts';
import { notify, type NotifierDeps } from './notify.ts';

// Real adapters, built once per container; the logic in notify.ts takes them as deps.
const db = documentClient();
const { TABLE_NAME, SITE_URL } = config();
const catalogue = new CatalogueStore(db, TABLE_NAME);
const bookings = new BookingStore(db, TABLE_NAME);
const deps: NotifierDeps = {
  applications: new ApplicationStore(db, TABLE_NAME), messages: new MessageStore(db, TABLE_NAME), catalogue,
  mailer: sesSender(), now: () => new Date(), siteUrl: SITE_URL,
  offerPlaces: (sessionId) => offerFreedPlaces({ catalogue, bookings }, sessionId, new Date().toISOString()),
};

/** The table's stream → emails owed (the outbox) and places owed to waitlists. Returns the records to retry (ReportBatchItemFailures). */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>({ timeoutEarlyInMillis: 0 })
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event) => notify(event, deps));
