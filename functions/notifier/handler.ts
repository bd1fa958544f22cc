import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { now } from '../../shared/clock.ts';
import { config } from '../../shared/config.ts';
import { sesSender } from '../../shared/mail/sender.ts';
import { logger } from '../../shared/observability/logger.ts';
import { offerFreedPlaces } from '../../shared/services/waitlist.ts';
import { documentClient } from '../../shared/store/client.ts';
import { storesFor } from '../../shared/wiring.ts';
import { notify, type NotifierDeps } from './notify.ts';

// Real adapters, built once per container; the logic in notify.ts takes them as deps.
const { TABLE_NAME, SITE_URL } = config();
const stores = storesFor(documentClient(), TABLE_NAME);
const deps: NotifierDeps = {
  ...stores, mailer: sesSender(), now, siteUrl: SITE_URL,
  offerPlaces: (sessionId) => offerFreedPlaces(stores, sessionId, now().toISOString()),
};

/** The table's stream → what each change owes (shared/reactions). Returns the records to retry (ReportBatchItemFailures). */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>({ timeoutEarlyInMillis: 0 })
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event) => notify(event, deps));
