import { describe, expect, it } from 'vitest';
import { effectsOf } from '../../shared/reactions/index.ts';
import { referralEmails, roomOwed } from '../../shared/reactions/referrals.ts';
import type { ReferralRecord } from '../../shared/schemas/records.ts';
import { qrModules } from '../../shared/mail/qr.ts';
import { renderAfMessage } from '../../shared/schemes/active-families/emails.ts';
import { confirmationLink, confirmationRequest } from '../../shared/schemes/referral-emails.ts';
import { renderYcMessage } from '../../shared/schemes/youth-card/emails.ts';
import type { EntityChange } from '../../shared/store/stream.ts';

// What a referral's changes owe (pure reactions) and what its emails say. Invented people only.

const base = {
  reference: 'AF-7K3M9Q2A', programmeId: 'active-families-2026', manageToken: 'mt_example_7f3a9c2e4b1d8f60', via: 'email' as const,
  referrer: { organisation: 'Children and Family Wellbeing Service', name: 'Priya Keyworker', email: 'priya.keyworker@leics.gov.uk' },
  confirmBy: '2026-12-08T10:00:00.000Z', district: 'Melton', createdAt: '2026-12-01T10:00:00.000Z', updatedAt: '2026-12-01T10:00:00.000Z',
  expiresAtEpoch: 1_830_000_000,
};
const af = (status: ReferralRecord['status']): ReferralRecord => ({
  ...base, status, scheme: 'ACTIVE_FAMILIES',
  family: { parent: { firstName: 'Sam', lastName: 'Example', email: 'sam.example@example.org', postcode: 'LE13 1AA' }, members: [{ firstName: 'Alex', lastName: 'Example', dateOfBirth: '2018-03-01' }] },
});
const yc = (status: ReferralRecord['status'], email?: string): ReferralRecord => ({
  ...base, reference: 'YC-7K3M9Q2A', status, scheme: 'YOUTH_CARD',
  youngPerson: { firstName: 'Robin', lastName: 'Example', dateOfBirth: '2012-06-01', postcode: 'LE12 9AX', ...(email ? { email } : {}) },
});
const change = (before: ReferralRecord | undefined, after: ReferralRecord): EntityChange => ({ entity: 'referral', before, after });
const owed = (c: EntityChange) => referralEmails(c).map((e) => (e.kind === 'email' ? `${e.message.kind}>${'to' in e.message ? e.message.to : ''}` : e.kind));

describe('what a referral owes', () => {
  it('asks the referrer to confirm a referral from the public form, and nothing more until then', () => {
    expect(owed(change(undefined, af('awaitingReferrer')))).toEqual(['referrerConfirmation>referrer']);
    expect(owed(change(af('awaitingReferrer'), af('awaitingReferrer')))).toEqual([]);
    expect(owed(change(af('awaitingReferrer'), af('confirmed')))).toEqual([]);
    // A signed-in referrer's referral starts confirmed: no email to confirm.
    expect(owed(change(undefined, af('confirmed')))).toEqual([]);
  });

  it('tells the referrer and the family of the place, or of the wait, once each', () => {
    expect(owed(change(af('confirmed'), af('accepted')))).toEqual(['referralPlaced>referrer', 'referralPlaced>person']);
    expect(owed(change(af('confirmed'), af('waitlisted')))).toEqual(['referralWaiting>referrer', 'referralWaiting>person']);
    expect(owed(change(af('waitlisted'), af('accepted')))).toEqual(['referralPlaced>referrer', 'referralPlaced>person']);
    expect(owed(change(af('accepted'), af('started')))).toEqual([]);
    const keys = referralEmails(change(af('confirmed'), af('accepted'))).map((e) => (e.kind === 'email' ? e.message.dedupeKey : ''));
    expect(keys).toEqual(['referral#AF-7K3M9Q2A#referralPlaced#referrer', 'referral#AF-7K3M9Q2A#referralPlaced#person']);
  });

  it('tells a young person with no email address through their referrer alone', () => {
    expect(owed(change(yc('confirmed'), yc('issued')))).toEqual(['referralPlaced>referrer']);
    expect(owed(change(yc('confirmed'), yc('issued', 'robin@example.org')))).toEqual(['referralPlaced>referrer', 'referralPlaced>person']);
  });

  it('owes a referral acted on a place (the stream\'s backstop), once, whichever way it was acted on', () => {
    const places = (c: EntityChange) => effectsOf(c).filter((e) => e.kind === 'placeReferral');
    expect(places(change(undefined, af('confirmed')))).toEqual([{ kind: 'placeReferral', reference: 'AF-7K3M9Q2A' }]);
    expect(places(change(af('awaitingReferrer'), af('confirmed')))).toHaveLength(1);
    expect(places(change(af('confirmed'), af('confirmed')))).toEqual([]);
    expect(places(change(af('confirmed'), af('accepted')))).toEqual([]);
  });

  it('owes room freed or added to whoever waits for it, and nothing when room is taken', () => {
    const room = (capacity: number, taken: number) => ({ programmeId: 'p', providerId: 'hub', capacity, taken });
    const of = (before: ReturnType<typeof room> | undefined, after: ReturnType<typeof room>) => roomOwed({ entity: 'room', before, after });
    expect(of(room(5, 5), room(5, 4))).toEqual([{ kind: 'offerRoom', programmeId: 'p', providerId: 'hub' }]);
    expect(of(room(5, 5), room(6, 5))).toHaveLength(1);
    expect(of(undefined, room(5, 0))).toHaveLength(1);
    expect(of(room(5, 3), room(5, 4))).toEqual([]);
    expect(of(room(5, 5), room(4, 4))).toEqual([]);
  });
});

