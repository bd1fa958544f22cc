import { existsSync, readFileSync } from 'node:fs';
import type { CouncilProfile } from '../../shared/council/profile.ts';
import type { AgreementInput, ProgrammeInput, ProviderInput, SessionInput } from '../../shared/schemas/catalogue.ts';

// Demo data for the local stack: a HAF programme for each of the coming Christmas, Easter and summer
// holidays, with providers and sessions across the council's districts. Providers and venues come from
// the council profile's demo section (invented: real towns, made-up places), or are made from its
// districts; no real person appears anywhere. Dates follow the clock, and the same day gives the same
// data, so reseeding changes nothing.

type Season = 'christmas' | 'easter' | 'summer';
type DemoProvider = NonNullable<CouncilProfile['demo']>['providers'][number];

const dayMs = 24 * 3600_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
const plus = (d: Date, days: number) => new Date(d.getTime() + days * dayMs);
const slug = (s: string) => s.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Easter Sunday (the anonymous Gregorian algorithm). */
function easterSunday(year: number): Date {
  const a = year % 19, b = Math.floor(year / 100), c = year % 100, d = Math.floor(b / 4), e = b % 4;
  const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  return utc(year, month, ((h + l - 7 * m + 114) % 31) + 1);
}

interface Holiday { season: Season; year: number; start: Date; end: Date; dates: Date[]; opens: Date; closes: Date }

/** A season's holiday in a given year: its days, the sessions' days and the booking window. */
function holiday(season: Season, year: number): Holiday {
  if (season === 'christmas') {
    // Not 24 to 28 December: Christmas Eve, the bank holidays and the days they move to when they fall at a weekend.
    const dates = [21, 22, 23, 29, 30, 31].map((d) => utc(year, 12, d)).filter((d) => d.getUTCDay() % 6 !== 0).slice(0, 5);
    return { season, year, start: utc(year, 12, 21), end: utc(year, 12, 31), dates,
      opens: new Date(Date.UTC(year, 10, 16, 9)), closes: new Date(Date.UTC(year, 11, 18, 23, 59)) };
  }
  if (season === 'easter') {
    const monday = plus(easterSunday(year), 1);
    return { season, year, start: monday, end: plus(monday, 11), dates: [plus(monday, 1), plus(monday, 3)],
      opens: new Date(plus(monday, -28).getTime() + 9 * 3600_000), closes: new Date(plus(monday, -5).getTime() + (23 * 60 + 59) * 60_000) };
  }
  const lastMondayOfJuly = [...Array(7)].map((_, i) => utc(year, 7, 31 - i)).find((d) => d.getUTCDay() === 1)!;
  return { season, year, start: lastMondayOfJuly, end: plus(lastMondayOfJuly, 25), dates: [1, 8, 15].map((n) => plus(lastMondayOfJuly, n)),
    opens: new Date(plus(lastMondayOfJuly, -35).getTime() + 8 * 3600_000), closes: new Date(plus(lastMondayOfJuly, 18).getTime() + (22 * 60 + 59) * 60_000) };
}

/** The next holiday of a season that has not yet ended. */
function next(season: Season, now: Date): Holiday {
  const year = now.getUTCFullYear();
  const h = holiday(season, year);
  return h.end.getTime() + dayMs > now.getTime() ? h : holiday(season, year + 1);
}

export function programmes(now: Date): { id: string; season: Season; dates: string[]; input: ProgrammeInput }[] {
  const coming = (['christmas', 'easter', 'summer'] as const).map((season) => next(season, now)).sort((a, b) => a.start.getTime() - b.start.getTime());
  return coming.map((h, i) => {
    const { season } = h;
    // The first holiday coming is bookable in the demo: open since a day ago at the latest, and still open for a while.
    const bookable = i === 0 || h.opens.getTime() <= now.getTime();
    const opens = bookable ? Math.min(h.opens.getTime(), now.getTime() - dayMs) : h.opens.getTime();
    const closes = bookable && h.closes.getTime() < now.getTime() + dayMs ? now.getTime() + 30 * dayMs : h.closes.getTime();
    const name = `HAF ${season.charAt(0).toUpperCase()}${season.slice(1)} ${h.year}`;
    return {
      id: `haf-${season}-${h.year}`, season, dates: h.dates.map(iso),
      input: {
        scheme: 'HAF', name, startDate: iso(h.start), endDate: iso(h.end), bookingOpensAt: new Date(opens).toISOString(),
        bookingClosesAt: new Date(closes).toISOString(), maxDaysPerChild: season === 'summer' ? 16 : 4,
        ...(season === 'christmas' ? { discretionaryShare: 0.15 } : {}),
      },
    };
  });
}

