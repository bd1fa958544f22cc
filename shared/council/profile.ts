import * as z from 'zod/mini';
import { lazily } from '../schemas/lazily.ts';
import leicestershire from './leicestershire.json' with { type: 'json' };

// What differs between the ~150 councils that could run this: name, districts and the localities they
// form, contact details, who emails come from, the partner email domains referrals may come from, the
// look of the site, and (for the local stack only) demo providers. One validated profile per deployment;
// Leicestershire's is the default and the demo (its demo providers are in infra/local/demo/, so that no
// function carries them). Set COUNCIL_PROFILE to another profile's JSON (the CDK app
// and `npm start -- --council <file>` do that from a file).

const Text = lazily(() => z.string().check(z.trim(), z.minLength(1), z.maxLength(200)));
const Colour = lazily(() => z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1d70b8')));
const about = <T extends z.ZodMiniType>(schema: T, description: string): T => schema.check(z.describe(description)) as T;

export const CouncilProfile = lazily(() => z.object({
  id: z.string().check(z.regex(/^[a-z0-9-]{2,40}$/)),
  name: about(Text, 'the council, as it signs letters: "Leicestershire County Council"'),
  service: about(Text, 'the service families deal with: "Children and Family Wellbeing Service"'),
  districts: z.array(Text).check(z.minLength(1), z.maxLength(40), z.refine((d) => new Set(d).size === d.length, 'must not repeat a district')),
  localities: z._default(z.array(z.object({ name: Text, districts: z.array(Text).check(z.minLength(1)) })), []),
  contact: z.object({ email: z.email(), phone: Text, web: z.url() }),
  mail: z.object({
    senderName: about(Text, 'shown as the sender of every email: "Leicestershire Holiday Clubs"'),
    teamName: about(Text, 'who parents contact about a booking: "the holiday clubs team"'),
  }),
  /** Referrals are acted on only from these work email domains (`*.sch.uk` matches any school). */
  partnerDomains: z._default(z.array(z.string().check(z.regex(/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/))), []),
  site: z.object({ serviceName: Text, colour: Colour, footerLinks: z._default(z.array(z.object({ text: Text, href: z.url() })), []) }),
  /** For `npm start` only (deployments leave it out): invented providers and venues. Without them, demo data is made from the districts. */
  demo: z.optional(z.object({
    postcodeArea: z.string().check(z.regex(/^[A-Z]{1,2}$/)),
    providers: z._default(z.array(z.object({
      id: z.string().check(z.regex(/^[a-z0-9-]{1,64}$/)), name: Text,
      venues: z.array(z.object({ name: Text, postcode: Text, district: Text })).check(z.minLength(1)),
      ages: z.array(z.tuple([z.int(), z.int()])).check(z.minLength(1)),
      titles: z.object({ christmas: Text, easter: Text, summer: Text }),
    })), []),
  })),
}).check(z.superRefine((p, ctx) => {
  const known = new Set(p.districts);
  const unknown = (where: (string | number)[], d: string) => {
    if (!known.has(d)) ctx.addIssue({ code: 'custom', path: where, message: `${d} is not one of the districts`, input: d });
  };
  for (const [i, l] of p.localities.entries()) for (const [j, d] of l.districts.entries()) unknown(['localities', i, 'districts', j], d);
  for (const [i, pr] of (p.demo?.providers ?? []).entries()) {
    for (const [j, v] of pr.venues.entries()) unknown(['demo', 'providers', i, 'venues', j, 'district'], v.district);
  }
})));
export type CouncilProfile = z.infer<typeof CouncilProfile>;

let loaded: CouncilProfile | undefined;

/** The deployment's council, read once: a profile that does not validate stops the function at start. */
export function council(): CouncilProfile {
  if (!loaded) {
    const given = process.env.COUNCIL_PROFILE;
    const parsed = CouncilProfile.safeParse(given ? JSON.parse(given) : leicestershire);
    if (!parsed.success) {
      throw new Error(`COUNCIL_PROFILE is not a valid council profile: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    }
    loaded = parsed.data;
  }
  return loaded;
}

/** Reads a profile file and checks it, for the CDK app and the local stack (which pass it on as COUNCIL_PROFILE). */
export function parseCouncilProfile(json: string, source: string): CouncilProfile {
  const parsed = CouncilProfile.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`${source} is not a valid council profile: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return parsed.data;
}
