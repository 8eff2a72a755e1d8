/**
 * The change record as published on NATS: a documented, versioned format other programs can
 * consume (README, "Change streams on NATS JetStream"). Version 3 is msgpack, one message per group
 * of consecutive changes of one origin and table (wireEncode.ts, wireDecode.ts); versions 2 (one
 * msgpack message per change) and 1 (JSON) are still read, for what a stream held before an upgrade.
 */
import type { VersionedState } from '../core/lww.js';
import type { Item, Version } from '../core/types.js';
import type { ChangeRecord } from '../storage/store.js';

export const SCHEMA_VERSION = 3;
/** One msgpack message per change: written before groups, still read. */
export const SINGLE_CHANGE_SCHEMA_VERSION = 2;
export const LEGACY_SCHEMA_VERSION = 1;

/** A change as it was published, in this project's own terms (binary as base64, numbers as stored). */
export interface ChangeMessage {
  schemaVersion: typeof SCHEMA_VERSION | typeof SINGLE_CHANGE_SCHEMA_VERSION | typeof LEGACY_SCHEMA_VERSION;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  table: string;
  keys: Item;
  newImage?: Item;
  /** The region that holds this change log (the stream's region). */
  region: string;
  /** The region whose client made the write. */
  origin: string;
  version: Version;
  prevVersion?: Version;
  lsn: number;
  commitTimeMs: number;
  /** A delete made by the service itself (TTL expiry). */
  service?: true;
  /** Attribute-level LWW only: the writer's per-attribute versions after the write. */
  attributes?: VersionedState['attributes'];
}

/** Present on deletes made by the service itself (TTL expiry), as DynamoDB Streams shows them. */
export const SERVICE_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' } as const;

/**
 * Schema version 1, JSON: every field of ChangeMessage plus the old image, the event id and the
 * creation time in seconds; binary values as base64 strings.
 */
export interface ChangeMessageV1 extends Omit<ChangeMessage, 'schemaVersion' | 'service'> {
  schemaVersion: typeof LEGACY_SCHEMA_VERSION;
  eventID: string;
  oldImage?: Item;
  ApproximateCreationDateTime: number;
  userIdentity?: typeof SERVICE_IDENTITY;
}

export interface WireAttributes {
  /** Every region named by a version in `versionTable`. */
  regions: string[];
  /** The distinct versions: [ts, counter, index into regions]. */
  versionTable: [number, number, number][];
  /** Per top-level non-key attribute, the index of its version in versionTable. */
  versions: Record<string, number>;
  floor?: number;
  live?: number;
  /** Absent when they are the new image's non-key attributes, which they are but for a bug. */
  values?: Item;
}

/** A message this version cannot read (a newer schema, or not a change message at all). */
export class UnreadableChangeMessageError extends Error {
  constructor(reason: string) {
    super(`unreadable change message: ${reason}`);
    this.name = 'UnreadableChangeMessageError';
  }
}

export function streamName(region: string): string {
  return `CHANGES_${region.replace(/[^A-Za-z0-9]/g, '_')}`;
}

export function subjectFor(region: string, change: Pick<ChangeRecord, 'origin' | 'table'>): string {
  return `chg.${region}.${change.origin}.${change.table}`;
}

/**
 * One published message, as a receiver reads it: its changes in lsn order, and, from schema
 * version 3 on, how many of the stream region's own changes the stream holds up to its last one.
 */
export interface ReceivedMessage {
  changes: ChangeMessage[];
  ownCount?: number;
}

/**
 * A message's id: `<region>:<first lsn>-<last lsn>` for a group (schema 3), `<region>:<lsn>` for
 * one change (schemas 1 and 2). A retried group is the same group, so the same id; a group formed
 * differently after a failure has another id, and the expected last sequence refuses it.
 */
export function messageId(region: string, firstLsn: number, lastLsn: number): string {
  return `${region}:${firstLsn}-${lastLsn}`;
}
