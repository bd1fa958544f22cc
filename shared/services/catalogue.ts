import { dateInLondon } from '../domain/calendar.ts';
import { conflict, invalid, type FieldIssue } from '../domain/errors.ts';
import { newEligibilityCode } from '../domain/ids.ts';
import { remaining } from '../domain/places.ts';
import type { BookingsPort, CataloguePort, EligibilityPort, ReferralsPort, Saved } from '../domain/ports.ts';
import { describeProgramme } from '../domain/programmes.ts';
import type { AgreementInput, ProgrammeInput, ProviderInput, SessionInput, SessionQuery } from '../schemas/catalogue.ts';
import type { EligibilityCodeLoad } from '../schemas/eligibility.ts';
import type { AgreementRecord, ProviderRecord, SessionRecord } from '../schemas/records.ts';
import { hafRules } from '../schemes/haf/rules.ts';
import { schemes } from '../schemes/registry.ts';
import { offerFreedPlacesNow } from './waitlist.ts';

// The catalogue as the programme team keeps it and families browse it: what may be set, and how it is
// shown. Storage rules (a session with bookings keeps its day) are the store's; the rest is here.

export interface CatalogueDeps {
  catalogue: CataloguePort;
  bookings: Pick<BookingsPort, 'promote' | 'childMatches'>;
  eligibility: Pick<EligibilityPort, 'loadCodes'>;
  /** Schemes placed under agreements (Active Families, the Youth Card) keep each provider's room from its agreement. */
  referrals: Pick<ReferralsPort, 'setCapacity'>;
  now: () => Date;
}

/** The schemes as callers are told about them. */
export const listSchemes = () => Object.values(schemes).map((s) => ({ id: s.id, ...s.description, acceptingApplications: s.signUp !== undefined }));

export async function listProgrammes(deps: CatalogueDeps, scheme?: string) {
  const at = deps.now();
  return (await deps.catalogue.listProgrammes(scheme)).map((p) => describeProgramme(p, at));
}

/** Bookable sessions with places left; without a programme or a day, upcoming ones from today. */
export async function listSessions(deps: CatalogueDeps, q: SessionQuery) {
  const { programme, ...filter } = q;
  const page = await deps.catalogue.listSessions({ ...filter, programmeId: programme, today: dateInLondon(deps.now()) });
  return { items: page.items.map(({ places, ...s }) => ({ ...s, remaining: remaining(s.capacity, places) })), nextCursor: page.nextCursor };
}

export async function putProgramme(deps: CatalogueDeps, id: string, input: ProgrammeInput) {
  const at = deps.now();
  const saved = await deps.catalogue.putProgramme({ id, ...input, updatedAt: at.toISOString() });
  return { ...saved, value: describeProgramme(saved.value, at) };
}

/** A provider's app client maps to exactly one provider; without one given, it keeps the one it had (or its id). */
export async function putProvider(deps: CatalogueDeps, id: string, input: ProviderInput): Promise<Saved<ProviderRecord>> {
  const before = await deps.catalogue.getProvider(id);
  const provider: ProviderRecord = {
    id, name: input.name, contactEmail: input.contactEmail, districts: input.districts,
    clientId: input.clientId ?? before?.clientId ?? id, updatedAt: deps.now().toISOString(),
  };
  const outcome = await deps.catalogue.putProvider(provider, before);
  if (outcome === 'clientTaken') throw invalid([{ path: 'clientId', message: 'is already used by another provider' }]);
  if (outcome === 'changedMeanwhile') throw conflict('The provider changed while saving; try again.');
  return { value: provider, created: !before };
}

