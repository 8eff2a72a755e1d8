/**
 * Messages between a replicator and its receiving worker (receiverWorker.ts), and the batch
 * encoding both sides share: the simulated source (src/sim/changeSource.ts) runs the same
 * packBatch → unpackBatch path, so a replicator applies exactly what the worker would hand it.
 */
import type { Heartbeat } from '../bus/heartbeat.js';
import { decodeChangeMessage } from '../bus/wireDecode.js';
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

/** How many of the received messages (their sizes, oldest first) the next batch takes: at most batchMax, and BATCH_MAX_BYTES unless one alone is more. */
export function batchCount(sizes: readonly number[], batchMax: number): number {
  let count = 0;
  let bytes = 0;
  while (count < sizes.length && count < batchMax) {
    bytes += sizes[count];
    if (count > 0 && bytes > BATCH_MAX_BYTES) break;
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

/** On the receiving side: decodes the messages' payloads and encodes the records the region stores. */
export function packBatch(payloads: readonly Uint8Array[]): PackedBatch {
  const { changes, records } = encodeBatch(payloads.map((payload) => decodeChangeMessage(payload)));
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
  | { type: 'batch'; session: number; data: Uint8Array; records: Uint8Array; lastSeq: number; pending: number }
  /** The source's heartbeat (bus/heartbeat.ts), heard through the same connection. */
  | { type: 'heartbeat'; session: number; heartbeat: Heartbeat }
  /** The session is over: the connection was lost (no error), or something failed. */
  | { type: 'ended'; session: number; error?: string };
