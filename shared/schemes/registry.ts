import * as z from 'zod';
import { prefixOf } from '../domain/ids.ts';
import { activeFamilies } from './active-families/index.ts';
import { haf } from './haf/index.ts';
import type { SchemeModule } from './scheme.ts';
import { youthCard } from './youth-card/index.ts';

// The schemes, one line each: the sign-up body, the answers, references, /v1/schemes and programme
// validation all come from here. Adding a scheme is its folder and a line here (docs/decisions/005).

export const schemes = {
  HAF: haf,
  ACTIVE_FAMILIES: activeFamilies,
  YOUTH_CARD: youthCard,
} as const;

export type SchemeId = keyof typeof schemes;
// A scheme that takes no sign-ups yet answers with `never`, so it adds nothing to these unions.
type Answers<S> = S extends SchemeModule<infer _Input, infer C, infer V> ? { created: C; view: V } : never;
/** The answers of every scheme that takes sign-ups, as one union each. */
export type ApplicationCreatedOf = Answers<(typeof schemes)[SchemeId]>['created'];
export type ApplicationViewOf = Answers<(typeof schemes)[SchemeId]>['view'];
// Each scheme takes its own body; past this point they are handled alike, by what they have in common.
const modules = Object.values(schemes) as unknown as SchemeModule<unknown>[];

export const schemeIds = Object.keys(schemes) as [SchemeId, ...SchemeId[]];
export const SchemeIdSchema = z.enum(schemeIds);

/** The scheme a reference belongs to, from its prefix (`AF-…` is Active Families). */
export const schemeOfReference = (reference: string): SchemeModule<unknown> | undefined =>
  modules.find((m) => m.referencePrefix === prefixOf(reference));

export const referencePrefixes = modules.map((m) => m.referencePrefix);

/** Schemes that take sign-ups now. */
export const openSchemes = modules.filter((m) => m.signUp);
export const schemeById = (id: string): SchemeModule<unknown> | undefined => (schemes as Record<string, SchemeModule<unknown>>)[id];
