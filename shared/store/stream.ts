import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import {
  ApplicationOpening, ApplicationRecord, BookingRecord, PlaceCounts, ProgrammeRecord, ReferralRecord, ReleaseRecord, RoomRecord, type StoredApplication,
} from '../schemas/records.ts';
import { entities, parse } from './keys.ts';

// The table's stream, read as changes to the domain's records: what the reactions (shared/reactions/)
// look at. Only this module knows how items and images are laid out.

export type EntityChange =
  | { entity: 'application'; before?: StoredApplication; after?: StoredApplication }
  | { entity: 'booking'; before?: BookingRecord; after?: BookingRecord; sequence: string }
  | { entity: 'places'; sessionId: string; before?: PlaceCounts; after?: PlaceCounts }
  | { entity: 'referral'; before?: ReferralRecord; after?: ReferralRecord }
  | { entity: 'room'; before?: RoomRecord; after?: RoomRecord }
  | { entity: 'release'; before?: ReleaseRecord; after?: ReleaseRecord }
  | { entity: 'programme'; before?: ProgrammeRecord; after?: ProgrammeRecord }
  | { entity: 'other' };

type Image = Record<string, unknown>;

// Lambda's event types describe attribute values their own way; the wire format is the SDK's.
const image = (raw: unknown): Image | undefined => (raw ? unmarshall(raw as Record<string, AttributeValue>) : undefined);

const application = (i: Image | undefined): StoredApplication | undefined =>
  i && (i.status === 'complete' ? ApplicationRecord.parse(i) : { status: 'processing', ...ApplicationOpening.parse(i) });

/** One stream record as a change to one record; an item of ours that does not read as its record is a fault (retried). */
export function decodeChange(record: DynamoDBRecord): EntityChange {
  const after = image(record.dynamodb?.NewImage);
  const before = image(record.dynamodb?.OldImage);
  switch ((after ?? before)?.entity) {
    case entities.application:
      return { entity: 'application', before: application(before), after: application(after) };
    case entities.booking:
      return {
        entity: 'booking', before: before && BookingRecord.parse(before), after: after && BookingRecord.parse(after),
        sequence: record.dynamodb?.SequenceNumber ?? '',
      };
    case entities.places:
      return {
        entity: 'places', sessionId: parse.sessionId(String((after ?? before)!.pk)),
        before: before && PlaceCounts.parse(before), after: after && PlaceCounts.parse(after),
      };
    case entities.referral:
      return { entity: 'referral', before: before && ReferralRecord.parse(before), after: after && ReferralRecord.parse(after) };
    case entities.room:
      return { entity: 'room', before: before && RoomRecord.parse(before), after: after && RoomRecord.parse(after) };
    case entities.release:
      return { entity: 'release', before: before && ReleaseRecord.parse(before), after: after && ReleaseRecord.parse(after) };
    case entities.programme:
      return { entity: 'programme', before: before && ProgrammeRecord.parse(before), after: after && ProgrammeRecord.parse(after) };
    default:
      return { entity: 'other' };
  }
}
