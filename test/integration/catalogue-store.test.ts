import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.ts';
import { AgreementInput, ProgrammeInput, ProviderInput, SessionInput } from '../../shared/schemas/catalogue.ts';
import { CatalogueStore } from '../../shared/store/catalogue.ts';
import * as f from '../support/fixtures.ts';
import { freshTable } from '../support/table.ts';

const now = '2026-11-23T10:00:00.000Z';
let t: Awaited<ReturnType<typeof freshTable>>;
let store: CatalogueStore;

const session = (id: string, o: Record<string, unknown> = {}) => store.putSession(id, SessionInput.parse(f.session(o)), now);

beforeAll(async () => {
  t = await freshTable();
  store = new CatalogueStore(t.db, t.tableName);
  await store.putProgramme('haf-christmas-2026', ProgrammeInput.parse(f.programme()), now);
  await store.putProgramme('haf-easter-2027', ProgrammeInput.parse(f.programme({ name: 'HAF Easter 2027', startDate: '2027-03-29', endDate: '2027-04-09' })), now);
  await store.putProvider('soar-valley', ProviderInput.parse(f.provider()), now);
  await store.putProvider('wreake-kids', ProviderInput.parse(f.provider({ name: 'Wreake Kids Club', districts: ['Melton'] })), now);
});
afterAll(async () => t?.drop());

describe('programmes', () => {
  it('creates, then updates, and lists by scheme', async () => {
    const again = await store.putProgramme('haf-christmas-2026', ProgrammeInput.parse(f.programme({ maxDaysPerChild: 3 })), now);
    expect(again.created).toBe(false);
    expect((await store.getProgramme('haf-christmas-2026'))?.maxDaysPerChild).toBe(3);
    expect((await store.listProgrammes('HAF')).map((p) => p.id)).toEqual(['haf-christmas-2026', 'haf-easter-2027']);
    expect(await store.listProgrammes('YOUTH_CARD')).toEqual([]);
  });

  it('drops an optional setting that an update leaves out', async () => {
    await store.putProgramme('haf-summer-2027', ProgrammeInput.parse(f.programme({ startDate: '2027-07-26', endDate: '2027-08-27' })), now);
    const { discretionaryShare, ...rest } = f.programme({ startDate: '2027-07-26', endDate: '2027-08-27' });
    await store.putProgramme('haf-summer-2027', ProgrammeInput.parse(rest), now);
    expect(discretionaryShare).toBe(0.1);
    expect((await store.getProgramme('haf-summer-2027'))?.discretionaryShare).toBeUndefined();
  });
});

describe('providers', () => {
  it('defaults the app client id to the provider id and finds the provider by it', async () => {
    expect((await store.getProvider('soar-valley'))?.clientId).toBe('soar-valley');
    expect((await store.findProviderByClientId('soar-valley'))?.id).toBe('soar-valley');
    expect(await store.findProviderByClientId('nobody')).toBeUndefined();
  });

  it('maps an app client id to exactly one provider, and releases the old one on change', async () => {
    await store.putProvider('wreake-kids', ProviderInput.parse(f.provider({ clientId: 'app-client-wreake' })), now);
    await expect(store.putProvider('soar-valley', ProviderInput.parse(f.provider({ clientId: 'app-client-wreake' })), now))
      .rejects.toMatchObject({ kind: 'invalid', issues: [{ path: 'clientId' }] });
    expect((await store.findProviderByClientId('app-client-wreake'))?.id).toBe('wreake-kids');
    expect(await store.findProviderByClientId('wreake-kids')).toBeUndefined();
  });
});

describe('agreements', () => {
  it('needs a real programme and provider', async () => {
    const err = await store.putAgreement('no-such', 'nor-this', AgreementInput.parse(f.agreement()), now).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err.issues.map((i: { path: string }) => i.path)).toEqual(['programmeId', 'providerId']);
    await store.putAgreement('haf-christmas-2026', 'soar-valley', AgreementInput.parse(f.agreement()), now);
    expect(await store.listAgreements('haf-christmas-2026')).toMatchObject([{ providerId: 'soar-valley', ratePencePerChildDay: 2000 }]);
  });
});

