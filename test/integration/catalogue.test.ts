import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CursorRefused, DomainError } from '../../shared/domain/errors.ts';
import { listSessions, loadEligibilityCodes } from '../../shared/services/catalogue.ts';
import type { Deps } from '../../shared/wiring.ts';
import { seed } from '../support/seed.ts';
import { depsFor, freshTable } from '../support/table.ts';

// The catalogue as the programme team keeps it (the catalogue service's rules) and as families browse it,
// against DynamoDB Local. Tests change the catalogue that others list, so each starts from a table of its own.

let t: Awaited<ReturnType<typeof freshTable>>;
let deps: Deps;
let make: ReturnType<typeof seed>;
const session = (id: string, o: Record<string, unknown> = {}) => make.session(id, o);
const list = (q: Record<string, unknown>) => listSessions({ ...deps, now: () => new Date(`${(q.today as string | undefined) ?? '2026-11-23'}T10:00:00Z`) },
  { limit: 50, ...q } as Parameters<typeof listSessions>[1]);

beforeEach(async () => {
  t = await freshTable();
  deps = depsFor(t);
  make = seed(deps);
  await make.programme('haf-christmas-2026');
  await make.programme('haf-easter-2027', { name: 'HAF Easter 2027', startDate: '2027-03-29', endDate: '2027-04-09' });
  await make.provider('soar-valley');
  await make.provider('wreake-kids', { name: 'Wreake Kids Club', districts: ['Melton'] });
});
afterEach(async () => t?.drop());

describe('programmes', () => {
  it('creates, then updates, and lists by scheme', async () => {
    const again = await make.programme('haf-christmas-2026', { maxDaysPerChild: 3 });
    expect(again.created).toBe(false);
    expect((await deps.catalogue.getProgramme('haf-christmas-2026'))?.maxDaysPerChild).toBe(3);
    expect((await deps.catalogue.listProgrammes('HAF')).map((p) => p.id)).toEqual(['haf-christmas-2026', 'haf-easter-2027']);
    expect(await deps.catalogue.listProgrammes('YOUTH_CARD')).toEqual([]);
  });

  it('drops an optional setting that an update leaves out', async () => {
    expect((await make.programme('haf-summer-2027', { startDate: '2027-07-26', endDate: '2027-08-27' })).value.discretionaryShare).toBe(0.1);
    await make.programme('haf-summer-2027', { startDate: '2027-07-26', endDate: '2027-08-27', discretionaryShare: undefined });
    expect((await deps.catalogue.getProgramme('haf-summer-2027'))?.discretionaryShare).toBeUndefined();
  });
});

describe('providers', () => {
  it('defaults the app client id to the provider id and finds the provider by it', async () => {
    expect((await deps.catalogue.getProvider('soar-valley'))?.clientId).toBe('soar-valley');
    expect((await deps.catalogue.findProviderByClientId('soar-valley'))?.id).toBe('soar-valley');
    expect(await deps.catalogue.findProviderByClientId('nobody')).toBeUndefined();
  });

  it('maps an app client id to exactly one provider, and releases the old one on change', async () => {
    await make.provider('wreake-kids', { clientId: 'app-client-wreake' });
    await expect(make.provider('soar-valley', { clientId: 'app-client-wreake' })).rejects.toMatchObject({ kind: 'invalid', issues: [{ path: 'clientId' }] });
    expect((await deps.catalogue.findProviderByClientId('app-client-wreake'))?.id).toBe('wreake-kids');
    expect(await deps.catalogue.findProviderByClientId('wreake-kids')).toBeUndefined();
  });
});

describe('agreements', () => {
  it('needs a real programme and provider', async () => {
    const err = await make.agreement('no-such', 'nor-this').catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err.issues.map((i: { path: string }) => i.path)).toEqual(['programmeId', 'providerId']);
    await make.agreement('haf-christmas-2026', 'soar-valley');
    expect(await deps.catalogue.listAgreements('haf-christmas-2026')).toMatchObject([{ providerId: 'soar-valley', ratePencePerChildDay: 2000 }]);
  });
});

