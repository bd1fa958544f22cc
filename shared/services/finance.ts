import { createHash } from 'node:crypto';
import { dateInLondon } from '../domain/calendar.ts';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import { newReference } from '../domain/ids.ts';
import { effectOf, lineAmounts } from '../domain/money.ts';
import type { CataloguePort, FiguresPort, LedgerPort } from '../domain/ports.ts';
import { delivery, hafReturn, settle, type Delivery, type HafReturn } from '../domain/reconciliation.ts';
import type { PaymentInput, PaymentQuery } from '../schemas/finance.ts';
import type { Closure, LedgerLine, ProgrammeRecord } from '../schemas/records.ts';

// Finance's use cases over the figures the stream keeps and the ledger: reconciliation, payments, statements,
// closing a holiday, the DfE HAF return. No booking is read: every figure is the same after the programme's
// personal data has gone.

export interface FinanceDeps {
  catalogue: Pick<CataloguePort, 'getProgramme' | 'getProvider' | 'getProviders' | 'listAgreements' | 'agreementVersions' | 'programmeSessions' | 'places'>;
  figures: FiguresPort;
  ledger: LedgerPort;
  now: () => Date;
}

/** The programme, which must be a HAF one: the figures are child-days, which other schemes do not have. */
async function hafProgramme(deps: FinanceDeps, programmeId: string, field = 'programme'): Promise<ProgrammeRecord> {
  const programme = await deps.catalogue.getProgramme(programmeId);
  if (!programme) throw notFound('This programme');
  if (programme.scheme !== 'HAF') {
    throw invalid([{ path: field, message: `is a ${programme.scheme} programme: reconciliation, statements and the DfE return cover HAF programmes (child-days)` }]);
  }
  return programme;
}

/** Everything the figures are made of, read in a fixed number of requests whatever the number of bookings. */
async function inputsOf(deps: FinanceDeps, programme: ProgrammeRecord) {
  const [agreements, sessions] = await Promise.all([deps.catalogue.listAgreements(programme.id), deps.catalogue.programmeSessions(programme.id)]);
  const ids = sessions.map((s) => s.id);
  const providerIds = [...new Set([...agreements.map((a) => a.providerId), ...sessions.map((s) => s.providerId)])];
  const [figures, places, providers] = await Promise.all([
    deps.figures.sessionFigures(ids), deps.catalogue.places(ids), deps.catalogue.getProviders(providerIds),
  ]);
  const now = deps.now();
  return { programme, agreements, sessions, figures, places, providers, now, today: dateInLondon(now) };
}

const frozen = (closure: Closure | undefined, generatedAt: string) => (closure?.state === 'closed'
  ? { status: 'closed' as const, closedAt: closure.closedAt, closedBy: closure.closedBy, generatedAt: closure.closedAt ?? generatedAt }
  : { status: 'open' as const, generatedAt });

/** Delivery of a closed programme is its snapshot; of an open one, read now. */
async function deliveryOf(deps: FinanceDeps, programme: ProgrammeRecord, closure: Closure | undefined): Promise<Delivery> {
  if (closure?.state === 'closed' && closure.snapshot) return closure.snapshot.reconciliation as Delivery;
  return delivery(await inputsOf(deps, programme));
}

export async function reconcile(deps: FinanceDeps, programmeId: string) {
  const programme = await hafProgramme(deps, programmeId);
  const [closure, ledger] = await Promise.all([deps.ledger.closure(programmeId), deps.ledger.ledger(programmeId)]);
  const settled = settle(await deliveryOf(deps, programme, closure), ledger);
  return { programmeId, programmeName: programme.name, ...frozen(closure, deps.now().toISOString()), rows: settled.rows, totals: settled.totals };
}

export async function dfeReturn(deps: FinanceDeps, programmeId: string) {
  const programme = await hafProgramme(deps, programmeId);
  const closure = await deps.ledger.closure(programmeId);
  const figures: HafReturn = closure?.state === 'closed' && closure.snapshot?.hafReturn
    ? (closure.snapshot.hafReturn as HafReturn)
    : hafReturn({ ...(await inputsOf(deps, programme)), children: await deps.figures.childrenFigures(programmeId) });
  return { ...figures, ...frozen(closure, deps.now().toISOString()) };
}

// ── Payments ──

/** Only what was asked, in a fixed order: a repeat under the same reference is told from another payment by it. */
const digestOf = (p: PaymentInput) => createHash('sha256')
  .update(JSON.stringify([p.providerId, p.programmeId, p.amountPence, p.paidOn, p.reference, p.kind, p.reverses ?? null])).digest('base64url');

