import { createHash } from 'node:crypto';
import { ageOn } from '../../domain/people.ts';
import type { PageResult, SiteSession } from '../../http/page-handler.ts';
import type { SchemeDeps } from '../../schemes/scheme.ts';
import { listProgrammes } from '../../services/catalogue.ts';
import type { SessionRecord } from '../../schemas/records.ts';
import type { SiteDraft } from '../draft.ts';

// What every step of the booking journey shares: where a parent who skipped a step is sent, and the
// programme and sessions as a page shows them.

export type SiteDeps = SchemeDeps;

/** HAF programmes taking bookings now. */
export async function openProgrammes(deps: SiteDeps) {
  return (await listProgrammes(deps, 'HAF')).filter((p) => p.bookingOpen);
}

type Step = 'programme' | 'eligibility' | 'parent' | 'children';

/** The first step this draft has not done, as a redirect, or undefined when everything before `needs` is done. */
export function missingStep(draft: SiteDraft, needs: Step[]): PageResult | undefined {
  if (needs.includes('programme') && !draft.programmeId) return { redirect: '/programmes' };
  if (needs.includes('eligibility') && draft.eligibility?.outcome !== 'eligible') return { redirect: draft.eligibility ? '/eligibility/result' : '/eligibility' };
  if (needs.includes('parent') && !draft.parent) return { redirect: '/your-details' };
  if (needs.includes('children') && !draft.children.some((c) => c.sessionIds.length)) return { redirect: '/children' };
  return undefined;
}

/** A draft that changes is a new booking: its next revision books under a new Idempotency-Key. */
export function changed(session: SiteSession) {
  session.draft.revision += 1;
  session.draft.booked = undefined;
}

/** The draft's Idempotency-Key: the same for every send of one revision, whichever request gets there first. */
export const bookingKey = (session: SiteSession) =>
  `site-${createHash('sha256').update(`${session.id}|${session.draft.revision}`).digest('base64url').slice(0, 32)}`;

/** 'check' when the parent came from "check your answers" (a `?change=1` link, then a hidden field). */
export const returnTo = (req: { query: unknown; form: Record<string, unknown> }): 'check' | undefined =>
  (req.query as { change?: string }).change === '1' || req.form.returnTo === 'check' ? 'check' : undefined;

/** After saving a step: back to check your answers if the parent came from there, else the next step. */
export const nextStep = (form: Record<string, unknown>, next: string): PageResult => ({ redirect: form.returnTo === 'check' ? '/check-answers' : next });

const longDateFormat = new Map<string, string>();
const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2026-12-21` → `Monday 21 December 2026`. */
export function longDate(iso: string): string {
  let s = longDateFormat.get(iso);
  if (!s) {
    const d = new Date(`${iso}T12:00:00Z`);
    s = `${days[d.getUTCDay()]} ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
    longDateFormat.set(iso, s);
  }
  return s;
}

/** A session as the pages show it. */
export const sessionView = (s: SessionRecord & { remaining?: number }) => ({
  id: s.id, title: s.title, date: s.date, when: `${longDate(s.date)}, ${s.startTime} to ${s.endTime}`,
  where: `${s.venue.name}, ${s.venue.postcode}`, district: s.venue.district, ages: `Ages ${s.ageMin} to ${s.ageMax}`,
  meal: s.mealProvided ? 'A free meal is provided' : 'Bring a packed lunch', send: s.sendSupport,
  remaining: s.remaining,
});

/** A child's age in whole years on the first day of the holiday: the sessions it can go to start there. */
export const ageForHoliday = (dateOfBirth: string, startDate: string) => ageOn(dateOfBirth, startDate);
