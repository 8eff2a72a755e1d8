/**
 * Request bodies read against a limit: a body whose declared length is over it is refused before
 * any of it is read, and one sent without a length (chunked) as soon as it passes the limit;
 * nothing past the limit is kept.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FrontDoorLimits } from './limits.js';

export class BodyTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`request body over ${maxBytes} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/** The client went away (or its connection timed out) before its body was complete. */
export class BodyAborted extends Error {
  constructor(options?: { cause?: unknown }) {
    super('request body not received', options);
    this.name = 'BodyAborted';
  }
}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  // Node's parser has checked the header is a number (and refused it alongside chunked encoding).
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return Promise.reject(new BodyTooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const settle = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      settle();
      req.pause();
      reject(new BodyTooLarge(maxBytes));
    };
    const onEnd = (): void => {
      settle();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
    };
    const onError = (error: Error): void => {
      settle();
      reject(new BodyAborted({ cause: error }));
    };
    const onClose = (): void => {
      settle();
      reject(new BodyAborted());
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * Answers 413 with `Connection: close` at once, then reads and drops what the client still sends
 * (within the limits' drain bounds) before the connection closes; `body` is the answer's body
 * (DynamoDB's is empty, sent chunked).
 */
export function refuseBody(req: IncomingMessage, res: ServerResponse, limits: FrontDoorLimits, body: Buffer, headers: Record<string, string> = {}): void {
  // A chunked answer (DynamoDB's 413) has no length.
  const length = headers['Transfer-Encoding'] === undefined ? { 'Content-Length': String(body.length) } : {};
  res.writeHead(413, { ...headers, ...length, Connection: 'close' });
  if (body.length) res.write(body);
  else res.flushHeaders();
  let drained = 0;
  const finish = (): void => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', finish);
    req.off('close', finish);
    // Node closes the connection once the answer is sent (Connection: close); a body still
    // arriving is cut off there.
    res.end();
  };
  const onData = (chunk: Buffer): void => {
    drained += chunk.length;
    if (drained > limits.refusedDrainBytes) finish();
  };
  const timer = setTimeout(finish, limits.refusedDrainMs);
  timer.unref();
  req.on('data', onData);
  req.on('end', finish);
  req.on('close', finish);
  req.on('error', () => undefined);
  req.resume();
}
