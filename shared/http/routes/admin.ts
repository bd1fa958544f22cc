import * as z from 'zod/mini';
import {
  Agreement, AgreementInput, ChildMatchList, IdParam, Programme, ProgrammeInput, Provider, ProviderInput, Session, SessionInput,
} from '../../schemas/catalogue.ts';
import { Slug } from '../../schemas/common.ts';
import { EligibilityCodeLoad, EligibilityCodeLoadResult } from '../../schemas/eligibility.ts';
import { ErasureAudit, ErasureRequest, SubjectAccessReport, SubjectAccessRequest } from '../../schemas/privacy.ts';
import { define } from '../route.ts';

/** The programme team (group `admin`). */
export const adminRoutes = define([
  { method: 'PUT', path: '/v1/admin/programmes/{programmeId}', fn: 'admin-api', role: 'admin', operationId: 'putProgramme',
    summary: 'Create or update a programme', params: IdParam('programmeId'), body: ProgrammeInput, response: Programme, success: [200, 201] },
  { method: 'PUT', path: '/v1/admin/providers/{providerId}', fn: 'admin-api', role: 'admin', operationId: 'putProvider',
    summary: 'Create or update a provider', params: IdParam('providerId'), body: ProviderInput, response: Provider, success: [200, 201] },
  { method: 'PUT', path: '/v1/admin/programmes/{programmeId}/agreements/{providerId}', fn: 'admin-api', role: 'admin',
    operationId: 'putAgreement', summary: "Create or update a provider's grant agreement for a programme",
    params: z.object({ programmeId: Slug, providerId: Slug }), body: AgreementInput, response: Agreement, success: [200, 201] },
  { method: 'PUT', path: '/v1/admin/sessions/{sessionId}', fn: 'admin-api', role: 'admin', operationId: 'putSession',
    summary: 'Create or update a session', params: IdParam('sessionId'), body: SessionInput, response: Session, success: [200, 201] },
  { method: 'GET', path: '/v1/admin/programmes/{programmeId}/child-matches', fn: 'admin-api', role: 'admin', operationId: 'listChildMatches',
    summary: 'Children booked by more than one family (same name and date of birth): each family has its own days, so look into these',
    params: IdParam('programmeId'), response: ChildMatchList },
  { method: 'POST', path: '/v1/admin/eligibility-codes', fn: 'admin-api', role: 'admin', operationId: 'loadEligibilityCodes',
    summary: 'Bulk load of council-issued eligibility codes, or codes made here', body: EligibilityCodeLoad, response: EligibilityCodeLoadResult,
    success: [200], idempotent: 'record' },
  // Privacy operations (docs/decisions/011)
  { method: 'POST', path: '/v1/admin/subject-access-requests', fn: 'admin-api', role: 'admin', operationId: 'subjectAccessRequest',
    summary: 'Everything held about one family, by its email: HAF applications, children, bookings, eligibility claims, referrals, cards, emails sent',
    body: SubjectAccessRequest, response: SubjectAccessReport, success: [200] },
  { method: 'POST', path: '/v1/admin/erasure-requests', fn: 'admin-api', role: 'admin', operationId: 'erasureRequest',
    summary: "Erase a family's personal data now (places to come are given up first); the anonymous counts stay; answers with the audit of it",
    body: ErasureRequest, response: ErasureAudit, success: [200], idempotent: 'record' },
]);
