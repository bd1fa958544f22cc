import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HafApplicationInput } from '../../shared/schemes/haf/input.ts';
import { applyForHaf } from '../../shared/schemes/haf/apply.ts';
import { erase, subjectAccess } from '../../shared/services/privacy.ts';
import { offerFreedPlaces } from '../../shared/services/waitlist.ts';
import { keys } from '../../shared/store/keys.ts';
import type { Deps } from '../../shared/wiring.ts';
import { seed } from '../support/seed.ts';
import { depsFor, freshTable } from '../support/table.ts';
import { scanTable } from '../support/scan.ts';

// Subject access and erasure against DynamoDB Local: a family found by its email without a Scan, erased with
// its future place given to the child waiting, its past booking's counts kept, its code still used; a repeat
// erases nothing more and answers the same.

let t: Awaited<ReturnType<typeof freshTable>>;
let deps: Deps;
/** The fake clock of depsFor starts on 23 November 2026; the erasure is made on 24 December, between the two sessions. */
const afterTheFirstSession = () => depsFor(t, { now: () => new Date('2026-12-24T10:00:00Z') });

/** Ottoline Quennell's family, unless told otherwise (other families differ in every personal detail). */
const application = (email: string, childFirstName: string, code: string, sessionIds: string[], other = false) => HafApplicationInput.parse({
  scheme: 'HAF', programmeId: 'haf-christmas-2026',
  parent: other
    ? { firstName: 'Bartholomew', lastName: 'Arkwright', email, phone: '07700 900999', postcode: 'LE12 2BB' }
    : { firstName: 'Ottoline', lastName: 'Quennell', email, phone: '07700 900456', postcode: 'LE11 1AA' },
  eligibility: { code },
  children: [{
    firstName: childFirstName, lastName: other ? 'Arkwright' : 'Quennell', dateOfBirth: other ? '2016-07-09' : '2017-03-14',
    ...(other ? {} : { medicalNotes: 'asthma inhaler' }), sessionIds,
  }],
  consent: { dataProcessing: true },
});

const scanAll = () => scanTable(t.db, t.tableName);

beforeAll(async () => {
  t = await freshTable();
  deps = depsFor(t);
  const make = seed(deps);
  await make.programme('haf-christmas-2026');
  await make.provider('soar-valley');
  await make.agreement('haf-christmas-2026', 'soar-valley');
  await make.session('before', { date: '2026-12-22', capacity: 5 });
  await make.session('after', { date: '2026-12-30', capacity: 1 });
  await make.codes('haf-christmas-2026', ['PRIV-1', 'PRIV-2', 'PRIV-3'].map((code) => ({ code, outcome: 'eligible' as const })));
});
afterAll(async () => t?.drop());

