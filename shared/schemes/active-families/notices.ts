import type { OutgoingEmail } from '../../mail/sender.ts';
import type { OwedMessage } from '../../reactions/effects.ts';
import type { ActiveFamiliesReferral } from '../../schemas/records.ts';
import { waitingPosition } from '../../services/referrals.ts';
import { confirmationEmail, providerOf, referredPerson, stillSo } from '../referral-notices.ts';
import type { NoticeDeps, SchemeNotices } from '../scheme.ts';
import { renderAfMessage } from './emails.ts';

// The emails an Active Families referral owes, filled in: to its referrer and to the family's parent.

async function composeAfNotice(deps: NoticeDeps, message: OwedMessage): Promise<OutgoingEmail | undefined> {
  if (!('referral' in message) || message.referral.scheme !== 'ACTIVE_FAMILIES') throw new Error(`Active Families writes no ${message.kind} email`);
  if (message.kind === 'referrerConfirmation') return confirmationEmail(deps, message, 'Active Families');
  const r = (await stillSo(deps, message)) as ActiveFamiliesReferral | undefined;
  if (!r) return undefined;
  const family = { reference: r.reference, manageToken: r.manageToken, siteUrl: deps.siteUrl, parentFirstName: r.family.parent.firstName, referrer: r.referrer, district: r.district };
  const referrer = { reference: r.reference, referrerName: r.referrer.name, family: referredPerson(r), district: r.district };
  const toFamily = message.to === 'person';
  const to = toFamily ? r.family.parent.email : r.referrer.email;
  if (message.kind === 'referralPlaced') {
    const provider = await providerOf(deps, r);
    const placed = { providerName: provider.name, providerEmail: provider.contactEmail };
    return { to, ...(toFamily ? renderAfMessage('placedFamily', { ...family, ...placed }) : renderAfMessage('placedReferrer', { ...referrer, ...placed })) };
  }
  const position = await waitingPosition(deps, r);
  return { to, ...(toFamily ? renderAfMessage('waitingFamily', { ...family, position }) : renderAfMessage('waitingReferrer', { ...referrer, position })) };
}

export const afNotices: SchemeNotices = { compose: composeAfNotice };