describe('sessions', () => {
  beforeEach(async () => {
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
    const page = await list({ programme: 'haf-christmas-2026' });
    expect(page.items.map((s) => s.id)).toEqual(['xmas-crafts-1', 'xmas-football-1', 'xmas-melton-1']);
    expect(page.items.every((s) => s.remaining === 20)).toBe(true);
    expect(page.nextCursor).toBeUndefined();
  });

  it('filters by district, age, date and SEND support', async () => {
    const ids = async (q: Record<string, unknown>) => (await list(q)).items.map((s) => s.id);
    expect(await ids({ district: 'Melton' })).toEqual(['xmas-melton-1']);
    expect(await ids({ programme: 'haf-christmas-2026', district: 'Charnwood' })).toEqual(['xmas-crafts-1', 'xmas-football-1']);
    expect(await ids({ programme: 'haf-christmas-2026', age: 10 })).toEqual(['xmas-football-1', 'xmas-melton-1']);
    expect(await ids({ date: '2026-12-22' })).toEqual(['xmas-football-1']);
    expect(await ids({ sendSupport: true })).toEqual(['xmas-crafts-1']);
    expect(await ids({})).toEqual(['xmas-crafts-1', 'xmas-football-1', 'xmas-melton-1', 'easter-football-1']);
    expect(await ids({ today: '2027-01-01' })).toEqual(['easter-football-1']);
  });

  it('pages with an opaque cursor and refuses a cursor from another list', async () => {
    const first = await list({ programme: 'haf-christmas-2026', limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await list({ programme: 'haf-christmas-2026', limit: 2, cursor: first.nextCursor });
    expect(second.items.map((s) => s.id)).toEqual(['xmas-melton-1']);
    expect(second.nextCursor).toBeUndefined();
    await expect(list({ district: 'Melton', limit: 2, cursor: first.nextCursor })).rejects.toBeInstanceOf(CursorRefused);
    const forged = Buffer.from(JSON.stringify({ pk: 'PROVIDER#x' })).toString('base64url');
    await expect(list({ programme: 'haf-christmas-2026', limit: 2, cursor: forged })).rejects.toBeInstanceOf(CursorRefused);
    // Well formed and for this programme, but from a list without the date filter: outside this query's range.
    await expect(list({ programme: 'haf-christmas-2026', date: '2026-12-23', limit: 2, cursor: first.nextCursor })).rejects.toBeInstanceOf(CursorRefused);
  });

  it('updates in place: a new date moves the session in the listing, capacity changes remaining', async () => {
    const r = await session('xmas-football-1', { date: '2026-12-24', capacity: 12 });
    expect(r.created).toBe(false);
    expect(r.value.remaining).toBe(12);
    const page = await list({ programme: 'haf-christmas-2026' });
    expect(page.items.map((s) => s.id)).toEqual(['xmas-crafts-1', 'xmas-melton-1', 'xmas-football-1']);
  });
});

describe('eligibility codes', () => {
  it('loads codes for a real programme, de-duplicated', async () => {
    const load = (programmeId: string, codes: { code: string; outcome: 'eligible' | 'notEligible' }[]) =>
      loadEligibilityCodes(deps, { programmeId, codes });
    expect(await load('haf-christmas-2026', [{ code: 'HAF-0001', outcome: 'eligible' }, { code: 'HAF-0002', outcome: 'notEligible' }, { code: 'HAF-0001', outcome: 'eligible' }]))
      .toEqual({ programmeId: 'haf-christmas-2026', loaded: 2, unchanged: 0 });
    await expect(load('nope', [{ code: 'HAF-0003', outcome: 'eligible' }])).rejects.toMatchObject({ kind: 'invalid', issues: [{ path: 'programmeId' }] });
  });
});
