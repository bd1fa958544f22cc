import { apiHandler } from '../../shared/http/api-handler.ts';
import { providerRoutes } from '../../shared/http/routes/provider.ts';
import { AttendanceStore } from '../../shared/store/attendance.ts';
import { CatalogueStore } from '../../shared/store/catalogue.ts';
import { FinanceStore } from '../../shared/store/finance.ts';
import { system, table } from '../../shared/wiring.ts';
import { providerActions } from './actions.ts';

const { db, name } = table();
const finance = new FinanceStore(db, name);

/** Providers' own systems (scope `provider`): their sessions, attendance lists (JSON or CSV), registers and their own statement. */
export const handler = apiHandler(providerRoutes, providerActions({
  catalogue: new CatalogueStore(db, name), attendance: new AttendanceStore(db, name), figures: finance, ledger: finance, ...system,
}));
