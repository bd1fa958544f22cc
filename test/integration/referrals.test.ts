import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newLinkToken, secretDigest } from '../../shared/domain/ids.ts';
import { AgreementInput, ProgrammeInput, ProviderInput } from '../../shared/schemas/catalogue.ts';
import type { ActiveFamiliesReferral } from '../../shared/schemas/records.ts';
import { listFamilies, setFamilyStatus } from '../../shared/schemes/active-families/families.ts';
import { AfReferralInput, type AfCreated } from '../../shared/schemes/active-families/input.ts';
import { afSignUp } from '../../shared/schemes/active-families/sign-up.ts';
import { confirmReferral, createApplication, viewApplication } from '../../shared/services/applications.ts';
import { putAgreement, putProgramme, putProvider } from '../../shared/services/catalogue.ts';
import { requestDigestWith } from '../../shared/secrets/request-digest.ts';
import type { Deps } from '../../shared/wiring.ts';
import { name } from '../support/names.ts';
import { depsFor, freshTable } from '../support/table.ts';

// Active Families referrals against DynamoDB Local, through the use cases: who may refer, the referrer's
// confirmation, placing with the provider with most room in one transaction, and the queue in arrival order.
// The clock is the test table's (23 November 2026, a millisecond a reading).

let t: Awaited<ReturnType<typeof freshTable>>;
let deps: Deps;

beforeAll(async () => {
  t = await freshTable();
  deps = depsFor(t);
});
afterAll(async () => t?.drop());

/** A programme of its own per test, with providers and their family places, so tests run alone. */
async function world(id: string, places: Record<string, { places: number; districts: string[] }>) {
  await putProgramme(deps, id, ProgrammeInput.parse({
    scheme: 'ACTIVE_FAMILIES', name: `Active Families ${id}`, startDate: '2026-09-01', endDate: '2027-08-31',
    bookingOpensAt: '2026-09-01T00:00:00Z', bookingClosesAt: '2027-08-31T23:00:00Z',
  }));
  for (const [providerId, p] of Object.entries(places)) {
    await putProvider(deps, `${id}-${providerId}`, ProviderInput.parse({ name: `${providerId} Family Sport CIC`, contactEmail: `${providerId}@example.org`, districts: p.districts }));
    await putAgreement(deps, id, `${id}-${providerId}`, AgreementInput.parse({ grantAllocationPence: 0, ratePencePerChildDay: 0, placesCommissioned: p.places, paymentBasis: 'booked' }));
  }
}

const referral = (programmeId: string, i: number, o: { district?: string; email?: string; childBorn?: string } = {}) => AfReferralInput.parse({
  scheme: 'ACTIVE_FAMILIES', programmeId, district: o.district ?? 'Melton',
  referrer: { organisation: 'Children and Family Wellbeing Service', name: 'Priya Keyworker', email: o.email ?? 'priya.keyworker@leics.gov.uk' },
  family: {
    parent: { firstName: name('Parent', i), lastName: name('Family', i), email: `family${i}@example.org`, phone: '07700 900123', postcode: 'LE13 1AA' },
    members: [{ firstName: name('Child', i), lastName: name('Family', i), dateOfBirth: o.childBorn ?? '2018-03-01', needs: 'ear defenders' }],
  },
  consent: { dataProcessing: true },
});
const signedIn = { referrer: { subject: 'referrer-subject-1' } };
const stored = async (reference: string) => (await deps.referrals.get(reference)) as ActiveFamiliesReferral;
/** What the notifier does when it emails the referrer: a fresh secret, its digest kept. */
async function emailedToken(reference: string) {
  const token = newLinkToken();
  expect(await deps.referrals.keepConfirmationDigest(reference, secretDigest(token), new Date().toISOString())).toBe(true);
  return token;
}

