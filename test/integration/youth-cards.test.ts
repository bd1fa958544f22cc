import type { APIGatewayProxyStructuredResultV2 as Result } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerActions } from '../../functions/provider-api/actions.ts';
import { formatCardNumber } from '../../shared/domain/ids.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { providerRoutes } from '../../shared/http/routes/provider.ts';
import { AgreementInput, ProgrammeInput, ProviderInput } from '../../shared/schemas/catalogue.ts';
import { YcReferralInput, type YcCreated } from '../../shared/schemes/youth-card/input.ts';
import { ycSignUp } from '../../shared/schemes/youth-card/sign-up.ts';
import { putAgreement, putProgramme, putProvider } from '../../shared/services/catalogue.ts';
import { wireIdempotency, type Deps } from '../../shared/wiring.ts';
import { apiEvent, claims, lambdaContext } from '../support/events.ts';
import { depsFor, freshTable } from '../support/table.ts';

// Youth Cards against DynamoDB Local: the age rule, where a card is issued, and visits at the desk through the
// provider API as deployed (one conditional update per visit, however many desks at once).

let t: Awaited<ReturnType<typeof freshTable>>;
let deps: Deps;
const signedIn = { referrer: { subject: 'youth-worker-1' } };

beforeAll(async () => {
  t = await freshTable();
  deps = depsFor(t);
});
afterAll(async () => t?.drop());

/** A programme of its own per test (valid 3 months, `visits` visits), with leisure centres and their cards. */
async function world(id: string, centres: Record<string, { cards: number; districts: string[] }>, o: { visits?: number; start?: string } = {}) {
  await putProgramme(deps, id, ProgrammeInput.parse({
    scheme: 'YOUTH_CARD', name: `Youth Card ${id}`, startDate: o.start ?? '2026-09-01', endDate: '2027-08-31',
    bookingOpensAt: '2026-09-01T00:00:00Z', bookingClosesAt: '2027-08-31T23:00:00Z', cardValidityMonths: 3, ...(o.visits ? { visitsAllowed: o.visits } : {}),
  }));
  for (const [centre, c] of Object.entries(centres)) {
    await putProvider(deps, `${id}-${centre}`, ProviderInput.parse({ name: `${centre} Leisure Centre`, contactEmail: `${centre}@example.org`, districts: c.districts, clientId: `${id}-${centre}-client` }));
    await putAgreement(deps, id, `${id}-${centre}`, AgreementInput.parse({ grantAllocationPence: 0, ratePencePerChildDay: 0, placesCommissioned: c.cards, paymentBasis: 'booked' }));
  }
}

const referral = (programmeId: string, o: { born?: string; preferred?: string; district?: string; i?: number } = {}) => YcReferralInput.parse({
  scheme: 'YOUTH_CARD', programmeId,
  youngPerson: { firstName: 'Robin', lastName: `Example${'abcdefghij'[o.i ?? 0]}`, dateOfBirth: o.born ?? '2012-06-01', email: 'robin@example.org', postcode: 'LE12 9AX' },
  referrer: { organisation: 'Leicestershire Youth Justice Service', name: 'Morgan Youthworker', email: 'morgan.youthworker@leics.gov.uk' },
  ...(o.preferred ? { preferredProviderId: o.preferred } : {}), ...(o.district ? { district: o.district } : {}),
  consent: { dataProcessing: true },
});
const cardOf = (c: YcCreated) => c.card!.number.replace(/ /g, '');