describe('the emails', () => {
  it('asks the referrer to confirm from a link to the booking site, naming the family only by first name and initial', () => {
    const link = confirmationLink('https://family-services.example.gov.uk/', 'AF-7K3M9Q2A', 'tok_abc-123');
    expect(link).toBe('https://family-services.example.gov.uk/referrals/confirm?reference=AF-7K3M9Q2A&token=tok_abc-123');
    const m = confirmationRequest({
      reference: 'AF-7K3M9Q2A', schemeName: 'Active Families', programmeName: 'Active Families 2026–27', referrerName: 'Priya Keyworker',
      about: "Sam E.'s family", sentAt: '2026-12-01T10:00:00.000Z', confirmBy: '2026-12-08T10:00:00.000Z', link,
    });
    expect(m.subject).toBe('Please confirm your Active Families referral AF-7K3M9Q2A');
    for (const body of [m.text, m.html]) {
      expect(body).toContain('Tuesday 8 December 2026');
      expect(body).toContain('ignore this email');
    }
    expect(m.html).toContain(`href="${link.replace(/&/g, '&amp;')}"`);
    expect(m.text).toContain(link);
    expect(`${m.text}${m.html}`).not.toContain('Example');
  });

  it('gives a family its provider, and the referrer the provider\'s address', () => {
    const family = renderAfMessage('placedFamily', {
      reference: 'AF-7K3M9Q2A', manageToken: 'mt_example', siteUrl: 'https://x.example.gov.uk', parentFirstName: 'Sam',
      referrer: { name: 'Priya Keyworker', organisation: 'Children and Family Wellbeing Service' }, district: 'Melton',
      providerName: 'Melton Family Activity Hub', providerEmail: 'hub@example.org',
    });
    expect(family.subject).toBe('Your Active Families place: AF-7K3M9Q2A');
    expect(family.text).toContain('Melton Family Activity Hub');
    expect(family.text).toContain('https://x.example.gov.uk/applications/AF-7K3M9Q2A');
    const waiting = renderAfMessage('waitingReferrer', { reference: 'AF-7K3M9Q2A', referrerName: 'Priya', family: "Sam E.'s family", district: 'Melton', position: 3 });
    expect(waiting.text).toContain('number 3 on the waiting list');
  });

  it('gives the card number in groups of four and as a QR code made of table cells', () => {
    const card = { number: '4815 1623 4210 8159', qr: qrModules('4815162342108159'), providerName: 'Melton Leisure & Wellbeing Centre', validFrom: '2026-12-01', validUntil: '2027-02-28', visitsAllowed: 10 };
    const m = renderYcMessage('issuedPerson', {
      reference: 'YC-7K3M9Q2A', manageToken: 'mt_example', siteUrl: 'https://x.example.gov.uk', firstName: 'Robin',
      referrer: { name: 'Morgan Youthworker', organisation: 'Youth Justice Service' }, district: 'Melton', card,
    });
    expect(m.subject).toBe('Your Youth Card: YC-7K3M9Q2A');
    for (const body of [m.text, m.html]) {
      expect(body).toContain('4815 1623 4210 8159');
      expect(body).toContain('Valid from Tuesday 1 December 2026 to Sunday 28 February 2027.');
      expect(body).toContain('10 free visits.');
      expect(body).toContain('Melton Leisure &');
    }
    expect(m.html).toMatch(/<table role="img"[^>]*>(<tr>(<td[^>]*><\/td>){29}<\/tr>){29}<\/table>/);
    expect(m.html).not.toMatch(/<img/);
  });
});
