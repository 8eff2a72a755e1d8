import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EncryptionKeyFileError, encryptionKeyCheck, jetstreamEncryptionKey, lmdbEncryptionKey, parseEncryptionKey,
} from '../../src/config/encryptionKey.js';

const key = randomBytes(32);
const FILE = 'keys/us-east-1.key';

describe('the encryption key file', () => {
  it.each([
    ['64 hex characters', key.toString('hex')],
    ['64 hex characters in capitals', key.toString('hex').toUpperCase()],
    ['base64', key.toString('base64')],
    ['a line with a trailing newline', `${key.toString('hex')}\n`],
    ['a line with blanks around it and a CRLF', `  ${key.toString('base64')} \r\n`],
  ])('reads %s', (_, text) => {
    expect(parseEncryptionKey(text, FILE).equals(key)).toBe(true);
  });

  it.each([
    ['an empty file', '', 'it is empty'],
    ['two lines', `${key.toString('hex')}\n${key.toString('hex')}\n`, 'found 2 lines'],
    ['63 hex characters', key.toString('hex').slice(1), 'its line of 63 characters is not a key'],
    ['65 hex characters', `${key.toString('hex')}0`, 'its line of 65 characters is not a key'],
    ['base64 of 31 bytes', key.subarray(1).toString('base64'), 'its line of 44 characters is not a key'],
    ['base64 of 33 bytes', Buffer.concat([key, Buffer.from([1])]).toString('base64'), 'its line of 44 characters is not a key'],
    ['base64url', key.toString('base64url'), 'its line of 43 characters is not a key'],
    ['a passphrase', 'correct horse battery staple', 'its line of 28 characters is not a key'],
  ])('refuses %s, naming the file and never showing its content', (_, text, reason) => {
    let error: unknown;
    try {
      parseEncryptionKey(text, FILE);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EncryptionKeyFileError);
    const { message } = error as EncryptionKeyFileError;
    expect(message).toContain(`encryption key file ${FILE}: ${reason}`);
    expect(message).toContain('openssl rand -hex 32');
    for (const line of text.split('\n').filter((l) => l.trim().length > 8)) expect(message).not.toContain(line.trim());
  });
});

describe('the keys derived from the region key', () => {
  it('are one per use, none the key itself, and LMDB gets the 32 bytes it requires', () => {
    const derived = [lmdbEncryptionKey(key), jetstreamEncryptionKey(key), encryptionKeyCheck(key)];
    expect(Buffer.byteLength(derived[0], 'utf8')).toBe(32);
    expect(new Set(derived).size).toBe(3);
    for (const value of derived) {
      expect(value).not.toContain(key.toString('hex'));
      expect(value).not.toContain(key.toString('base64').slice(0, 32));
    }
    expect(lmdbEncryptionKey(randomBytes(32))).not.toBe(derived[0]);
    expect(encryptionKeyCheck(Buffer.from(key))).toBe(derived[2]);
  });
});
