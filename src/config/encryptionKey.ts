/**
 * A region's encryption key: 32 random bytes, written in its key file as 64 hex characters or as
 * base64 (44 characters), on one line. One key serves the whole region: the key of each store is
 * derived from it under a label of its own, so no store ever holds the key another one uses.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const ENCRYPTION_KEY_BYTES = 32;

/** A key file that cannot be read or does not hold a key; the message names the file, never its content. */
export class EncryptionKeyFileError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`encryption key file ${file}: ${reason}`);
    this.name = 'EncryptionKeyFileError';
  }
}

const FORMAT = `it must hold ${ENCRYPTION_KEY_BYTES} random bytes as 64 hex characters or as base64 (44 characters), on one line ` +
  '(make one with: openssl rand -hex 32)';

/** The key a key file's text holds; surrounding blanks and one trailing newline are allowed, nothing else. */
export function parseEncryptionKey(text: string, file: string): Buffer {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length !== 1) throw new EncryptionKeyFileError(file, lines.length ? `found ${lines.length} lines; ${FORMAT}` : `it is empty; ${FORMAT}`);
  const value = lines[0].trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/]{43}=$/.test(value)) {
    const key = Buffer.from(value, 'base64');
    if (key.length === ENCRYPTION_KEY_BYTES) return key;
  }
  // The length only: the value itself may be a key with a typo, which is a secret all the same.
  throw new EncryptionKeyFileError(file, `its line of ${value.length} characters is not a key; ${FORMAT}`);
}

export function readEncryptionKeyFile(file: string): Buffer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EncryptionKeyFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseEncryptionKey(text, file);
}

const derive = (key: Buffer, label: string): Buffer => createHmac('sha256', key).update(`globaltables ${label}`).digest();

/**
 * LMDB's key: it takes a string of exactly 32 bytes (UTF-8), so 24 derived bytes in base64, which
 * keep 192 bits of the key's strength.
 */
export const lmdbEncryptionKey = (key: Buffer): string => derive(key, 'lmdb encryption').subarray(0, 24).toString('base64');

/** The embedded nats-server's JetStream key (it derives its stream keys from this string). */
export const jetstreamEncryptionKey = (key: Buffer): string => derive(key, 'jetstream encryption').toString('hex');

/** What a data directory records of the key it was encrypted with: tells a wrong key apart without revealing the key. */
export const encryptionKeyCheck = (key: Buffer): string => derive(key, 'key check').toString('hex');
