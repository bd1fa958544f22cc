import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify, type NotifierDeps } from '../../functions/notifier/notify.ts';
import { personalDataExpiry } from '../../shared/domain/programmes.ts';
import { ProgrammeInput } from '../../shared/schemas/catalogue.ts';
import { AfReferralInput } from '../../shared/schemes/active-families/input.ts';
import { applyForHaf } from '../../shared/schemes/haf/apply.ts';
import { HafApplicationInput } from '../../shared/schemes/haf/input.ts';
import { YcReferralInput } from '../../shared/schemes/youth-card/input.ts';
import { createApplication } from '../../shared/services/applications.ts';
import { putProgramme } from '../../shared/services/catalogue.ts';
import { restampRetention } from '../../shared/services/retention.ts';
import type { Deps } from '../../shared/wiring.ts';
import * as f from '../support/fixtures.ts';
import { seed } from '../support/seed.ts';
import { depsFor, freshTable } from '../support/table.ts';
import { scanTable } from '../support/scan.ts';

// A programme's end date or retention changed after families signed up: the expiry of every item holding their
// personal data follows, through the stream (the programme's change owes it), and again changes nothing.

let t: Awaited<ReturnType<typeof freshTable>>;
let deps: Deps;

const scanAll = () => scanTable(t.db, t.tableName);
/** The entities holding an expiry, and the expiries each holds. */
const expiries = async () => {
  const by: Record<string, Set<number>> = {};
  for (const i of await scanAll()) {
    if (typeof i.expiresAtEpoch !== 'number') continue;
    const kept = by[String(i.entity)] ?? new Set<number>();
    kept.add(i.expiresAtEpoch);
    by[String(i.entity)] = kept;
  }
  return Object.fromEntries(Object.entries(by).map(([k, v]) => [k, [...v].sort()]));
};
const notifierDeps = (): NotifierDeps => ({
  applications: deps.applications, catalogue: deps.catalogue, messages: deps.messages, referrals: deps.referrals, now: deps.now, siteUrl: 'https://x.example.gov.uk',
  mailer: { send: async () => { throw new Error('a programme change owes no email'); } },
  offerPlaces: async () => [], offerRoom: async () => [], placeReferral: async () => undefined, countBooking: async () => undefined, checkAbsences: async () => undefined,
  restampRetention: (programmeId) => restampRetention(deps, programmeId),
});
/** Changes a programme as the admin route does, and hands its stream record to the notifier. */
async function change(id: string, body: Record<string, unknown>) {
  const before = await deps.catalogue.getProgramme(id);
  await putProgramme(deps, id, ProgrammeInput.parse(body));
  const after = await deps.catalogue.getProgramme(id);
  const image = (p: object) => marshall({ pk: `PROGRAMME#${id}`, sk: 'PROGRAMME', entity: 'Programme', ...p }, { removeUndefinedValues: true }) as never;
  return notify({ Records: [{ eventID: `p-${id}`, eventName: 'MODIFY', dynamodb: { OldImage: image(before!), NewImage: image(after!), SequenceNumber: '1' } }] }, notifierDeps());
}

const hafProgramme = f.programme();
const afProgramme = { scheme: 'ACTIVE_FAMILIES', name: 'Active Families', startDate: '2026-09-01', endDate: '2027-08-31', bookingOpensAt: '2026-09-01T00:00:00Z', bookingClosesAt: '2027-08-31T23:00:00Z' };
const ycProgramme = { ...afProgramme, scheme: 'YOUTH_CARD', name: 'Youth Card', cardValidityMonths: 3 };
const referrer = { organisation: 'Children and Family Wellbeing Service', name: 'Priya Keyworker', email: 'priya.keyworker@leics.gov.uk' };
const signedIn = { referrer: { subject: 'referrer-subject-1' } };

