/**
 * The credentials a region accepts signatures from when it checks them (`auth: sigv4`): listed in
 * its region file, or read from a file in the AWS shared credentials format, where every profile's
 * key counts. Secrets never appear in an error message.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** An access key id as AWS forms them (letters and digits), or any visible ASCII a local setup uses. */
const CredentialsSchema = z.object({
  accessKeyId: z.string().regex(/^[\x21-\x7e]{1,128}$/, '1 to 128 visible ASCII characters'),
  secretAccessKey: z.string().regex(/^[\x21-\x7e]{1,256}$/, '1 to 256 visible ASCII characters'),
}).strict();

/** A region file's `auth:` — none (the default), or sigv4 with credentials listed or in a file. */
export const AuthSchema = z.object({
  mode: z.enum(['none', 'sigv4']),
  credentials: z.array(CredentialsSchema).min(1).optional(),
  /** The AWS shared credentials format; a relative path is read from the region file's directory. */
  credentialsFile: z.string().min(1).optional(),
}).strict().superRefine((auth, context) => {
  const named = [auth.credentials, auth.credentialsFile].filter((value) => value !== undefined).length;
  if (auth.mode === 'none' && named) context.addIssue({ code: 'custom', path: ['mode'], message: 'none takes no credentials (say sigv4, or remove them)' });
  if (auth.mode === 'sigv4' && named !== 1) context.addIssue({ code: 'custom', path: ['mode'], message: 'sigv4 needs either credentials (a list) or credentialsFile, one of the two' });
});

export type AuthConfig = z.infer<typeof AuthSchema>;

/** A credentials file that cannot be used: what is wrong and where, never a secret. */
export class CredentialsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsFileError';
  }
}

const KEY_ID = 'aws_access_key_id';
const SECRET = 'aws_secret_access_key';

/**
 * Every profile's key of a shared credentials file (`[name]` sections of `key = value` lines,
 * `#` and `;` comments). A profile with neither key (one that names a credential_process, say) is
 * passed over; one with only half of a key is an error. The [default] profile's key comes first:
 * it is the one a client given the file (the console) signs with.
 */
export function parseCredentialsFile(text: string, file: string): Credentials[] {
  const profiles: { name: string; line: number; values: Map<string, string> }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const section = /^\[\s*([^\]]*?)\s*\]$/.exec(line);
    if (section) return void profiles.push({ name: section[1], line: index + 1, values: new Map() });
    const equals = line.indexOf('=');
    if (equals < 0) throw new CredentialsFileError(`${file}:${index + 1}: expected [profile] or key = value`);
    const profile = profiles.at(-1);
    if (!profile) throw new CredentialsFileError(`${file}:${index + 1}: a key before any [profile] section`);
    profile.values.set(line.slice(0, equals).trim().toLowerCase(), line.slice(equals + 1).trim());
  });
  const found: Credentials[] = [];
  // Stable: the other profiles keep the file's order.
  profiles.sort((a, b) => Number(b.name === 'default') - Number(a.name === 'default'));
  for (const profile of profiles) {
    const accessKeyId = profile.values.get(KEY_ID);
    const secretAccessKey = profile.values.get(SECRET);
    if (accessKeyId === undefined && secretAccessKey === undefined) continue;
    if (!accessKeyId || !secretAccessKey) {
      throw new CredentialsFileError(`${file}:${profile.line}: profile [${profile.name}] needs both ${KEY_ID} and ${SECRET}`);
    }
    const checked = CredentialsSchema.safeParse({ accessKeyId, secretAccessKey });
    if (!checked.success) throw new CredentialsFileError(`${file}:${profile.line}: profile [${profile.name}]: ${checked.error.issues[0].path.join('.')} must be ${checked.error.issues[0].message}`);
    found.push(checked.data);
  }
  if (!found.length) throw new CredentialsFileError(`${file}: no profile with ${KEY_ID} and ${SECRET}`);
  return distinctKeys(found, file);
}

/** One secret per access key id: two would make the signature check depend on which is tried. */
export function distinctKeys(credentials: Credentials[], where: string): Credentials[] {
  const byId = new Map<string, Credentials>();
  for (const entry of credentials) {
    const seen = byId.get(entry.accessKeyId);
    if (seen && seen.secretAccessKey !== entry.secretAccessKey) throw new CredentialsFileError(`${where}: access key ${entry.accessKeyId} is given two different secrets`);
    byId.set(entry.accessKeyId, entry);
  }
  return [...byId.values()];
}

export function loadCredentialsFile(file: string): Credentials[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CredentialsFileError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return parseCredentialsFile(text, file);
}

/** Where the AWS CLI reads credentials: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials. */
export function defaultCredentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials');
}

/** A region file's auth as the credentials it accepts (undefined: signatures are not checked). */
export function credentialsOf(auth: AuthConfig | undefined, regionFile: string): Credentials[] | undefined {
  if (!auth || auth.mode === 'none') return undefined;
  if (auth.credentials) return distinctKeys(auth.credentials, `${regionFile}: auth.credentials`);
  const file = auth.credentialsFile!;
  return loadCredentialsFile(isAbsolute(file) ? file : resolve(dirname(regionFile), file));
}
