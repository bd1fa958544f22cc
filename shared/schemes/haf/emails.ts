import { council } from '../../council/profile.ts';
import { longDate, timeRange, toHtml, toText, type Block, type Inline } from '../../mail/format.ts';
import { hafRules } from './rules.ts';

// What HAF parents read. Pure functions of plain values (and the council's profile): no I/O, no clock. Subjects carry the
// reference only, never a name, since subjects show on lock screens and in mail logs.

export interface SessionDetails {
  title: string;
  date: string;
  startTime: string;
  endTime: string;
  venue: { name: string; postcode: string };
  mealProvided: boolean;
}

export interface BookingLine {
  bookingId: string;
  status: 'confirmed' | 'waitlisted' | 'rejected' | 'cancelled';
  /** Absent only for a refused booking whose session does not exist. */
  session?: SessionDetails;
  reasonText?: string;
}

export interface ApplicationMessage {
  reference: string;
  manageToken: string;
  siteUrl: string;
  parentFirstName: string;
  children: { firstName: string; bookings: BookingLine[] }[];
}

export interface BookingMessage {
  reference: string;
  manageToken: string;
  siteUrl: string;
  parentFirstName: string;
  childFirstName: string;
  bookingId: string;
  session: SessionDetails;
}

export interface MessageData {
  application: ApplicationMessage;
  offered: BookingMessage;
  cancelled: Omit<BookingMessage, 'manageToken'>;
  leftWaitlist: Omit<BookingMessage, 'manageToken'>;
  droppedFromWaitlist: Omit<BookingMessage, 'manageToken'> & { reasonText: string };
  released: ReleaseMessage;
}

/** A child's later bookings released after sessions missed without a word. */
export interface ReleaseMessage {
  reference: string;
  siteUrl: string;
  parentFirstName: string;
  childFirstName: string;
  /** The days missed without a reason. */
  absentOn: string[];
  released: { bookingId: string; session: SessionDetails; waitlisted: boolean }[];
}
export type MessageKind = keyof MessageData;
export interface RenderedMessage { subject: string; text: string; html: string }

/** Who parents contact: the council's team, by name. */
const team = () => `${council().mail.teamName} at ${council().name}`;
const contactLine = (): Block => {
  const { email, phone } = council().contact;
  return { para: [`Email ${email} or call ${phone}.`] };
};

/** Where a parent with a question goes: the council's team and how to reach it. */
const questions = (): Block[] => [{ heading: 'Questions' }, { para: `If you have a question, contact ${team()}.` }, contactLine()];

const manageUrl = (siteUrl: string, reference: string) =>
  `${siteUrl.replace(/\/+$/, '')}/applications/${encodeURIComponent(reference)}`;

const sessionFacts = (s: SessionDetails, bookingId: string): Inline[][] => [
  [`${longDate(s.date)}, ${timeRange(s.startTime, s.endTime)}`],
  [`${s.venue.name}, ${s.venue.postcode.toUpperCase()}`],
  [s.mealProvided ? 'A free meal is provided.' : 'No meal is provided: please send a packed lunch.'],
  ['Booking number: ', { strong: bookingId }],
];

const whatToBring: Block[] = [
  { heading: 'What to bring' },
  { list: [
    'clothes and shoes for the weather, with a coat if it might rain, or a sun hat and sun cream if it is hot',
    'a water bottle',
    'any medicine your child needs, such as an inhaler, labelled with their name',
  ] },
];

function manage(m: { reference: string; manageToken: string; siteUrl: string }, anyPlace: boolean): Block[] {
  return [
    { heading: anyPlace ? 'If your child cannot go' : 'See your application' },
    ...(anyPlace ? [{ para: `Please cancel at least ${hafRules.lateCancellationHours} hours before the session so another child can have the place.` }] : []),
    { para: [`To see${anyPlace ? ' or cancel' : ''} your bookings, go to `, { link: manageUrl(m.siteUrl, m.reference) }, ' and enter your manage code:'] },
    { para: { code: m.manageToken } },
    { para: 'Keep this email and do not share the code: anyone with it can cancel your bookings.' },
    ...(anyPlace ? [{ para: [
      'If you use an app that connects to our booking service, it can cancel a place by sending ',
      { code: 'DELETE /v1/bookings/{booking number}' }, ' with the header ', { code: 'X-Manage-Token' }, ' set to your manage code.',
    ] }] : []),
  ];
}

function bookingBlocks(b: BookingLine): Block[] {
  const title = b.session?.title ?? 'A session you chose';
  const facts = b.session ? sessionFacts(b.session, b.bookingId) : [['Booking number: ', { strong: b.bookingId }] as Inline[]];
  switch (b.status) {
    case 'confirmed':
      return [{ para: [{ strong: 'Booked: ' }, title] }, { list: facts }];
    case 'waitlisted':
      return [{ para: [{ strong: 'On the waiting list: ' }, title] }, { list: [
        ...facts,
        'Places are offered in the order children joined the waiting list. We will email you if a place comes up.',
      ] }];
    case 'rejected':
      return [{ para: [{ strong: 'Not booked: ' }, title] }, { list: [b.reasonText ?? 'We could not book this place.'] }];
    case 'cancelled':
      return [{ para: [{ strong: 'Cancelled: ' }, title] }, { list: facts }];
  }
}

