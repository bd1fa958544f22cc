import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.ts';
import { bornYearsAgo, day, instant } from '../support/clock.ts';
import { name } from '../support/names.ts';
import { caller } from '../support/http.ts';

// Active Families and the Youth Card over HTTP against the whole local stack: referrals confirmed from the
// emailed link (read back from the local SES), placed and emailed through the stream, queued and placed when
// a family finishes; cards issued, used at the desk, refused with a reason; 200 referrals at once for 20 places.
// Every date comes from the clock.

let stack: LocalStack;
let admin: string;
let referrer: string;

beforeAll(async () => {
  const { startLocalStack } = await import('../../infra/local/stack.ts');
  stack = await startLocalStack({ port: 0, dynamoPort: 0, sesPort: 0, seed: false, quiet: true });
  admin = await stack.mintToken('admin');
  referrer = await stack.mintToken('referrer', undefined, { sub: 'e2e-referrer-1' });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
}, 60_000);

const call = caller(() => stack.url);
const put = async (path: string, body: unknown) => expect((await call('PUT', path, { body, token: admin })).status).toBeLessThan(300);

/** A programme of its own, open now, with providers in Melton and their places (or cards). */
async function programme(id: string, scheme: 'ACTIVE_FAMILIES' | 'YOUTH_CARD', providers: Record<string, number>, extra: Record<string, unknown> = {}) {
  await put(`/v1/admin/programmes/${id}`, {
    scheme, name: `E2E ${id}`, startDate: day(-1), endDate: day(300), bookingOpensAt: instant(-1), bookingClosesAt: instant(300), ...extra,
  });
  for (const [provider, places] of Object.entries(providers)) {
    await put(`/v1/admin/providers/${id}-${provider}`, { name: `${provider} Sport CIC`, contactEmail: `${id}-${provider}@example.org`, districts: ['Melton'], clientId: `${id}-${provider}-client` });
    await put(`/v1/admin/programmes/${id}/agreements/${id}-${provider}`, { grantAllocationPence: 0, ratePencePerChildDay: 0, placesCommissioned: places, paymentBasis: 'booked' });
  }
}

const keyWorker = (email = 'priya.keyworker@leics.gov.uk') => ({ organisation: 'Children and Family Wellbeing Service', name: 'Priya Keyworker', email });
const family = (programmeId: string, i: number, referrerEmail?: string) => ({
  scheme: 'ACTIVE_FAMILIES', programmeId, district: 'Melton', referrer: keyWorker(referrerEmail), consent: { dataProcessing: true },
  family: {
    parent: { firstName: name('Parent', i), lastName: name('Family', i), email: `e2e-family-${programmeId}-${i}@example.org`, phone: '07700 900123', postcode: 'LE13 1AA' },
    members: [{ firstName: name('Child', i), lastName: name('Family', i), dateOfBirth: bornYearsAgo(8), needs: 'ear defenders' }],
  },
});
const youngPerson = (programmeId: string, born: string, i = 0) => ({
  scheme: 'YOUTH_CARD', programmeId, district: 'Melton', consent: { dataProcessing: true },
  referrer: { organisation: 'Youth Justice Service', name: 'Morgan Youthworker', email: 'morgan.youthworker@leics.gov.uk' },
  youngPerson: { firstName: 'Robin', lastName: name('Example', i), dateOfBirth: born, email: `e2e-young-${programmeId}-${i}@example.org`, postcode: 'LE13 0AA' },
});

interface Email { subject: string; destination: { to: string[] }; body: { text?: string; html?: string } }
/** The emails to an address, once the stream has carried every change so far to the notifier. */
async function emailsTo(address: string): Promise<Email[]> {
  await stack.drainStream(20_000);
  const { emails } = (await (await fetch(`${stack.sesUrl}/store`)).json()) as { emails: Email[] };
  return emails.filter((e) => e.destination.to.includes(address));
}

