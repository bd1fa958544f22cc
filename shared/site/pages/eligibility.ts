import { CheckerUnavailable } from '../../domain/eligibility.ts';
import { DomainError } from '../../domain/errors.ts';
import type { PageRequest, PageResult } from '../../http/page-handler.ts';
import { DateOfBirth, PersonName } from '../../schemas/common.ts';
import { AsylumSupportNumber, EligibilityCode, NationalInsuranceNumber } from '../../schemas/eligibility.ts';
import { checkEligibility, refreshCheck } from '../../services/eligibility.ts';
import { dateField, dateParts, field, formErrors, oneError, type FormErrors } from '../forms.ts';
import { changed, longDate, missingStep, openProgrammes, type SiteDeps } from './journey.ts';

// Choosing a holiday, and showing the family can get free school meals: a code from school or the council,
// or the parent's details checked with DfE. What a check answered is explained in plain words, with what
// to do next, never as an error code.

const problemsOf = (error: unknown) => (error instanceof DomainError && error.kind === 'invalid' ? error.issues : undefined);

/** Checking services that do not answer are a page that says so, on the form, with the answers kept. */
const unavailable = (name: string): FormErrors => oneError(name, 'We could not reach the free school meals checking service. Wait a few minutes and try again, or use a code from your child\'s school.');

