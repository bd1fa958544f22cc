import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords, parseCsv } from '../support/csv.ts';
import { claims } from '../support/events.ts';
import { providerWorld, wreake } from '../support/provider-world.ts';
import { freshTable } from '../support/table.ts';

// The provider API's reads through the handler, against DynamoDB Local: who may call, the
// provider's own sessions, and the attendance list as JSON and as CSV.

let t: Awaited<ReturnType<typeof freshTable>>;
let w: Awaited<ReturnType<typeof providerWorld>>;
const onTheDay = '2026-12-22T15:00:00.000Z';

beforeAll(async () => {
  t = await freshTable();
  w = await providerWorld(t);
});
afterAll(async () => t?.drop());

describe('who may call', () => {
  it('401 without a token, 403 for staff roles and for a client no provider holds', async () => {
    expect((await w.listSessions({}, { claims: {} })).statusCode).toBe(401);
    expect((await w.getAttendance('football-1222', { claims: {} })).statusCode).toBe(401);
    expect((await w.getAttendance('football-1222', { claims: claims.finance })).statusCode).toBe(403);
    expect((await w.getAttendance('football-1222', { claims: claims.admin })).statusCode).toBe(403);
    const stranger = await w.getAttendance('football-1222', { claims: claims.provider('nobody-client') });
    expect(stranger.statusCode).toBe(403);
    expect(stranger.json.detail).toMatch(/not registered to a provider/);
    const record = [{ bookingId: w.ids['obrien@football-1222'], present: true }];
    expect((await w.putRegister('football-1222', record, onTheDay, claims.provider('nobody-client'))).statusCode).toBe(403);
  });

  it('404 for another provider’s session, the same as for no session at all, with none of its data', async () => {
    const theirs = await w.getAttendance('football-1222', { claims: wreake });
    const none = await w.getAttendance('no-such-session', { claims: wreake });
    expect([theirs.statusCode, none.statusCode]).toEqual([404, 404]);
    expect(theirs.body).toBe(none.body);
    expect(theirs.body).not.toMatch(/O'Brien|Able|Festive/);
    const register = await w.putRegister('football-1222', [{ bookingId: w.ids['obrien@football-1222'], present: true }], onTheDay, wreake);
    expect(register.statusCode).toBe(404);
  });
});

describe('GET /v1/provider/sessions', () => {
  const idsOf = (r: { json: { items: { id: string }[] } }) => r.json.items.map((s) => s.id);

  it('lists only the provider’s own sessions with places booked, waitlisted and left', async () => {
    const r = await w.listSessions();
    expect(r.statusCode).toBe(200);
    expect(idsOf(r)).toEqual(['football-1222', 'crafts-1223']);
    expect(r.json.items[0]).toMatchObject({ capacity: 4, booked: 4, waitlisted: 1, remaining: 0, registerSent: false, title: 'Festive Football & Lunch' });
    expect(r.json.items[1]).toMatchObject({ capacity: 20, booked: 1, waitlisted: 0, remaining: 19 });
    expect(idsOf(await w.listSessions({ programme: 'haf-easter-2027' }))).toEqual([]);
    expect(idsOf(await w.listSessions({ programme: 'haf-christmas-2026', date: '2026-12-23' }))).toEqual(['crafts-1223']);
    expect(idsOf(await w.listSessions({ date: '2026-12-22' }))).toEqual(['football-1222']);
  });

  it('pages with limit and cursor', async () => {
    const first = await w.listSessions({ limit: '1' });
    expect(first.json.items).toHaveLength(1);
    const second = await w.listSessions({ limit: '1', cursor: first.json.nextCursor });
    expect(idsOf(second)).toEqual(['crafts-1223']);
    expect(second.json.nextCursor).toBeUndefined();
  });

  it('comes as CSV too, with the next page’s cursor in a header', async () => {
    const r = await w.listSessions({ format: 'csv', limit: '1' });
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['x-next-cursor']).toEqual(expect.any(String));
    expect(csvRecords(r.body!)).toEqual([expect.objectContaining({
      id: 'football-1222', 'venue.postcode': 'LE11 3HA', booked: '4', waitlisted: '1', remaining: '0', registerSent: 'false', registerSentAt: '',
    })]);
  });
});

