/**
 * Messages between a replicator and its receiving worker (receiverWorker.ts), and the batch
 * encoding both sides share: the simulated source (src/sim/changeSource.ts) runs the same
 * packBatch → unpackBatch path, so a replicator applies exactly what the worker would hand it.
 */
import type { Heartbeat } from '../bus/heartbeat.js';
import type { ChangeMessage } from '../bus/wire.js';
import { decodeMessage } from '../bus/wireDecode.js';
import { NameSafePackr } from '../storage/nameSafePackr.js';
import { decodeBatch, encodeBatch, type IncomingChange, type WireIncoming } from './incoming.js';

/**
 * A session's credit counters, shared by both threads: batches applied so far (the main thread
 * adds to it), and whether the worker waits for room (then the main thread also sends 'credit').
 * While batches flow, credit costs no message at all.
 */
export const APPLIED = 0;
export const WAITING = 1;
export const newCredits = (): Int32Array => new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));

/**
 * A batch also ends at this many bytes of messages: a thousand changes of the largest items would
 * otherwise be gigabytes in flight between the threads.
 */
export const BATCH_MAX_BYTES = 16 * 1024 * 1024;

/** A message as received, decoded: its size on the wire and its changes. */
export interface Received {
  bytes: number;
  changes: ChangeMessage[];
  /** The source's own changes up to this message's last one (schema version 3 on). */
  ownCount?: number;
}

/** A message's payload as received; UnreadableChangeMessageError for one this version cannot read. */
export function receive(payload: Uint8Array): Received {
  const { changes, ownCount } = decodeMessage(payload);
  return { bytes: payload.length, changes, ...(ownCount === undefined ? {} : { ownCount }) };
}

/**
 * How many of the received messages (oldest first) the next batch takes: at most batchMax changes
 * and BATCH_MAX_BYTES, unless one message alone is more (a message is never split: its changes
 * apply together).
 */
export function batchCount(received: readonly Received[], batchMax: number): number {
  let count = 0;
  let bytes = 0;
  let changes = 0;
  while (count < received.length) {
    bytes += received[count].bytes;
    changes += received[count].changes.length;
    if (count > 0 && (bytes > BATCH_MAX_BYTES || changes > batchMax)) break;
    count += 1;
  }
  return count;
}

export interface PackedBatch {
  /** The batch's changes (WireIncoming, incoming.ts) as one msgpack array. */
  data: Uint8Array;
  /** Their records, encoded for the store. */
  records: Uint8Array;
}

/** On the receiving side: encodes the records the region stores for the messages' changes. */
export function packBatch(messages: readonly Received[]): PackedBatch {
  const { changes, records } = encodeBatch(messages.flatMap((message) => message.changes));
  // A fresh Packr puts the record definitions in the buffer itself, and the copy gives the
  // buffer an ArrayBuffer of its own to transfer (msgpackr reuses its working buffer).
  return { data: new Uint8Array(new NameSafePackr().pack(changes)), records };
}

/** On the region's thread: the changes of a packed batch. */
export function unpackBatch({ data, records }: PackedBatch): IncomingChange[] {
  return decodeBatch(new NameSafePackr().unpack(data) as WireIncoming[], records);
}

export type ToReceiver =
  /** Connect to the source's nats-server and read its stream's bounds; ends any earlier session. */
  | { type: 'open'; session: number; natsUrl: string; source: string; batchMax: number; batchesInFlight: number; credits: Int32Array }
  /** Follow the source's own changes from startSeq on. */
  | { type: 'consume'; session: number; startSeq: number }
  /** The worker was waiting for room and a batch has been applied since. */
  | { type: 'credit'; session: number }
  | { type: 'close'; session: number };

export type FromReceiver =
  | { type: 'opened'; session: number; firstSeq: number; lastSeq: number }
  /** A packed batch (packBatch). */
  | { type: 'batch'; session: number; data: Uint8Array; records: Uint8Array; lastSeq: number; pending: number; ownCount?: number }
  /** The source's heartbeat (bus/heartbeat.ts), heard through the same connection. */
  | { type: 'heartbeat'; session: number; heartbeat: Heartbeat }
  /** The session is over: the connection was lost (no error), or something failed. */
  | { type: 'ended'; session: number; error?: string };
