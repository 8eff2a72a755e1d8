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

function parseAnswer(raw: Buffer): RawAnswer | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  }));
  const length = Number(headers['content-length'] ?? 0);
  if (raw.length < end + 4 + length) return undefined;
  return { status: Number(statusLine.split(' ')[1]), headers, body: raw.subarray(end + 4, end + 4 + length).toString('utf8') };
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
    length === undefined ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`,
    '', '',
  ].join('\r\n');
}