describe('an Active Families referral', () => {
  it('is confirmed from the emailed link, placed, and both the family and the referrer are emailed', async () => {
    await programme('e2e-af-link', 'ACTIVE_FAMILIES', { hub: 2 });
    const referrerEmail = 'e2e.link@youth.leics.gov.uk';
    const created = await call('POST', '/v1/applications', { body: family('e2e-af-link', 1, referrerEmail) });
    expect(created).toMatchObject({ status: 201, json: { status: 'awaitingReferrer', reference: expect.stringMatching(/^AF-/) } });
    const reference = created.json.reference as string;

    const [ask] = await emailsTo(referrerEmail);
    expect(ask?.subject).toBe(`Please confirm your Active Families referral ${reference}`);
    const link = /https?:\/\/\S+\/referrals\/confirm\?reference=(AF-\w+)&token=([\w-]+)/.exec(ask!.body.text ?? '');
    expect(link?.[1]).toBe(reference);
    // Following the link only opens the site's page; the confirmation is a POST with the token.
    expect((await call('POST', `/v1/applications/${reference}/referrer-confirmation`, { headers: { 'x-referrer-token': 'x'.repeat(32) } })).status).toBe(404);
    const confirmed = await call('POST', `/v1/applications/${reference}/referrer-confirmation`, { headers: { 'x-referrer-token': link![2]! } });
    expect(confirmed).toMatchObject({ status: 200, json: { status: 'accepted', providerId: 'e2e-af-link-hub' } });

    const toFamily = await emailsTo('e2e-family-e2e-af-link-1@example.org');
    expect(toFamily.map((e) => e.subject)).toEqual([`Your Active Families place: ${reference}`]);
    expect(toFamily[0]!.body.text).toContain('hub Sport CIC');
    expect((await emailsTo(referrerEmail)).map((e) => e.subject)).toEqual([
      `Please confirm your Active Families referral ${reference}`, `Active Families referral placed: ${reference}`,
    ]);
    const view = await call('GET', `/v1/applications/${reference}`, { headers: { 'x-manage-token': created.json.manageToken as string } });
    expect(view).toMatchObject({ status: 200, json: { scheme: 'ACTIVE_FAMILIES', status: 'accepted', providerName: 'hub Sport CIC' } });
  });

  it('is refused from an address not on the council\'s partner domains', async () => {
    await programme('e2e-af-domain', 'ACTIVE_FAMILIES', { hub: 2 });
    const refused = await call('POST', '/v1/applications', { body: family('e2e-af-domain', 1, 'someone@gmail.com') });
    expect(refused.status).toBe(422);
    expect(refused.json.errors).toEqual([{ path: 'referrer.email', message: expect.stringMatching(/work address of one of .* partners \(leics\.gov\.uk, nhs\.net, \*\.sch\.uk/) }]);
    expect(await emailsTo('someone@gmail.com')).toEqual([]);
  });

  it('is acted on at once when POST /v1/applications carries a referrer\'s token, as API.md says, and listed as theirs', async () => {
    await programme('e2e-af-token', 'ACTIVE_FAMILIES', { hub: 2 });
    const created = await call('POST', '/v1/applications', { body: family('e2e-af-token', 1), token: referrer });
    expect(created).toMatchObject({ status: 201, json: { status: 'accepted', providerId: 'e2e-af-token-hub' } });
    const mine = await call('GET', '/v1/referrer/referrals?programme=e2e-af-token', { token: referrer });
    expect((mine.json.items as { reference: string }[]).map((r) => r.reference)).toEqual([created.json.reference]);
    // No confirmation was asked of the referrer.
    expect(await emailsTo(keyWorker().email).then((all) => all.filter((e) => e.subject.includes(created.json.reference as string)).map((e) => e.subject)))
      .not.toContain(`Please confirm your Active Families referral ${created.json.reference}`);
  });

  it('refuses a forged or expired token on POST /v1/applications with a 401 and keeps nothing; another role\'s token changes nothing', async () => {
    await programme('e2e-af-forged', 'ACTIVE_FAMILIES', { hub: 2 });
    const [, payload] = referrer.split('.');
    const forged = `${referrer.split('.')[0]}.${payload}.${'A'.repeat(43)}`;
    const expired = await stack.mintToken('referrer', undefined, { sub: 'e2e-referrer-1', exp: Math.floor(Date.now() / 1000) - 60 });
    for (const token of [forged, expired, 'not-a-jwt']) {
      const refused = await call('POST', '/v1/applications', { body: family('e2e-af-forged', 1), token });
      expect(refused.status).toBe(401);
    }
    expect((await call('GET', '/v1/referrer/referrals?programme=e2e-af-forged', { token: referrer })).json.items).toEqual([]);
    const asAdmin = await call('POST', '/v1/applications', { body: family('e2e-af-forged', 2), token: admin });
    expect(asAdmin).toMatchObject({ status: 201, json: { status: 'awaitingReferrer' } });
  });

  it('waits when there is no room and is placed when a family finishes', async () => {
    await programme('e2e-af-wait', 'ACTIVE_FAMILIES', { hub: 1 });
    const first = await call('POST', '/v1/referrer/referrals', { body: family('e2e-af-wait', 1), token: referrer });
    const second = await call('POST', '/v1/referrer/referrals', { body: family('e2e-af-wait', 2), token: referrer });
    expect([first.json.status, second.json.status, second.json.waitlistPosition]).toEqual(['accepted', 'waitlisted', 1]);
    expect((await emailsTo('e2e-family-e2e-af-wait-2@example.org')).map((e) => e.subject)).toEqual([`Active Families: waiting for a place, ${second.json.reference}`]);

    const provider = await stack.mintToken('provider', 'e2e-af-wait-hub');
    const listed = await call('GET', '/v1/provider/families?programme=e2e-af-wait', { token: provider });
    expect(listed.json.items).toEqual([expect.objectContaining({ reference: first.json.reference, status: 'accepted', parentFirstName: 'Parentb', contactPhone: '07700 900123' })]);
    const csv = await fetch(`${stack.url}/v1/provider/families?programme=e2e-af-wait&format=csv`, { headers: { authorization: `Bearer ${provider}` } });
    expect((await csv.text()).split('\r\n')[1]).toMatch(new RegExp(`^${first.json.reference},e2e-af-wait,accepted,Melton,.*,Parentb,07700 900123,,Childb \\(8; needs: ear defenders\\),`));

    for (const status of ['started', 'finished']) {
      expect((await call('PUT', `/v1/provider/families/${first.json.reference}`, { body: { status }, token: provider })).json.status).toBe(status);
    }
    const seen = await call('GET', `/v1/applications/${second.json.reference}`, { headers: { 'x-manage-token': second.json.manageToken as string } });
    expect(seen.json).toMatchObject({ status: 'accepted', providerId: 'e2e-af-wait-hub' });
    expect((await emailsTo('e2e-family-e2e-af-wait-2@example.org')).map((e) => e.subject)).toEqual([
      `Active Families: waiting for a place, ${second.json.reference}`, `Your Active Families place: ${second.json.reference}`,
    ]);
    const mine = await call('GET', '/v1/referrer/referrals?programme=e2e-af-wait', { token: referrer });
    expect((mine.json.items as { reference: string; status: string }[]).map((r) => [r.reference, r.status]))
      .toEqual([[first.json.reference, 'finished'], [second.json.reference, 'accepted']]);
  });

  it('is placed through the table\'s stream when an agreement gains places (no request offers them)', async () => {
    await programme('e2e-af-more', 'ACTIVE_FAMILIES', { hub: 0 });
    const waiting = await call('POST', '/v1/referrer/referrals', { body: family('e2e-af-more', 1), token: referrer });
    expect(waiting.json.status).toBe('waitlisted');
    await put('/v1/admin/programmes/e2e-af-more/agreements/e2e-af-more-hub', { grantAllocationPence: 0, ratePencePerChildDay: 0, placesCommissioned: 1, paymentBasis: 'booked' });
    await stack.drainStream(20_000);
    const seen = await call('GET', `/v1/applications/${waiting.json.reference}`, { headers: { 'x-manage-token': waiting.json.manageToken as string } });
    expect(seen.json).toMatchObject({ status: 'accepted', providerId: 'e2e-af-more-hub' });
  });

  it('gives 200 referrals sent at once for 20 places exactly 20, the rest waiting in order', async () => {
    await programme('e2e-af-rush', 'ACTIVE_FAMILIES', { a: 6, b: 6, c: 8 });
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => call('POST', '/v1/referrer/referrals', { body: family('e2e-af-rush', i), token: referrer })));
    expect(answers.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
    const accepted = answers.filter((a) => a.json.status === 'accepted');
    const waiting = answers.filter((a) => a.json.status === 'waitlisted');
    expect([accepted.length, waiting.length]).toEqual([20, 180]);
    expect(['a', 'b', 'c'].map((p) => accepted.filter((a) => a.json.providerId === `e2e-af-rush-${p}`).length)).toEqual([6, 6, 8]);
    // Positions now (each answer gave its position when it was sent): 1 to 180, each once.
    const positions = await Promise.all(waiting.map(async (w) =>
      (await call('GET', `/v1/applications/${w.json.reference}`, { headers: { 'x-manage-token': w.json.manageToken as string } })).json.waitlistPosition as number));
    expect([...positions].sort((x, y) => x - y)).toEqual(Array.from({ length: 180 }, (_, i) => i + 1));
  });
});

