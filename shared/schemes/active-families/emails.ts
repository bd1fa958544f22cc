import { contact, rendered, seeIt, type RenderedMessage } from '../referral-emails.ts';

// What an Active Families family and its referrer read once the referral is acted on: the provider the
// family is placed with, or that it waits for one. Pure functions of plain values.

export interface AfFamilyMessage {
  reference: string;
  manageToken: string;
  siteUrl: string;
  parentFirstName: string;
  referrer: { name: string; organisation: string };
  district: string;
}

export interface AfReferrerMessage {
  reference: string;
  referrerName: string;
  /** The family, by the parent's first name and initial: "Sam E.'s family". */
  family: string;
  district: string;
}

type Placed = { providerName: string; providerEmail: string };
type Waiting = { position?: number };

export interface AfMessages {
  placedFamily: AfFamilyMessage & Placed;
  placedReferrer: AfReferrerMessage & Placed;
  waitingFamily: AfFamilyMessage & Waiting;
  waitingReferrer: AfReferrerMessage & Waiting;
}

const where = (position: number | undefined) => (position ? `number ${position} on the waiting list` : 'on the waiting list');

const writers: { [K in keyof AfMessages]: (m: AfMessages[K]) => RenderedMessage } = {
  placedFamily: (m) => rendered(`Your Active Families place: ${m.reference}`, [
    { para: `Hello ${m.parentFirstName},` },
    { para: `${m.referrer.name} from ${m.referrer.organisation} referred your family to Active Families: activities for the whole family, with a volunteer to help you get started.` },
    { para: [{ strong: 'Your family has a place with ' }, { strong: m.providerName }, '.'] },
    { para: 'They will contact you soon to plan your activities together.' },
    { para: ['Your reference is ', { strong: m.reference }, '.'] },
    ...seeIt(m),
    ...contact(),
  ]),
  placedReferrer: (m) => rendered(`Active Families referral placed: ${m.reference}`, [
    { para: `Hello ${m.referrerName},` },
    { para: `The family you referred (${m.family}, ${m.district}) has a place with ${m.providerName}, who will contact the family.` },
    { para: ['You can reach the provider at ', { link: `mailto:${m.providerEmail}`, text: m.providerEmail }, '.'] },
    { para: ['The reference is ', { strong: m.reference }, '.'] },
    ...contact(),
  ]),
  waitingFamily: (m) => rendered(`Active Families: waiting for a place, ${m.reference}`, [
    { para: `Hello ${m.parentFirstName},` },
    { para: `${m.referrer.name} from ${m.referrer.organisation} referred your family to Active Families.` },
    { para: `Every provider in ${m.district} is full at the moment, so your family is ${where(m.position)}. Places go in the order families were referred, and we will email you as soon as one comes up.` },
    { para: ['Your reference is ', { strong: m.reference }, '.'] },
    ...seeIt(m),
    ...contact(),
  ]),
  waitingReferrer: (m) => rendered(`Active Families referral waiting: ${m.reference}`, [
    { para: `Hello ${m.referrerName},` },
    { para: `Every provider in ${m.district} is full at the moment, so the family you referred (${m.family}) is ${where(m.position)}. We will email you and the family when a place comes up.` },
    { para: ['The reference is ', { strong: m.reference }, '.'] },
    ...contact(),
  ]),
};

export function renderAfMessage<K extends keyof AfMessages>(kind: K, m: AfMessages[K]): RenderedMessage {
  return writers[kind](m);
}
