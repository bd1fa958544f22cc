import {
  AgreementQuery, AgreementVersionList, ClosureEventList, ClosureParams, ClosureView, HafReturn, Payment, PaymentInput, PaymentList,
  PaymentQuery, ProgrammeParam, Reconciliation, ReopenInput, Statement, StatementParams, statementColumns,
} from '../../schemas/finance.ts';
import { csvView } from '../csv.ts';
import { define } from '../route.ts';

// Finance officers (group `finance`): reconciliation, the payments ledger, statements, closing a holiday and
// the DfE HAF return. Every list is also CSV for a spreadsheet: UTF-8 with a byte-order mark, ISO dates,
// amounts as plain numbers.

const reconciliationColumns = [
  'providerId', 'providerName', 'paymentBasis', 'ratePencePerChildDay', 'grantAllocatedPence', 'placesCommissioned', 'placesBooked',
  'childDaysBooked', 'childDaysBookedDiscretionary', 'childDaysAttended', 'childDaysAttendedFsm', 'childDaysAttendedDiscretionary',
  'childDaysAttendedSend', 'childDaysAbsent', 'childDaysUnrecorded', 'sessions', 'sessionsPast', 'registersMissing', 'attendanceRate',
  'discretionaryShare', 'earnedBeforeCapPence', 'earnedPence', 'advanceDuePence', 'paidPence', 'balancePence', 'flags',
] as const;

const paymentColumns = [
  'id', 'programmeId', 'providerId', 'kind', 'amountPence', 'effectPence', 'paidOn', 'reference', 'reverses', 'reversedBy', 'postedAt', 'postedBy',
] as const;

export const financeRoutes = define([
  { method: 'GET', path: '/v1/finance/reconciliation', fn: 'finance-api', role: 'finance', operationId: 'getReconciliation',
    summary: 'One row per provider: allocated, commissioned, booked, attended, registers missing, earned, paid, balance and flags, with a totals row (JSON or CSV)',
    query: ProgrammeParam, response: Reconciliation,
    csv: { ...csvView(Reconciliation, 'rows', reconciliationColumns, () => 'reconciliation.csv'), totals: 'totals', bom: true } },
  { method: 'POST', path: '/v1/finance/payments', fn: 'finance-api', role: 'finance', operationId: 'postPayment',
    summary: 'Append a line to the payments ledger (never edited: a correction is a reversal and a new line); the same reference again answers as the first time',
    body: PaymentInput, response: Payment, success: [201], idempotent: 'record' },
  { method: 'GET', path: '/v1/finance/payments', fn: 'finance-api', role: 'finance', operationId: 'listPayments',
    summary: "A programme's ledger lines (of one provider), by provider then posting time (JSON or CSV)",
    query: PaymentQuery, response: PaymentList,
    csv: { ...csvView(PaymentList, 'items', paymentColumns, () => 'payments.csv'), bom: true } },
  { method: 'GET', path: '/v1/finance/statements/{providerId}', fn: 'finance-api', role: 'finance', operationId: 'getStatement',
    summary: "A provider's statement: every child-day with its amount and the reason for anything unpaid, its row and its payments (JSON, or the lines as CSV)",
    params: StatementParams, query: ProgrammeParam, response: Statement,
    csv: { ...csvView(Statement, 'lines', statementColumns, (p) => `statement-${p.providerId}.csv`), bom: true } },
  { method: 'POST', path: '/v1/finance/programmes/{programmeId}/close', fn: 'finance-api', role: 'finance', operationId: 'closeProgramme',
    summary: "Freeze the programme's reconciliation and DfE figures as they stand; its registers are refused (409) until it is reopened",
    params: ClosureParams, response: ClosureView, success: [200], idempotent: 'record' },
  { method: 'POST', path: '/v1/finance/programmes/{programmeId}/reopen', fn: 'finance-api', role: 'finance', operationId: 'reopenProgramme',
    summary: 'Reopen a closed programme, with the reason, kept in its audit trail', params: ClosureParams, body: ReopenInput,
    response: ClosureView, success: [200], idempotent: 'record' },
  { method: 'GET', path: '/v1/finance/programmes/{programmeId}/closures', fn: 'finance-api', role: 'finance', operationId: 'listClosures',
    summary: 'The audit trail of closing and reopening the programme: who, when and why (JSON or CSV)', params: ClosureParams, response: ClosureEventList,
    csv: { ...csvView(ClosureEventList, 'items', ['id', 'action', 'at', 'by', 'reason'], (p) => `closures-${p.programmeId}.csv`), bom: true } },
  { method: 'GET', path: '/v1/finance/returns/haf', fn: 'finance-api', role: 'finance', operationId: 'getHafReturn',
    summary: 'The figures a council returns to DfE for a HAF programme, per provider, per district and in total (JSON or CSV)',
    query: ProgrammeParam, response: HafReturn,
    csv: { ...csvView(HafReturn, 'rows', [
      'level', 'id', 'name', 'uniqueChildren', 'fsmChildren', 'nonFsmChildren', 'sendChildren', 'primaryChildren', 'secondaryChildren',
      'hafFundedPlaces', 'childDaysAttended', 'childDaysAttendedFsm', 'childDaysAttendedNonFsm', 'sessionsOffered', 'sessionsAttended',
      'providers', 'venues', 'nonFsmShare', 'nonFsmShareCap', 'nonFsmShareOverCap',
    ], () => 'haf-return.csv'), totals: 'totals', bom: true } },
  { method: 'GET', path: '/v1/finance/agreements', fn: 'finance-api', role: 'finance', operationId: 'listAgreementVersions',
    summary: "A programme's agreements (of one provider) with every earlier version, who made each and when (JSON or CSV)",
    query: AgreementQuery, response: AgreementVersionList,
    csv: { ...csvView(AgreementVersionList, 'items', [
      'id', 'programmeId', 'providerId', 'version', 'current', 'grantAllocationPence', 'ratePencePerChildDay', 'rates.fsm', 'rates.discretionary',
      'rates.sendUplift', 'placesCommissioned', 'paymentBasis', 'advanceShare', 'attendanceThreshold', 'updatedBy', 'updatedAt',
    ], () => 'agreements.csv'), bom: true } },
]);