describe('a Youth Card', () => {
  it('refuses a 10-year-old and a 20-year-old, naming the rule', async () => {
    await programme('e2e-yc-ages', 'YOUTH_CARD', { pool: 5 });
    for (const [years, age] of [[10, 10], [20, 20]] as const) {
      const refused = await call('POST', '/v1/applications', { body: youngPerson('e2e-yc-ages', bornYearsAgo(years)) });
      expect(refused.status).toBe(422);
      expect(refused.json.errors).toEqual([{ path: 'youngPerson.dateOfBirth',
        message: `must make the young person 11 to 19 on the day of referral (this programme's Youth Card age range); they are ${age}` }]);
    }
  });

  it('is issued and emailed with its QR code, used for its visits, then refused; a typo in the number is a 422', async () => {
    await programme('e2e-yc-card', 'YOUTH_CARD', { pool: 5 }, { visitsAllowed: 5, cardValidityMonths: 3 });
    const created = await call('POST', '/v1/referrer/referrals', { body: youngPerson('e2e-yc-card', bornYearsAgo(14)), token: referrer });
    expect(created.json).toMatchObject({ status: 'issued', card: { providerId: 'e2e-yc-card-pool', validFrom: day(0), visitsAllowed: 5 } });
    const number = (created.json.card as { number: string }).number;
    const digits = number.replace(/ /g, '');
    const [email] = await emailsTo('e2e-young-e2e-yc-card-0@example.org');
    expect(email?.subject).toBe(`Your Youth Card: ${created.json.reference}`);
    expect(email?.body.text).toContain(number);
    expect(email?.body.html).toMatch(/<table role="img"/);
    expect((await emailsTo('morgan.youthworker@leics.gov.uk')).map((e) => e.subject)).toContain(`Youth Card issued: ${created.json.reference}`);

    const desk = await stack.mintToken('provider', 'e2e-yc-card-pool');
    const visit = () => call('POST', `/v1/provider/youth-cards/${digits}/visits`, { token: desk });
    expect((await visit()).status).toBe(201);
    expect((await visit()).status).toBe(201);
    // Two desks at once, and more: 50 visits with 3 left record exactly 3.
    const rush = await Promise.all(Array.from({ length: 50 }, visit));
    expect(rush.filter((r) => r.status === 201)).toHaveLength(3);
    expect(rush.filter((r) => r.status === 409).map((r) => r.json.reason)).toEqual(Array(47).fill('usedUp'));
    expect(await call('GET', `/v1/provider/youth-cards/${encodeURIComponent(number)}`, { token: desk }))
      .toMatchObject({ status: 200, json: { status: 'usedUp', firstName: 'Robin', visitsUsed: 5, visitsLeft: 0 } });
    expect(await visit()).toMatchObject({ status: 409, json: { reason: 'usedUp' } });

    const changed = `${digits.slice(0, 7)}${(Number(digits[7]) + 5) % 10}${digits.slice(8)}`;
    const swapIndex = [...digits].findIndex((d, i) => i < 15 && d !== digits[i + 1]);
    const swapped = `${digits.slice(0, swapIndex)}${digits[swapIndex + 1]}${digits[swapIndex]}${digits.slice(swapIndex + 2)}`;
    for (const typo of [changed, swapped]) {
      const refused = await call('POST', `/v1/provider/youth-cards/${typo}/visits`, { token: desk });
      expect(refused).toMatchObject({ status: 422, json: { errors: [{ path: 'number', message: expect.stringMatching(/^check the number/) }] } });
    }
  });

  it('is refused once it has expired', async () => {
    await programme('e2e-yc-expiry', 'YOUTH_CARD', { gym: 2 }, { cardValidityMonths: 1 });
    const created = await call('POST', '/v1/referrer/referrals', { body: youngPerson('e2e-yc-expiry', bornYearsAgo(16)), token: referrer });
    const card = created.json.card as { number: string; validUntil: string };
    const desk = await stack.mintToken('provider', 'e2e-yc-expiry-gym');
    try {
      stack.setClock(new Date(Date.parse(`${card.validUntil}T12:00:00Z`) + 86_400_000));
      const refused = await call('POST', `/v1/provider/youth-cards/${card.number.replace(/ /g, '')}/visits`, { token: desk });
      expect(refused).toMatchObject({ status: 409, json: { reason: 'expired', detail: expect.stringMatching(/^This card expired at the end of /) } });
    } finally {
      stack.setClock();
    }
    expect((await call('POST', `/v1/provider/youth-cards/${card.number.replace(/ /g, '')}/visits`, { token: desk })).status).toBe(201);
  });
});
