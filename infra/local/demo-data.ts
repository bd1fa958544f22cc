import type { AgreementInput, ProgrammeInput, ProviderInput, SessionInput } from '../../shared/schemas/catalogue.ts';
import type { District } from '../../shared/schemas/common.ts';

// Demo data for the local stack: HAF in the 2026/27 holidays across Leicestershire's seven
// districts. Providers, venues and postcodes are invented (real towns, made-up places); no
// real person appears anywhere. Everything is derived deterministically so reseeding is a no-op.

interface Venue { name: string; postcode: string; district: District }
interface DemoProvider { id: string; input: ProviderInput; venues: Venue[]; ages: [number, number][]; titles: Record<Season, string> }
type Season = 'christmas' | 'easter' | 'summer';

const v = (name: string, postcode: string, district: District): Venue => ({ name, postcode, district });
const provider = (id: string, name: string, venues: Venue[], ages: [number, number][], titles: Record<Season, string>): DemoProvider => ({
  id,
  input: { name, contactEmail: `${id}@example.org`, districts: [...new Set(venues.map((x) => x.district))], clientId: `local-${id}` },
  venues,
  ages,
  titles,
});

export const providers: DemoProvider[] = [
  provider('charnwood-young-explorers', 'Charnwood Young Explorers CIC',
    [v('Loughborough Riverside Youth Hub', 'LE11 1QS', 'Charnwood'), v('Shepshed Meadow Pavilion', 'LE12 9AX', 'Charnwood')],
    [[5, 11], [8, 16]], { christmas: 'Festive Football & Lunch', easter: 'Spring Sports & Lunch', summer: 'Summer Sports Camp' }),
  provider('kickstart-sports-blaby', 'Kickstart Sports (Blaby) Ltd',
    [v('Enderby Fields Sports Hall', 'LE19 4AD', 'Blaby'), v('Narborough Village Hall Annex', 'LE19 2EL', 'Blaby')],
    [[8, 16]], { christmas: 'Winter Multi-Sports & Hot Lunch', easter: 'Easter Multi-Sports', summer: 'Zorbing & Water Games' }),
  provider('welland-valley-holiday-kitchen', 'Welland Valley Holiday Kitchen',
    [v('Market Harborough Brook Centre', 'LE16 7AG', 'Harborough'), v('Lutterworth Wycliffe Rooms', 'LE17 4BQ', 'Harborough')],
    [[5, 11]], { christmas: 'Christmas Crafts and Cooking', easter: 'Spring Crafts and Cooking', summer: 'Summer Kitchen Club' }),
  provider('bosworth-play-partnership', 'Bosworth Play & Sport Partnership',
    [v('Hinckley Hollycroft Youth Centre', 'LE10 0HG', 'Hinckley & Bosworth'), v('Earl Shilton Community Sports Hub', 'LE9 7DQ', 'Hinckley & Bosworth')],
    [[4, 7], [5, 11]], { christmas: 'Gingerbread Bake & Games', easter: 'Easter Egg Hunt & Games', summer: 'Play Rangers Summer Club' }),
  provider('vale-of-belvoir-active-kids', 'Vale of Belvoir Active Kids',
    [v('Melton Wyndham Sports Barn', 'LE13 0LZ', 'Melton'), v('Asfordby Village Activity Centre', 'LE14 3RU', 'Melton')],
    [[5, 11], [8, 16]], { christmas: 'Festive Dodgeball & Dinner', easter: 'Farm & Field Games', summer: 'Climbing & Camp Cooking' }),
  provider('national-forest-adventures', 'National Forest Adventures CIC',
    [v('Coalville Hermitage Activity Centre', 'LE67 3GE', 'North West Leicestershire'),
      v('Ashby Holywell Pavilion', 'LE65 2HW', 'North West Leicestershire'), v('Donington Youth Barn', 'DE74 2LN', 'North West Leicestershire')],
    [[8, 16]], { christmas: 'Forest School Winter Adventure', easter: 'Bushcraft & Bake', summer: 'Forest Survival Week' }),
  provider('wigston-creative-play', 'Wigston Creative Play Trust',
    [v('Wigston Magna Youth Centre', 'LE18 2AQ', 'Oadby & Wigston'), v('Oadby Ellis Park Studio', 'LE2 5TB', 'Oadby & Wigston')],
    [[4, 7], [5, 11]], { christmas: 'Festive Drama & Dance', easter: 'Puppets & Picnic', summer: 'Drama Summer School' }),
  provider('soar-valley-multisports', 'Soar Valley Multi-Sports',
    [v('Syston Fosse Sports Hall', 'LE7 1LQ', 'Charnwood'), v('Glen Parva Leisure Barn', 'LE2 9RE', 'Blaby')],
    [[5, 11], [8, 16]], { christmas: 'Snowflake Street Dance & Lunch', easter: 'Spring Tennis & Lunch', summer: 'Multi-Sports Mayhem' }),
];

