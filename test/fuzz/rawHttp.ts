/**
 * HTTP/1.1 over a bare socket: the request goes out byte for byte as given (invalid UTF-8, wrong
 * Content-Length, no headers at all), one connection per request, and the answer is read until
 * the server closes or the declared body has arrived.
 */
import { connect } from 'node:net';
import { parseHttpResponse } from '../helpers/rawHttp.js';

export interface RawRequest {
  /** Header lines without the request line; Host and Connection are added. */
  headers: [string, string][];
  body: Buffer;
  /** Stop writing after this many body bytes (a truncated body) and half-close the socket… */
  sendBytes?: number;
  /** …or leave it open, as a client that stalls. */
  keepOpen?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export class HangError extends Error {}

/** The answer so far: whole once its declared body is there, or (without a length) at the close. */
function parse(data: Buffer): RawResponse | undefined {
  const parsed = parseHttpResponse(data);
  if (!parsed || (!parsed.complete && parsed.headers['content-length'] !== undefined)) return undefined;
  return { status: parsed.status, headers: parsed.headers, body: parsed.body };
}

/** Sends one request to POST / and resolves with the answer; rejects with HangError after timeoutMs. */
export function sendRaw(port: number, request: RawRequest, timeoutMs: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error: Error | undefined, response?: RawResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(response!);
    };
    const timer = setTimeout(() => finish(new HangError(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const response = parse(Buffer.concat(chunks));
      if (response && response.headers['content-length'] !== undefined) finish(undefined, response);
    });
    socket.on('end', () => {
      const response = parse(Buffer.concat(chunks));
      finish(response ? undefined : new Error(`connection closed without a complete answer (${Buffer.concat(chunks).length} bytes)`), response);
    });
    socket.on('error', (error) => finish(error));
    const head = ['POST / HTTP/1.1', 'Host: 127.0.0.1', 'Connection: close', ...request.headers.map(([name, value]) => `${name}: ${value}`)];
    socket.write(`${head.join('\r\n')}\r\n\r\n`, 'latin1');
    if (request.sendBytes === undefined) socket.write(request.body);
    else {
      socket.write(request.body.subarray(0, request.sendBytes));
      if (!request.keepOpen) socket.end();
    }
  });
}
