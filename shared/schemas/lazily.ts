import type * as z from 'zod/mini';
import { lazy } from 'zod/mini';

// Schemas built the first time they parse or are described, not as their module loads. A zod schema is an
// object with its own state, and building every one of a function's 500 at load was the largest part of
// its cold start that was ours (decision 006); a request needs only its route's. Types, messages and the
// OpenAPI document are the same as the eager schema's.

export const lazily = <T extends z.ZodMiniType>(build: () => T): z.ZodMiniLazy<T> => lazy(build);

/** The schema inside a lazily built one (building it), for z.extend, z.pick and z.omit. */
export const built = <T extends z.ZodMiniType>(schema: z.ZodMiniLazy<T>): T => schema._zod.innerType;
