import type { Actions } from '../../shared/http/api-handler.ts';
import { openApiDocument } from '../../shared/http/openapi.ts';
import { dateInLondon } from '../../shared/domain/calendar.ts';
import { describeProgramme } from '../../shared/domain/programmes.ts';
import { schemes } from '../../shared/domain/schemes.ts';
import type { Deps } from '../../shared/wiring.ts';

export const publicActions = ({ catalogue, now }: Deps): Actions<'public-api'> => ({
  listSchemes: async () => ({ status: 200, body: { items: schemes } }),

  listProgrammes: async ({ query }) => {
    const at = now();
    const programmes = await catalogue.listProgrammes(query.scheme);
    return { status: 200, body: { items: programmes.map((p) => describeProgramme(p, at)) } };
  },

  listSessions: async ({ query }) => {
    const { programme, ...filter } = query;
    const page = await catalogue.listSessions({ ...filter, programmeId: programme, today: dateInLondon(now()) });
    return { status: 200, body: page };
  },

  getOpenApi: async () => ({ status: 200, body: openApiDocument() }),
});
