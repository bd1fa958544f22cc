import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { programmes } from '../../infra/local/demo-data.ts';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.ts';

// `npm start` on a developer's laptop: ports 8000 and 8005 are often taken by something else, and a
// first request can come before the demo data is in. Neither may fail or mislead.

const holders: Server[] = [];
let stack: LocalStack | undefined;

/** Holds a port on every interface, as another program would; resolves false if something already holds it. */
const hold = (port: number) => new Promise<boolean>((resolve) => {
  const server = createServer();
  server.once('error', () => resolve(false));
  server.listen(port, () => { holders.push(server); resolve(true); });
});

const freePort = () => new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all(holders.map((h) => new Promise((r) => h.close(r))));
}, 60_000);

// The coming Christmas, named by its year from the clock (haf-christmas-2026 in December 2026).
const christmas = programmes(new Date()).find((p) => p.season === 'christmas')!.id;

describe('starting the local stack', () => {
  it('takes free ports when 8000 and 8005 are busy, and answers 503 with Retry-After until its demo data is in', async () => {
    // Whether we or another program hold them, 8000 and 8005 are busy from here on.
    await hold(8000);
    await hold(8005);
    const port = await freePort();
    const starting = startLocalStack({ port, seed: true, quiet: true });
    const early: { status: number; retryAfter: string | null; sessions?: number }[] = [];
    let done = false;
    void starting.finally(() => { done = true; });
    while (!done) {
      const res = await fetch(`http://127.0.0.1:${port}/v1/sessions?programme=${christmas}&limit=200`).catch(() => undefined);
      if (res) {
        const body = (await res.json()) as { items?: unknown[] };
        early.push({ status: res.status, retryAfter: res.headers.get('retry-after'), sessions: body.items?.length });
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    stack = await starting;
    expect(early.length).toBeGreaterThan(0);
    for (const answer of early.filter((a) => a.status !== 200)) expect(answer).toMatchObject({ status: 503, retryAfter: '1' });
    // Once it answers, the catalogue is whole: no partial list.
    for (const answer of early.filter((a) => a.status === 200)) expect(answer.sessions).toBe(40);

    expect(new URL(stack.dynamoEndpoint).port).not.toBe('8000');
    expect(new URL(stack.sesUrl).port).not.toBe('8005');
    const res = await fetch(`${stack.url}/v1/sessions?programme=${christmas}&limit=200`);
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(40);
    expect((await fetch(`${stack.sesUrl}/store`)).status).toBe(200);
  }, 120_000);
});
