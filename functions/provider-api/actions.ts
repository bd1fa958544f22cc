import type { Actions } from '../../shared/http/api-handler.ts';
import type { Principal } from '../../shared/http/auth.ts';
import { forbidden } from '../../shared/http/problem.ts';
import type { providerRoutes } from '../../shared/http/routes/provider.ts';
import { actingProvider, listOwnSessions, sendRegister, viewAttendance, type AttendanceDeps } from '../../shared/services/attendance.ts';
import { statement, type FinanceDeps } from '../../shared/services/finance.ts';

export const providerActions = (deps: AttendanceDeps & FinanceDeps): Actions<typeof providerRoutes> => {
  const actingFor = (principal: Principal) => {
    if (principal.kind !== 'machine') throw forbidden('This route is for provider clients.');
    return actingProvider(deps, principal.clientId);
  };
  return {
    listProviderSessions: async ({ principal, query }) =>
      ({ status: 200, body: await listOwnSessions(deps, (await actingFor(principal)).providerId, query) }),
    getAttendance: async ({ principal, params }) =>
      ({ status: 200, body: await viewAttendance(deps, (await actingFor(principal)).providerId, params.sessionId) }),
    putRegister: async ({ principal, params, body }) =>
      ({ status: 200, body: await sendRegister(deps, await actingFor(principal), params.sessionId, body.records) }),
    // Only its own: the provider comes from the token, never from the request.
    getOwnStatement: async ({ principal, query }) =>
      ({ status: 200, body: await statement(deps, query.programme, (await actingFor(principal)).providerId) }),
  };
};
