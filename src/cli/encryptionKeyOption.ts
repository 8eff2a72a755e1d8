/** `--encryption-key-file` (or encryptionKeyFile in a region file): the region key, read once at start. */
import { statSync } from 'node:fs';
import { readEncryptionKeyFile } from '../config/encryptionKey.js';

/** The key in the file (EncryptionKeyFileError if it holds none); undefined without a file. A file others may read is used, with a warning. */
export function encryptionKeyOption(file: string | undefined, warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Buffer | undefined {
  if (file === undefined) return undefined;
  const key = readEncryptionKeyFile(file);
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) warn(`warning: encryption key file ${file} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}); chmod 600 it`);
  return key;
}
