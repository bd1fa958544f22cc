import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.ts';
import { dateInLondon } from '../../shared/domain/calendar.ts';
import { csvRecords } from '../support/csv.ts';

// A provider's day on the local stack, over real HTTP with real tokens: a session today, a
// child booked through the public API, then the provider pulls its list (JSON and CSV), sends
// the register and pulls again. The session is today, booked with the stack's clock set to yesterday
// (a session that has started cannot be booked), and the register sent today (it needs the day to have come).

let stack: LocalStack;
let admin: string;
const today = dateInLondon(new Date());
const sessionPath = '/v1/provider/sessions/e2e-today-games/attendance';

const call = (path: string, init: RequestInit & { token?: string } = {}) => fetch(`${stack.url}${path}`, {
  ...init,
  headers: {
    ...(init.body ? { 'content-type': 'application/json' } : {}),
    ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    ...(init.headers as Record<string, string> | undefined),
  },
});
const send = (method: string, path: string, body: unknown, token?: string) =>
  call(path, { method, body: JSON.stringify(body), ...(token ? { token } : {}) });

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, dynamoPort: 0, sesPort: 0, seed: false, quiet: true });
  admin = await stack.mintToken('admin');
  const hour = 3600_000;
  const setup = await Promise.all([
    send('PUT', '/v1/admin/programmes/e2e-today', { scheme: 'HAF', name: 'HAF registers today', startDate: today, endDate: today,
      bookingOpensAt: new Date(Date.now() - 48 * hour).toISOString(), bookingClosesAt: new Date(Date.now() + hour).toISOString() }, admin),
    send('PUT', '/v1/admin/providers/e2e-anstey-play', { name: 'Anstey Play Rangers', contactEmail: 'e2e-anstey@example.org',
      districts: ['Charnwood'], clientId: 'e2e-anstey-client' }, admin),
    send('PUT', '/v1/admin/providers/e2e-birstall-kids', { name: 'Birstall Kids Club', contactEmail: 'e2e-birstall@example.org',
      districts: ['Charnwood'], clientId: 'e2e-birstall-client' }, admin),
  ]);
  expect(setup.map((r) => r.status)).toEqual([201, 201, 201]);
  expect((await send('PUT', '/v1/admin/sessions/e2e-today-games', { programmeId: 'e2e-today', providerId: 'e2e-anstey-play',
    title: 'Games & Lunch', date: today, startTime: '10:00', endTime: '14:00',
    venue: { name: 'Anstey Brook Hall', postcode: 'LE7 7XX', district: 'Charnwood' }, ageMin: 5, ageMax: 11, capacity: 10,
    mealProvided: true, sendSupport: false }, admin)).status).toBe(201);
  expect((await send('POST', '/v1/admin/eligibility-codes', { programmeId: 'e2e-today', codes: [{ code: 'E2E-REG-1', outcome: 'eligible' }] }, admin)).status).toBe(200);
  // The child was booked yesterday (a session that has started cannot be booked); today is the session's day.
  stack.setClock(new Date(Date.now() - 24 * 3600_000));
  const applied = await send('POST', '/v1/applications', {
    scheme: 'HAF', programmeId: 'e2e-today', eligibility: { code: 'E2E-REG-1' }, consent: { dataProcessing: true },
    parent: { firstName: 'Sam', lastName: 'Example', email: 'e2e-register@example.org', phone: '07700 900321', postcode: 'LE7 7AA' },
    children: [{ firstName: 'Jo', lastName: `O'Brien-Smith`, dateOfBirth: '2017-05-01', medicalNotes: '=HYPERLINK("http://x","y"), "inhaler"', sessionIds: ['e2e-today-games'] }],
  });
  stack.setClock();
  expect(applied.status).toBe(201);
  expect(((await applied.json()) as { status: string }).status).toBe('confirmed');
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('a provider’s day', () => {
  it('pulls the list as JSON and CSV, sends the register, and then sees who came', async () => {
    const token = await stack.mintToken('provider', 'e2e-anstey-play');
    const before = await call(sessionPath, { token });
    expect(before.status).toBe(200);
    const { attendees } = (await before.json()) as { attendees: { bookingId: string; lastName: string; present: boolean | null }[] };
    expect(attendees).toEqual([expect.objectContaining({ lastName: `O'Brien-Smith`, present: null })]);

    const csv = await call(`${sessionPath}?format=csv`, { token });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csvRecords(await csv.text())).toEqual([expect.objectContaining({
      firstName: 'Jo', lastName: `O'Brien-Smith`, medicalNotes: `'=HYPERLINK("http://x","y"), "inhaler"`, contactPhone: '07700 900321', present: '',
    })]);

    const register = await send('PUT', sessionPath, { records: [{ bookingId: attendees[0]!.bookingId, present: true }] }, token);
    expect(register.status).toBe(200);
    expect(await register.json()).toMatchObject({ summary: { attendees: 1, present: 1, absent: 0, unrecorded: 0 } });

    const after = await call(sessionPath, { token, headers: { accept: 'text/csv' } });
    expect(csvRecords(await after.text())[0]).toMatchObject({ present: 'true' });
    const sessions = await call(`/v1/provider/sessions?programme=e2e-today&date=${today}`, { token });
    expect(((await sessions.json()) as { items: unknown[] }).items).toEqual([expect.objectContaining({ id: 'e2e-today-games', booked: 1, registerSent: true })]);
  });

  it('shows another provider nothing: 404, as for a session that does not exist', async () => {
    const other = await stack.mintToken('provider', 'e2e-birstall-kids');
    const res = await call(sessionPath, { token: other });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/O'Brien/);
  });

  it('refuses callers without a provider token: 401 with none, 403 for finance', async () => {
    expect((await call(sessionPath)).status).toBe(401);
    expect((await call(sessionPath, { token: await stack.mintToken('finance') })).status).toBe(403);
  });
});
