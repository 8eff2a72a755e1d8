/** Messages between a replicator and its receiving worker (receiverWorker.ts). */

export type ToReceiver =
  /** Connect to the source's nats-server and read its stream's bounds; ends any earlier session. */
  | { type: 'open'; session: number; natsUrl: string; source: string; batchMax: number; batchesInFlight: number }
  /** Follow the source's own changes from startSeq on. */
  | { type: 'consume'; session: number; startSeq: number }
  /** One batch has been applied: room for another. */
  | { type: 'credit'; session: number }
  | { type: 'close'; session: number };

export type FromReceiver =
  | { type: 'opened'; session: number; firstSeq: number; lastSeq: number }
  /** `data`: the batch's change messages, as one msgpack array. */
  | { type: 'batch'; session: number; data: Uint8Array; lastSeq: number; pending: number }
  /** The session is over: the connection was lost (no error), or something failed. */
  | { type: 'ended'; session: number; error?: string };
