/**
 * The streams of a region's tables. A stream is a window [startLsn, endLsn] of the region's change
 * log, filtered to one table, with one shard; enabling again opens a new stream with a new label.
 */
import type { StoreTxn } from '../storage/store.js';
import type { RegionContext } from '../dynamo/context.js';
import type { KeySchemaElement } from '../core/types.js';

export type StreamViewType = 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';

export interface StreamMeta {
  arn: string;
  label: string;
  tableName: string;
  keySchema: KeySchemaElement[];
  viewType: StreamViewType;
  createdAtMs: number;
  /** First lsn that may belong to the stream. */
  startLsn: number;
  /** Last lsn that belongs to it, once the stream is disabled (its shard is closed). */
  endLsn?: number;
}

const STREAMS_KEY = 'streams';

export function listStreamMetas(txn: StoreTxn): StreamMeta[] {
  return txn.getMeta<StreamMeta[]>(STREAMS_KEY) ?? [];
}

/** Labels are the creation time, as DynamoDB's are; a counter keeps two in one millisecond apart. */
function label(nowMs: number, existing: StreamMeta[]): string {
  const base = new Date(nowMs).toISOString().replace('Z', '');
  return existing.some((s) => s.label === base) ? `${base}${existing.length}` : base;
}

export function openStream(ctx: RegionContext, txn: StoreTxn, table: { name: string; keySchema: KeySchemaElement[] }, viewType: StreamViewType): StreamMeta {
  const nowMs = ctx.clock.trueNowMs();
  const streams = listStreamMetas(txn);
  const streamLabel = label(nowMs, streams);
  const stream: StreamMeta = {
    arn: `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${table.name}/stream/${streamLabel}`,
    label: streamLabel,
    tableName: table.name,
    keySchema: table.keySchema,
    viewType,
    createdAtMs: nowMs,
    startLsn: ctx.store.lastLsn() + 1,
  };
  txn.putMeta(STREAMS_KEY, [...streams, stream]);
  return stream;
}

/** Closes the table's open stream: its shard ends at the last change committed so far. */
export function closeStream(ctx: RegionContext, txn: StoreTxn, tableName: string): void {
  const streams = listStreamMetas(txn);
  const endLsn = ctx.store.lastLsn();
  txn.putMeta(STREAMS_KEY, streams.map((s) => (s.tableName === tableName && s.endLsn === undefined ? { ...s, endLsn } : s)));
}

/** A stream ARN's shape: `arn:<partition>:dynamodb:<region>:<account>:table/<name>/stream/<label>`. */
const STREAM_ARN = /^arn:[^:]+:dynamodb:[^:]+:[^:]+:table\/[a-zA-Z0-9_.-]{3,255}\/stream\/[^/]+$/;

export function isStreamArn(arn: string): boolean {
  return STREAM_ARN.test(arn);
}

export function findStream(txn: StoreTxn, arn: string): StreamMeta | undefined {
  return listStreamMetas(txn).find((s) => s.arn === arn);
}

/** 21-digit sequence numbers, like DynamoDB's, ordered as the lsns they encode. */
export function sequenceNumber(lsn: number): string {
  return (10n ** 20n + BigInt(lsn)).toString();
}

export function lsnOf(sequence: string): number | undefined {
  if (!/^\d{21,40}$/.test(sequence)) return undefined;
  return Number(BigInt(sequence) - 10n ** 20n);
}

export function shardId(stream: StreamMeta): string {
  return `shardId-${String(stream.createdAtMs).padStart(20, '0')}-${stream.label.replace(/\D/g, '').slice(-8).padStart(8, '0')}`;
}