describe('subject access and erasure', () => {
  it('reports everything held about a family, found by its email however it is written', async () => {
    const mine = await applyForHaf(deps, application('ottoline.q@example.org', 'Wilhelmina', 'PRIV-1', ['before', 'after']));
    await deps.messages.markSent({ dedupeKey: `application#${mine.reference}`, kind: 'application', reference: mine.reference, messageId: 'ses-1' }, new Date('2026-11-23T10:01:00Z'));
    // Another family, who must not appear.
    await applyForHaf(deps, application('someone.else@example.org', 'Ambrose', 'PRIV-2', ['before'], true));

    const report = await subjectAccess(deps, '  Ottoline.Q@Example.org ');
    expect(report.applications).toHaveLength(1);
    const [app] = report.applications;
    expect(app).toMatchObject({ reference: mine.reference, parent: { email: 'ottoline.q@example.org', phone: '07700 900456' }, eligibility: { via: 'code' } });
    expect(app!.children).toEqual([expect.objectContaining({ firstName: 'Wilhelmina', lastName: 'Quennell', dateOfBirth: '2017-03-14', medicalNotes: 'asthma inhaler' })]);
    expect(app!.children[0]!.bookings.map((b) => [b.sessionId, b.status, b.session?.date])).toEqual([['before', 'confirmed', '2026-12-22'], ['after', 'confirmed', '2026-12-30']]);
    expect(report.eligibilityClaims).toEqual([expect.objectContaining({ kind: 'code', id: 'PRIV-1', programmeId: 'haf-christmas-2026', claimedByReference: mine.reference })]);
    expect(report.emails).toEqual([{ kind: 'application', reference: mine.reference, sentAt: '2026-11-23T10:01:00.000Z', withheld: false }]);
    expect(JSON.stringify(report)).not.toContain('Ambrose');
  });

  it('erases the family: the future place goes to the child waiting, the past booking\'s count stays, the code stays used', async () => {
    const waiting = await applyForHaf(deps, application('waiting.family@example.org', 'Peregrine', 'PRIV-3', ['after'], true));
    expect(waiting.children[0]!.bookings[0]!.status).toBe('waitlisted');
    const later = afterTheFirstSession();
    const before = await later.catalogue.places(['before', 'after']);

    const audit = await erase(later, { email: 'ottoline.q@example.org', reason: 'erasure request received by post' }, 'admin-sub-1');
    expect(audit).toMatchObject({
      erasedBy: 'admin-sub-1', reason: 'erasure request received by post', erasedAt: '2026-12-24T10:00:00.000Z',
      erased: { application: 1, booking: 2, childDays: 1 }, cancelled: { place: 1 }, anonymised: { eligibilityCode: 1 },
    });
    expect(audit.emailDigest).not.toContain('ottoline');

    const after = await later.catalogue.places(['before', 'after']);
    expect(after.get('before')!.booked).toBe(before.get('before')!.booked); // the past day's count stays
    expect(after.get('after')!.booked).toBe(0); // the future place was given up
    await offerFreedPlaces(later, 'after', '2026-12-24T10:00:01Z');
    expect((await later.bookings.getBooking('after', waiting.children[0]!.bookings[0]!.bookingId))!.status).toBe('confirmed');

    const code = await t.db.send(new GetCommand({ TableName: t.tableName, Key: keys.code('PRIV-1', 'haf-christmas-2026') }));
    expect(code.Item!.claimedBy).toBe(`erased#${audit.erasureId}`);
    const everything = JSON.stringify(await scanAll());
    for (const personal of ['ottoline.q@example.org', 'Wilhelmina', 'Ottoline', 'Quennell', '2017-03-14', '07700 900456', 'asthma']) expect(everything).not.toContain(personal);
    // The other families are untouched.
    expect(everything).toContain('Ambrose');
    expect(everything).toContain('Peregrine');
    // The audit is kept, without a TTL.
    const kept = (await scanAll()).find((i) => i.entity === 'Erasure');
    expect(kept).toMatchObject({ erasureId: audit.erasureId });
    expect(kept).not.toHaveProperty('expiresAtEpoch');
  });

  it('a second identical request erases nothing more and answers the same; subject access then shows only the erasure', async () => {
    const later = afterTheFirstSession();
    const first = (await later.privacy.erasures((await import('../../shared/domain/people.ts')).familyKey('ottoline.q@example.org')))[0]!;
    const again = await erase(later, { email: 'ottoline.q@example.org', reason: 'erasure request received by post' }, 'admin-sub-1');
    expect(again).toEqual(first);
    const report = await subjectAccess(later, 'ottoline.q@example.org');
    expect(report).toMatchObject({ applications: [], eligibilityClaims: [], referrals: [], emails: [], erasures: [first] });
  });

  it('an email nobody gave is audited once, with nothing erased', async () => {
    const audit = await erase(deps, { email: 'nobody@example.org', reason: 'checked: nothing held' }, 'admin-sub-2');
    expect(audit).toMatchObject({ erased: {}, cancelled: {}, anonymised: {} });
    expect(await erase(deps, { email: 'nobody@example.org', reason: 'checked: nothing held' }, 'admin-sub-2')).toEqual(audit);
  });
});
