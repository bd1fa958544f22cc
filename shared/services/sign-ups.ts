import { conflict, invalid, notFound } from '../domain/errors.ts';
import { newManageToken, newReference, referenceFromKey, sameSecret } from '../domain/ids.ts';
import type { ApplicationsPort, RequestDigest } from '../domain/ports.ts';
import { applicationLeaseMs } from '../runtime.ts';
import type { ApplicationRecord, ClaimRef } from '../schemas/records.ts';

// What every scheme's sign-up shares: claiming a reference (safely repeatable under an Idempotency-Key)
// and letting only the holder of the manage token see or change an application.

export interface SignUpDeps { applications: ApplicationsPort; now: () => Date; requestDigest: RequestDigest }

/** How long a repeat of a request still in progress waits for its answer before a 409 with Retry-After. */
const repeatWaitMs = 4_000;

export interface Opened { reference: string; manageToken: string; createdAt: string; requestDigest?: string; claim?: ClaimRef; complete?: ApplicationRecord }

/**
 * Claims a reference before anything is taken, so the ids made from it are unique. With an Idempotency-Key
 * the same request sent again finds its application: finished, it gets the first answer; still running, it
 * waits for that answer; abandoned (a run that died), it takes over and resumes, and whatever it already
 * wrote is found, not taken twice. The same key with another body is a 422.
 */
export async function openApplication(
  deps: SignUpDeps, o: { prefix: string; family: string; now: string; expiresAtEpoch: number; input: unknown; requestKey?: string; claim?: ClaimRef },
): Promise<Opened> {
  // Only a keyed digest of the key and body is kept: a plain hash of names and dates of birth could be reversed by trying them.
  const requestDigest = o.requestKey ? await deps.requestDigest('application', o.requestKey, o.input) : undefined;
  const lease = () => new Date(deps.now().getTime() + applicationLeaseMs).toISOString();
  let reference = o.requestKey ? referenceFromKey(o.prefix, o.requestKey) : newReference(o.prefix);
  for (let attempt = 0; attempt < 5; attempt++) {
    const opening = {
      reference, family: o.family, manageToken: newManageToken(), createdAt: o.now, expiresAtEpoch: o.expiresAtEpoch, leaseUntil: lease(), requestDigest,
      ...(o.claim ? { claim: o.claim } : {}),
    };
    if (await deps.applications.open(opening)) return opening;
    if (!o.requestKey) { reference = newReference(o.prefix); continue; }
    return repeatOf(deps, reference, requestDigest!, lease);
  }
  throw new Error('No free application reference after 5 tries');
}

async function repeatOf(deps: SignUpDeps, reference: string, requestDigest: string, lease: () => string): Promise<Opened> {
  const deadline = Date.now() + repeatWaitMs;
  for (let pause = 50; ; pause = Math.min(pause * 2, 500)) {
    const existing = await deps.applications.get(reference);
    if (!existing) throw new Error('An application vanished while opening it');
    if (existing.requestDigest !== requestDigest) {
      throw invalid([{ path: 'Idempotency-Key', message: 'was already used with a different body; use a new key for a new request' }]);
    }
    const found = { reference, manageToken: existing.manageToken, createdAt: existing.createdAt, requestDigest, ...(existing.claim ? { claim: existing.claim } : {}) };
    if (existing.status === 'complete') return { ...found, complete: existing };
    if (await deps.applications.takeOver(reference, deps.now().toISOString(), lease())) return found;
    if (Date.now() + pause > deadline) {
      throw conflict('This request is still being processed; ask again in a moment with the same Idempotency-Key.', 1);
    }
    await new Promise((r) => setTimeout(r, pause));
  }
}

/**
 * Completes an application; if a concurrent run of the same request completed it first, its record stands
 * (so one request makes one confirmation email, however it is repeated).
 */
export async function completeApplication(deps: SignUpDeps, app: ApplicationRecord): Promise<ApplicationRecord> {
  if (await deps.applications.complete(app)) return app;
  const stored = await deps.applications.get(app.reference);
  return stored?.status === 'complete' ? stored : app;
}

/** Only the holder of the manage token sees or changes an application; anyone else gets "not found". */
export async function ownApplication(deps: SignUpDeps, reference: string, token: string | undefined): Promise<ApplicationRecord> {
  const app = await deps.applications.get(reference);
  if (!app || !sameSecret(token, app.manageToken)) throw notFound('This application');
  // Until its places are decided, an application is only a claim on its reference.
  if (app.status !== 'complete') throw conflict('This application is still being processed; try again in a moment.', 1);
  return app;
}
