import { council } from '../council/profile.ts';
import { longDate, toHtml, toText, type Block } from '../mail/format.ts';

// What Active Families and Youth Card emails share: the referrer's confirmation request, the way to see a
// referral, and who to contact. Pure functions of plain values (and the council's profile). Subjects carry
// the reference only, never a name: subjects show on lock screens and in mail logs.

export interface RenderedMessage { subject: string; text: string; html: string }

export const rendered = (subject: string, blocks: Block[]): RenderedMessage => ({ subject, text: toText(blocks), html: toHtml(subject, blocks) });

/** Who families and referrers contact: the council's service, by name, and how. */
export const contact = (): Block[] => {
  const { service, name, contact: { email, phone } } = council();
  return [{ heading: 'Questions' }, { para: `If you have a question, contact the ${service} at ${name}.` }, { para: `Email ${email} or call ${phone}.` }];
};

/** A person as a referrer's email names them: first name and the initial of the last, enough to recognise. */
export const initialled = (p: { firstName: string; lastName: string }) => `${p.firstName} ${p.lastName.charAt(0).toUpperCase()}.`;

const trimmed = (siteUrl: string) => siteUrl.replace(/\/+$/, '');

/** The booking site's page that shows the "confirm" button, which posts to the API: a GET never confirms. */
export const confirmationLink = (siteUrl: string, reference: string, token: string) =>
  `${trimmed(siteUrl)}/referrals/confirm?reference=${encodeURIComponent(reference)}&token=${encodeURIComponent(token)}`;

export const manageLink = (siteUrl: string, reference: string) => `${trimmed(siteUrl)}/applications/${encodeURIComponent(reference)}`;

/** How the person referred sees their referral: the site's page and the manage code. */
export const seeIt = (m: { siteUrl: string; reference: string; manageToken: string }): Block[] => [
  { heading: 'See your referral' },
  { para: ['Go to ', { link: manageLink(m.siteUrl, m.reference) }, ' and enter your reference and this code:'] },
  { para: { code: m.manageToken } },
  { para: 'Keep this email and do not share the code.' },
];

export interface ConfirmationRequest {
  reference: string;
  schemeName: string;
  programmeName: string;
  referrerName: string;
  /** Who was referred, as `initialled` writes them. */
  about: string;
  sentAt: string;
  confirmBy: string;
  link: string;
}

/** To the referrer's work address: the referral is acted on only once they confirm it from here. */
export function confirmationRequest(m: ConfirmationRequest): RenderedMessage {
  return rendered(`Please confirm your ${m.schemeName} referral ${m.reference}`, [
    { para: `Hello ${m.referrerName},` },
    { para: `A referral to ${m.schemeName} (${m.programmeName}) for ${m.about} was sent from this work email address on ${longDate(m.sentAt.slice(0, 10))}.` },
    { para: 'We act on a referral only once the person who made it confirms it, so that nobody can refer a family in a partner\'s name.' },
    { para: [{ strong: `Confirm the referral by ${longDate(m.confirmBy.slice(0, 10))}: ` }, { link: m.link, text: 'confirm referral' }] },
    { para: ['Your reference is ', { strong: m.reference }, '.'] },
    { para: 'If you did not make this referral, ignore this email: nothing will happen, and the details will be deleted.' },
    { para: 'Partner staff who make many referrals can ask for an account: referrals made signed in need no email to confirm.' },
    ...contact(),
  ]);
}
