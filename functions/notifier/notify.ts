import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { explainReason } from '../../shared/domain/haf-booking.ts';
import { logger } from '../../shared/observability/logger.ts';
import { applicationEmailsPerAddressPerDay, messagesOwed, placesOwed, type OwedMessage } from '../../shared/mail/outbox.ts';
import { dateInLondon } from '../../shared/domain/calendar.ts';
import type { MailSender, OutgoingEmail } from '../../shared/mail/sender.ts';
import { renderMessage, type BookingLine, type SessionDetails } from '../../shared/mail/templates.ts';
import type { ApplicationStore, StoredApplication } from '../../shared/store/applications.ts';
import type { CatalogueStore } from '../../shared/store/catalogue.ts';
import type { MessageStore } from '../../shared/store/messages.ts';

export interface NotifierDeps {
  applications: Pick<ApplicationStore, 'get'>;
  messages: MessageStore;
  catalogue: Pick<CatalogueStore, 'getSession' | 'getSessions'>;
  mailer: MailSender;
  /** Offers a session's free places to its waitlist (shared/services/waitlist.ts). */
  offerPlaces: (sessionId: string) => Promise<unknown>;
  now: () => Date;
  /** The booking site, for links in emails. */
  siteUrl: string;
}

class MissingRecord extends Error {
  override name = 'MissingRecord';
}

// Name and code only: SES and SDK messages can quote an email address.
const errorKind = (e: unknown) => {
  const { name, code } = (e ?? {}) as { name?: string; code?: string };
  return code ? `${name ?? 'Error'} (${code})` : (name ?? 'Error');
};

/**
 * Does what each stream record owes: sends its messages, once, and offers a session's free places to
 * its waitlist (often done already by the request that freed them: then it finds none). A record that
 * fails is reported for retry and the others go on; a retried record skips what it already sent,
 * thanks to the sent-markers.
 */
export async function notify(event: DynamoDBStreamEvent, deps: NotifierDeps): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    try {
      for (const message of messagesOwed(record)) await deliver(message, deps);
      for (const sessionId of placesOwed(record)) await deps.offerPlaces(sessionId);
    } catch (error) {
      logger.error('notification failed; the record will be retried', { eventID: record.eventID, sequenceNumber, error: errorKind(error) });
      batchItemFailures.push({ itemIdentifier: sequenceNumber });
    }
  }
  return { batchItemFailures };
}

async function deliver(message: OwedMessage, deps: NotifierDeps): Promise<void> {
  const ids = { kind: message.kind, reference: message.reference, ...('bookingId' in message ? { bookingId: message.bookingId } : {}) };
  if (await deps.messages.wasSent(message.dedupeKey)) {
    logger.info('already sent', ids);
    return;
  }
  const email = await compose(message, deps);
  if (message.kind === 'application') {
    const day = dateInLondon(deps.now());
    if (!(await deps.messages.withinDailyAllowance(email.to, day, message.dedupeKey, applicationEmailsPerAddressPerDay, deps.now()))) {
      // Marked, so a redelivery does not try again; the parent has the reference and manage code from the response.
      await deps.messages.markSent({ dedupeKey: message.dedupeKey, kind: message.kind, reference: message.reference, messageId: 'withheld' }, deps.now());
      logger.warn('email withheld: this address has had its confirmations for the day', ids);
      return;
    }
  }
  const { messageId } = await deps.mailer.send(email);
  // The window left: a crash after SES accepted the email and before this write sends it again on retry.
  try {
    const marked = await deps.messages.markSent({ dedupeKey: message.dedupeKey, kind: message.kind, reference: message.reference, messageId }, deps.now());
    if (marked) logger.info('sent', { ...ids, messageId });
    else logger.warn('sent twice: a concurrent delivery marked it first', { ...ids, messageId });
  } catch (error) {
    // Failing the record now would send the email a second time for certain; passing risks it only on redelivery.
    logger.error('sent but not marked as sent', { ...ids, messageId, error: errorKind(error) });
  }
}

async function compose(message: OwedMessage, deps: NotifierDeps): Promise<OutgoingEmail> {
  const { siteUrl } = deps;
  if (message.kind === 'application') {
    const app = message.application;
    const sessions = await deps.catalogue.getSessions([...new Set(app.children.flatMap((c) => c.bookings.map((b) => b.sessionId)))]);
    const children = app.children.map((child) => ({
      firstName: child.firstName,
      bookings: child.bookings.map((b): BookingLine => {
        const session = sessions.get(b.sessionId);
        // A place or waiting-list entry without its session is a data fault: retry, then the dead-letter queue.
        if (!session && b.status !== 'rejected') throw new MissingRecord(`session ${b.sessionId}`);
        return { bookingId: b.bookingId, status: b.status, session, reasonText: b.reason && explainReason(b.reason) };
      }),
    }));
    const data = { reference: app.reference, manageToken: app.manageToken, siteUrl, parentFirstName: app.parent.firstName, children };
    return { to: app.parent.email, ...renderMessage('application', data) };
  }

  const { booking } = message;
  const [app, session] = await Promise.all([loadApplication(booking.reference, deps), loadSession(booking.sessionId, deps)]);
  const data = {
    reference: app.reference, manageToken: app.manageToken, siteUrl, parentFirstName: app.parent.firstName,
    childFirstName: booking.child.firstName, bookingId: booking.bookingId, session,
    reasonText: explainReason(booking.reason ?? ''),
  };
  return { to: app.parent.email, ...renderMessage(message.kind, data) };
}

async function loadApplication(reference: string, deps: NotifierDeps): Promise<StoredApplication> {
  const app = await deps.applications.get(reference);
  if (!app) throw new MissingRecord(`application ${reference}`);
  return app;
}

async function loadSession(sessionId: string, deps: NotifierDeps): Promise<SessionDetails> {
  const session = await deps.catalogue.getSession(sessionId);
  if (!session) throw new MissingRecord(`session ${sessionId}`);
  return session;
}
