import * as z from 'zod/mini';
import { familyKey, normaliseName } from '../../domain/people.ts';
import type { PageRequest, PageResult } from '../../http/page-handler.ts';
import { fieldErrors } from '../../http/problem.ts';
import { built, lazily } from '../../schemas/lazily.ts';
import { Parent } from '../../schemas/people.ts';
import { ChildRequest } from '../../schemes/haf/input.ts';
import { dateField, dateParts, field, formErrors, oneError } from '../forms.ts';
import { changed, missingStep, nextStep, returnTo, type SiteDeps } from './journey.ts';

// The parent's details and each child's: the same schemas as POST /v1/applications checks them with, so a
// form says what the API would and keeps what was typed.

const ChildDetails = lazily(() => z.omit(built(ChildRequest), { sessionIds: true }));

const parentFields = {
  firstName: { name: 'firstName', label: 'First name' }, lastName: { name: 'lastName', label: 'Last name' },
  email: { name: 'email', label: 'Email address' }, phone: { name: 'phone', label: 'Phone number' }, postcode: { name: 'postcode', label: 'Postcode' },
};
const childFields = {
  firstName: { name: 'firstName', label: 'First name' }, lastName: { name: 'lastName', label: 'Last name' },
  dateOfBirth: { name: 'dateOfBirth', label: 'Date of birth', id: 'dateOfBirth-day' },
  sendNeeds: { name: 'sendNeeds', label: 'Special educational needs or disabilities' },
  dietaryNeeds: { name: 'dietaryNeeds', label: 'Food needs' }, medicalNotes: { name: 'medicalNotes', label: 'Medical needs' },
};
const maxChildren = 8;

export const familyPages = (deps: SiteDeps) => ({
  parentPage: async (req: PageRequest): Promise<PageResult> => {
    const draft = req.session.draft;
    const values = draft.parent ?? { lastName: draft.eligibility?.lastName };
    return missingStep(draft, ['programme', 'eligibility']) ?? { view: 'pages/parent', model: { title: 'Your details', backLink: '/eligibility', values, returnTo: returnTo(req) } };
  },

  saveParent: async (req: PageRequest): Promise<PageResult> => {
    const draft = req.session.draft;
    const values = Object.fromEntries(Object.keys(parentFields).map((k) => [k, field(req.form, k)]));
    const parsed = Parent.safeParse(values);
    const errors = parsed.success ? [] : fieldErrors(parsed.error.issues);
    // A DfE check is bound to the surname it was made with: the application must name the same parent.
    const checked = draft.eligibility?.via === 'check' ? draft.eligibility.lastName : undefined;
    if (parsed.success && checked && normaliseName(parsed.data.lastName) !== normaliseName(checked)) {
      errors.push({ path: 'lastName', message: `must be the last name you gave for the free school meals check (${checked})` });
    }
    // A code belongs to the family that first booked with it, known by its email address: a parent who
    // used another address before is told so here, rather than having every place refused.
    const code = draft.eligibility?.via === 'code' ? draft.eligibility.code : undefined;
    if (parsed.success && code && draft.programmeId) {
      const held = await deps.eligibility.getCode(code, draft.programmeId);
      if (held?.claimedBy && held.claimedBy !== familyKey(parsed.data.email)) {
        errors.push({ path: 'email', message: 'is not the one this code was first used with. Use the email address you booked with before, or contact us if the code is yours and you have not used it' });
      }
    }
    if (errors.length) {
      return { view: 'pages/parent', status: 400, model: { title: 'Your details', backLink: '/eligibility', values, errors: formErrors(errors, parentFields), returnTo: returnTo(req) } };
    }
    draft.parent = parsed.data;
    changed(req.session);
    return nextStep(req.form, draft.children.length ? '/children' : '/children/1');
  },

  childrenPage: async (req: PageRequest): Promise<PageResult> => {
    const draft = req.session.draft;
    const missing = missingStep(draft, ['programme', 'eligibility', 'parent']);
    if (missing) return missing;
    if (!draft.children.length) return { redirect: '/children/1' };
    return { view: 'pages/children', model: { title: 'Your children', backLink: '/your-details', children: draft.children, canAdd: draft.children.length < maxChildren } };
  },

  childrenAction: async (req: PageRequest): Promise<PageResult> => {
    const draft = req.session.draft;
    const action = field(req.form, 'action') ?? '';
    const remove = /^remove-(\d)$/.exec(action);
    if (remove) {
      draft.children.splice(Number(remove[1]) - 1, 1);
      changed(req.session);
      return { redirect: draft.children.length ? '/children' : '/children/1' };
    }
    if (action === 'add' && draft.children.length < maxChildren) return { redirect: `/children/${draft.children.length + 1}` };
    const without = draft.children.findIndex((c) => !c.sessionIds.length);
    if (without >= 0) {
      return { view: 'pages/children', status: 400, model: {
        title: 'Your children', backLink: '/your-details', children: draft.children, canAdd: draft.children.length < maxChildren,
        errors: oneError('children', `Choose at least one session for ${draft.children[without]!.firstName}`, `child-${without + 1}`),
      } };
    }
    return { redirect: '/check-answers' };
  },

  childPage: async (req: PageRequest): Promise<PageResult> => {
    const draft = req.session.draft;
    const missing = missingStep(draft, ['programme', 'eligibility', 'parent']);
    if (missing) return missing;
    const n = (req.params as { child: number }).child;
    if (n > draft.children.length + 1) return { redirect: '/children' };
    const child = draft.children[n - 1];
    return { view: 'pages/child', model: { title: 'Your child\'s details', backLink: draft.children.length ? '/children' : '/your-details', n, values: { ...child, dateOfBirth: dateParts(child?.dateOfBirth) }, returnTo: returnTo(req) } };
  },

  saveChild: async (req: PageRequest): Promise<PageResult> => {
    const draft = req.session.draft;
    const n = (req.params as { child: number }).child;
    if (n > draft.children.length + 1) return { redirect: '/children' };
    const typed = {
      firstName: field(req.form, 'firstName'), lastName: field(req.form, 'lastName'), dateOfBirth: dateField(req.form, 'dateOfBirth'),
      sendNeeds: field(req.form, 'sendNeeds'), dietaryNeeds: field(req.form, 'dietaryNeeds'), medicalNotes: field(req.form, 'medicalNotes'),
    };
    const parsed = ChildDetails.safeParse(typed);
    if (!parsed.success) {
      return { view: 'pages/child', status: 400, model: {
        title: 'Your child\'s details', backLink: '/children', n, values: { ...typed, dateOfBirth: dateParts(typed.dateOfBirth) },
        errors: formErrors(fieldErrors(parsed.error.issues), childFields), returnTo: returnTo(req),
      } };
    }
    const before = draft.children[n - 1];
    draft.children[n - 1] = { ...parsed.data, sessionIds: before?.sessionIds ?? [] };
    changed(req.session);
    return req.form.returnTo === 'check' && before?.sessionIds.length ? { redirect: '/check-answers' } : { redirect: `/children/${n}/sessions` };
  },
});
