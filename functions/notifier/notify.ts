import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { dateInLondon } from '../../shared/domain/calendar.ts';
import type { MessagesPort } from '../../shared/domain/ports.ts';
import type { BookingRecord } from '../../shared/schemas/records.ts';
import { dailyAllowanceOf } from '../../shared/mail/allowance.ts';
import type { MailSender } from '../../shared/mail/sender.ts';
import { logger } from '../../shared/observability/logger.ts';
import { metrics } from '../../shared/observability/metrics.ts';
import { effectsOf, type Effect, type OwedMessage } from '../../shared/reactions/index.ts';
import { notices as noticesOf } from '../../shared/schemes/notices.ts';
import { schemeOfReference } from '../../shared/schemes/registry.ts';
import type { NoticeDeps } from '../../shared/schemes/scheme.ts';
import { decodeChange } from '../../shared/store/stream.ts';

export interface NotifierDeps extends NoticeDeps {
  messages: MessagesPort;
  mailer: MailSender;
  /** Offers a session's free places to its waitlist (shared/services/waitlist.ts). */
  offerPlaces: (sessionId: string) => Promise<unknown>;
  /** Offers a provider's free room to the referrals waiting for it (shared/services/referrals.ts). */
  offerRoom: (programmeId: string, providerId: string) => Promise<unknown>;
  /** Places a referral acted on whose request stopped before placing it. */
  placeReferral: (reference: string) => Promise<unknown>;
  /** Moves the finance figures by a booking's change (shared/services/figures.ts). */
  countBooking: (booking: BookingRecord) => Promise<unknown>;
  /** Releases a child's later bookings after unexplained absences (shared/schemes/haf/release.ts). */
  checkAbsences: (booking: BookingRecord) => Promise<unknown>;
  /** Re-stamps a programme's personal data with the expiry its dates and retention now give (shared/services/retention.ts). */
  restampRetention: (programmeId: string) => Promise<unknown>;
  now: () => Date;
}

// Name and code only: SES and SDK messages can quote an email address.
const errorKind = (e: unknown) => {
  const { name, code } = (e ?? {}) as { name?: string; code?: string };
  return code ? `${name ?? 'Error'} (${code})` : (name ?? 'Error');
};

/**
 * Carries out what each stream record owes (shared/reactions): its emails, sent once each, and offers of
 * freed places to waitlists (often made already by the request that freed them: then it finds none). A
 * record that fails is reported for retry and the others go on; a retried record skips what it already sent.
 */
export async function notify(event: DynamoDBStreamEvent, deps: NotifierDeps): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    try {
      for (const effect of effectsOf(decodeChange(record))) await carryOut(effect, deps);
    } catch (error) {
      logger.error('notification failed; the record will be retried', { eventID: record.eventID, sequenceNumber, error: errorKind(error) });
      batchItemFailures.push({ itemIdentifier: sequenceNumber });
    }
  }
  metrics.flush();
  return { batchItemFailures };
}

function carryOut(effect: Effect, deps: NotifierDeps): Promise<unknown> {
  switch (effect.kind) {
    case 'email': return deliver(effect.message, deps);
    case 'offerPlaces': return deps.offerPlaces(effect.sessionId);
    case 'offerRoom': return deps.offerRoom(effect.programmeId, effect.providerId);
    case 'placeReferral': return deps.placeReferral(effect.reference);
    case 'countBooking': return deps.countBooking(effect.booking);
    case 'checkAbsences': return deps.checkAbsences(effect.booking);
    case 'restampRetention': return deps.restampRetention(effect.programmeId);
  }
}

async function deliver(message: OwedMessage, deps: NotifierDeps): Promise<void> {
  const ids = { kind: message.kind, reference: message.reference, ...('bookingId' in message ? { bookingId: message.bookingId } : {}) };
  if (await deps.messages.wasSent(message.dedupeKey)) {
    logger.info('already sent', ids);
    return;
  }
  const scheme = schemeOfReference(message.reference)?.id as keyof typeof noticesOf | undefined;
  const notices = scheme && noticesOf[scheme];
  if (!notices) throw new Error(`no scheme writes emails for ${message.reference}`);
  const email = await notices.compose(deps, message);
  if (!email) {
    logger.info('no longer owed', ids);
    return;
  }
  const allowance = dailyAllowanceOf(message.kind);
  if (allowance !== undefined) {
    const at = deps.now();
    if (!(await deps.messages.withinDailyAllowance(email.to, dateInLondon(at), message.dedupeKey, allowance, at))) {
      // Marked, so a redelivery does not try again; the parent has the reference and manage code from the response.
      await deps.messages.markSent({ dedupeKey: message.dedupeKey, kind: message.kind, reference: message.reference, messageId: 'withheld' }, at);
      logger.warn('email withheld: this address has had its allowance of these for the day', ids);
      metrics.count('EmailsWithheld', 1);
      return;
    }
  }
  const { messageId } = await deps.mailer.send(email);
  metrics.count('EmailsSent', 1);
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
