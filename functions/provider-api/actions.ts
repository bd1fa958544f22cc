import type { Actions } from '../../shared/http/api-handler.ts';
import type { Principal } from '../../shared/http/auth.ts';
import { forbidden } from '../../shared/http/problem.ts';
import type { providerRoutes } from '../../shared/http/routes/provider.ts';
import { listFamilies, setFamilyStatus, type FamilyDeps } from '../../shared/schemes/active-families/families.ts';
import { checkCard, recordVisit, type DeskDeps } from '../../shared/schemes/youth-card/desk.ts';
import { actingProvider, listOwnSessions, sendRegister, viewAttendance, type AttendanceDeps } from '../../shared/services/attendance.ts';
import { statement, type FinanceDeps } from '../../shared/services/finance.ts';

export type ProviderDeps = AttendanceDeps & FamilyDeps & DeskDeps & FinanceDeps;

export const providerActions = (deps: ProviderDeps): Actions<typeof providerRoutes> => {
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
    listFamilies: async ({ principal, query }) =>
      ({ status: 200, body: await listFamilies(deps, (await actingFor(principal)).providerId, query) }),
    putFamilyStatus: async ({ principal, params, body }) =>
      ({ status: 200, body: await setFamilyStatus(deps, (await actingFor(principal)).providerId, params.reference, body.status) }),
    checkYouthCard: async ({ principal, params }) =>
      ({ status: 200, body: await checkCard(deps, await actingFor(principal), params.number) }),
    recordYouthCardVisit: async ({ principal, params }) =>
      ({ status: 201, body: await recordVisit(deps, await actingFor(principal), params.number) }),
    // Only its own: the provider comes from the token, never from the request.
    getOwnStatement: async ({ principal, query }) =>
      ({ status: 200, body: await statement(deps, query.programme, (await actingFor(principal)).providerId) }),
  };
};