export function programmes(now: Date): { id: string; season: Season; dates: string[]; input: ProgrammeInput }[] {
  // Christmas is the bookable one: open since a week ago at the latest, closing when schools break up.
  // If this runs after that date, the window moves forward so the demo still shows an open programme.
  const opens = Math.min(Date.parse('2026-11-16T09:00:00Z'), now.getTime() - 24 * 3600_000);
  const breakUp = Date.parse('2026-12-18T23:59:00Z');
  const closes = breakUp > now.getTime() + 24 * 3600_000 ? breakUp : now.getTime() + 30 * 24 * 3600_000;
  return [
    { id: 'haf-christmas-2026', season: 'christmas', dates: ['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-29', '2026-12-30'],
      input: { scheme: 'HAF', name: 'HAF Christmas 2026', startDate: '2026-12-21', endDate: '2026-12-31',
        bookingOpensAt: new Date(opens).toISOString(), bookingClosesAt: new Date(closes).toISOString(), maxDaysPerChild: 4, discretionaryShare: 0.15 } },
    { id: 'haf-easter-2027', season: 'easter', dates: ['2027-03-30', '2027-04-01'],
      input: { scheme: 'HAF', name: 'HAF Easter 2027', startDate: '2027-03-29', endDate: '2027-04-09',
        bookingOpensAt: '2027-03-01T09:00:00Z', bookingClosesAt: '2027-03-24T23:59:00Z', maxDaysPerChild: 4 } },
    { id: 'haf-summer-2027', season: 'summer', dates: ['2027-07-27', '2027-08-03', '2027-08-10'],
      input: { scheme: 'HAF', name: 'HAF Summer 2027', startDate: '2027-07-26', endDate: '2027-08-20',
        bookingOpensAt: '2027-06-21T08:00:00Z', bookingClosesAt: '2027-08-13T22:59:00Z', maxDaysPerChild: 16 } },
  ];
}

const capacities = [12, 16, 20, 24, 30, 10, 18, 26, 14, 22];
const short: Record<Season, string> = { christmas: 'xmas26', easter: 'easter27', summer: 'summer27' };

/** One session per provider per programme date: 40 at Christmas, 16 at Easter, 24 in summer. */
export function sessions(now: Date): { id: string; input: SessionInput }[] {
  return programmes(now).flatMap((p) =>
    providers.flatMap((pr, i) =>
      p.dates.map((date, d) => {
        const [ageMin, ageMax] = pr.ages[d % pr.ages.length]!;
        const venue = pr.venues[d % pr.venues.length]!;
        const morning = (i + d) % 3 !== 0;
        return {
          id: `${short[p.season]}-${pr.id}-${date.slice(5).replace('-', '')}`,
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
export function agreements(now: Date): { programmeId: string; providerId: string; input: AgreementInput }[] {
  const all = sessions(now);
  return programmes(now).flatMap((p) =>
    providers.map((pr, i) => {
      const placesCommissioned = all.filter((s) => s.input.programmeId === p.id && s.input.providerId === pr.id)
        .reduce((sum, s) => sum + s.input.capacity, 0);
      const ratePencePerChildDay = 2000;
      return { programmeId: p.id, providerId: pr.id, input: {
        grantAllocationPence: placesCommissioned * ratePencePerChildDay, ratePencePerChildDay, placesCommissioned,
        // One provider is paid on bookings, to show both bases in reconciliation.
        paymentBasis: i === 2 ? 'booked' : 'attended' } };
    }),
  );
}

/** Codes a school would hand out for Christmas, made by the service itself so that none can be guessed. */
export const christmasCodes = [
  { count: 45, outcome: 'eligible' as const },
  { count: 5, outcome: 'notEligible' as const },
];
