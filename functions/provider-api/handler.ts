import { apiHandler } from '../../shared/http/api-handler.ts';
import { providerRoutes } from '../../shared/http/routes/provider.ts';
import { wire } from '../../shared/wiring.ts';
import { providerActions } from './actions.ts';

/** Providers' own systems (scope `provider`): their sessions, attendance lists (JSON or CSV) and registers. */
export const handler = apiHandler(providerRoutes, providerActions(wire()));