export const eligibilityPages = (deps: SiteDeps) => {
  const programmesModel = async (req: PageRequest, errors?: FormErrors) => ({
    title: 'Which holiday do you want to book?', backLink: '/', errors,
    items: (await openProgrammes(deps)).map((p) => ({
      value: p.id, text: p.name, id: `programmeId-${p.id}`, checked: p.id === req.session.draft.programmeId,
      hint: { text: `Clubs run from ${longDate(p.startDate)} to ${longDate(p.endDate)}.${p.maxDaysPerChild ? ` Up to ${p.maxDaysPerChild} days for each child.` : ''}` },
    })),
  });
  const detailsModel = (values: Record<string, unknown>, errors?: FormErrors) => ({ title: 'Check with your details', backLink: '/eligibility', values, errors });

  return {
    programmesPage: async (req: PageRequest): Promise<PageResult> => ({ view: 'pages/programmes', model: await programmesModel(req) }),

    chooseProgramme: async (req: PageRequest): Promise<PageResult> => {
      const chosen = field(req.form, 'programmeId');
      const open = await openProgrammes(deps);
      if (!chosen || !open.some((p) => p.id === chosen)) {
        return { view: 'pages/programmes', status: 400, model: await programmesModel(req, oneError('programmeId', 'Select the holiday you want to book', `programmeId-${open[0]?.id ?? ''}`)) };
      }
      const draft = req.session.draft;
      // Another holiday is another booking: its children and sessions start again; the parent's details stay.
      if (draft.programmeId !== chosen || draft.booked) {
        draft.programmeId = chosen;
        draft.children = [];
        changed(req.session);
      }
      return { redirect: draft.eligibility?.outcome === 'eligible' ? (draft.parent ? '/children' : '/your-details') : '/eligibility' };
    },

    eligibilityPage: async (req: PageRequest): Promise<PageResult> =>
      missingStep(req.session.draft, ['programme']) ?? { view: 'pages/eligibility', model: { title: 'How will you show you can get free school meals?', backLink: '/programmes' } },

    chooseEligibilityRoute: async (req: PageRequest): Promise<PageResult> => {
      const how = field(req.form, 'how');
      if (how === 'code') return { redirect: '/eligibility/code' };
      if (how === 'details') return { redirect: '/eligibility/details' };
      return { view: 'pages/eligibility', status: 400, model: { title: 'How will you show you can get free school meals?', backLink: '/programmes', errors: oneError('how', 'Select how you will show you can get free school meals', 'how-code') } };
    },

    codePage: async (req: PageRequest): Promise<PageResult> =>
      missingStep(req.session.draft, ['programme']) ?? { view: 'pages/code', model: { title: 'Enter your code', backLink: '/eligibility', values: {} } },

    checkCode: async (req: PageRequest): Promise<PageResult> => {
      const raw = field(req.form, 'code');
      const render = (errors: FormErrors, status = 400): PageResult => ({ view: 'pages/code', status, model: { title: 'Enter your code', backLink: '/eligibility', values: { code: raw }, errors } });
      const code = EligibilityCode.safeParse(raw);
      if (!code.success) return render(formErrors(code.error.issues.map((i) => ({ path: 'code', message: i.message })), { code: { name: 'code', label: 'Code' } }));
      try {
        const check = await checkEligibility(deps, { code: code.data }, req.client);
        // A code is for one holiday: one for another is said here, not after the parent has filled everything in.
        const programmeId = req.session.draft.programmeId!;
        if (check.outcome === 'eligible' && !(await deps.eligibility.getCode(code.data, programmeId))) {
          const programme = await deps.catalogue.getProgramme(programmeId);
          return render(oneError('code', `This code is for a different holiday, not ${programme?.name ?? 'this one'}. Check you chose the right holiday, or ask your child's school for the code for this one`));
        }
        req.session.draft.eligibility = { via: 'code', checkId: check.checkId, outcome: check.outcome, code: code.data };
        changed(req.session);
        return { redirect: check.outcome === 'eligible' ? '/your-details' : '/eligibility/result' };
      } catch (error) {
        const issues = problemsOf(error);
        if (issues) return render(formErrors(issues, { code: { name: 'code', label: 'Code' } }));
        throw error;
      }
    },

    detailsCheckPage: async (req: PageRequest): Promise<PageResult> =>
      missingStep(req.session.draft, ['programme']) ?? { view: 'pages/details-check', model: detailsModel({ dateOfBirth: dateParts(undefined) }) },

    checkDetails: async (req: PageRequest): Promise<PageResult> => {
      const values = {
        lastName: field(req.form, 'lastName'), dateOfBirth: dateParts(dateField(req.form, 'dateOfBirth')),
        ni: field(req.form, 'nationalInsuranceNumber'), nass: field(req.form, 'nationalAsylumSeekerServiceNumber'),
      };
      const lastName = PersonName.safeParse(values.lastName);
      const dateOfBirth = DateOfBirth.safeParse(dateField(req.form, 'dateOfBirth'));
      const number = values.nass && !values.ni ? AsylumSupportNumber.safeParse(values.nass) : NationalInsuranceNumber.safeParse(values.ni);
      const issues = [
        ...(lastName.success ? [] : lastName.error.issues.map((i) => ({ path: 'lastName', message: i.message }))),
        ...(dateOfBirth.success ? [] : dateOfBirth.error.issues.map((i) => ({ path: 'dateOfBirth', message: i.message }))),
        ...(number.success ? [] : number.error.issues.map((i) => ({ path: values.nass && !values.ni ? 'nass' : 'ni', message: i.message }))),
        ...(values.ni && values.nass ? [{ path: 'nass', message: 'is not needed when you give a National Insurance number: leave one of them empty' }] : []),
      ];
      const labels = {
        lastName: { name: 'lastName', label: 'Last name' }, dateOfBirth: { name: 'dateOfBirth', label: 'Date of birth', id: 'dateOfBirth-day' },
        ni: { name: 'nationalInsuranceNumber', label: 'National Insurance number' }, nass: { name: 'nationalAsylumSeekerServiceNumber', label: 'Asylum support reference' },
      };
      if (issues.length) return { view: 'pages/details-check', status: 400, model: detailsModel(values, formErrors(issues, labels)) };
      const identity = values.nass && !values.ni
        ? { lastName: lastName.data!, dateOfBirth: dateOfBirth.data!, nationalAsylumSeekerServiceNumber: number.data! }
        : { lastName: lastName.data!, dateOfBirth: dateOfBirth.data!, nationalInsuranceNumber: number.data! };
      try {
        const check = await checkEligibility(deps, identity, req.client);
        // The NI or asylum support number goes no further than this request: only the outcome is kept.
        req.session.draft.eligibility = { via: 'check', checkId: check.checkId, outcome: check.outcome, lastName: lastName.data };
        changed(req.session);
        return { redirect: check.outcome === 'eligible' ? '/your-details' : '/eligibility/result' };
      } catch (error) {
        if (error instanceof CheckerUnavailable) {
          return { view: 'pages/details-check', status: 503, headers: { 'retry-after': String(error.retryAfterSeconds ?? 30) }, model: detailsModel({ ...values, ni: undefined, nass: undefined }, unavailable('lastName')) };
        }
        const found = problemsOf(error);
        if (found) return { view: 'pages/details-check', status: 400, model: detailsModel(values, formErrors(found, labels)) };
        throw error;
      }
    },

    eligibilityResultPage: async (req: PageRequest): Promise<PageResult> => {
      const e = req.session.draft.eligibility;
      if (!e) return { redirect: '/eligibility' };
      if (e.outcome === 'eligible') return { redirect: '/your-details' };
      return { view: 'pages/eligibility-result', model: { title: resultTitle[e.outcome as keyof typeof resultTitle] ?? 'We could not confirm free school meals', outcome: e.outcome, via: e.via, backLink: '/eligibility' } };
    },

    askAgain: async (req: PageRequest): Promise<PageResult> => {
      const e = req.session.draft.eligibility;
      if (!e) return { redirect: '/eligibility' };
      try {
        const check = await refreshCheck(deps, e.checkId);
        e.outcome = check.outcome;
      } catch (error) {
        // A check that ran out is asked again from the start.
        if (error instanceof DomainError && error.kind === 'notFound') req.session.draft.eligibility = undefined;
        else if (!(error instanceof CheckerUnavailable)) throw error;
      }
      return { redirect: req.session.draft.eligibility?.outcome === 'eligible' ? '/your-details' : '/eligibility/result' };
    },
  };
};

const resultTitle = {
  pending: 'We are still checking',
  notEligible: 'Your child cannot get a free place',
  parentNotFound: 'We could not find your details',
} as const;
