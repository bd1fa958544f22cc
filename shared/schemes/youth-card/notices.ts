import { formatCardNumber } from '../../domain/ids.ts';
import type { OutgoingEmail } from '../../mail/sender.ts';
import type { OwedMessage } from '../../reactions/effects.ts';
import type { YouthCardReferral } from '../../schemas/records.ts';
import { waitingPosition } from '../../services/referrals.ts';
import { confirmationEmail, MissingReferralRecord, providerOf, referredPerson, stillSo } from '../referral-notices.ts';
import type { NoticeDeps, SchemeNotices } from '../scheme.ts';
import { renderYcMessage } from './emails.ts';

// The emails a Youth Card referral owes, filled in: to its referrer and (if they gave an email) the young person.

async function composeYcNotice(deps: NoticeDeps, message: OwedMessage): Promise<OutgoingEmail | undefined> {
  if (!('referral' in message) || message.referral.scheme !== 'YOUTH_CARD') throw new Error(`the Youth Card writes no ${message.kind} email`);
  if (message.kind === 'referrerConfirmation') return confirmationEmail(deps, message, 'Youth Card');
  const r = (await stillSo(deps, message)) as YouthCardReferral | undefined;
  if (!r) return undefined;
  const toPerson = message.to === 'person';
  const to = toPerson ? r.youngPerson.email : r.referrer.email;
  if (!to) return undefined;
  const person = { reference: r.reference, manageToken: r.manageToken, siteUrl: deps.siteUrl, firstName: r.youngPerson.firstName, referrer: r.referrer, district: r.district };
  const referrer = { reference: r.reference, referrerName: r.referrer.name, youngPerson: referredPerson(r), district: r.district };
  if (message.kind === 'referralPlaced') {
    if (!r.card) throw new MissingReferralRecord(`card of ${r.reference}`);
    const provider = await providerOf(deps, r);
    const { qrModules } = await import('../../mail/qr.ts');
    const card = {
      number: formatCardNumber(r.card.number), qr: qrModules(r.card.number), providerName: provider.name, validFrom: r.card.validFrom, validUntil: r.card.validUntil,
      ...(r.card.visitsAllowed === undefined ? {} : { visitsAllowed: r.card.visitsAllowed }),
    };
    return { to, ...(toPerson ? renderYcMessage('issuedPerson', { ...person, card }) : renderYcMessage('issuedReferrer', { ...referrer, card })) };
  }
  const position = await waitingPosition(deps, r);
  return { to, ...(toPerson ? renderYcMessage('waitingPerson', { ...person, position }) : renderYcMessage('waitingReferrer', { ...referrer, position })) };
}

export const ycNotices: SchemeNotices = { compose: composeYcNotice };
