import type * as z from 'zod/mini';
import { config, lazy } from 'zod/mini';

// Schemas built the first time they parse or are described, not as their module loads. A zod schema is an
// object with its own state, and building every one of a function's 500 at load was the largest part of
// its cold start that was ours (decision 006); a request needs only its route's. Types, messages and the
// OpenAPI document are the same as the eager schema's.

// No parser generated with `new Function` on an object schema's first parse: that compile is a cold start's
// cost (about 1 ms of a first application's 4 ms of validation), and parsing an application measured no
// faster with it once warm (15–20 µs either way). No `eval` in the functions is a good thing besides.
config({ jitless: true });

/**
 * Built once: zod keeps the schema for parsing, but asks the getter itself again in places (whether a schema
 * transforms, as the OpenAPI document is made, asks it at every node), which would build the schema anew each time.
 */
export const lazily = <T extends z.ZodMiniType>(build: () => T): z.ZodMiniLazy<T> => {
  let schema: T | undefined;
  return lazy(() => (schema ??= build()));
};

/** The schema inside a lazily built one (building it), for z.extend, z.pick and z.omit. */
export const built = <T extends z.ZodMiniType>(schema: z.ZodMiniLazy<T>): T => schema._zod.innerType;
