/** HTTP written by hand on a TCP socket, for requests no HTTP client would send. */
import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawConnection {
  socket: Socket;
  /** The first answer, once its head and (declared) body have arrived. */
  answer: Promise<RawAnswer>;
  /** Resolves when the server has closed the connection (or it broke). */
  closed: Promise<void>;
  isClosed(): boolean;
  /** Writes and waits until the socket takes more; false once the connection is gone. */
  send(data: Buffer | string): Promise<boolean>;
}

/**
 * An HTTP/1.1 answer read from the bytes received so far: undefined until its head is whole. With
 * a Content-Length, `complete` once that much body is there; without one, the body runs to the
 * close of the connection, which only the caller can tell.
 */
export function parseHttpResponse(data: Buffer): { status: number; headers: Record<string, string>; body: Buffer; complete: boolean } | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = data.subarray(end + 4);
  const length = headers['content-length'];
  if (length === undefined) return { status: Number(statusLine.split(' ')[1]), headers, body, complete: false };
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.subarray(0, Number(length)), complete: body.length >= Number(length) };
}

/** The answer once its head and declared body (none without a Content-Length) have arrived. */
function parseAnswer(raw: Buffer): RawAnswer | undefined {
  const parsed = parseHttpResponse(raw);
  if (!parsed || (!parsed.complete && parsed.headers['content-length'] !== undefined)) return undefined;
  const body = parsed.headers['content-length'] === undefined ? '' : parsed.body.toString('utf8');
  return { status: parsed.status, headers: parsed.headers, body };
}

export async function openRaw(port: number): Promise<RawConnection> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = Buffer.alloc(0);
  let closed = false;
  // Writes into a connection the server has closed fail; the answer is what counts.
  socket.on('error', () => undefined);
  const closedPromise = new Promise<void>((resolve) => socket.once('close', () => { closed = true; resolve(); }));
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const parsed = parseAnswer(received);
      if (parsed) resolve(parsed);
    });
    void closedPromise.then(() => reject(new Error(`connection closed without a whole answer: ${JSON.stringify(received.toString('latin1'))}`)));
  });
  answer.catch(() => undefined);
  return {
    socket,
    answer,
    closed: closedPromise,
    isClosed: () => closed,
    async send(data) {
      if (closed || socket.destroyed) return false;
      if (socket.write(data)) return true;
      await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closedPromise]);
      return !closed;
    },
  };
}

/** The head of a DynamoDB API call; `length` is the declared Content-Length, or chunked when omitted. */
export function apiHead(target: string, length?: number | string): string {
  return [
    'POST / HTTP/1.1',
    'Host: 127.0.0.1',
    'Content-Type: application/x-amz-json-1.0',
    `X-Amz-Target: DynamoDB_20120810.${target}`,
    'Authorization: AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    'X-Amz-Date: 20240101T000000Z',
    length === undefined ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`,
    '', '',
  ].join('\r\n');
}