/** A council's demo beside the local stack (infra/local/demo/<council id>.json), where its profile has none. */
function localDemo(id: string): CouncilProfile['demo'] {
  const file = new URL(`./demo/${id}.json`, import.meta.url);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CouncilProfile['demo']) : undefined;
}

/** The demo's providers: the profile's own, or one per district made from the districts' names. */
export function providers(council: CouncilProfile): (DemoProvider & { input: ProviderInput })[] {
  const demo = council.demo ?? localDemo(council.id);
  const made: DemoProvider[] = demo?.providers.length ? demo.providers : council.districts.map((district, i) => ({
    id: `${slug(district)}-holiday-club`, name: `${district} Holiday Club`,
    venues: [{ name: `${district} Community Hall`, postcode: `${demo?.postcodeArea ?? 'ZZ'}${i + 1} 1AA`, district }],
    ages: [[5, 11], [8, 16]],
    titles: { christmas: 'Winter Games & Lunch', easter: 'Spring Sports & Lunch', summer: 'Summer Activity Camp' },
  }));
  return made.map((p) => ({
    ...p, input: { name: p.name, contactEmail: `${p.id}@example.org`, districts: [...new Set(p.venues.map((v) => v.district))], clientId: `local-${p.id}` },
  }));
}

const capacities = [12, 16, 20, 24, 30, 10, 18, 26, 14, 22];
const short: Record<Season, string> = { christmas: 'xmas', easter: 'easter', summer: 'summer' };

/** One session per provider per programme date. */
export function sessions(council: CouncilProfile, now: Date): { id: string; input: SessionInput }[] {
  return programmes(now).flatMap((p) =>
    providers(council).flatMap((pr, i) =>
      p.dates.map((date, d) => {
        const [ageMin, ageMax] = pr.ages[d % pr.ages.length]!;
        const venue = pr.venues[d % pr.venues.length]!;
        const morning = (i + d) % 3 !== 0;
        return {
          id: `${short[p.season]}${p.id.slice(-2)}-${pr.id}-${date.slice(5).replace('-', '')}`,
          input: {
            programmeId: p.id, providerId: pr.id, title: pr.titles[p.season], date,
            startTime: morning ? '09:30' : '10:00', endTime: morning ? '13:30' : '14:00',
            venue, ageMin, ageMax, capacity: capacities[(i * 3 + d) % capacities.length]!,
            mealProvided: true, sendSupport: (i + d) % 3 === 0,
          },
        };
      }),
    ),
  );
}

/** Agreements sized from the sessions: every place on every day at £20 a child-day. */
export function agreements(council: CouncilProfile, now: Date): { programmeId: string; providerId: string; input: AgreementInput }[] {
  const all = sessions(council, now);
  return programmes(now).flatMap((p) =>
    providers(council).map((pr, i) => {
      const placesCommissioned = all.filter((s) => s.input.programmeId === p.id && s.input.providerId === pr.id)
        .reduce((sum, s) => sum + s.input.capacity, 0);
      const ratePencePerChildDay = 2000;
      return { programmeId: p.id, providerId: pr.id, input: {
        grantAllocationPence: placesCommissioned * ratePencePerChildDay, ratePencePerChildDay, placesCommissioned,
        // One provider is paid on bookings, to show both bases in reconciliation.
        paymentBasis: i === 2 ? 'booked' : 'attended',
        // A quarter in advance, a flag under 60 % attendance, and £5 more a day for a child with SEND.
        rates: { sendUplift: 500 }, advanceShare: 0.25, attendanceThreshold: 0.6 } };
    }),
  );
}

