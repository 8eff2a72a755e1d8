/**
 * One HTTP request with exactly the headers given (node's client adds only Host and the body's
 * framing: no Accept-Encoding, no Content-Type) and the answer's exact bytes, compressed or not.
 */
import { request } from 'node:http';

export interface Exchange {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function exchange(port: number, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'POST', path: options.path ?? '/', headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The headers of a signed API call (the region checks that a request is signed, not the signature). */
export function signedCall(target: string, contentType = 'application/x-amz-json-1.0'): Record<string, string> {
  return {
    'Content-Type': contentType,
    'X-Amz-Target': `DynamoDB_20120810.${target}`,
    Authorization: 'AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    'X-Amz-Date': '20240101T000000Z',
  };
}
