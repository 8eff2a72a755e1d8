/** The change record as published on NATS: a documented, versioned JSON format other programs can consume. */
import type { Item, Version } from '../core/types.js';
import type { ChangeRecord } from '../storage/store.js';
import type { VersionedState } from '../core/lww.js';

export const SCHEMA_VERSION = 1;

export interface ChangeMessage {
  schemaVersion: typeof SCHEMA_VERSION;
  /** `<region>:<lsn>`: unique per change, also the JetStream message id. */
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  table: string;
  keys: Item;
  newImage?: Item;
  oldImage?: Item;
  /** The region that holds this change log (the stream's region). */
  region: string;
  /** The region whose client made the write. */
  origin: string;
  version: Version;
  prevVersion?: Version;
  lsn: number;
  commitTimeMs: number;
  /** Seconds since the epoch, as DynamoDB Streams reports it. */
  ApproximateCreationDateTime: number;
  /** Present for deletes made by the service itself (TTL expiry). */
  userIdentity?: { type: 'Service'; principalId: 'dynamodb.amazonaws.com' };
  /** Attribute-level LWW only: the writer's per-attribute versions after the write. */
  attributes?: VersionedState['attributes'];
}

export function streamName(region: string): string {
  return `CHANGES_${region.replace(/[^A-Za-z0-9]/g, '_')}`;
}

export function subjectFor(region: string, change: Pick<ChangeRecord, 'origin' | 'table'>): string {
  return `chg.${region}.${change.origin}.${change.table}`;
}

export function messageId(region: string, lsn: number): string {
  return `${region}:${lsn}`;
}

export function toMessage(region: string, change: ChangeRecord): ChangeMessage {
  return {
    schemaVersion: SCHEMA_VERSION,
    eventID: messageId(region, change.lsn),
    eventName: change.eventName,
    table: change.table,
    keys: change.keys,
    ...(change.newImage ? { newImage: change.newImage } : {}),
    ...(change.oldImage ? { oldImage: change.oldImage } : {}),
    region,
    origin: change.origin,
    version: change.version,
    ...(change.prevVersion ? { prevVersion: change.prevVersion } : {}),
    lsn: change.lsn,
    commitTimeMs: change.commitTimeMs,
    ApproximateCreationDateTime: Math.floor(change.commitTimeMs / 1000),
    ...(change.service ? { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } } : {}),
    ...(change.attributes ? { attributes: change.attributes } : {}),
  };
}
