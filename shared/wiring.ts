import { config } from './config.ts';
import { CatalogueStore } from './store/catalogue.ts';
import { documentClient } from './store/client.ts';

// The real adapters, built once per function at module scope and handed to the actions,
// so tests can hand in their own clock or table without patching modules.
export interface Deps {
  catalogue: CatalogueStore;
  now: () => Date;
}

export function wire(): Deps {
  const db = documentClient();
  return { catalogue: new CatalogueStore(db, config().TABLE_NAME), now: () => new Date() };
}
