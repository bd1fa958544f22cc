import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { childCounters, delta, isEmpty, moveMarker, sessionCounters, type Counts } from '../domain/figures.ts';
import type { ApplyOutcome, ClosureOutcome, FiguresPort, LedgerPort, PostOutcome } from '../domain/ports.ts';
import {
  ChildAttended, ChildrenFigures, Closure, ClosureEvent, FigureContribution, LedgerLine,
} from '../schemas/records.ts';
import { batchGet, failedConditions, queryAll } from './dynamo.ts';
import { entities, keys, parse, partitions, prefixes } from './keys.ts';
import { queryPage } from './paging.ts';

// The finance figures kept from the stream, the payments ledger and closing a holiday (docs/decisions/007).
// A booking's change moves the figures by the difference from what it contributed last, in one
// transaction with its contribution item, conditioned on the contribution read: a record delivered twice,
// or an older one after a newer, changes nothing.

type Item = Record<string, unknown>;

/** Counters are top-level number attributes (ADD takes no nested path), read back into `counts`. */
const countsOf = (i: Item | undefined, names: readonly string[]): Counts =>
  Object.fromEntries(names.flatMap((n) => (typeof i?.[n] === 'number' && i[n] !== 0 ? [[n, i[n] as number]] : [])));

/** An Update that adds each counter's difference and names the item. */
function adding(d: Counts, set: Item) {
  const names: Record<string, string> = {};
  const values: Item = {};
  const adds = Object.entries(d).map(([k, v], i) => {
    names[`#c${i}`] = k;
    values[`:c${i}`] = v;
    return `#c${i} :c${i}`;
  });
  const sets = Object.entries(set).map(([k, v], i) => {
    names[`#s${i}`] = k;
    values[`:s${i}`] = v;
    return `#s${i} = :s${i}`;
  });
  return { UpdateExpression: `ADD ${adds.join(', ')} SET ${sets.join(', ')}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

const busy = () => Object.assign(new Error('The figures kept changing while applying a booking; try again'), { name: 'ThrottlingException' });

export class FinanceStore implements FiguresPort, LedgerPort {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  private async get(Key: { pk: string; sk: string }): Promise<Item | undefined> {
    return (await this.db.send(new GetCommand({ TableName: this.table, Key, ConsistentRead: true }))).Item;
  }

  // ── Figures ──

  /**
   * Applies a booking's contribution as of its `rev`:
   * 1. the contribution last applied is read; a newer or equal one means this change is already in (`stale`);
   * 2. the session's counters move by the difference, and where the child's attendance moved, its marker and
   *    the unique-children counts of each scope it joined or left;
   * 3. all in one transaction, conditioned on the contribution and the marker being as read; if either
   *    moved meanwhile (another delivery), it starts again from 1.
   */
  async applyContribution(next: FigureContribution): Promise<ApplyOutcome> {
    const key = keys.contribution(next);
    for (let attempt = 0; attempt < 8; attempt++) {
      const item = await this.get(key);
      const stored = item && FigureContribution.parse(item);
      if (stored && stored.rev >= next.rev) return 'stale';
      const moved = delta(stored?.counts ?? {}, next.counts);
      const from = stored?.scopes ?? [];
      const markerMoves = from.join('|') !== next.scopes.join('|');
      const writes: Item[] = [{ Put: {
        TableName: this.table, Item: { ...key, entity: entities.contribution, ...next },
        ...(stored ? { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': stored.rev } } : { ConditionExpression: 'attribute_not_exists(pk)' }),
      } }];
      if (!isEmpty(moved)) {
        writes.push({ Update: {
          TableName: this.table, Key: keys.sessionFigures(next.sessionId),
          ...adding(moved, { entity: entities.sessionFigures, sessionId: next.sessionId, programmeId: next.programmeId, providerId: next.providerId }),
        } });
      }
      let markerIndex = -1;
      if (markerMoves) {
        const markerKey = keys.childAttended(next.childKey, next.programmeId);
        const markerItem = await this.get(markerKey);
        const marker = markerItem && ChildAttended.parse(markerItem);
        const who = next.facts ?? stored?.facts ?? { band: 'fsm' as const, send: false, phase: 'primary' as const };
        const { marker: after, changes } = moveMarker(marker, next.bookingId, from, next.scopes, who);
        markerIndex = writes.length;
        writes.push({ Put: {
          TableName: this.table,
          Item: {
            ...markerKey, entity: entities.childAttended, childKey: next.childKey, programmeId: next.programmeId, rev: (marker?.rev ?? 0) + 1,
            scopes: after.scopes, expiresAtEpoch: Math.max(next.expiresAtEpoch, marker?.expiresAtEpoch ?? 0),
          },
          ...(marker ? { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': marker.rev } } : { ConditionExpression: 'attribute_not_exists(pk)' }),
        } });
        for (const [scope, c] of Object.entries(changes)) {
          writes.push({ Update: {
            TableName: this.table, Key: keys.childrenFigures(next.programmeId, scope),
            ...adding(c, { entity: entities.childrenFigures, programmeId: next.programmeId, scope }),
          } });
        }
      }
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: writes as never }));
        return 'applied';
      } catch (e) {
        const failed = failedConditions(e);
        const raced = failed?.has(0) || failed?.has(markerIndex);
        const conflict = (e as Error)?.name === 'TransactionCanceledException' && !failed;
        if (!raced && !conflict) throw e;
        await new Promise((r) => setTimeout(r, Math.random() * 20 * (attempt + 1)));
      }
    }
    throw busy();
  }

  /** Each session's counters (no entry for a session nothing has been counted in). */
  async sessionFigures(sessionIds: readonly string[]): Promise<Map<string, Counts>> {
    const items = await batchGet(this.db, this.table, sessionIds.map(keys.sessionFigures));
    return new Map(items.map((i) => [parse.sessionId(String(i.pk)), countsOf(i, sessionCounters)]));
  }

  /** Unique children in every scope of a programme: one Query. */
  async childrenFigures(programmeId: string): Promise<ChildrenFigures[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :c)',
      ExpressionAttributeValues: { ':p': partitions.figures(programmeId), ':c': prefixes.children },
    });
    return items.map((i) => ChildrenFigures.parse({ programmeId, scope: parse.childrenScope(String(i.sk)), counts: countsOf(i, childCounters) }));
  }

  /** A provider's contributions in date order: its statement's lines. */
  async statementLines(programmeId: string, providerId: string): Promise<FigureContribution[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :l)',
      ExpressionAttributeValues: { ':p': partitions.statement(programmeId, providerId), ':l': prefixes.statementLine },
    });
    return items.map((i) => FigureContribution.parse(i));
  }

  // ── The payments ledger ──

  /**
   * Appends a line, claiming its reference (and, for a reversal, the line it reverses) in the same
   * transaction: a reference names one line for ever, and a line is reversed at most once.
   */
  async post(line: LedgerLine): Promise<PostOutcome> {
    const claim = keys.paymentReference(line.reference);
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [
        { Put: { TableName: this.table, Item: { ...claim, entity: entities.paymentReference, line }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: this.table, Item: { ...keys.ledgerLine(line), entity: entities.ledgerLine, ...line }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ...(line.reverses ? [{ Put: {
          TableName: this.table, Item: { ...keys.paymentReversal(line.reverses), entity: entities.paymentReversal, reversedBy: line.reference },
          ConditionExpression: 'attribute_not_exists(pk)',
        } }] : []),
      ] }));
      return { posted: line };
    } catch (e) {
      const failed = failedConditions(e);
      if (!failed) throw e;
      if (failed.has(0)) {
        const existing = await this.byReference(line.reference);
        if (existing) return { existing };
        throw busy();
      }
      return 'alreadyReversed';
    }
  }

  async byReference(reference: string): Promise<LedgerLine | undefined> {
    const item = await this.get(keys.paymentReference(reference));
    return item ? LedgerLine.parse(item.line) : undefined;
  }

  /** The references of the reversals of these lines (by the reversed line's reference). */
  async reversalsOf(references: readonly string[]): Promise<Map<string, string>> {
    const items = await batchGet(this.db, this.table, references.map(keys.paymentReversal));
    return new Map(items.map((i) => [String(i.pk).slice('PAYMENTREF#'.length), String(i.reversedBy)]));
  }

  /** Every line of a programme (of one provider): for the totals paid. */
  async ledger(programmeId: string, providerId?: string): Promise<LedgerLine[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :l)',
      ExpressionAttributeValues: { ':p': partitions.ledger(programmeId), ':l': prefixes.ledgerLinesOf(providerId) },
    });
    return items.map((i) => LedgerLine.parse(i));
  }

  /** A page of a programme's lines, by provider then posting time. */
  async ledgerPage(q: { programmeId: string; providerId?: string; limit: number; cursor?: string }): Promise<{ items: LedgerLine[]; nextCursor?: string }> {
    const partition = partitions.ledger(q.programmeId);
    const page = await queryPage(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :l)',
      ExpressionAttributeValues: { ':p': partition, ':l': prefixes.ledgerLinesOf(q.providerId) },
    }, { limit: q.limit, cursor: q.cursor, partitionValue: partition });
    return { items: page.items.map((i) => LedgerLine.parse(i)), nextCursor: page.nextCursor };
  }

  // ── Closing a holiday ──

  async closure(programmeId: string): Promise<Closure | undefined> {
    const item = await this.get(keys.closure(programmeId));
    return item ? Closure.parse(item) : undefined;
  }

  /** Moves the programme's state (closing with its snapshot, or reopening) if it is as read, with its audit entry. */
  async moveClosure(next: Closure, before: Closure | undefined, event: ClosureEvent): Promise<ClosureOutcome> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [
        { Put: {
          TableName: this.table, Item: { ...keys.closure(next.programmeId), entity: entities.closure, ...next },
          ...(before ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': before.version } } : { ConditionExpression: 'attribute_not_exists(pk)' }),
        } },
        { Put: {
          TableName: this.table, Item: { ...keys.closureEvent(event.programmeId, event.at, event.id), entity: entities.closureEvent, ...event },
          ConditionExpression: 'attribute_not_exists(pk)',
        } },
      ] }));
      return 'moved';
    } catch (e) {
      if (failedConditions(e)?.has(0)) return 'changedMeanwhile';
      throw e;
    }
  }

  async closureEvents(programmeId: string): Promise<ClosureEvent[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :c)',
      ExpressionAttributeValues: { ':p': partitions.programme(programmeId), ':c': prefixes.closureLog },
    });
    return items.map((i) => ClosureEvent.parse(i));
  }
}
