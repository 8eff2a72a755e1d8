/** The ChangeBus seam, publisher side: an append-only stream per region, one message per change. */

export interface PublishResult {
  /** Stream sequence the message got (equal to its lsn). */
  seq: number;
  duplicate: boolean;
}

export interface ChangeBus {
  /** Creates the region's stream if it does not exist yet. */
  ensureStream(): Promise<void>;
  /**
   * Appends a message that must directly follow sequence `seq - 1`, so the stream can never hold
   * changes out of order or with gaps; rejected (throws) when it would not.
   */
  publish(subject: string, seq: number, msgId: string, payload: Uint8Array): Promise<PublishResult>;
  /** The last sequence the stream holds (0 when empty). */
  lastSequence(): Promise<number>;
  /**
   * The largest message (payload and headers) the bus accepts now, undefined for no limit. It can
   * change while the bus runs (a nats-server restarted with another max_payload).
   */
  maxMessageBytes(): number | undefined;
  close(): Promise<void>;
}
