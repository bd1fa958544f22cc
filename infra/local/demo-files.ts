import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SeedSummary } from './seed.ts';

// What `npm start` leaves in .local/ for the README's examples. Both are made from this start's demo data,
// through the public API as a caller would find them, so the examples work whatever the date: the demo's
// programmes are named by year and its codes are new at every start.

/** A child of nine (and a half) today: within the demo sessions' ages for the coming months. */
const nineYearsOld = (now: Date) => new Date(now.getTime() - 9.5 * 365.25 * 86_400_000).toISOString().slice(0, 10);

interface Session { id: string; date: string; remaining: number }

/**
 * `.local/demo-codes.txt` (one `CODE outcome` a line) and `.local/demo-application.json`: a HAF application
 * for the programme open for booking, with an unused eligible code and a session that has places. Returns
 * where the application went, or why there is none.
 */
export async function writeDemoFiles(dir: string, apiUrl: string, seeded: SeedSummary, now: Date): Promise<{ application?: string; missing?: string }> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'demo-codes.txt'), seeded.eligibilityCodes.map((c) => `${c.code} ${c.outcome}\n`).join(''));

  const code = seeded.eligibilityCodes.find((c) => c.outcome === 'eligible')?.code;
  const res = await fetch(`${apiUrl}/v1/sessions?programme=${encodeURIComponent(seeded.bookable)}&age=9&limit=200`);
  const sessions = res.ok ? ((await res.json()) as { items: Session[] }).items : [];
  const session = sessions.find((s) => s.remaining > 0);
  if (!code || !session) return { missing: !code ? 'no eligible code was made' : `no session of ${seeded.bookable} for a nine-year-old has places` };

  const application = {
    scheme: 'HAF', programmeId: seeded.bookable,
    parent: { firstName: 'Sam', lastName: 'Example', email: 'sam.example@example.org', phone: '07700 900123', postcode: 'LE19 4AD' },
    eligibility: { code },
    children: [{ firstName: 'Alex', lastName: 'Example', dateOfBirth: nineYearsOld(now), dietaryNeeds: 'vegetarian', sessionIds: [session.id] }],
    consent: { dataProcessing: true },
  };
  const file = join(dir, 'demo-application.json');
  await writeFile(file, `${JSON.stringify(application, null, 2)}\n`);
  return { application: file };
}
