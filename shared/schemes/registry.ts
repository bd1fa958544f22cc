import * as z from 'zod/mini';
import { prefixOf } from '../domain/ids.ts';
import { activeFamilies } from './active-families/index.ts';
import { haf } from './haf/index.ts';
import type { SchemeDefinition } from './scheme.ts';
import { youthCard } from './youth-card/index.ts';

// The schemes, one line each: programme validation, /v1/schemes, references, the sign-up body and its
// answers all come from here. A scheme that takes sign-ups or sends email also has a line in sign-ups.ts
// or notices.ts, which only the functions that use them load (docs/decisions/005).

export const schemes = {
  HAF: haf,
  ACTIVE_FAMILIES: activeFamilies,
  YOUTH_CARD: youthCard,
} as const satisfies Record<string, SchemeDefinition>;

export type SchemeId = keyof typeof schemes;
const definitions: SchemeDefinition[] = Object.values(schemes);

export const schemeIds = Object.keys(schemes) as [SchemeId, ...SchemeId[]];
export const SchemeIdSchema = z.enum(schemeIds);

/** The scheme a reference belongs to, from its prefix (`AF-…` is Active Families). */
export const schemeOfReference = (reference: string): SchemeDefinition | undefined =>
  definitions.find((m) => m.referencePrefix === prefixOf(reference));

export const referencePrefixes = definitions.map((m) => m.referencePrefix);

/** Schemes that take sign-ups now. */
export const openSchemes = definitions.filter((m) => m.signUp);