const view = (l: LedgerLine, reversedBy?: string) => {
  const { digest: _digest, ...line } = l;
  return { ...line, ...(reversedBy ? { reversedBy } : {}) };
};

/**
 * Appends a ledger line:
 * 1. the provider and the programme must exist, and the provider have an agreement in it;
 * 2. a reversal names a line of the same provider and programme, for its amount, that is not itself a reversal;
 * 3. the reference is claimed with the line: the same reference and body again answers as the first time
 *    (201, the same line); another body under it is a 409; a line already reversed is a 409.
 */
export async function postPayment(deps: FinanceDeps, input: PaymentInput, by: string) {
  const digest = digestOf(input);
  const earlier = await deps.ledger.byReference(input.reference);
  if (earlier) return repeatOf(earlier, digest);
  const today = dateInLondon(deps.now());
  const [programme, provider, agreements, reversed] = await Promise.all([
    deps.catalogue.getProgramme(input.programmeId), deps.catalogue.getProvider(input.providerId),
    deps.catalogue.listAgreements(input.programmeId), input.reverses ? deps.ledger.byReference(input.reverses) : undefined,
  ]);
  const issues = [
    ...(programme ? [] : [{ path: 'programmeId', message: 'does not exist' }]),
    ...(provider ? [] : [{ path: 'providerId', message: 'does not exist' }]),
    ...(programme && provider && !agreements.some((a) => a.providerId === input.providerId)
      ? [{ path: 'providerId', message: 'has no agreement in this programme: set one up first (PUT /v1/admin/programmes/{programmeId}/agreements/{providerId})' }] : []),
    ...(input.paidOn > today ? [{ path: 'paidOn', message: 'must not be in the future' }] : []),
    ...reversalIssues(input, reversed),
  ];
  if (issues.length) throw invalid(issues);
  const postedAt = deps.now().toISOString();
  const line: LedgerLine = {
    id: newReference('PAY'), programmeId: input.programmeId, providerId: input.providerId, kind: input.kind, amountPence: input.amountPence,
    effectPence: effectOf(input.kind, input.amountPence, reversed), paidOn: input.paidOn, reference: input.reference,
    ...(input.reverses ? { reverses: input.reverses } : {}), postedAt, postedBy: by, digest,
  };
  const outcome = await deps.ledger.post(line);
  if (outcome === 'alreadyReversed') throw conflict(`The line ${input.reverses} has already been reversed.`);
  if ('existing' in outcome) return repeatOf(outcome.existing, digest);
  return view(outcome.posted);
}

function repeatOf(earlier: LedgerLine, digest: string) {
  if (earlier.digest !== digest) throw conflict(`The reference ${earlier.reference} is already a ledger line with other details; use a new reference for a new payment.`);
  return view(earlier);
}

function reversalIssues(input: PaymentInput, reversed: LedgerLine | undefined) {
  if (input.kind !== 'reversal' || !input.reverses) return [];
  if (!reversed) return [{ path: 'reverses', message: 'is not the reference of a ledger line' }];
  const issues = [];
  if (reversed.programmeId !== input.programmeId || reversed.providerId !== input.providerId) {
    issues.push({ path: 'reverses', message: 'is a line of another provider or programme' });
  }
  if (reversed.kind === 'reversal') issues.push({ path: 'reverses', message: 'is itself a reversal: post the line again instead' });
  if (reversed.amountPence !== input.amountPence) issues.push({ path: 'amountPence', message: `must be the amount of the line reversed (${reversed.amountPence})` });
  return issues;
}

export async function listPayments(deps: FinanceDeps, q: PaymentQuery) {
  if (!(await deps.catalogue.getProgramme(q.programme))) throw notFound('This programme');
  const page = await deps.ledger.ledgerPage({ programmeId: q.programme, providerId: q.provider, limit: q.limit, cursor: q.cursor });
  const reversals = await deps.ledger.reversalsOf(page.items.filter((l) => l.kind !== 'reversal').map((l) => l.reference));
  return { items: page.items.map((l) => view(l, reversals.get(l.reference))), nextCursor: page.nextCursor };
}

// ── Statements ──

/**
 * A provider's statement: its reconciliation row, every child-day line with its amount (the cap falling on
 * the latest days) and the reason for anything unpaid, and its payments. The lines are its bookings' own
 * contributions, so they add up to the row's earnings; they go when the programme's personal data does.
 */
