import { invalid, notFound } from '../domain/errors.ts';
import { referenceOfBooking } from '../domain/ids.ts';
import { schemeOfReference } from '../schemes/registry.ts';
import { signUpOf, type ApplicationCreatedOf, type ApplicationViewOf } from '../schemes/sign-ups.ts';
import type { SchemeDeps, SignUpContext } from '../schemes/scheme.ts';

// Applications of every scheme, each handed to its scheme through the registry: the body names the
// scheme, and a reference carries it in its prefix. Each scheme answers with its own schemas (registered
// with it), so the answers are typed here as the union of those schemas.

export async function createApplication(deps: SchemeDeps, body: { scheme: string }, ctx: SignUpContext) {
  const signUp = signUpOf(body.scheme);
  if (!signUp) throw invalid([{ path: 'scheme', message: 'does not take sign-ups through this API yet' }]);
  return signUp.apply(deps, body, ctx) as Promise<ApplicationCreatedOf>;
}

export async function viewApplication(deps: SchemeDeps, reference: string, token: string | undefined) {
  const signUp = signUpOf(schemeOfReference(reference)?.id);
  if (!signUp) throw notFound('This application');
  return signUp.show(deps, reference, token) as Promise<ApplicationViewOf>;
}

export async function cancelBooking(deps: SchemeDeps, bookingId: string, token: string | undefined) {
  const reference = referenceOfBooking(bookingId);
  const cancel = signUpOf(schemeOfReference(reference)?.id)?.cancel;
  if (!cancel) throw notFound('This booking');
  return cancel(deps, reference, bookingId, token) as Promise<{ bookingId: string; status: 'cancelled'; late: boolean }>;
}

export async function confirmReferral(deps: SchemeDeps, reference: string, token: string | undefined) {
  const confirm = signUpOf(schemeOfReference(reference)?.id)?.confirm;
  if (!confirm) throw notFound('This referral');
  return confirm(deps, reference, token);
}