function application(m: ApplicationMessage): [string, Block[]] {
  const anyPlace = m.children.some((c) => c.bookings.some((b) => b.status === 'confirmed' || b.status === 'waitlisted'));
  return [`Your holiday club application ${m.reference}`, [
    { para: `Hello ${m.parentFirstName},` },
    { para: 'We have your application for free holiday club places. Here is what happened with each session you chose.' },
    { para: ['Your reference is ', { strong: m.reference }, '.'] },
    ...m.children.flatMap((c): Block[] => [{ heading: c.firstName }, ...c.bookings.flatMap(bookingBlocks)]),
    ...(m.children.some((c) => c.bookings.some((b) => b.status === 'confirmed')) ? whatToBring : []),
    ...manage(m, anyPlace),
    ...questions(),
  ]];
}

function offered(m: BookingMessage): [string, Block[]] {
  return [`A holiday club place has come up: ${m.reference}`, [
    { para: `Hello ${m.parentFirstName},` },
    { para: `A place has come up and is now booked for ${m.childFirstName}.` },
    { para: [{ strong: 'Booked: ' }, m.session.title] },
    { list: sessionFacts(m.session, m.bookingId) },
    ...whatToBring,
    ...manage(m, true),
    { para: ['Your reference is ', { strong: m.reference }, '.'] },
    ...questions(),
  ]];
}

function cancelled(m: MessageData['cancelled']): [string, Block[]] {
  return [`Holiday club place cancelled: ${m.reference}`, [
    { para: `Hello ${m.parentFirstName},` },
    { para: `We have cancelled ${m.childFirstName}'s place. Thank you for letting us know: the place can now go to another child.` },
    { para: [{ strong: 'Cancelled: ' }, m.session.title] },
    { list: sessionFacts(m.session, m.bookingId) },
    { para: ['To see your other bookings, go to ', { link: manageUrl(m.siteUrl, m.reference) }, '.'] },
    { para: [`If you did not ask to cancel this place, contact ${team()} and quote your reference `, { strong: m.reference }, '.'] },
    contactLine(),
  ]];
}

function leftWaitlist(m: MessageData['leftWaitlist']): [string, Block[]] {
  return [`Holiday club waiting list: ${m.reference}`, [
    { para: `Hello ${m.parentFirstName},` },
    { para: `We have taken ${m.childFirstName} off the waiting list, as you asked. We will not offer this place.` },
    { para: [{ strong: 'Off the waiting list: ' }, m.session.title] },
    { list: sessionFacts(m.session, m.bookingId) },
    ...otherBookings(m),
  ]];
}

function droppedFromWaitlist(m: MessageData['droppedFromWaitlist']): [string, Block[]] {
  return [`Holiday club waiting list: ${m.reference}`, [
    { para: `Hello ${m.parentFirstName},` },
    { para: `A place came up, but ${m.childFirstName} could not have it, so we have taken ${m.childFirstName} off the waiting list for this session.` },
    { para: m.reasonText },
    { para: [{ strong: 'Off the waiting list: ' }, m.session.title] },
    { list: sessionFacts(m.session, m.bookingId) },
    ...otherBookings(m),
  ]];
}

function released(m: ReleaseMessage): [string, Block[]] {
  const missed = m.absentOn.map(longDate).join(' and ');
  return [`Holiday club places released: ${m.reference}`, [
    { para: `Hello ${m.parentFirstName},` },
    { para: `${m.childFirstName} was not at holiday club on ${missed}, and we were not told why. When a child misses sessions without a reason, we give their other places to children on the waiting list.` },
    { para: `So we have cancelled ${m.childFirstName}'s other bookings below.` },
    ...m.released.flatMap((r): Block[] => [
      { para: [{ strong: r.waitlisted ? 'Off the waiting list: ' : 'Cancelled: ' }, r.session.title] }, { list: sessionFacts(r.session, r.bookingId) },
    ]),
    { para: `If ${m.childFirstName} was ill or there was another reason, or you think this is a mistake, contact ${team()} and quote your reference ${m.reference}.` },
    contactLine(),
    { para: ['To see your bookings, go to ', { link: manageUrl(m.siteUrl, m.reference) }, '.'] },
  ]];
}

const otherBookings = (m: { siteUrl: string; reference: string }): Block[] => [
  { para: ['Your other bookings are unchanged. To see them, go to ', { link: manageUrl(m.siteUrl, m.reference) }, '.'] },
  { para: [`If you have a question, contact ${team()} and quote your reference `, { strong: m.reference }, '.'] },
  contactLine(),
];

const writers: { [K in MessageKind]: (m: MessageData[K]) => [string, Block[]] } = {
  application, offered, cancelled, leftWaitlist, droppedFromWaitlist, released,
};

export function renderMessage<K extends MessageKind>(kind: K, data: MessageData[K]): RenderedMessage {
  const [subject, blocks] = writers[kind](data);
  return { subject, text: toText(blocks), html: toHtml(subject, blocks) };
}
