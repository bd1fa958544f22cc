import { newLinkToken, secretDigest } from '../domain/ids.ts';
import type { OutgoingEmail } from '../mail/sender.ts';
import type { OwedMessage } from '../reactions/effects.ts';
import type { ReferralRecord } from '../schemas/records.ts';
import { confirmationLink, confirmationRequest, initialled } from './referral-emails.ts';
import type { NoticeDeps } from './scheme.ts';

// The emails a referral owes, filled in: shared by Active Families and the Youth Card.

type ReferralMessage = Extract<OwedMessage, { referral: ReferralRecord }>;

/** A record an owed email needs is missing: a data fault, so the stream retries, then the dead-letter queue. */
export class MissingReferralRecord extends Error {
  override name = 'MissingRecord';
}

/** Who a referral is about, as a referrer's email names them: "Sam E.'s family", "Robin E.". */
export const referredPerson = (r: ReferralRecord) =>
  (r.scheme === 'ACTIVE_FAMILIES' ? `${initialled(r.family.parent)}'s family` : initialled(r.youngPerson));

/**
 * The referrer's confirmation request. Its link's secret is made here and only its digest kept (on the
 * referral, while it still waits for its referrer); a redelivered record makes a new secret, so the newest
 * email's link is the one that works. Nothing is owed once the referral has moved on.
 */
export async function confirmationEmail(deps: NoticeDeps, m: ReferralMessage, schemeName: string): Promise<OutgoingEmail | undefined> {
  const r = m.referral;
  const programme = await deps.catalogue.getProgramme(r.programmeId);
  if (!programme) throw new MissingReferralRecord(`programme ${r.programmeId}`);
  const token = newLinkToken();
  if (!(await deps.referrals.keepConfirmationDigest(r.reference, secretDigest(token), deps.now().toISOString()))) return undefined;
  return {
    to: r.referrer.email,
    ...confirmationRequest({
      reference: r.reference, schemeName, programmeName: programme.name, referrerName: r.referrer.name, about: referredPerson(r),
      sentAt: r.createdAt, confirmBy: r.confirmBy, link: confirmationLink(deps.siteUrl, r.reference, token),
    }),
  };
}

/** The referral as it stands now: a message owed by an older change (waiting, since placed) is not sent. */
export async function stillSo(deps: NoticeDeps, m: ReferralMessage): Promise<ReferralRecord | undefined> {
  const now = await deps.referrals.get(m.reference);
  if (!now) throw new MissingReferralRecord(`referral ${m.reference}`);
  return now.status === m.referral.status ? now : undefined;
}

/** The provider a referral was placed with. */
export async function providerOf(deps: NoticeDeps, r: ReferralRecord) {
  const provider = r.providerId ? await deps.catalogue.getProvider(r.providerId) : undefined;
  if (!provider) throw new MissingReferralRecord(`provider of ${r.reference}`);
  return provider;
}
