import { longDate, type Block } from '../../mail/format.ts';
import { contact, rendered, seeIt, type RenderedMessage } from '../referral-emails.ts';

// What a young person and their referrer read: the card (its number in groups of four and as a QR code a
// desk can scan, where, from when to when, how many visits), or that they wait for one. Pure functions.

export interface CardDetails {
  /** As printed: four groups of four digits. */
  number: string;
  /** The digits alone as a QR code's modules (shared/mail/qr.ts), for a desk to scan. */
  qr: boolean[][];
  providerName: string;
  validFrom: string;
  validUntil: string;
  visitsAllowed?: number;
}

export interface YcPersonMessage {
  reference: string;
  manageToken: string;
  siteUrl: string;
  firstName: string;
  referrer: { name: string; organisation: string };
  district: string;
}

export interface YcReferrerMessage {
  reference: string;
  referrerName: string;
  /** The young person, as `initialled` writes them. */
  youngPerson: string;
  district: string;
}

export interface YcMessages {
  issuedPerson: YcPersonMessage & { card: CardDetails };
  issuedReferrer: YcReferrerMessage & { card: CardDetails };
  waitingPerson: YcPersonMessage & { position?: number };
  waitingReferrer: YcReferrerMessage & { position?: number };
}

const cardBlocks = (c: CardDetails): Block[] => [
  { heading: 'The card' },
  { para: ['Card number: ', { strong: c.number }] },
  { qr: { modules: c.qr, label: `Youth Card ${c.number}: show this code or the number at the desk.` } },
  { list: [
    `For ${c.providerName} only.`,
    `Valid from ${longDate(c.validFrom)} to ${longDate(c.validUntil)}.`,
    c.visitsAllowed === undefined ? 'Go as often as you like while it is valid.' : `${c.visitsAllowed} free visits.`,
  ] },
];

const where = (position: number | undefined) => (position ? `number ${position} on the waiting list` : 'on the waiting list');

const writers: { [K in keyof YcMessages]: (m: YcMessages[K]) => RenderedMessage } = {
  issuedPerson: (m) => rendered(`Your Youth Card: ${m.reference}`, [
    { para: `Hello ${m.firstName},` },
    { para: `${m.referrer.name} from ${m.referrer.organisation} asked for a free Youth Card for you. Here it is: show it at the desk each time you go.` },
    ...cardBlocks(m.card),
    ...seeIt(m),
    ...contact(),
  ]),
  issuedReferrer: (m) => rendered(`Youth Card issued: ${m.reference}`, [
    { para: `Hello ${m.referrerName},` },
    { para: `A Youth Card has been issued for ${m.youngPerson} (${m.district}). If they have no email address, please pass the number on: the desk can type it in or scan the code.` },
    ...cardBlocks(m.card),
    { para: ['The reference is ', { strong: m.reference }, '.'] },
    ...contact(),
  ]),
  waitingPerson: (m) => rendered(`Youth Card: waiting for a card, ${m.reference}`, [
    { para: `Hello ${m.firstName},` },
    { para: `${m.referrer.name} from ${m.referrer.organisation} asked for a free Youth Card for you.` },
    { para: `There are no cards left in ${m.district} at the moment, so you are ${where(m.position)}. Cards go in the order people were referred, and we will email your card as soon as there is one.` },
    ...seeIt(m),
    ...contact(),
  ]),
  waitingReferrer: (m) => rendered(`Youth Card referral waiting: ${m.reference}`, [
    { para: `Hello ${m.referrerName},` },
    { para: `There are no cards left in ${m.district} at the moment, so ${m.youngPerson} is ${where(m.position)}. We will email you the card when there is one.` },
    { para: ['The reference is ', { strong: m.reference }, '.'] },
    ...contact(),
  ]),
};

export function renderYcMessage<K extends keyof YcMessages>(kind: K, m: YcMessages[K]): RenderedMessage {
  return writers[kind](m);
}
