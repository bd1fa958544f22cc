import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.ts';

// Any council can run it: the whole stack under an invented council's profile (Wessex Vale, made up)
// shows that council's districts, name and contact details, and nothing of Leicestershire's anywhere a
// caller can see: the catalogue, the OpenAPI document, the schemes, the demo data and the emails.

const profile = readFileSync(new URL('../support/councils/wessex-vale.json', import.meta.url), 'utf8');
// As `npm start -- --council <file>` and the CDK app do: the profile reaches the handlers before they load.
process.env.COUNCIL_PROFILE = JSON.stringify(JSON.parse(profile));

const leicestershire = /Leicester|Blaby|Charnwood|Harborough|Hinckley|Bosworth|Melton|Oadby|Wigston|Loughborough|\bLE\d/i;
let stack: LocalStack;
const get = async (path: string) => {
  const res = await fetch(`${stack.url}${path}`);
  const text = await res.text();
  // Everything a caller is shown is searched for Leicestershire's names.
  expect(text.match(leicestershire)).toBeNull();
  return { status: res.status, text, json: JSON.parse(text) as Record<string, unknown> };
};

beforeAll(async () => {
  const { startLocalStack } = await import('../../infra/local/stack.ts');
  stack = await startLocalStack({ port: 0, dynamoPort: 0, sesPort: 0, seed: true, quiet: true });
}, 120_000);
afterAll(async () => stack?.stop(), 60_000);

describe('a second council', () => {
  it('serves its own districts and demo providers', async () => {
    const programme = stack.seeded!.bookable;
    const { json } = await get(`/v1/sessions?programme=${programme}&limit=200`);
    const items = json.items as { venue: { district: string; postcode: string } }[];
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((s) => s.venue.district))).toEqual(new Set(['Ashcombe', 'Brindle Moor', 'Carrow Vale', 'Dunstan Marsh']));
    expect(items.every((s) => s.venue.postcode.startsWith('WV'))).toBe(true);
    expect((await get(`/v1/sessions?district=carrow%20vale&limit=200`)).json.items).not.toEqual([]);
    // A district of another council is not one of this council's.
    expect((await get('/v1/sessions?district=Melton')).status).toBe(422);
  });

  it('documents its districts, and only its, in the OpenAPI document and the schemes', async () => {
    expect((await get('/v1/openapi.json')).text).toContain('Brindle Moor');
    expect((await get('/v1/schemes')).text.length).toBeGreaterThan(500);
    expect((await get('/v1/programmes')).text).toContain(stack.seeded!.bookable);
  });

  it('signs its emails with its own name and contact details', async () => {
    const codes = stack.seeded!.eligibilityCodes.filter((c) => c.outcome === 'eligible');
    const { json } = await get(`/v1/sessions?programme=${stack.seeded!.bookable}&limit=1`);
    const [session] = json.items as { id: string; ageMin: number }[];
    const dob = `${new Date().getUTCFullYear() - session!.ageMin - 1}-03-01`;
    const res = await fetch(`${stack.url}/v1/applications`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        scheme: 'HAF', programmeId: stack.seeded!.bookable, eligibility: { code: codes[0]!.code }, consent: { dataProcessing: true },
        parent: { firstName: 'Rowan', lastName: 'Tester', email: 'rowan.tester@example.org', postcode: 'WV1 1AA' },
        children: [{ firstName: 'Ash', lastName: 'Tester', dateOfBirth: dob, sessionIds: [session!.id] }],
      }),
    });
    expect(res.status).toBe(201);
    await stack.drainStream(30_000);
    const store = await (await fetch(`${stack.sesUrl}/store`)).json() as { emails: { from: string; subject: string; body: { text: string } }[] };
    const [email] = store.emails;
    expect(email?.from).toBe('"Wessex Vale Holiday Clubs" <holiday-clubs@family-services.example.gov.uk>');
    expect(email?.body.text).toContain('the family help team at Wessex Vale District Council');
    expect(email?.body.text).toContain('holiday-help@wessex-vale.example.gov.uk');
    expect(JSON.stringify(store).match(leicestershire)).toBeNull();
  });

  it('made its demo data from its own profile: provider records name only its districts', async () => {
    const token = await stack.mintToken('provider', stack.seeded!.providers[0]!);
    const res = await fetch(`${stack.url}/v1/provider/sessions?limit=200`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toMatch(/Ashcombe|Brindle Moor|Carrow Vale|Dunstan Marsh/);
    expect(text.match(leicestershire)).toBeNull();
  });
});
