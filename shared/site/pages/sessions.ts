import { council } from '../../council/profile.ts';
import type { PageRequest, PageResult } from '../../http/page-handler.ts';
import { listSessions } from '../../services/catalogue.ts';
import { fields, oneError, type FormErrors } from '../forms.ts';
import { ageForHoliday, changed, longDate, missingStep, returnTo, sessionView, type SiteDeps } from './journey.ts';

// Choosing a child's sessions: those of the holiday its age fits, with the places left, filtered by district
// and day. Two sessions on one day, or more days than the holiday allows, are said here, before booking.

interface Filters { district?: string; date?: string }

/** Every day of the holiday, for the day filter. */
function daysOf(startDate: string, endDate: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${startDate}T12:00:00Z`); out.length < 60 && d.toISOString().slice(0, 10) <= endDate; d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

export const sessionPages = (deps: SiteDeps) => {
  async function model(req: PageRequest, n: number, filters: Filters, chosen: string[], errors?: FormErrors) {
    const draft = req.session.draft;
    const child = draft.children[n - 1]!;
    const programme = (await deps.catalogue.getProgramme(draft.programmeId!))!;
    const age = ageForHoliday(child.dateOfBirth, programme.startDate);
    const districts = council().districts;
    const district = filters.district && districts.includes(filters.district) ? filters.district : undefined;
    const page = await listSessions(deps, { programme: programme.id, age, limit: 200, ...(district ? { district } : {}), ...(filters.date ? { date: filters.date } : {}) });
    const maxDays = programme.maxDaysPerChild;
    return {
      title: `Choose sessions for ${child.firstName}`, backLink: `/children/${n}`, n, child, age, maxDays,
      daysLeft: maxDays === undefined ? undefined : Math.max(0, maxDays - chosen.length),
      sessions: page.items.map((s) => ({ ...sessionView(s), chosen: chosen.includes(s.id) })),
      more: page.nextCursor !== undefined,
      filters: { district, date: filters.date }, districts, days: daysOf(programme.startDate, programme.endDate).map((d) => ({ value: d, text: longDate(d) })),
      errors, returnTo: returnTo(req),
    };
  }

  return {
    sessionsPage: async (req: PageRequest): Promise<PageResult> => {
      const draft = req.session.draft;
      const missing = missingStep(draft, ['programme', 'eligibility', 'parent']);
      if (missing) return missing;
      const n = (req.params as { child: number }).child;
      if (!draft.children[n - 1]) return { redirect: '/children' };
      return { view: 'pages/sessions', model: await model(req, n, req.query as Filters, draft.children[n - 1]!.sessionIds) };
    },

    saveSessions: async (req: PageRequest): Promise<PageResult> => {
      const draft = req.session.draft;
      const n = (req.params as { child: number }).child;
      const child = draft.children[n - 1];
      if (!child || !draft.programmeId) return { redirect: '/children' };
      // The sessions this page showed are replaced by what was ticked; those chosen under another filter stay.
      const shown = new Set(fields(req.form, 'shown'));
      const ticked = fields(req.form, 'sessionIds').filter((id) => shown.has(id));
      const chosen = [...new Set([...child.sessionIds.filter((id) => !shown.has(id)), ...ticked])];
      const { sessions } = await deps.catalogue.getSessionsWithPlaces(chosen);
      const programme = (await deps.catalogue.getProgramme(draft.programmeId))!;
      const known = chosen.filter((id) => sessions.get(id)?.programmeId === programme.id);
      const dates = known.map((id) => sessions.get(id)!.date);
      const clash = dates.find((d, i) => dates.indexOf(d) !== i);
      const filters = req.query as Filters;
      const again = (errors: FormErrors): Promise<PageResult> => model(req, n, filters, known, errors).then((m) => ({ view: 'pages/sessions', status: 400, model: m }));
      if (!known.length) return again(oneError('sessionIds', `Choose at least one session for ${child.firstName}`, 'sessionIds'));
      if (clash) return again(oneError('sessionIds', `Choose only one session on ${longDate(clash)}: ${child.firstName} can go to one club a day`, 'sessionIds'));
      if (programme.maxDaysPerChild !== undefined && known.length > programme.maxDaysPerChild) {
        return again(oneError('sessionIds', `Choose ${programme.maxDaysPerChild} sessions or fewer: that is the most days each child can have this holiday`, 'sessionIds'));
      }
      child.sessionIds = known.sort((a, b) => sessions.get(a)!.date.localeCompare(sessions.get(b)!.date));
      changed(req.session);
      return { redirect: req.form.returnTo === 'check' ? '/check-answers' : '/children' };
    },
  };
};
