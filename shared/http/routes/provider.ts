import { ReferenceParam } from '../../schemas/applications.ts';
import { IdParam } from '../../schemas/catalogue.ts';
import { AttendanceList, ProviderSessionList, ProviderSessionQuery, RegisterInput, RegisterResult } from '../../schemas/provider.ts';
import { FamilyQuery, FamilyStatusInput, ProviderFamily, ProviderFamilyList } from '../../schemes/active-families/input.ts';
import { CardNumberParam, DeskCard, VisitRecorded } from '../../schemes/youth-card/input.ts';
import { ProgrammeParam, Statement, statementColumns } from '../../schemas/finance.ts';
import { csvView } from '../csv.ts';
import { define } from '../route.ts';

/** Holiday club providers' own systems (scope `provider`). */
export const providerRoutes = define([
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
      'absenceReason',
    ], (p) => `attendance-${p.sessionId}.csv`) },
  { method: 'PUT', path: '/v1/provider/sessions/{sessionId}/attendance', fn: 'provider-api', role: 'provider', operationId: 'putRegister',
    summary: 'The register, on the day or after: who came. Sending it again replaces the marks it names',
    params: IdParam('sessionId'), body: RegisterInput, response: RegisterResult },
  // Active Families: the families placed with this provider, and how each one's place goes.
  { method: 'GET', path: '/v1/provider/families', fn: 'provider-api', role: 'provider', operationId: 'listFamilies',
    summary: 'Your Active Families families: first names, ages, needs and a contact number (JSON or CSV)', query: FamilyQuery, response: ProviderFamilyList,
    csv: csvView(ProviderFamilyList, 'items', [
      'reference', 'programmeId', 'status', 'district', 'assignedAt', 'parentFirstName', 'contactPhone', 'contactEmail', 'membersText', 'referrerOrganisation',
      'startedAt', 'finishedAt', 'withdrawnAt',
    ], () => 'families.csv') },
  { method: 'PUT', path: '/v1/provider/families/{reference}', fn: 'provider-api', role: 'provider', operationId: 'putFamilyStatus',
    summary: "A family's place: started, finished or withdrawn; finishing or withdrawing gives the place to the next family waiting",
    params: ReferenceParam, body: FamilyStatusInput, response: ProviderFamily },
  // The Youth Card at the desk.
  { method: 'GET', path: '/v1/provider/youth-cards/{number}', fn: 'provider-api', role: 'provider', operationId: 'checkYouthCard',
    summary: 'Check a Youth Card at the desk: whose (first name), valid until, visits left, at which provider. A wrong check digit is a 422',
    params: CardNumberParam, response: DeskCard },
  { method: 'POST', path: '/v1/provider/youth-cards/{number}/visits', fn: 'provider-api', role: 'provider', operationId: 'recordYouthCardVisit',
    summary: 'Record a visit on a Youth Card; 409 with a reason (expired, notYetValid, usedUp, issuedElsewhere) when it cannot be',
    params: CardNumberParam, response: VisitRecorded, success: [201], idempotent: 'record' },
  { method: 'GET', path: '/v1/provider/statement', fn: 'provider-api', role: 'provider', operationId: 'getOwnStatement',
    summary: 'Your own statement for a programme, as finance sees it: every child-day with its amount and the reason for anything unpaid (JSON, or the lines as CSV)',
    query: ProgrammeParam, response: Statement,
    csv: { ...csvView(Statement, 'lines', statementColumns, () => 'statement.csv'), bom: true } },
]);