beforeAll(async () => {
  t = await freshTable();
  deps = depsFor(t);
  const make = seed(deps);
  await make.programme('haf-christmas-2026');
  await make.programme('af-2026', afProgramme);
  await make.programme('yc-2026', ycProgramme);
  await make.provider('soar-valley');
  await make.agreement('haf-christmas-2026', 'soar-valley');
  await make.agreement('af-2026', 'soar-valley', { placesCommissioned: 1, ratePencePerChildDay: 0, grantAllocationPence: 0, paymentBasis: 'booked' });
  await make.agreement('yc-2026', 'soar-valley', { placesCommissioned: 5, ratePencePerChildDay: 0, grantAllocationPence: 0, paymentBasis: 'booked' });
  await make.session('one-place', { capacity: 1 });
  await make.codes('haf-christmas-2026', [{ code: 'KEEP-1', outcome: 'eligible' }, { code: 'KEEP-2', outcome: 'eligible' }]);
  for (const [i, code] of ['KEEP-1', 'KEEP-2'].entries()) {
    await applyForHaf(deps, HafApplicationInput.parse({
      scheme: 'HAF', programmeId: 'haf-christmas-2026', eligibility: { code }, consent: { dataProcessing: true },
      parent: { firstName: 'Sam', lastName: 'Example', email: `parent${i}@example.org`, postcode: 'LE11 1AA' },
      children: [{ firstName: `Alex${'ab'[i]}`, lastName: 'Example', dateOfBirth: '2017-05-01', sessionIds: ['one-place'] }],
    }));
  }
  for (const i of [0, 1]) {
    await createApplication(deps, AfReferralInput.parse({
      scheme: 'ACTIVE_FAMILIES', programmeId: 'af-2026', district: 'Melton', referrer, consent: { dataProcessing: true },
      family: { parent: { firstName: 'Jo', lastName: 'Family', email: `af${i}@example.org`, postcode: 'LE13 1AA' }, members: [{ firstName: 'Kit', lastName: 'Family', dateOfBirth: '2018-03-01' }] },
    }), signedIn);
  }
  await createApplication(deps, YcReferralInput.parse({
    scheme: 'YOUTH_CARD', programmeId: 'yc-2026', district: 'Melton', referrer, consent: { dataProcessing: true },
    youngPerson: { firstName: 'Robin', lastName: 'Example', dateOfBirth: '2012-06-01', email: 'robin@example.org', postcode: 'LE12 9AX' },
  }), signedIn);
});
afterAll(async () => t?.drop());

describe('a programme whose dates or retention change', () => {
  it('re-stamps its personal data with the new expiry, through the stream, and only its own', async () => {
    const was = personalDataExpiry(hafProgramme);
    const before = await expiries();
    expect(before.Booking).toEqual([was]);
    expect(before.WaitlistEntry).toEqual([was]);

    const longer = { ...hafProgramme, retentionMonths: 24 };
    expect(await change('haf-christmas-2026', longer)).toEqual({ batchItemFailures: [] });
    const now = personalDataExpiry(longer);
    expect(now).toBeGreaterThan(was);
    const after = await expiries();
    for (const entity of ['Application', 'Booking', 'WaitlistEntry', 'ChildDays', 'EligibilityCode']) expect(after[entity], entity).toEqual([now]);
    // The other programmes' items kept theirs.
    expect(after.Referral).toEqual(before.Referral);
    expect(after.YouthCard).toEqual(before.YouthCard);
  });

  it('follows an end date moved, for referrals, their queue and cards; again, nothing moves', async () => {
    const later = { ...afProgramme, endDate: '2027-12-31' };
    const before = await expiries();
    await change('af-2026', later);
    const now = personalDataExpiry(later);
    const after = await expiries();
    expect(after.WaitingEntry).toEqual([now]);
    expect(after.Referral).toContain(now);
    expect(await restampRetention(deps, 'af-2026')).toEqual({});

    const ycLater = { ...ycProgramme, endDate: '2028-08-31' };
    await change('yc-2026', ycLater);
    const cards = (await scanAll()).filter((i) => i.entity === 'YouthCard');
    expect(cards).toHaveLength(1);
    // The later of the retention and a season after the card's last day.
    expect(cards[0]!.expiresAtEpoch).toBe(Math.max(personalDataExpiry(ycLater), Date.parse(`${cards[0]!.validUntil}T00:00:00Z`) / 1000 + 90 * 86_400));
    expect(cards[0]!.expiresAtEpoch).not.toBe(before.YouthCard![0]);
  });

  it('a change that leaves the expiry as it was owes nothing', async () => {
    const { effectsOf } = await import('../../shared/reactions/index.ts');
    const p = (await deps.catalogue.getProgramme('haf-christmas-2026'))!;
    expect(effectsOf({ entity: 'programme', before: { ...p, name: 'renamed' }, after: p })).toEqual([]);
    expect(effectsOf({ entity: 'programme', before: { ...p, endDate: '2026-12-31' }, after: p })).toEqual([{ kind: 'restampRetention', programmeId: 'haf-christmas-2026' }]);
    expect(effectsOf({ entity: 'programme', after: p })).toEqual([]);
  });
});