export async function statement(deps: FinanceDeps, programmeId: string, providerId: string) {
  await hafProgramme(deps, programmeId);
  const provider = await deps.catalogue.getProvider(providerId);
  if (!provider) throw notFound('This provider');
  const [recon, contributions, agreements, ledger] = await Promise.all([
    reconcile(deps, programmeId), deps.figures.statementLines(programmeId, providerId), deps.catalogue.listAgreements(programmeId),
    deps.ledger.ledger(programmeId, providerId),
  ]);
  const summary = recon.rows.find((r) => r.providerId === providerId);
  if (!summary) throw notFound('This provider in this programme');
  const agreement = agreements.find((a) => a.providerId === providerId);
  const today = dateInLondon(deps.now());
  const counted = contributions.flatMap((c) => (c.facts ? [{ c, facts: c.facts }] : []));
  const amounts = lineAmounts(agreement, counted.map(({ c, facts }) => ({ facts, sessionDate: c.sessionDate })), today);
  const reversals = await deps.ledger.reversalsOf(ledger.filter((l) => l.kind !== 'reversal').map((l) => l.reference));
  return {
    programmeId, providerId, providerName: provider.name, generatedAt: deps.now().toISOString(), agreement: agreement ?? null, summary,
    lines: counted.map(({ c, facts }, i) => ({
      bookingId: c.bookingId, sessionId: c.sessionId, date: c.sessionDate, band: facts.band, send: facts.send, attendance: facts.attendance,
      absenceExplained: facts.explained, ...amounts[i]!,
    })),
    payments: ledger.map((l) => view(l, reversals.get(l.reference))),
  };
}

// ── Closing a holiday ──

const closureView = (c: Closure) => ({
  programmeId: c.programmeId, status: c.state, ...(c.closedAt ? { closedAt: c.closedAt, closedBy: c.closedBy } : {}), updatedAt: c.updatedAt,
});

/** Freezes the programme's delivery and DfE figures as they stand, with who closed it; register changes are refused until reopened. */
export async function closeProgramme(deps: FinanceDeps & { newId: () => string }, programmeId: string, by: string) {
  const programme = await hafProgramme(deps, programmeId, 'programmeId');
  const before = await deps.ledger.closure(programmeId);
  if (before?.state === 'closed') throw conflict(`This programme was closed on ${before.closedAt} by ${before.closedBy}; reopen it first.`);
  const inputs = await inputsOf(deps, programme);
  const snapshot = { reconciliation: delivery(inputs), hafReturn: hafReturn({ ...inputs, children: await deps.figures.childrenFigures(programmeId) }) };
  const at = deps.now().toISOString();
  const next: Closure = { programmeId, state: 'closed', version: (before?.version ?? 0) + 1, closedAt: at, closedBy: by, snapshot, updatedAt: at };
  await moveOrRefuse(deps, next, before, { programmeId, id: deps.newId(), action: 'close', at, by });
  return closureView(next);
}

export async function reopenProgramme(deps: FinanceDeps & { newId: () => string }, programmeId: string, reason: string, by: string) {
  await hafProgramme(deps, programmeId, 'programmeId');
  const before = await deps.ledger.closure(programmeId);
  if (before?.state !== 'closed') throw conflict('This programme is not closed.');
  const at = deps.now().toISOString();
  const next: Closure = { programmeId, state: 'open', version: before.version + 1, updatedAt: at };
  await moveOrRefuse(deps, next, before, { programmeId, id: deps.newId(), action: 'reopen', at, by, reason });
  return closureView(next);
}

async function moveOrRefuse(deps: FinanceDeps, next: Closure, before: Closure | undefined, event: Parameters<LedgerPort['moveClosure']>[2]) {
  if ((await deps.ledger.moveClosure(next, before, event)) === 'changedMeanwhile') {
    throw conflict('The programme was closed or reopened meanwhile; look at it again.');
  }
}

export async function closureHistory(deps: FinanceDeps, programmeId: string) {
  if (!(await deps.catalogue.getProgramme(programmeId))) throw notFound('This programme');
  return (await deps.ledger.closureEvents(programmeId)).map(({ programmeId: _p, ...e }) => e);
}

/** A programme's agreements with every earlier version, who made each and when. */
export async function agreementHistory(deps: FinanceDeps, programmeId: string, providerId?: string) {
  if (!(await deps.catalogue.getProgramme(programmeId))) throw notFound('This programme');
  const [versions, current] = await Promise.all([deps.catalogue.agreementVersions(programmeId, providerId), deps.catalogue.listAgreements(programmeId)]);
  const inForce = new Map(current.map((a) => [a.providerId, a.version]));
  return versions.map((v) => ({ id: `${v.providerId}-v${v.version}`, ...v, current: inForce.get(v.providerId) === v.version }));
}
