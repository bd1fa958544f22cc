import type { CouncilProfile } from '../../shared/council/profile.ts';
import { advanceDue } from '../../shared/domain/money.ts';
import { agreements, codePrefix, programmes, providers, sessions } from './demo-data.ts';

// A holiday under way for finance to look at, straight after `npm start`: families booked on the soonest
// programme through the public API, registers sent for its first two days, advances paid and one
// correction (a reversal and a re-post) in the ledger. Registers open only on a session's day, so they are
// sent with the handlers' clock moved to that afternoon (the stack's setClock), then put back: the
// registers' timestamps say that day. Invented families only; every call is safe to repeat (references,
// Idempotency-Keys and registers that replace what they name).

/** A call to the API: as the programme team without a token given, as nobody with `null` (the public API). */
type Call = (method: 'PUT' | 'POST', path: string, body: unknown, token?: string | null, headers?: Record<string, string>) => Promise<unknown>;

export interface FinanceDemoTools {
  mintToken(role: 'finance' | 'provider', providerId?: string): Promise<string>;
  setClock(at?: Date): void;
  drainStream(timeoutMs?: number): Promise<void>;
}

export interface FinanceDemoSummary { programmeId: string; applications: number; registers: number; payments: number; ms: number }

const firstNames = ['Ava', 'Noah', 'Isla', 'Leo', 'Maya', 'Ezra', 'Ruby', 'Kai', 'Elsie', 'Theo', 'Aria', 'Arlo', 'Nia', 'Otis', 'Ivy', 'Remi'];
const surnames = ['Ashdown', 'Brookfield', 'Carrowmore', 'Dunleigh', 'Elmstead', 'Fenwright', 'Greythorn', 'Hollins'];
const dayMs = 24 * 3600_000;

/** The demo families of a programme: one child each (two for every third family), nine and a bit on the first day. */
export function demoFamilies(council: CouncilProfile, now: Date) {
  const programme = programmes(now)[0]!;
  const all = providers(council);
  const dob = (months: number) => new Date(Date.parse(`${programme.input.startDate}T00:00:00Z`) - (9 * 365.25 + months * 30) * dayMs).toISOString().slice(0, 10);
  return Array.from({ length: all.length * 3 }, (_, f) => {
    const provider = all[f % all.length]!;
    const surname = surnames[f % surnames.length]!;
    const ids = programme.dates.slice(0, 3).map((date) => sessions(council, now).find((s) => s.input.programmeId === programme.id
      && s.input.providerId === provider.id && s.input.date === date)!.id);
    const kids = f % 3 === 0 ? 2 : 1;
    return {
      n: f + 1, providerId: provider.id, sessionIds: ids,
      parent: { firstName: 'Sam', lastName: surname, email: `demo-family-${f + 1}@example.org`, postcode: `${council.demo?.postcodeArea ?? 'ZZ'}1 1AA` },
      children: Array.from({ length: kids }, (_, k) => ({
        firstName: firstNames[(f * 2 + k) % firstNames.length]!, lastName: surname, dateOfBirth: dob(f % 10),
        ...((f + k) % 5 === 0 ? { sendNeeds: 'Needs a quiet space at lunch' } : {}),
      })),
      // Every fifth family was referred by a professional (a discretionary place).
      outcome: f % 5 === 4 ? 'discretionary' as const : 'eligible' as const,
    };
  });
}

export async function seedFinanceDemo(call: Call, council: CouncilProfile, now: Date, tools: FinanceDemoTools): Promise<FinanceDemoSummary> {
  const started = Date.now();
  const programme = programmes(now)[0]!;
  const families = demoFamilies(council, now);
  const code = (n: number) => `${codePrefix(programme.season)}-DEMO-${String(n).padStart(4, '0')}`;
  // Known codes, claimed at once by these families (a code another family has used is refused).
  await call('POST', '/v1/admin/eligibility-codes', { programmeId: programme.id, codes: families.map((f) => ({ code: code(f.n), outcome: f.outcome })) });
  const booked = new Map<string, { bookingId: string; sessionId: string; status: string }[]>();
  for (const f of families) {
    const created = await call('POST', '/v1/applications', {
      scheme: 'HAF', programmeId: programme.id, parent: f.parent, eligibility: { code: code(f.n) }, consent: { dataProcessing: true },
      children: f.children.map((c) => ({ ...c, sessionIds: f.sessionIds })),
    }, null, { 'idempotency-key': `demo-${programme.id}-family-${f.n}` }) as { children: { bookings: { bookingId: string; sessionId: string; status: string }[] }[] };
    booked.set(String(f.n), created.children.flatMap((c) => c.bookings));
  }

  // Registers for the first two days, each sent that afternoon (the clock moved, then put back).
  let registers = 0;
  for (const [d, date] of programme.dates.slice(0, 2).entries()) {
    tools.setClock(new Date(`${date}T15:00:00Z`));
    try {
      for (const p of providers(council)) {
        const sessionId = families.find((f) => f.providerId === p.id)?.sessionIds[d];
        const records = families.filter((f) => f.providerId === p.id).flatMap((f) => (booked.get(String(f.n)) ?? [])
          .filter((b) => b.sessionId === sessionId && b.status === 'confirmed')
          .map((b, k) => mark(f.n, k, d, b.bookingId)));
        if (!sessionId || records.length === 0) continue;
        await call('PUT', `/v1/provider/sessions/${sessionId}/attendance`, { records }, await tools.mintToken('provider', p.id));
        registers++;
      }
    } finally {
      tools.setClock();
    }
  }

  // Advances as each agreement allows; the first posted with a slip (an extra nought), reversed and posted again.
  const finance = await tools.mintToken('finance');
  const today = new Date().toISOString().slice(0, 10);
  let payments = 0;
  const pay = async (body: Record<string, unknown>) => {
    await call('POST', '/v1/finance/payments', { programmeId: programme.id, paidOn: today, ...body }, finance);
    payments++;
  };
  for (const [i, a] of agreements(council, now).filter((x) => x.programmeId === programme.id).entries()) {
    const amount = advanceDue(a.input);
    if (!amount) continue;
    const reference = `DEMO-${programme.id}-ADV-${i + 1}`;
    if (i === 0) {
      await pay({ providerId: a.providerId, amountPence: amount * 10, kind: 'advance', reference: `${reference}-SLIP` });
      await pay({ providerId: a.providerId, amountPence: amount * 10, kind: 'reversal', reverses: `${reference}-SLIP`, reference: `${reference}-REV` });
    }
    await pay({ providerId: a.providerId, amountPence: amount, kind: 'advance', reference });
  }
  // The figures come from the stream: finished before the stack says it is ready.
  await tools.drainStream(60_000);
  return { programmeId: programme.id, applications: families.length, registers, payments, ms: Date.now() - started };
}

/** The first family's child misses both days without a word (its later places are released); family 2 is off ill once. */
function mark(family: number, child: number, day: number, bookingId: string) {
  if (family === 1 && child === 0) return { bookingId, present: false };
  if (family === 2 && day === 0) return { bookingId, present: false, absenceReason: 'Unwell' };
  if (family === 3 && day === 1) return { bookingId, present: false };
  return { bookingId, present: true };
}
