/**
 * Load generator, run as its own process so it never shares a core with the server under test.
 * It speaks HTTP/1.1 on raw keep-alive sockets (one request in flight per connection) because
 * node's http client costs more CPU per request than a fast server does, and would measure itself.
 */
import { connect, type Socket } from 'node:net';

interface LoadSpec {
  endpoint: string;
  /** Spread the connections over these endpoints (round robin) instead of `endpoint` alone. */
  endpoints?: string[];
  /** Total requests per second across all connections; omitted: as fast as responses come back. */
  ratePerSecond?: number;
  operation: 'PutItem' | 'GetItem';
  table: string;
  connections: number;
  keys: number;
  valueBytes: number;
  warmupMs: number;
  durationMs: number;
  /** Make every PutItem change its item (an identical put changes nothing and is not streamed). */
  varyValues?: boolean;
}

const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000000000000000000000000000000000000000000000000000000000000000';

function requestBytes(spec: LoadSpec, host: string, value: string): Buffer {
  const pk = `k${Math.floor(Math.random() * spec.keys)}`;
  const body = spec.operation === 'PutItem'
    ? JSON.stringify({ TableName: spec.table, Item: { pk: { S: pk }, v: { S: spec.varyValues ? `${value.slice(12)}${Math.random().toString(36).slice(2, 14).padEnd(12, '0')}` : value } } })
    : JSON.stringify({ TableName: spec.table, Key: { pk: { S: pk } } });
  return Buffer.from(`POST / HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.${spec.operation}\r\nX-Amz-Date: 20240101T000000Z\r\nAuthorization: ${AUTHORIZATION}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** Reads one response at a time off a socket: status line, headers, Content-Length body. */
class ResponseReader {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): number | undefined {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const headerEnd = this.buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return undefined;
    const head = this.buffer.subarray(0, headerEnd).toString('latin1');
    const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    const total = headerEnd + 4 + length;
    if (this.buffer.length < total) return undefined;
    this.buffer = this.buffer.subarray(total);
    return Number(head.slice(9, 12));
  }
}

export interface LoadResult {
  ops: number;
  errors: number;
  latenciesMs: number[];
  /** Wall-clock bounds of the measured window, so other processes can line their figures up. */
  windowStartMs: number;
  windowEndMs: number;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const endpoints = (spec.endpoints ?? [spec.endpoint]).map((e) => new URL(e));
  // At a fixed rate each connection sends on its own schedule, so a slow response delays only its connection.
  const intervalMs = spec.ratePerSecond ? (spec.connections * 1000) / spec.ratePerSecond : 0;
  const value = 'x'.repeat(spec.valueBytes);
  const start = performance.now();
  const wallStart = Date.now();
  const measureFrom = start + spec.warmupMs;
  const stopAt = measureFrom + spec.durationMs;
  const latenciesMs: number[] = [];
  let errors = 0;
  const connection = (index: number): Promise<void> => new Promise((resolve, reject) => {
    const url = endpoints[index % endpoints.length];
    const socket: Socket = connect(Number(url.port), url.hostname);
    let nextAt = start + (intervalMs * index) / spec.connections;
    socket.setNoDelay(true);
    const reader = new ResponseReader();
    let sentAt = 0;
    const sendNow = (): void => {
      sentAt = performance.now();
      socket.write(requestBytes(spec, url.host, value));
    };
    const send = (): void => {
      if (!intervalMs) return sendNow();
      nextAt += intervalMs;
      const waitMs = nextAt - performance.now();
      if (waitMs <= 0) sendNow();
      else setTimeout(sendNow, waitMs);
    };
    socket.on('connect', send);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      const status = reader.push(chunk);
      if (status === undefined) return;
      const doneAt = performance.now();
      if (sentAt >= measureFrom) {
        latenciesMs.push(doneAt - sentAt);
        if (status !== 200) errors += 1;
      }
      if (doneAt < stopAt) send();
      else { socket.end(); resolve(); }
    });
  });
  await Promise.all(Array.from({ length: spec.connections }, (_, i) => connection(i)));
  return {
    ops: latenciesMs.length / (spec.durationMs / 1000),
    errors,
    latenciesMs,
    windowStartMs: wallStart + spec.warmupMs,
    windowEndMs: wallStart + spec.warmupMs + spec.durationMs,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}

if (process.argv[2]) {
  const spec = JSON.parse(process.argv[2]) as LoadSpec;
  const result = await runLoad(spec);
  const sorted = result.latenciesMs.sort((a, b) => a - b);
  const { latenciesMs: _all, ...summary } = result;
  process.stdout.write(`${JSON.stringify({ ...summary, requests: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) })}\n`);
}