describe('who can have a card', () => {
  it('is 11 to 19 on the day of referral: a 10-year-old and a 20-year-old are refused, naming the rule', async () => {
    await world('yc-ages', { town: { cards: 5, districts: ['Charnwood'] } });
    // The day of referral is 23 November 2026.
    for (const [born, age] of [['2015-11-24', 10], ['2006-11-23', 20]] as const) {
      await expect(ycSignUp.apply(deps, referral('yc-ages', { born, district: 'Charnwood' }), signedIn)).rejects.toMatchObject({
        kind: 'invalid', issues: [{ path: 'youngPerson.dateOfBirth', message: `must make the young person 11 to 19 on the day of referral (this programme's Youth Card age range); they are ${age}` }],
      });
    }
    for (const [born, i] of [['2015-11-23', 1], ['2006-11-24', 2]] as const) {
      expect((await ycSignUp.apply(deps, referral('yc-ages', { born, district: 'Charnwood', i }), signedIn)).status).toBe('issued');
    }
  });

  it('takes the range a programme sets', async () => {
    await putProgramme(deps, 'yc-own-range', ProgrammeInput.parse({
      scheme: 'YOUTH_CARD', name: 'Youth Card 14 to 16', startDate: '2026-09-01', endDate: '2027-08-31',
      bookingOpensAt: '2026-09-01T00:00:00Z', bookingClosesAt: '2027-08-31T23:00:00Z', ageMin: 14, ageMax: 16,
    }));
    await expect(ycSignUp.apply(deps, referral('yc-own-range', { born: '2015-06-01', district: 'Charnwood' }), signedIn)).rejects.toMatchObject({
      issues: [{ path: 'youngPerson.dateOfBirth', message: "must make the young person 14 to 16 on the day of referral (this programme's Youth Card age range); they are 11" }],
    });
  });
});

describe('where a card is issued', () => {
  it('at the preferred centre while it has cards, then the one in its district with most left, then the young person waits', async () => {
    await world('yc-where', { preferred: { cards: 1, districts: ['Charnwood'] }, fewer: { cards: 1, districts: ['Charnwood'] },
      more: { cards: 2, districts: ['Charnwood'] }, elsewhere: { cards: 9, districts: ['Melton'] } });
    const at = async (i: number) => (await ycSignUp.apply(deps, referral('yc-where', { preferred: 'yc-where-preferred', i }), signedIn));
    const issued = [await at(0), await at(1), await at(2), await at(3), await at(4)];
    expect(issued.map((c) => c.card?.providerId ?? c.status)).toEqual(['yc-where-preferred', 'yc-where-more', 'yc-where-fewer', 'yc-where-more', 'waitlisted']);
    expect(issued[4]).toMatchObject({ waitlistPosition: 1 });
    const card = issued[0]!.card!;
    expect(card).toMatchObject({ validFrom: '2026-11-23', validUntil: '2027-02-22', visitsAllowed: null });
    expect(card.number).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    await expect(ycSignUp.apply(deps, referral('yc-where', { preferred: 'yc-where-nowhere' }), signedIn))
      .rejects.toMatchObject({ issues: [{ path: 'preferredProviderId', message: 'is not a leisure provider giving Youth Cards in this programme' }] });
  });

  it('is valid from the programme\'s start when issued before it', async () => {
    await world('yc-later', { town: { cards: 2, districts: ['Blaby'] } }, { start: '2027-01-04' });
    const created = await ycSignUp.apply(deps, referral('yc-later', { district: 'Blaby' }), signedIn);
    expect(created.card).toMatchObject({ validFrom: '2027-01-04', validUntil: '2027-04-03' });
  });
});

