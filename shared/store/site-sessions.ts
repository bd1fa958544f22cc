import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SiteSessionsPort } from '../domain/ports.ts';
import { SiteSessionRecord } from '../schemas/records.ts';
import { entities, keys } from './keys.ts';

// Booking site sessions: one small item each, gone a few hours after its last use (DynamoDB TTL, and
// refused here once expired, since TTL deletes within days rather than on the second).

export class SiteSessionStore implements SiteSessionsPort {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async get(id: string, now: Date): Promise<SiteSessionRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.siteSession(id), ConsistentRead: true }));
    const parsed = out.Item ? SiteSessionRecord.safeParse(out.Item) : undefined;
    // A session written by another version of the site that no longer reads is a new start, not an error.
    if (!parsed?.success || parsed.data.expiresAtEpoch * 1000 <= now.getTime()) return undefined;
    return parsed.data;
  }

  async put(session: SiteSessionRecord): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...keys.siteSession(session.id), entity: entities.siteSession, ...session } }));
  }
}