/** The programmes come soonest first; the first is the one a demo books. Codes are printed with its season: `HAF-XMAS-…`. */
export const codePrefix = (season: Season) => `HAF-${short[season].toUpperCase()}`;

/** Codes a school would hand out for the bookable holiday, made by the service itself so that none can be guessed. */
export const demoCodes = [
  { count: 45, outcome: 'eligible' as const },
  { count: 5, outcome: 'notEligible' as const },
];

// ── Active Families and the Youth Card ─────────────────────────────────────
// A programme of each running for a year from the start of this month (so the same month gives the same data),
// taking referrals now; providers made from the council's districts: a family activity hub in each for Active
// Families, a leisure centre in each (two in the first district) for Youth Cards.

type ReferralScheme = 'ACTIVE_FAMILIES' | 'YOUTH_CARD';

export function referralProgrammes(now: Date): { id: string; scheme: ReferralScheme; input: ProgrammeInput }[] {
  const start = utc(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const end = new Date(Date.UTC(start.getUTCFullYear() + 1, start.getUTCMonth(), 0));
  const common = { startDate: iso(start), endDate: iso(end), bookingOpensAt: start.toISOString(), bookingClosesAt: new Date(end.getTime() + dayMs - 60_000).toISOString() };
  const year = start.getUTCFullYear();
  return [
    { id: `active-families-${year}`, scheme: 'ACTIVE_FAMILIES', input: { scheme: 'ACTIVE_FAMILIES', name: `Active Families ${year}–${String(year + 1).slice(2)}`, ...common } },
    // The Get Active variant: 10 free visits within 3 months.
    { id: `youth-card-${year}`, scheme: 'YOUTH_CARD', input: { scheme: 'YOUTH_CARD', name: `Youth Card ${year}–${String(year + 1).slice(2)}`, ...common, cardValidityMonths: 3, visitsAllowed: 10 } },
  ];
}

export function referralProviders(council: CouncilProfile): { id: string; scheme: ReferralScheme; input: ProviderInput }[] {
  const make = (scheme: ReferralScheme, id: string, name: string, district: string) =>
    ({ id, scheme, input: { name, contactEmail: `${id}@example.org`, districts: [district], clientId: `local-${id}` } });
  return [
    ...council.districts.map((d) => make('ACTIVE_FAMILIES', `${slug(d)}-family-activity-hub`, `${d} Family Activity Hub`, d)),
    ...council.districts.map((d) => make('YOUTH_CARD', `${slug(d)}-leisure-and-wellbeing`, `${d} Leisure & Wellbeing Centre`, d)),
    make('YOUTH_CARD', `${slug(council.districts[0]!)}-community-sports-centre`, `${council.districts[0]} Community Sports Centre`, council.districts[0]!),
  ];
}

/** Family places (Active Families) or cards (Youth Card) per provider, paid on what is given. */
export function referralAgreements(council: CouncilProfile, now: Date): { programmeId: string; providerId: string; input: AgreementInput }[] {
  const places = { ACTIVE_FAMILIES: [8, 6, 10, 5, 6, 8, 6], YOUTH_CARD: [40, 30, 30, 25, 30, 30, 25, 20] };
  const rate = { ACTIVE_FAMILIES: 15_000, YOUTH_CARD: 2_500 };
  return referralProgrammes(now).flatMap((p) => referralProviders(council).filter((pr) => pr.scheme === p.scheme).map((pr, i) => {
    const placesCommissioned = places[p.scheme][i % places[p.scheme].length]!;
    return { programmeId: p.id, providerId: pr.id, input: {
      grantAllocationPence: placesCommissioned * rate[p.scheme], ratePencePerChildDay: rate[p.scheme], placesCommissioned, paymentBasis: 'booked' as const,
    } };
  }));
}
