import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { now } from '../../shared/clock.ts';
import { config } from '../../shared/config.ts';
import { sesSender } from '../../shared/mail/sender.ts';
import { logger } from '../../shared/observability/logger.ts';
import { offerRoom, placeIfConfirmed } from '../../shared/services/referrals.ts';
import { releaseNoShows } from '../../shared/schemes/haf/release.ts';
import { figuresCounter } from '../../shared/services/figures.ts';
import { restampRetention } from '../../shared/services/retention.ts';
import { offerFreedPlaces } from '../../shared/services/waitlist.ts';
import { ApplicationStore } from '../../shared/store/applications.ts';
import { BookingStore } from '../../shared/store/bookings.ts';
import { CatalogueStore } from '../../shared/store/catalogue.ts';
import { FinanceStore } from '../../shared/store/finance.ts';
import { MessageStore } from '../../shared/store/messages.ts';
import { ReferralStore } from '../../shared/store/referrals.ts';
import { RetentionStore } from '../../shared/store/retention.ts';
import { table } from '../../shared/wiring.ts';
import { notify, type NotifierDeps } from './notify.ts';

// Real adapters, built once per container; the logic in notify.ts takes them as deps.
const { SITE_URL } = config();
const { db, name } = table();
const stores = {
  applications: new ApplicationStore(db, name), catalogue: new CatalogueStore(db, name), bookings: new BookingStore(db, name),
  messages: new MessageStore(db, name), referrals: new ReferralStore(db, name),
};
const deps: NotifierDeps = {
  ...stores, mailer: sesSender(), now, siteUrl: SITE_URL,
  offerPlaces: (sessionId) => offerFreedPlaces(stores, sessionId, now().toISOString()),
  offerRoom: (programmeId, providerId) => offerRoom({ ...stores, now }, programmeId, providerId),
  placeReferral: (reference) => placeIfConfirmed({ ...stores, now }, reference),
  countBooking: figuresCounter({ catalogue: stores.catalogue, figures: new FinanceStore(db, name), now }),
  checkAbsences: (booking) => releaseNoShows({ ...stores, release: stores.bookings, now }, booking),
  restampRetention: (programmeId) => restampRetention({ catalogue: stores.catalogue, retention: new RetentionStore(db, name) }, programmeId),
};

/** The table's stream → what each change owes (shared/reactions). Returns the records to retry (ReportBatchItemFailures). */
export const handler = async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
  logger.startInvocation(context);
  return notify(event, deps);
};