describe('GET /v1/provider/sessions/{sessionId}/attendance', () => {
  it('has one row per confirmed child, by last name, with what the provider needs on the day', async () => {
    const r = await w.getAttendance('football-1222');
    expect(r.statusCode).toBe(200);
    expect(r.json.session).toMatchObject({ id: 'football-1222', date: '2026-12-22', startTime: '09:30', venue: { name: 'Loughborough Leisure Centre' } });
    expect(r.json.session.registerSentAt).toBeUndefined();
    expect(r.json.summary).toEqual({ attendees: 4, present: 0, absent: 0, unrecorded: 4 });
    expect(r.json.attendees.map((a: { lastName: string }) => a.lastName)).toEqual(['Able', 'Nguyễn', `O'Brien`, 'Waiting']);
    const obrien = w.ids['obrien@football-1222']!;
    expect(r.json.attendees[2]).toEqual({
      bookingId: obrien, reference: obrien.split('-').slice(0, 2).join('-'), firstName: 'Jo', lastName: `O'Brien`, ageOnDay: 9,
      sendNeeds: 'Ear defenders, "quiet" room', contactPhone: '07700 900123', present: null,
    });
    // No date of birth, email, cancelled or waitlisted child.
    expect(r.body).not.toMatch(/dateOfBirth|2016-12-23|Cancelled|Queued|@example/);
  });

  it('comes as CSV by Accept or ?format=csv, and every name survives as text', async () => {
    const byAccept = await w.getAttendance('football-1222', { headers: { accept: 'text/csv' } });
    const byQuery = await w.getAttendance('football-1222', { query: { format: 'csv' } });
    expect(byAccept.statusCode).toBe(200);
    expect(byAccept.body).toBe(byQuery.body);
    expect(byAccept.headers).toMatchObject({
      'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="attendance-football-1222.csv"', vary: 'accept',
    });
    expect(parseCsv(byAccept.body!)[0]).toEqual(
      ['bookingId', 'reference', 'firstName', 'lastName', 'ageOnDay', 'sendNeeds', 'dietaryNeeds', 'medicalNotes', 'contactPhone', 'present', 'absenceReason']);
    const rows = csvRecords(byAccept.body!);
    expect(rows.map((r) => r.lastName)).toEqual(['Able', 'Nguyễn', `O'Brien`, 'Waiting']);
    // Text a spreadsheet would run comes back with a leading apostrophe, and nothing else changes.
    expect(rows[0]).toMatchObject({ firstName: 'Ada', dietaryNeeds: `'=HYPERLINK("http://x","y"), no nuts`, contactPhone: "'+44 7700 900456", present: '' });
    expect(rows[1]).toMatchObject({ firstName: 'Zoë', medicalNotes: "'-inhaler in bag", ageOnDay: '9' });
    expect(rows[2]).toMatchObject({ firstName: 'Jo', sendNeeds: 'Ear defenders, "quiet" room', bookingId: w.ids['obrien@football-1222'] });
    const json = await w.getAttendance('football-1222', { query: { format: 'json' }, headers: { accept: 'text/csv' } });
    expect(json.json.attendees).toHaveLength(4);
  });

  it('422 for a format it does not have; problems stay JSON when CSV was asked for', async () => {
    const r = await w.getAttendance('football-1222', { query: { format: 'xlsx' } });
    expect(r.statusCode).toBe(422);
    expect(r.json.errors).toEqual([{ path: 'format', message: expect.any(String) }]);
    const missing = await w.getAttendance('no-such-session', { headers: { accept: 'text/csv' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