/** A change of agreement becomes its next version; every version is kept with who made it and when. */
export async function putAgreement(
  deps: CatalogueDeps, programmeId: string, providerId: string, input: AgreementInput, by = 'unknown',
): Promise<Saved<AgreementRecord>> {
  const [programme, provider] = await Promise.all([deps.catalogue.getProgramme(programmeId), deps.catalogue.getProvider(providerId)]);
  const missing = [...(programme ? [] : [{ path: 'programmeId', message: 'does not exist' }]), ...(provider ? [] : [{ path: 'providerId', message: 'does not exist' }])];
  if (missing.length) throw invalid(missing);
  // Family places or cards: the provider's room follows the agreement, never below what it has already given.
  if (programme && schemes[programme.scheme as keyof typeof schemes]?.placement
    && (await deps.referrals.setCapacity(programmeId, providerId, input.placesCommissioned)) === 'belowTaken') {
    throw conflict(`placesCommissioned is below the ${schemes[programme.scheme as keyof typeof schemes].placement!.unit} this provider has already given in this programme.`);
  }
  const saved = await deps.catalogue.putAgreement({ programmeId, providerId, ...input, version: 0, updatedBy: by, updatedAt: deps.now().toISOString() });
  if (saved === 'changedMeanwhile') throw conflict('The agreement changed while saving; look at it again.');
  return saved;
}

/**
 * Creates or updates a session:
 * 1. its programme and provider must exist, and its day fall within the programme;
 * 2. a HAF day is at least the scheme's minimum hours;
 * 3. capacity may not drop below the places booked, and a session with bookings keeps its programme,
 *    provider and day (the store checks these in the same write);
 * 4. places added go to the waitlist first, in arrival order.
 */
export async function putSession(deps: CatalogueDeps, id: string, input: SessionInput) {
  const [programme, provider, before] = await Promise.all([
    deps.catalogue.getProgramme(input.programmeId), deps.catalogue.getProvider(input.providerId), deps.catalogue.getSession(id),
  ]);
  const issues: FieldIssue[] = [
    ...(programme ? [] : [{ path: 'programmeId', message: 'is not a programme' }]),
    ...(provider ? [] : [{ path: 'providerId', message: 'is not a provider' }]),
    ...(programme && (input.date < programme.startDate || input.date > programme.endDate)
      ? [{ path: 'date', message: `must be within the programme (${programme.startDate} to ${programme.endDate})` }] : []),
    ...(programme?.scheme === 'HAF' && minutes(input.endTime) - minutes(input.startTime) < hafRules.minHoursPerDay * 60
      ? [{ path: 'endTime', message: `must be at least ${hafRules.minHoursPerDay} hours after startTime: a HAF day is at least ${hafRules.minHoursPerDay} hours` }] : []),
  ];
  if (issues.length) throw invalid(issues);
  const now = deps.now().toISOString();
  const session: SessionRecord = { id, ...input, updatedAt: now };
  const outcome = await deps.catalogue.putSession(session, before);
  if (outcome === 'hasBookings') throw conflict('This session has bookings, so its programme, provider and date cannot change.');
  if (outcome === 'belowBooked') throw conflict('The new capacity is below the places already booked.');
  // More places (or a larger discretionary share) go to the waitlist first, in arrival order.
  if (before) await offerFreedPlacesNow(deps, id, now);
  const places = await deps.catalogue.places([id]);
  return { value: { ...session, remaining: remaining(session.capacity, places.get(id)) }, created: !before };
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** Codes the council has, or codes made here (unguessable); a code a family has used keeps its state. */
export async function loadEligibilityCodes(deps: CatalogueDeps, body: EligibilityCodeLoad) {
  if (!(await deps.catalogue.getProgramme(body.programmeId))) throw invalid([{ path: 'programmeId', message: 'does not exist' }]);
  const made = 'generate' in body
    ? Array.from({ length: body.generate.count }, () => ({ code: newEligibilityCode(body.generate.prefix), outcome: body.generate.outcome }))
    : undefined;
  const result = await deps.eligibility.loadCodes(body.programmeId, made ?? ('codes' in body ? body.codes : []), deps.now().toISOString());
  return { programmeId: body.programmeId, ...result, ...(made ? { codes: made } : {}) };
}

/** Children booked by more than one family, for the programme team to look into. */
export async function listChildMatches(deps: CatalogueDeps, programmeId: string) {
  return (await deps.bookings.childMatches(programmeId)).map((m) => ({
    id: m.childKey, families: m.families, references: [...m.references].sort(), flaggedAt: m.flaggedAt, updatedAt: m.updatedAt,
  }));
}
