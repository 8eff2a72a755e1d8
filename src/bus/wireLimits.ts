/**
 * How large one change message can get, and what the bus must accept for it. A message that can
 * never be published would stop the region's whole stream behind it (each publish expects its
 * predecessor), so the bus is sized for the worst valid item, and a region refuses to start on a
 * nats-server that allows less.
 */

/**
 * The worst case, schema version 2 (wireEncode.ts), for an item at DynamoDB's limit of 409,600
 * bytes as itemSize counts them (core/values.ts):
 *
 * - Item granularity: the message carries the new image only. The costliest construct per counted
 *   byte is a list element `{BS: [<empty>]}`: it counts 1 byte (the list element) and encodes to
 *   7 (fixmap 1 + "BS" 3 + fixarray 1 + empty bin 2). 7 × 409,600 = 2,867,200 bytes.
 * - Attribute granularity: each top-level attribute also carries its own version. An attribute
 *   with an n-byte name and a value counted 0 (again `{BS: [<empty>]}`) costs n bytes of item and
 *   encodes to at most 36 + 2n: in the new image 1 + n + 7, in `versions` 1 + n + a 5-byte index,
 *   and its own version in `versionTable` 1 + 9 (ts) + 9 (counter) + 3 (region index) = 22.
 *   Short names pack the most attributes: 128 names of 1 byte (128 × 38 = 4,864), 18,304 of
 *   2 bytes (128² + 1,920; 18,304 × 40 = 732,160), then (409,600 − 2 for the key − 128 − 36,608)
 *   / 3 = 124,287 names of 3 bytes (× 42 = 5,220,054): 5,957,078 bytes.
 * - Keys (up to 2,048 + 1,024 bytes), fixed fields, the group's envelope (region, origin and table
 *   names, own count), map and array headers: under 8 KB.
 * - A group of several changes ends before 1 MiB (publisher.ts), so only a change alone comes near this.
 *
 * So one message is at most about 5.97 MB (measured with these items: test/replication/largeItems).
 * Not covered: under attribute granularity an attribute that was removed keeps its version in the
 * state (a marker, core/lwwAttributes.ts) without counting against the item's size; an item
 * updated with tens of thousands of removed names could exceed this. Such a change is reported
 * as stuck (publisher.ts), never dropped.
 */
export const WORST_CASE_CHANGE_MESSAGE_BYTES = 5_957_078 + 8 * 1024;

/**
 * max_payload for the embedded nats-server and the least a given one must allow: 8 MiB, the worst
 * case above with 40 % to spare. nats-server's default is 1 MiB; it warns above 8 MiB (and caps at 64 MiB).
 */
export const NATS_MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;

/** Room left for the headers of a JetStream publish (message id, expected sequence and stream), which max_payload counts too. */
export const PUBLISH_HEADER_ALLOWANCE_BYTES = 1024;

/** A change whose message is larger than the bus accepts: retrying will not help until the limit is raised. */
export class PayloadTooLargeError extends Error {
  constructor(readonly lsn: number, readonly payloadBytes: number, readonly maxPayloadBytes: number) {
    super(`change ${lsn} encodes to ${payloadBytes} bytes and the nats-server accepts at most ${maxPayloadBytes} (max_payload); raise it to ${NATS_MAX_PAYLOAD_BYTES}`);
    this.name = 'PayloadTooLargeError';
  }
}

/** A given nats-server allows smaller messages than the largest valid item needs. */
export class NatsMaxPayloadTooSmallError extends Error {
  constructor(readonly url: string, readonly maxPayloadBytes: number) {
    super(
      `the nats-server at ${url} accepts messages of at most ${maxPayloadBytes} bytes (max_payload); `
      + `the change of one valid item can need ${WORST_CASE_CHANGE_MESSAGE_BYTES}, so globaltables needs max_payload: ${NATS_MAX_PAYLOAD_BYTES} or more. `
      + `nats-server takes it from a config file only: put the line "max_payload: ${NATS_MAX_PAYLOAD_BYTES}" in one and start it with -c <file> (see docker-compose.yml)`,
    );
    this.name = 'NatsMaxPayloadTooSmallError';
  }
}
