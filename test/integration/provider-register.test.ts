import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvRecords } from '../support/csv.ts';
import { providerWorld } from '../support/provider-world.ts';
import { freshTable } from '../support/table.ts';

// PUT /v1/provider/sessions/{sessionId}/attendance through the handler, against DynamoDB Local:
// the register opens on the day, names only confirmed bookings, and replaces what it names.
// Every test sends registers, so each gets a world of its own: none sees another's registers.

let t: Awaited<ReturnType<typeof freshTable>>;
let w: Awaited<ReturnType<typeof providerWorld>>;
const onTheDay = '2026-12-22T15:00:00.000Z';
const presence = (r: { json: { attendees: { present: boolean | null }[] } }) => r.json.attendees.map((a) => a.present);

beforeEach(async () => {
  t = await freshTable();
  w = await providerWorld(t);
});
afterEach(async () => t?.drop());

describe('the register', () => {
  it('keeps the reason for an absence and shows it on the list; a mark present drops it, and a reason for a child present is a 422', async () => {
    const obrien = w.ids['obrien@football-1222']!;
    expect((await w.putRegister('football-1222', [{ bookingId: obrien, present: false, absenceReason: 'Unwell' }], onTheDay)).statusCode).toBe(200);
    const row = async () => (await w.getAttendance('football-1222')).json.attendees.find((a: { bookingId: string }) => a.bookingId === obrien);
    expect(await row()).toMatchObject({ present: false, absenceReason: 'Unwell' });
    expect((await w.deps.attendance.registerSubmissions('football-1222'))[0]!.records).toEqual([{ bookingId: obrien, present: false, explained: true }]);
    expect((await w.putRegister('football-1222', [{ bookingId: obrien, present: true }], onTheDay)).statusCode).toBe(200);
    expect((await row()).absenceReason).toBeUndefined();
    const both = await w.putRegister('football-1222', [{ bookingId: obrien, present: true, absenceReason: 'Unwell' }], onTheDay);
    expect(both.json.errors).toEqual([{ path: 'records.0.absenceReason', message: 'is only for a child who was absent' }]);
  });

  it('409 before the session’s day', async () => {
    const r = await w.putRegister('football-1222', [{ bookingId: w.ids['obrien@football-1222'], present: true }], '2026-12-21T23:59:00Z');
    expect(r.statusCode).toBe(409);
    expect(r.json.detail).toMatch(/2026-12-22/);
  });

  it('422 naming each record that is not a confirmed booking on the session, and nothing is saved', async () => {
    const wrong = [
      { bookingId: w.ids['obrien@football-1222'], present: true },
      { bookingId: w.ids['leaving@football-1222'], present: true }, // cancelled
      { bookingId: w.ids['elsewhere@wreake-1222'], present: true }, // another provider's session
      { bookingId: w.ids['formula@crafts-1223'], present: true }, // the same child, another session
      { bookingId: w.ids['queued@football-1222'], present: false }, // waitlisted
      { bookingId: 'HAF-NOSUCH99-1-1', present: false },
    ];
    const r = await w.putRegister('football-1222', wrong, onTheDay);
    expect(r.statusCode).toBe(422);
    expect(r.json.errors.map((e: { path: string }) => e.path)).toEqual(
      ['records.1.bookingId', 'records.2.bookingId', 'records.3.bookingId', 'records.4.bookingId', 'records.5.bookingId']);
    const malformed = await w.putRegister('football-1222', [...wrong, { bookingId: 'not-a-booking', present: 'yes' }], onTheDay);
    expect(malformed.json.errors.map((e: { path: string }) => e.path)).toEqual(['records.6.bookingId', 'records.6.present']);
    expect((await w.getAttendance('football-1222')).json.summary.unrecorded).toBe(4);
    expect(await w.deps.attendance.registerSubmissions('football-1222')).toEqual([]);
  });

  it('422 for an empty register and for a booking named twice', async () => {
    expect((await w.putRegister('football-1222', [], onTheDay)).json.errors[0].path).toBe('records');
    const obrien = w.ids['obrien@football-1222'];
    const twice = await w.putRegister('football-1222', [{ bookingId: obrien, present: true }, { bookingId: obrien, present: false }], onTheDay);
    expect(twice.statusCode).toBe(422);
    expect(twice.json.errors).toEqual([{ path: 'records.1.bookingId', message: 'appears more than once' }]);
  });

  it('is saved, and the list and the sessions then show it; sending again replaces what it names', async () => {
    const first = await w.putRegister('football-1222', [
      { bookingId: w.ids['obrien@football-1222'], present: true }, { bookingId: w.ids['formula@football-1222'], present: false },
      { bookingId: w.ids['zoe@football-1222'], present: true },
    ], onTheDay);
    expect(first.statusCode).toBe(200);
    expect(first.json).toEqual({
      sessionId: 'football-1222', registerSentAt: onTheDay, recorded: 3, summary: { attendees: 4, present: 2, absent: 1, unrecorded: 1 },
    });
    const list = await w.getAttendance('football-1222');
    expect(presence(list)).toEqual([false, true, true, null]);
    expect(list.json.session.registerSentAt).toBe(onTheDay);
    expect((await w.listSessions()).json.items[0]).toMatchObject({ registerSent: true, registerSentAt: onTheDay });

    const later = '2026-12-22T17:30:00.000Z';
    const again = await w.putRegister('football-1222', [{ bookingId: w.ids['formula@football-1222'], present: true }], later);
    expect(again.json.summary).toEqual({ attendees: 4, present: 3, absent: 0, unrecorded: 1 });
    expect(presence(await w.getAttendance('football-1222'))).toEqual([true, true, true, null]);
    const csv = csvRecords((await w.getAttendance('football-1222', { query: { format: 'csv' } })).body!);
    expect(csv.map((r) => r.present)).toEqual(['true', 'true', 'true', '']);

    // Finance sees each register: who sent it, when, and what it claimed.
    const sentBy = { providerId: 'soar-valley', clientId: 'soar-valley-client' };
    const history = await w.deps.attendance.registerSubmissions('football-1222');
    expect(history.map((h) => [h.sentAt, h.sentBy, h.records])).toEqual([
      [onTheDay, sentBy, expect.arrayContaining([{ bookingId: w.ids['formula@football-1222'], present: false }])],
      [later, sentBy, [{ bookingId: w.ids['formula@football-1222'], present: true }]],
    ]);
  });

  it('is open after the day too, for a register sent late', async () => {
    const r = await w.putRegister('football-1222', [
      { bookingId: w.ids['formula@football-1222'], present: true }, { bookingId: w.ids['obrien@football-1222'], present: true },
      { bookingId: w.ids['zoe@football-1222'], present: true }, { bookingId: w.ids['waiting@football-1222'], present: false },
    ], '2027-01-04T09:00:00Z');
    expect(r.statusCode).toBe(200);
    expect(r.json.summary).toEqual({ attendees: 4, present: 3, absent: 1, unrecorded: 0 });
  });
});