describe('sessions', () => {
  beforeAll(async () => {
    await session('xmas-football-1', { date: '2026-12-22' });
    await session('xmas-crafts-1', { title: 'Christmas Crafts', date: '2026-12-21', ageMin: 4, ageMax: 7, sendSupport: true });
    await session('xmas-melton-1', { providerId: 'wreake-kids', date: '2026-12-23', venue: { name: 'Melton Sports Village', postcode: 'LE13 0RS', district: 'Melton' } });
    await session('easter-football-1', { programmeId: 'haf-easter-2027', date: '2027-03-30' });
  });

  it('rejects references that do not exist and dates outside the programme, naming each field', async () => {
    const err = await session('bad', { programmeId: 'nope', providerId: 'nobody' }).catch((e) => e);
    expect(err.issues.map((i: { path: string }) => i.path)).toEqual(['programmeId', 'providerId']);
    const late = await session('bad', { date: '2027-02-01' }).catch((e) => e);
    expect(late.issues).toEqual([{ path: 'date', message: expect.stringContaining('2026-12-21') }]);
  });

  it('lists a programme in date order with remaining places', async () => {
    const page = await store.listSessions({ programmeId: 'haf-christmas-2026', limit: 50, today: '2026-11-23' });
    expect(page.items.map((s) => s.id)).toEqual(['xmas-crafts-1', 'xmas-football-1', 'xmas-melton-1']);
    expect(page.items.every((s) => s.remaining === 20)).toBe(true);
    expect(page.nextCursor).toBeUndefined();
  });

  it('filters by district, age, date and SEND support', async () => {
    const ids = async (q: Record<string, unknown>) =>
      (await store.listSessions({ limit: 50, today: '2026-11-23', ...q })).items.map((s) => s.id);
    expect(await ids({ district: 'Melton' })).toEqual(['xmas-melton-1']);
    expect(await ids({ programmeId: 'haf-christmas-2026', district: 'Charnwood' })).toEqual(['xmas-crafts-1', 'xmas-football-1']);
    expect(await ids({ programmeId: 'haf-christmas-2026', age: 10 })).toEqual(['xmas-football-1', 'xmas-melton-1']);
    expect(await ids({ date: '2026-12-22' })).toEqual(['xmas-football-1']);
    expect(await ids({ sendSupport: true })).toEqual(['xmas-crafts-1']);
    expect(await ids({})).toEqual(['xmas-crafts-1', 'xmas-football-1', 'xmas-melton-1', 'easter-football-1']);
    expect(await ids({ today: '2027-01-01' })).toEqual(['easter-football-1']);
  });

  it('pages with an opaque cursor and refuses a cursor from another list', async () => {
    const first = await store.listSessions({ programmeId: 'haf-christmas-2026', limit: 2, today: '2026-11-23' });
    expect(first.items).toHaveLength(2);
    const second = await store.listSessions({ programmeId: 'haf-christmas-2026', limit: 2, cursor: first.nextCursor, today: '2026-11-23' });
    expect(second.items.map((s) => s.id)).toEqual(['xmas-melton-1']);
    expect(second.nextCursor).toBeUndefined();
    await expect(store.listSessions({ district: 'Melton', limit: 2, cursor: first.nextCursor, today: '2026-11-23' }))
      .rejects.toMatchObject({ kind: 'invalid', issues: [{ path: 'cursor' }] });
    const forged = Buffer.from(JSON.stringify({ pk: 'PROVIDER#x' })).toString('base64url');
    await expect(store.listSessions({ programmeId: 'haf-christmas-2026', limit: 2, cursor: forged, today: '2026-11-23' }))
      .rejects.toMatchObject({ kind: 'invalid' });
    // Well formed and for this programme, but from a list without the date filter: outside this query's range.
    await expect(store.listSessions({ programmeId: 'haf-christmas-2026', date: '2026-12-23', limit: 2, cursor: first.nextCursor, today: '2026-11-23' }))
      .rejects.toMatchObject({ kind: 'invalid', issues: [{ path: 'cursor' }] });
  });

  it('updates in place: a new date moves the session in the listing, capacity changes remaining', async () => {
    const r = await session('xmas-football-1', { date: '2026-12-24', capacity: 12 });
    expect(r.created).toBe(false);
    expect(r.value.remaining).toBe(12);
    const page = await store.listSessions({ programmeId: 'haf-christmas-2026', limit: 50, today: '2026-11-23' });
    expect(page.items.map((s) => s.id)).toEqual(['xmas-crafts-1', 'xmas-melton-1', 'xmas-football-1']);
  });
});

describe('eligibility codes', () => {
  it('loads codes for a real programme, normalised and de-duplicated', async () => {
    const r = await store.loadEligibilityCodes({
      programmeId: 'haf-christmas-2026',
      codes: [{ code: 'HAF-0001', outcome: 'eligible' }, { code: 'HAF-0002', outcome: 'notEligible' }, { code: 'HAF-0001', outcome: 'eligible' }],
    }, now);
    expect(r).toEqual({ loaded: 2, unchanged: 0 });
    await expect(store.loadEligibilityCodes({ programmeId: 'nope', codes: [{ code: 'HAF-0003', outcome: 'eligible' }] }, now))
      .rejects.toMatchObject({ kind: 'invalid' });
  });
});
