/** What the HTTP server accepts: body sizes and how long a client may take to send a request. */

export interface FrontDoorLimits {
  /** Largest DynamoDB (and DynamoDB Streams) API request body. */
  apiMaxBodyBytes: number;
  /** Largest body of any other route (the admin API takes small JSON documents). */
  otherMaxBodyBytes: number;
  /** Time to receive a request's headers. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, headers and body: a body shorter than its declared length ends here. */
  requestTimeoutMs: number;
  /** How often the two timeouts above are checked (node checks them on an interval). */
  timeoutCheckIntervalMs: number;
  /**
   * After a 413 the rest of the body is read and dropped, up to this many bytes or for this long,
   * so that a client that sends its whole body before reading (urllib3, the AWS CLI) sees the
   * answer rather than a reset connection; then the connection is closed.
   */
  refusedDrainBytes: number;
  refusedDrainMs: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_FRONT_DOOR_LIMITS: FrontDoorLimits = {
  // DynamoDB's own limit: it answers 413 to a body over 16 MiB and accepts one of exactly 16 MiB
  // (recorded in dynalite's and ScyllaDB Alternator's tests against the service). BatchWriteItem,
  // the largest request, may send 16 MB "over the network" (its documented limit): 25 items of
  // 400 KB are under 14 MB as JSON even with binary values in base64.
  apiMaxBodyBytes: 16 * MiB,
  otherMaxBodyBytes: 1 * MiB,
  // Generous for any real client on the networks a simulator runs on; node's defaults (60 s for
  // headers, 300 s for a request) let a stalled client hold a connection for minutes.
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
  timeoutCheckIntervalMs: 5_000,
  refusedDrainBytes: 32 * MiB,
  refusedDrainMs: 5_000,
};