describe('who may refer', () => {
  it('refuses an address not on a partner domain, and a programme of another scheme, naming each field', async () => {
    await world('af-who', { hub: { places: 2, districts: ['Melton'] } });
    const bad = { ...referral('af-who', 1, { email: 'someone@gmail.com' }), programmeId: 'no-such-programme' };
    await expect(afSignUp.apply(deps, bad, {})).rejects.toMatchObject({
      kind: 'invalid', issues: [
        { path: 'referrer.email', message: expect.stringMatching(/work address of one of Leicestershire County Council's partners/) },
        { path: 'programmeId', message: 'is not an Active Families programme' },
      ],
    });
    // A school's own domain under *.sch.uk is a partner's; sch.uk itself is not.
    expect((await afSignUp.apply(deps, referral('af-who', 2, { email: 'head@stmarys.leics.sch.uk' }), {})).status).toBe('awaitingReferrer');
    await expect(afSignUp.apply(deps, referral('af-who', 3, { email: 'x@sch.uk' }), {})).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('needs a child of the programme\'s age range on the day of referral', async () => {
    await world('af-ages', { hub: { places: 2, districts: ['Melton'] } });
    await expect(afSignUp.apply(deps, referral('af-ages', 1, { childBorn: '2015-11-22' }), {})).rejects.toMatchObject({
      issues: [{ path: 'family.members', message: "must include a child aged 5 to 10 on the day of referral (this programme's Active Families age range)" }],
    });
    // 10 until the day before the eleventh birthday.
    expect((await afSignUp.apply(deps, referral('af-ages', 2, { childBorn: '2015-11-24' }), {})).status).toBe('awaitingReferrer');
  });
});

describe('the referrer\'s confirmation', () => {
  it('waits for the referrer, then places the family with the provider with most room', async () => {
    await world('af-confirm', { small: { places: 1, districts: ['Melton'] }, large: { places: 3, districts: ['Melton', 'Harborough'] }, far: { places: 9, districts: ['Blaby'] } });
    const created = await afSignUp.apply(deps, referral('af-confirm', 1), {});
    expect(created).toMatchObject({ status: 'awaitingReferrer', confirmBy: expect.stringMatching(/^2026-11-30T10:00:0/) });
    // Unconfirmed, its personal data goes a week after the link lapses.
    expect((await stored(created.reference)).expiresAtEpoch).toBe(Math.floor((Date.parse(created.confirmBy!) + 7 * 86_400_000) / 1000));
    await expect(confirmReferral(deps, created.reference, 'a'.repeat(32))).rejects.toMatchObject({ kind: 'notFound' });
    const token = await emailedToken(created.reference);
    // Only the digest is kept.
    expect(JSON.stringify(await stored(created.reference))).not.toContain(token);
    await expect(confirmReferral(deps, created.reference, `${token}x`)).rejects.toMatchObject({ kind: 'notFound' });
    const confirmed = await confirmReferral(deps, created.reference, token);
    expect(confirmed).toMatchObject({ reference: created.reference, scheme: 'ACTIVE_FAMILIES', status: 'accepted', providerId: 'af-confirm-large' });
    // Confirming again answers as it stands and takes no second place.
    expect(await confirmReferral(deps, created.reference, token)).toEqual(confirmed);
    expect((await deps.referrals.room('af-confirm', 'af-confirm-large'))).toMatchObject({ taken: 1, capacity: 3 });
    expect(await viewApplication(deps, created.reference, created.manageToken)).toMatchObject({
      status: 'accepted', providerId: 'af-confirm-large', providerName: 'large Family Sport CIC', members: [{ firstName: 'Childb' }],
    });
  });

  it('refuses a link confirmed after 7 days', async () => {
    await world('af-late', { hub: { places: 2, districts: ['Melton'] } });
    const created = await afSignUp.apply(deps, referral('af-late', 1), {});
    const token = await emailedToken(created.reference);
    const late = { ...deps, now: () => new Date('2026-11-30T10:00:01Z') };
    await expect(confirmReferral(late, created.reference, token)).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/expired on 2026-11-30/) });
    expect((await viewApplication(late, created.reference, created.manageToken))).toMatchObject({ status: 'expired' });
    expect((await deps.referrals.room('af-late', 'af-late-hub'))).toMatchObject({ taken: 0 });
  });

  it('is not needed from a signed-in referrer, and a retry with the same Idempotency-Key gets the first answer', async () => {
    await world('af-account', { hub: { places: 2, districts: ['Melton'] } });
    const body = referral('af-account', 1);
    const first = await createApplication(deps, body, { ...signedIn, requestKey: 'account-key-1' }) as AfCreated;
    expect(first).toMatchObject({ status: 'accepted', providerId: 'af-account-hub' });
    expect(await createApplication(deps, body, { ...signedIn, requestKey: 'account-key-1' })).toEqual(first);
    await expect(createApplication(deps, referral('af-account', 2), { ...signedIn, requestKey: 'account-key-1' }))
      .rejects.toMatchObject({ issues: [{ path: 'Idempotency-Key', message: expect.stringMatching(/different body/) }] });
    expect((await deps.referrals.room('af-account', 'af-account-hub'))).toMatchObject({ taken: 1 });
    expect((await deps.referrals.ofReferrer('referrer-subject-1', { programmeId: 'af-account', limit: 10 })).items.map((r) => r.reference)).toEqual([first.reference]);
  });

  it('keeps a digest of a keyed request under the server secret: another secret makes the same retry a 422', async () => {
    await world('af-keyed', { hub: { places: 2, districts: ['Melton'] } });
    const under = (secret: string) => ({ ...deps, requestDigest: requestDigestWith(async () => secret) });
    const body = referral('af-keyed', 1);
    const first = await createApplication(under('the-secret-of-this-deployment-000'), body, { ...signedIn, requestKey: 'keyed-referral' }) as AfCreated;
    expect(await createApplication(under('the-secret-of-this-deployment-000'), body, { ...signedIn, requestKey: 'keyed-referral' })).toEqual(first);
    await expect(createApplication(under('a-different-secret-entirely-11111'), body, { ...signedIn, requestKey: 'keyed-referral' }))
      .rejects.toMatchObject({ issues: [{ path: 'Idempotency-Key' }] });
    expect((await deps.referrals.room('af-keyed', 'af-keyed-hub'))).toMatchObject({ taken: 1 });
  });
});

describe('places and the queue', () => {
  it('queues a family with no room in arrival order, and gives the next one the place a family finishes', async () => {
    await world('af-queue', { hub: { places: 1, districts: ['Melton'] }, other: { places: 5, districts: ['Blaby'] } });
    const first = await afSignUp.apply(deps, referral('af-queue', 1), signedIn);
    const second = await afSignUp.apply(deps, referral('af-queue', 2), signedIn);
    const third = await afSignUp.apply(deps, referral('af-queue', 3), signedIn);
    expect([first.status, second, third].map((x) => (typeof x === 'string' ? x : { status: x.status, position: x.waitlistPosition })))
      .toEqual(['accepted', { status: 'waitlisted', position: 1 }, { status: 'waitlisted', position: 2 }]);
    // The provider in Blaby has room, but the family lives in Melton.
    expect((await deps.referrals.room('af-queue', 'af-queue-other'))).toMatchObject({ taken: 0 });

    // Another provider's family is not this provider's to change.
    await expect(setFamilyStatus(deps, 'af-queue-other', first.reference, 'started')).rejects.toMatchObject({ kind: 'notFound' });
    await expect(setFamilyStatus(deps, 'af-queue-hub', first.reference, 'finished')).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/not started yet/) });
    expect(await setFamilyStatus(deps, 'af-queue-hub', first.reference, 'started')).toMatchObject({ status: 'started' });
    expect(await setFamilyStatus(deps, 'af-queue-hub', first.reference, 'started')).toMatchObject({ status: 'started' });
    const finished = await setFamilyStatus(deps, 'af-queue-hub', first.reference, 'finished');
    expect(finished).toMatchObject({ status: 'finished', parentFirstName: 'Parentb', contactPhone: '07700 900123', members: [{ firstName: 'Childb', age: 8, needs: 'ear defenders' }] });
    expect(await stored(second.reference)).toMatchObject({ status: 'accepted', providerId: 'af-queue-hub' });
    expect(await stored(third.reference)).toMatchObject({ status: 'waitlisted' });
    expect(await viewApplication(deps, third.reference, third.manageToken)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    await expect(setFamilyStatus(deps, 'af-queue-hub', first.reference, 'withdrawn')).rejects.toMatchObject({ kind: 'conflict' });

    const listed = await listFamilies(deps, 'af-queue-hub', { programme: 'af-queue', limit: 50 });
    expect(listed.items.map((f) => [f.reference, f.status])).toEqual([[first.reference, 'finished'], [second.reference, 'accepted']]);
    expect(JSON.stringify(listed)).not.toMatch(/Family[a-z]|2018-03-01|family\d@/);
    expect((await listFamilies(deps, 'af-queue-other', { limit: 50 })).items).toEqual([]);
  });

  it('gives 200 referrals at once for 20 places exactly 20, the rest waiting in arrival order', async () => {
    await world('af-rush', { a: { places: 5, districts: ['Melton'] }, b: { places: 7, districts: ['Melton'] }, c: { places: 8, districts: ['Melton', 'Blaby'] } });
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => afSignUp.apply(deps, referral('af-rush', i), signedIn)));
    const accepted = answers.filter((a) => a.status === 'accepted');
    expect(accepted).toHaveLength(20);
    const rooms = await deps.referrals.rooms('af-rush');
    expect(rooms.map((r) => [r.providerId, r.taken, r.capacity])).toEqual([['af-rush-a', 5, 5], ['af-rush-b', 7, 7], ['af-rush-c', 8, 8]]);
    const count = (id: string) => accepted.filter((a) => a.providerId === id).length;
    expect([count('af-rush-a'), count('af-rush-b'), count('af-rush-c')]).toEqual([5, 7, 8]);

    // The other 180 wait, numbered 1 to 180 in the order they were acted on.
    const waiting = await Promise.all(answers.filter((a) => a.status === 'waitlisted').map((a) => stored(a.reference)));
    expect(waiting).toHaveLength(180);
    const byArrival = [...waiting].sort((x, y) => (x.waitingSince! < y.waitingSince! ? -1 : 1));
    const positions = await Promise.all(byArrival.map((r) => viewApplication(deps, r.reference, r.manageToken)));
    expect(positions.map((v) => (v as { waitlistPosition?: number }).waitlistPosition)).toEqual(Array.from({ length: 180 }, (_, i) => i + 1));
    const scan = await t.db.send(new ScanCommand({ TableName: t.tableName, FilterExpression: 'entity = :e AND programmeId = :p', ExpressionAttributeValues: { ':e': 'WaitingEntry', ':p': 'af-rush' } }));
    expect(scan.Items).toHaveLength(180);
  });

  it('gives places added to an agreement to the queue in order, and will not lower the places below those given', async () => {
    await world('af-more', { hub: { places: 1, districts: ['Melton'] } });
    const placed = await afSignUp.apply(deps, referral('af-more', 1), signedIn);
    const waiting = await Promise.all([2, 3].map((i) => afSignUp.apply(deps, referral('af-more', i), signedIn)));
    expect(waiting.map((w) => w.status)).toEqual(['waitlisted', 'waitlisted']);
    await expect(putAgreement(deps, 'af-more', 'af-more-hub', AgreementInput.parse({ grantAllocationPence: 0, ratePencePerChildDay: 0, placesCommissioned: 0, paymentBasis: 'booked' })))
      .rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/below the family places this provider has already given/) });
    await putAgreement(deps, 'af-more', 'af-more-hub', AgreementInput.parse({ grantAllocationPence: 0, ratePencePerChildDay: 0, placesCommissioned: 2, paymentBasis: 'booked' }));
    // The stream offers added room (shared/reactions); here the service it runs, as the notifier would.
    const { offerRoom } = await import('../../shared/services/referrals.ts');
    const first = (await Promise.all(waiting.map((w) => stored(w.reference)))).sort((x, y) => (x.waitingSince! < y.waitingSince! ? -1 : 1))[0]!;
    expect(await offerRoom(deps, 'af-more', 'af-more-hub')).toEqual([first.reference]);
    expect(placed.status).toBe('accepted');
  });

  it('never gives a newcomer a place that a family already waiting could have', async () => {
    await world('af-fair', { hub: { places: 1, districts: ['Melton'] } });
    await afSignUp.apply(deps, referral('af-fair', 1), signedIn);
    const waiting = await afSignUp.apply(deps, referral('af-fair', 2), signedIn);
    expect(waiting.status).toBe('waitlisted');
    // A place is added, and before anything offers it (the stream would), a newcomer arrives.
    await putAgreement(deps, 'af-fair', 'af-fair-hub', AgreementInput.parse({ grantAllocationPence: 0, ratePencePerChildDay: 0, placesCommissioned: 2, paymentBasis: 'booked' }));
    const newcomer = await afSignUp.apply(deps, referral('af-fair', 3), signedIn);
    expect(newcomer).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(await stored(waiting.reference)).toMatchObject({ status: 'accepted', providerId: 'af-fair-hub' });
  });
});

