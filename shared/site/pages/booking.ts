import { DomainError } from '../../domain/errors.ts';
import { personalDataKeptUntil } from '../../domain/programmes.ts';
import type { PageRequest, PageResult } from '../../http/page-handler.ts';
import type { SessionRecord } from '../../schemas/records.ts';
import { hasStarted, isLateCancellation } from '../../schemes/haf/plan.ts';
import { hafRules } from '../../schemes/haf/rules.ts';
import { cancelBooking, createApplication, viewApplication } from '../../services/applications.ts';
import { field, oneError, type FormErrors } from '../forms.ts';
import { bookingKey, longDate, missingStep, sessionView, type SiteDeps } from './journey.ts';

// Checking the answers and booking (one application, its Idempotency-Key kept with the draft, so a double
// tap or a retry books once), what was booked, and managing it later from the email's link.

interface ViewedBooking { bookingId: string; sessionId: string; status: string; reason?: string; waitlistPosition?: number }
interface ViewedApplication { reference: string; status: string; children: { childId: string; firstName?: string; bookings: ViewedBooking[] }[] }

/** A second send of the same draft while the first is still booking waits for the first's answer. */
async function bookOnce<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const stillBooking = error instanceof DomainError && error.kind === 'conflict' && error.retryAfterSeconds !== undefined;
      if (!stillBooking || attempt >= 4) throw error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

