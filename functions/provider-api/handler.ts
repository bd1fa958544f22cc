import { apiHandler } from '../../shared/http/api-handler.ts';
import { providerRoutes } from '../../shared/http/routes/provider.ts';
import { AttendanceStore } from '../../shared/store/attendance.ts';
import { CatalogueStore } from '../../shared/store/catalogue.ts';
import { system, table } from '../../shared/wiring.ts';
import { providerActions } from './actions.ts';

const { db, name } = table();

/** Providers' own systems (scope `provider`): their sessions, attendance lists (JSON or CSV) and registers. */
export const handler = apiHandler(providerRoutes, providerActions({
  catalogue: new CatalogueStore(db, name), attendance: new AttendanceStore(db, name), ...system,
}));