describe('visits at the desk', () => {
  const desk = (clientId: string, at?: string) => {
    const d = depsFor(t, at ? { now: () => new Date(at) } : {});
    const handler = apiHandler(providerRoutes, providerActions(d), { idempotency: wireIdempotency(d) });
    const call = async (method: 'GET' | 'POST', number: string, headers: Record<string, string> = {}) => {
      const r = (await handler(apiEvent({
        method, path: `/v1/provider/youth-cards/${number}${method === 'POST' ? '/visits' : ''}`,
        route: `/v1/provider/youth-cards/{number}${method === 'POST' ? '/visits' : ''}`, params: { number }, claims: claims.provider(clientId), headers,
      }), lambdaContext())) as Result;
      return { status: r.statusCode, json: JSON.parse(r.body ?? '{}') };
    };
    return { check: (n: string) => call('GET', n), visit: (n: string, headers?: Record<string, string>) => call('POST', n, headers) };
  };

  it('records the allowed visits, then refuses the next with a reason; another centre may not use it', async () => {
    await world('yc-visits', { home: { cards: 3, districts: ['Melton'] }, away: { cards: 3, districts: ['Melton'] } }, { visits: 2 });
    const card = cardOf(await ycSignUp.apply(deps, referral('yc-visits', { preferred: 'yc-visits-home' }), signedIn));
    const home = desk('yc-visits-home-client');
    expect(await home.check(formatCardNumber(card))).toMatchObject({ status: 200, json: { status: 'valid', firstName: 'Robin', visitsLeft: 2, validUntil: '2027-02-22' } });
    expect(await home.visit(card)).toMatchObject({ status: 201, json: { visitsUsed: 1, visitsLeft: 1 } });
    // A desk that sends the same visit again (a retry) records it once.
    expect(await home.visit(card, { 'idempotency-key': 'desk-1-visit-7' })).toMatchObject({ status: 201, json: { visitsLeft: 0 } });
    expect(await home.visit(card, { 'idempotency-key': 'desk-1-visit-7' })).toMatchObject({ status: 201, json: { visitsLeft: 0 } });
    expect(await home.visit(card)).toMatchObject({ status: 409, json: { reason: 'usedUp', detail: 'All 2 visits on this card have been used.' } });
    const away = desk('yc-visits-away-client');
    expect(await away.visit(card)).toMatchObject({ status: 409, json: { reason: 'issuedElsewhere', detail: expect.stringMatching(/home Leisure Centre/) } });
    // Another centre learns where the card is for, and nothing about whose it is.
    const seen = await away.check(card);
    expect(seen).toMatchObject({ status: 200, json: { status: 'issuedElsewhere', providerId: 'yc-visits-home', providerName: 'home Leisure Centre' } });
    expect(Object.keys(seen.json).sort()).toEqual(['number', 'providerId', 'providerName', 'status']);
  });

  it('records exactly 3 of 50 visits sent at once on a card with 3 left', async () => {
    await world('yc-race', { pool: { cards: 1, districts: ['Melton'] } }, { visits: 5 });
    const card = cardOf(await ycSignUp.apply(deps, referral('yc-race', { district: 'Melton' }), signedIn));
    const d = desk('yc-race-pool-client');
    expect((await d.visit(card)).status).toBe(201);
    expect((await d.visit(card)).status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 50 }, () => d.visit(card)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 409).every((a) => a.json.reason === 'usedUp')).toBe(true);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(47);
    expect(await deps.youthCards.get(card)).toMatchObject({ visitsUsed: 5 });
    expect((await deps.youthCards.get(card))?.visits).toHaveLength(5);
  });

  it('refuses an expired card and one not yet valid, and answers a wrong check digit with a 422', async () => {
    await world('yc-dates', { gym: { cards: 2, districts: ['Melton'] } });
    const card = cardOf(await ycSignUp.apply(deps, referral('yc-dates', { district: 'Melton' }), signedIn));
    expect(await desk('yc-dates-gym-client', '2027-02-23T09:00:00Z').visit(card))
      .toMatchObject({ status: 409, json: { reason: 'expired', detail: 'This card expired at the end of Monday 22 February 2027.' } });
    expect(await desk('yc-dates-gym-client', '2027-02-22T20:00:00Z').visit(card)).toMatchObject({ status: 201 });
    expect(await desk('yc-dates-gym-client', '2026-11-22T12:00:00Z').visit(card)).toMatchObject({ status: 409, json: { reason: 'notYetValid' } });
    const typo = `${card.slice(0, 5)}${(Number(card[5]) + 1) % 10}${card.slice(6)}`;
    expect(await desk('yc-dates-gym-client').visit(typo)).toMatchObject({
      status: 422, json: { errors: [{ path: 'number', message: 'check the number: this is not a Youth Card number (a digit may be wrong, or two swapped)' }] },
    });
    expect(await desk('yc-dates-gym-client').check('1234')).toMatchObject({ status: 422, json: { errors: [{ path: 'number', message: expect.stringMatching(/16 digits/) }] } });
  });

  it('is a 404 for a well-formed number that no card has', async () => {
    await world('yc-none', { gym: { cards: 1, districts: ['Melton'] } });
    expect((await desk('yc-none-gym-client').check('0000 0000 0000 0000')).status).toBe(404);
    expect((await desk('yc-none-gym-client').visit('0000-0000-0000-0000')).status).toBe(404);
  });
});