export const bookingPages = (deps: SiteDeps) => {
  const sessionsById = async (ids: string[]) => (await deps.catalogue.getSessionsWithPlaces(ids)).sessions;

  async function checkModel(req: PageRequest, errors?: FormErrors) {
    const draft = req.session.draft;
    const programme = await deps.catalogue.getProgramme(draft.programmeId!);
    const sessions = await sessionsById(draft.children.flatMap((c) => c.sessionIds));
    return {
      title: 'Check your answers before booking', backLink: '/children', programme, parent: draft.parent, eligibility: draft.eligibility,
      keptUntil: programme ? longDate(personalDataKeptUntil(programme)) : undefined,
      children: draft.children.map((c, i) => ({
        ...c, n: i + 1, dateOfBirthText: longDate(c.dateOfBirth).replace(/^\w+ /, ''),
        sessions: c.sessionIds.map((id) => sessions.get(id)).filter((s): s is SessionRecord => !!s).map(sessionView),
      })),
      errors,
    };
  }

  /** An application with each booking's session, as the confirmation and manage pages show it. */
  async function applicationModel(app: ViewedApplication, now: Date) {
    const sessions = await sessionsById(app.children.flatMap((c) => c.bookings.map((b) => b.sessionId)));
    return app.children.map((c, i) => ({
      firstName: c.firstName ?? `Child ${i + 1}`,
      bookings: c.bookings.map((b) => {
        const s = sessions.get(b.sessionId);
        return {
          ...b, session: s && sessionView(s),
          canCancel: (b.status === 'confirmed' || b.status === 'waitlisted') && s !== undefined && !hasStarted(s, now),
        };
      }),
    }));
  }

  return {
    checkAnswersPage: async (req: PageRequest): Promise<PageResult> => {
      const draft = req.session.draft;
      if (draft.booked) return { redirect: '/confirmation' };
      return missingStep(draft, ['programme', 'eligibility', 'parent', 'children']) ?? { view: 'pages/check-answers', model: await checkModel(req) };
    },

    book: async (req: PageRequest): Promise<PageResult> => {
      const { draft } = req.session;
      // A second press, or the browser sending the form again: the booking was made once, show it.
      if (draft.booked) return { redirect: '/confirmation' };
      const missing = missingStep(draft, ['programme', 'eligibility', 'parent', 'children']);
      if (missing) return missing;
      if (field(req.form, 'consent') !== 'yes') {
        return { view: 'pages/check-answers', status: 400, model: await checkModel(req, oneError('consent', 'Confirm that you agree to us using this information to book the places', 'consent')) };
      }
      const body = {
        scheme: 'HAF', programmeId: draft.programmeId, parent: draft.parent, eligibility: { checkId: draft.eligibility!.checkId },
        children: draft.children, consent: { dataProcessing: true },
      };
      try {
        const created = await bookOnce(() => createApplication(deps, body, { requestKey: bookingKey(req.session), client: req.client }));
        draft.booked = { reference: created.reference };
        req.session.manage[created.reference] = created.manageToken;
        return { redirect: '/confirmation' };
      } catch (error) {
        if (error instanceof DomainError && error.kind === 'invalid') {
          const about = (path: string) => (path.startsWith('eligibility') ? 'your free school meals code or check' : path.startsWith('programmeId') ? 'the holiday' : 'a detail');
          const text = error.issues.map((i) => `${about(i.path)} ${i.message}`).join('; ');
          return { view: 'pages/check-answers', status: 400, model: await checkModel(req, oneError('consent', `We could not book these places: ${text}`, 'consent')) };
        }
        throw error;
      }
    },

    confirmationPage: async (req: PageRequest): Promise<PageResult> => {
      const reference = req.session.draft.booked?.reference;
      const token = reference && req.session.manage[reference];
      if (!reference || !token) return { redirect: '/' };
      const app = (await viewApplication(deps, reference, token)) as ViewedApplication;
      return { view: 'pages/confirmation', model: {
        title: 'What we have booked', reference, manageToken: token, email: req.session.draft.parent?.email, status: app.status,
        children: await applicationModel(app, deps.now()),
      } };
    },

    managePage: async (req: PageRequest): Promise<PageResult> => {
      const { reference } = req.params as { reference: string };
      const token = req.session.manage[reference];
      if (!token) return { view: 'pages/manage-code', model: { title: 'Enter your manage code', reference } };
      const app = (await viewApplication(deps, reference, token)) as ViewedApplication;
      return { view: 'pages/manage', model: { title: 'Your bookings', reference, children: await applicationModel(app, deps.now()) } };
    },

    openApplication: async (req: PageRequest): Promise<PageResult> => {
      const { reference } = req.params as { reference: string };
      const code = field(req.form, 'manageCode');
      const refuse = (text: string): PageResult => ({ view: 'pages/manage-code', status: 400, model: { title: 'Enter your manage code', reference, errors: oneError('manageCode', text) } });
      if (!code) return refuse('Enter the manage code from your confirmation email');
      try {
        await viewApplication(deps, reference, code);
      } catch (error) {
        // A wrong code and an unknown reference look the same, as in the API.
        if (error instanceof DomainError && (error.kind === 'notFound' || error.kind === 'invalid')) return refuse('The manage code does not match this booking reference. Check your confirmation email');
        throw error;
      }
      req.session.manage[reference] = code;
      return { redirect: `/applications/${encodeURIComponent(reference)}` };
    },

    cancelPage: async (req: PageRequest): Promise<PageResult> => {
      const { reference, bookingId } = req.params as { reference: string; bookingId: string };
      const token = req.session.manage[reference];
      if (!token) return { redirect: `/applications/${encodeURIComponent(reference)}` };
      const app = (await viewApplication(deps, reference, token)) as ViewedApplication;
      const children = await applicationModel(app, deps.now());
      const found = children.flatMap((c) => c.bookings.map((b) => ({ ...b, firstName: c.firstName }))).find((b) => b.bookingId === bookingId);
      if (!found?.canCancel) return { redirect: `/applications/${encodeURIComponent(reference)}` };
      const sessions = await sessionsById([found.sessionId]);
      const late = found.status === 'confirmed' && isLateCancellation(sessions.get(found.sessionId)!, deps.now());
      return { view: 'pages/cancel', model: { title: `Cancel ${found.firstName}'s place`, reference, booking: found, late, lateHours: hafRules.lateCancellationHours, backLink: `/applications/${encodeURIComponent(reference)}` } };
    },

    cancelPlace: async (req: PageRequest): Promise<PageResult> => {
      const { reference, bookingId } = req.params as { reference: string; bookingId: string };
      const token = req.session.manage[reference];
      if (!token) return { redirect: `/applications/${encodeURIComponent(reference)}` };
      const back = `/applications/${encodeURIComponent(reference)}`;
      try {
        await cancelBooking(deps, bookingId, token);
        req.session.flash = 'The place is cancelled. We have emailed you to confirm.';
      } catch (error) {
        if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
        req.session.flash = error.message;
      }
      return { redirect: back };
    },
  };
};
