import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { built, lazily } from '../../shared/schemas/lazily.ts';

describe('a schema built when first used', () => {
  it('is built once, however often zod asks for it (making the OpenAPI document asks again at every node)', () => {
    let builds = 0;
    const Leaf = lazily(() => {
      builds++;
      return z.string().check(z.minLength(1));
    });
    const Outer = z.object({ a: Leaf, b: z.optional(Leaf), c: z.array(Leaf) });
    expect(builds).toBe(0);
    z.toJSONSchema(Outer, { io: 'input' });
    z.toJSONSchema(Outer, { io: 'output' });
    expect(Outer.safeParse({ a: 'x', c: ['y'] }).success).toBe(true);
    expect(Outer.safeParse({ a: '', c: [] }).success).toBe(false);
    expect(built(Leaf)).toBe(built(Leaf));
    expect(builds).toBe(1);
  });
});
