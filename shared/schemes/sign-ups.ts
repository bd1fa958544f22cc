import { afSignUp } from './active-families/sign-up.ts';
import { hafSignUp } from './haf/sign-up.ts';
import type { SchemeId } from './registry.ts';
import type { SchemeSignUp } from './scheme.ts';
import { ycSignUp } from './youth-card/sign-up.ts';

// Each scheme's sign-up use cases, by scheme: carried by the public API (the referrer API takes the two that refer).

export const signUps = {
  HAF: hafSignUp,
  ACTIVE_FAMILIES: afSignUp,
  YOUTH_CARD: ycSignUp,
} as const satisfies Partial<Record<SchemeId, SchemeSignUp<never>>>;

type Answers<S> = S extends SchemeSignUp<infer _Input, infer C, infer V> ? { created: C; view: V } : never;
/** The answers of every scheme that takes sign-ups, as one union each. */
export type ApplicationCreatedOf = Answers<(typeof signUps)[keyof typeof signUps]>['created'];
export type ApplicationViewOf = Answers<(typeof signUps)[keyof typeof signUps]>['view'];

/** A scheme's sign-up, by its id or a reference of its. */
export const signUpOf = (scheme: string | undefined): SchemeSignUp<unknown> | undefined =>
  scheme ? (signUps as Record<string, SchemeSignUp<unknown>>)[scheme] : undefined;