describe('the stream\'s backstop', () => {
  it('places a referral whose request stopped after keeping it, before placing it', async () => {
    await world('af-backstop', { hub: { places: 1, districts: ['Melton'] } });
    const dying = { ...deps, referrals: Object.assign(Object.create(deps.referrals), { assign: async () => { throw Object.assign(new Error('gone'), { name: 'TimeoutError' }); } }) };
    await expect(afSignUp.apply(dying, referral('af-backstop', 1), { ...signedIn, requestKey: 'backstop-key' })).rejects.toMatchObject({ name: 'TimeoutError' });
    const stuck = (await deps.referrals.ofReferrer('referrer-subject-1', { programmeId: 'af-backstop', limit: 5 })).items[0]!;
    expect(stuck.status).toBe('confirmed');
    // The stream record of its creation, as Lambda hands it to the notifier.
    const { notify } = await import('../../functions/notifier/notify.ts');
    const { placeIfConfirmed } = await import('../../shared/services/referrals.ts');
    const { marshall } = await import('@aws-sdk/util-dynamodb');
    const image = marshall({ pk: `REFERRAL#${stuck.reference}`, sk: 'REFERRAL', entity: 'Referral', ...stuck }, { removeUndefinedValues: true });
    const result = await notify({ Records: [{ eventID: 'made', eventName: 'INSERT', dynamodb: { NewImage: image as never, SequenceNumber: '1' } }] }, {
      applications: deps.applications, catalogue: deps.catalogue, messages: deps.messages, referrals: deps.referrals, now: deps.now, siteUrl: 'https://x.example.gov.uk',
      mailer: { send: async () => { throw new Error('no email is owed by a referral made signed in'); } },
      offerPlaces: async () => [], offerRoom: async () => [], placeReferral: (reference) => placeIfConfirmed(deps, reference),
      countBooking: async () => undefined, checkAbsences: async () => undefined, restampRetention: async () => ({}),
    });
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await stored(stuck.reference)).toMatchObject({ status: 'accepted', providerId: 'af-backstop-hub' });
  });
});

describe('programme settings', () => {
  it('takes only the settings of the programme\'s scheme', () => {
    const parsed = ProgrammeInput.safeParse({
      scheme: 'ACTIVE_FAMILIES', name: 'x', startDate: '2026-09-01', endDate: '2027-08-31', bookingOpensAt: '2026-09-01T00:00:00Z',
      bookingClosesAt: '2027-08-31T00:00:00Z', maxDaysPerChild: 4, visitsAllowed: 10, ageMin: 6, ageMax: 5,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['maxDaysPerChild', 'is not a setting of Active Families programmes'],
      ['visitsAllowed', 'is not a setting of Active Families programmes'],
      ['ageMax', 'must not be below ageMin'],
    ]);
  });
});
