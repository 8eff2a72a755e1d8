/**
 * Signing a DynamoDB API call for real, as the AWS SDK does (its own SigV4 and SHA-256), for the
 * scenario runner and the console when their regions check signatures (`auth: sigv4`).
 */
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Credentials } from '../config/credentials.js';
import { SIGNING_SERVICE } from '../http/signatureClaim.js';

/** What a caller signs with: a key the regions accept, and the region name for the signature's scope. */
export interface SigningKey {
  credentials: Credentials;
  region: string;
}

/**
 * `headers` with the signature added (Authorization, X-Amz-Date). The Host it covers is the
 * endpoint's, which fetch sends by itself, so it is not among the headers returned.
 */
export async function signedHeaders(endpoint: string, key: SigningKey, headers: Record<string, string>, body: string): Promise<Record<string, string>> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials: key.credentials, region: key.region, service: SIGNING_SERVICE, sha256: Sha256, applyChecksum: false });
  const signed = await signer.sign({
    method: 'POST', protocol: url.protocol, hostname: url.hostname, path: '/', query: {}, headers: { ...headers, host: url.host }, body,
  });
  const { host: _host, ...rest } = signed.headers;
  return rest;
}
