import { IdParam } from '../../schemas/catalogue.ts';
import { AttendanceList, ProviderSessionList, ProviderSessionQuery, RegisterInput, RegisterResult } from '../../schemas/provider.ts';
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
  { method: 'GET', path: '/v1/provider/statement', fn: 'provider-api', role: 'provider', operationId: 'getOwnStatement',
    summary: 'Your own statement for a programme, as finance sees it: every child-day with its amount and the reason for anything unpaid (JSON, or the lines as CSV)',
    query: ProgrammeParam, response: Statement,
    csv: { ...csvView(Statement, 'lines', statementColumns, () => 'statement.csv'), bom: true } },
]);
