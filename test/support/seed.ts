import { AgreementInput, ProgrammeInput, ProviderInput, SessionInput } from '../../shared/schemas/catalogue.ts';
import type { CodeOutcome } from '../../shared/schemas/records.ts';
import { putAgreement, putProgramme, putProvider, putSession, type CatalogueDeps } from '../../shared/services/catalogue.ts';
import type { EligibilityPort } from '../../shared/domain/ports.ts';
import * as f from './fixtures.ts';

// Test catalogues made as the programme team makes them: through the catalogue service, with its rules,
// from the invented fixtures with a test's own changes.

type O = Record<string, unknown>;

export const seed = (deps: CatalogueDeps & { eligibility: Pick<EligibilityPort, 'loadCodes'> }) => ({
  programme: (id: string, o: O = {}) => putProgramme(deps, id, ProgrammeInput.parse(f.programme(o))),
  provider: (id: string, o: O = {}) => putProvider(deps, id, ProviderInput.parse(f.provider(o))),
  agreement: (programmeId: string, providerId: string, o: O = {}) => putAgreement(deps, programmeId, providerId, AgreementInput.parse(f.agreement(o))),
  session: (id: string, o: O = {}) => putSession(deps, id, SessionInput.parse(f.session(o))),
  codes: (programmeId: string, codes: { code: string; outcome: CodeOutcome }[]) =>
    deps.eligibility.loadCodes(programmeId, codes, deps.now().toISOString()),
});
