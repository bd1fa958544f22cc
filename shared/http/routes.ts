import * as z from 'zod';
import {
  AgreementInput, Agreement, ChildMatchList, EligibilityCodeLoad, EligibilityCodeLoadResult, IdParam, Programme, ProgrammeInput,
  ProgrammeList, ProgrammeQuery, Provider, ProviderInput, SchemeList, Session, SessionInput, SessionList, SessionQuery,
} from '../schemas/catalogue.ts';
import { Slug } from '../schemas/common.ts';
import {
  ApplicationCreated, ApplicationInput, ApplicationView, BookingIdParam, CancellationResult, CheckIdParam, EligibilityCheck,
  EligibilityCheckInput, ManageTokenHeaders, ReferenceParam,
} from '../schemas/applications.ts';
import { AttendanceList, ProviderSessionList, ProviderSessionQuery, RegisterInput, RegisterResult } from '../schemas/provider.ts';
import { csvView, type CsvView } from './csv.ts';

// The route table: read by the CDK stack (routes, authorizer, throttling), the local gateway
// (the same routes over HTTP), each function's handler (validation) and the OpenAPI document.
// It imports schemas only, never handler code, so CDK and the gateway stay light.

export const functionNames = ['public-api', 'admin-api', 'provider-api'] as const;
export type FunctionName = (typeof functionNames)[number];

/** `public` needs no token; the others need a verified JWT carrying that role. */
export type Role = 'public' | 'admin' | 'finance' | 'provider';
export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface RouteDef {
  method: Method;
  path: string;
  fn: FunctionName;
  role: Role;
  operationId: string;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  /** Request headers the route reads (lower-case names), validated at the edge and documented. */
  headers?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  /** Statuses the route answers with on success, first is the usual one. */
  success?: readonly number[];
  /** Failure statuses beyond those the edge derives from the route's shape (e.g. 409 from a GET). */
  failures?: readonly number[];
  /**
   * A create that honours the Idempotency-Key header: `record` keeps the first answer at the edge and
   * gives it to a retry; `action` leaves it to the action, whose own first write is keyed on it.
   */
  idempotent?: 'record' | 'action';
  /** Steady-state requests per second and burst for this route (API Gateway stage throttling). */
  throttle?: { rate: number; burst: number };
  /** A list also served as CSV (`Accept: text/csv` or `?format=csv`); the edge owns the `format` parameter. */
  csv?: CsvView;
}

const define = <const T extends readonly RouteDef[]>(routes: T) => routes;

export const routes = define([
  // ── Public: parents and referrers ──
  { method: 'GET', path: '/v1/schemes', fn: 'public-api', role: 'public', operationId: 'listSchemes',
    summary: 'The schemes and their eligibility rules', response: SchemeList },
  { method: 'GET', path: '/v1/programmes', fn: 'public-api', role: 'public', operationId: 'listProgrammes',
    summary: 'Programmes with dates, booking window and days per child', query: ProgrammeQuery, response: ProgrammeList },
  { method: 'GET', path: '/v1/sessions', fn: 'public-api', role: 'public', operationId: 'listSessions',
    summary: 'Bookable sessions with remaining places (upcoming ones when no programme or date is given)',
    query: SessionQuery, response: SessionList, throttle: { rate: 500, burst: 1000 } },
  { method: 'POST', path: '/v1/eligibility-checks', fn: 'public-api', role: 'public', operationId: 'checkEligibility',
    summary: "Free school meal check of a parent (with DfE) or of a council-issued code", body: EligibilityCheckInput,
    response: EligibilityCheck, success: [201], idempotent: 'record', throttle: { rate: 100, burst: 200 } },
  { method: 'GET', path: '/v1/eligibility-checks/{checkId}', fn: 'public-api', role: 'public', operationId: 'getEligibilityCheck',
    summary: 'Ask again about a check that was pending', params: CheckIdParam, response: EligibilityCheck },
  { method: 'POST', path: '/v1/applications', fn: 'public-api', role: 'public', operationId: 'createApplication',
    summary: 'Sign up to a scheme: for HAF, book places for one or more children', body: ApplicationInput,
    response: ApplicationCreated, success: [201], idempotent: 'action', throttle: { rate: 200, burst: 400 } },
  { method: 'GET', path: '/v1/applications/{reference}', fn: 'public-api', role: 'public', operationId: 'getApplication',
    summary: "An application's bookings as they stand (needs the X-Manage-Token header)", params: ReferenceParam, headers: ManageTokenHeaders,
    response: ApplicationView, failures: [409] },
  { method: 'DELETE', path: '/v1/bookings/{bookingId}', fn: 'public-api', role: 'public', operationId: 'cancelBooking',
    summary: 'Cancel a place (needs the X-Manage-Token header); the next child on the waitlist is offered it',
    params: BookingIdParam, headers: ManageTokenHeaders, response: CancellationResult },
  { method: 'GET', path: '/v1/openapi.json', fn: 'public-api', role: 'public', operationId: 'getOpenApi',
    summary: 'This document' },

  // ── Admin: the programme team ──
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
    summary: 'Bulk load of council-issued eligibility codes', body: EligibilityCodeLoad, response: EligibilityCodeLoadResult, success: [200], idempotent: 'record' },

  // ── Provider: holiday club providers' own systems (scope `provider`) ──
  { method: 'GET', path: '/v1/provider/sessions', fn: 'provider-api', role: 'provider', operationId: 'listProviderSessions',
    summary: 'Your own sessions with capacity, places booked and waitlisted, and whether a register has been sent (JSON or CSV)',
    query: ProviderSessionQuery, response: ProviderSessionList,
    csv: csvView(ProviderSessionList, 'items', [
      'id', 'programmeId', 'title', 'date', 'startTime', 'endTime', 'venue.name', 'venue.postcode', 'venue.district', 'ageMin', 'ageMax',
      'mealProvided', 'sendSupport', 'capacity', 'booked', 'waitlisted', 'remaining', 'registerSent', 'registerSentAt',
    ], () => 'sessions.csv') },
  { method: 'GET', path: '/v1/provider/sessions/{sessionId}/attendance', fn: 'provider-api', role: 'provider', operationId: 'getAttendance',
    summary: 'The attendance list: one row per child with a confirmed place, with what you need on the day (JSON or CSV)',
    params: IdParam('sessionId'), response: AttendanceList,
    csv: csvView(AttendanceList, 'attendees', [
      'bookingId', 'reference', 'firstName', 'lastName', 'ageOnDay', 'sendNeeds', 'dietaryNeeds', 'medicalNotes', 'contactPhone', 'present',
    ], (p) => `attendance-${p.sessionId}.csv`) },
  { method: 'PUT', path: '/v1/provider/sessions/{sessionId}/attendance', fn: 'provider-api', role: 'provider', operationId: 'putRegister',
    summary: 'The register, on the day or after: who came. Sending it again replaces the marks it names',
    params: IdParam('sessionId'), body: RegisterInput, response: RegisterResult },
]);

export type Route = (typeof routes)[number];
export type OperationId = Route['operationId'];

/** API Gateway's route key, e.g. `GET /v1/sessions`. */
export const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

export const routesOf = (fn: FunctionName): readonly RouteDef[] => routes.filter((r) => r.fn === fn);
