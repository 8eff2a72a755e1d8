/**
 * The credentials a region checks signatures with: the AWS shared credentials file format, a
 * region file's `auth:`, and how the flags pick between them. No error message holds a secret.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { credentialsOf, CredentialsFileError, defaultCredentialsFile, parseCredentialsFile } from '../../src/config/credentials.js';
import { ConfigError, parseRegionConfig } from '../../src/config/regionConfig.js';
import { regionCredentials, UsageError } from '../../src/cli/region.js';
import { clusterCredentials } from '../../src/cli/up.js';
import { parseLongDate } from '../../src/http/signatureClaim.js';
import { timeProblem } from '../../src/http/signatureCheck.js';

const dir = mkdtempSync(join(tmpdir(), 'globaltables-credentials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileError(text: string): string {
  try {
    parseCredentialsFile(text, 'creds');
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialsFileError);
    return (error as Error).message;
  }
  throw new Error('expected a credentials file error');
}

describe('the shared credentials file', () => {
  it('takes every profile\'s key, the default profile\'s first, passing over comments and other settings', () => {
    const text = [
      '# keys for the demo', '[ci]', 'aws_access_key_id = AKIDCI', 'aws_secret_access_key=ci/secret+with=equals', 'region = eu-west-1', '',
      '; another comment', '[default]', '  aws_access_key_id   =   AKIDDEFAULT  ', 'aws_secret_access_key = default-secret',
      '[sso-only]', 'credential_process = /bin/true', '',
    ].join('\r\n');
    expect(parseCredentialsFile(text, 'creds')).toEqual([
      { accessKeyId: 'AKIDDEFAULT', secretAccessKey: 'default-secret' },
      { accessKeyId: 'AKIDCI', secretAccessKey: 'ci/secret+with=equals' },
    ]);
  });

  it('names the file, the line and the profile of a problem, and never the secret', () => {
    expect(fileError('[a]\naws_secret_access_key = s3cr3t-value\n')).toBe('creds:1: profile [a] needs both aws_access_key_id and aws_secret_access_key');
    expect(fileError('aws_access_key_id = x\n')).toBe('creds:1: a key before any [profile] section');
    expect(fileError('[a]\njust words\n')).toBe('creds:2: expected [profile] or key = value');
    expect(fileError('[a]\nregion = us-east-1\n')).toBe('creds: no profile with aws_access_key_id and aws_secret_access_key');
    const twice = fileError('[a]\naws_access_key_id = K\naws_secret_access_key = first-s3cr3t\n[b]\naws_access_key_id = K\naws_secret_access_key = other-s3cr3t\n');
    expect(twice).toBe('creds: access key K is given two different secrets');
    expect(fileError('[a]\naws_access_key_id = K\naws_secret_access_key = has a space\n')).not.toContain('has a space');
  });

  it('is found where the AWS CLI looks', () => {
    expect(defaultCredentialsFile({ AWS_SHARED_CREDENTIALS_FILE: '/x/creds' })).toBe('/x/creds');
    expect(defaultCredentialsFile({})).toMatch(/\.aws\/credentials$/);
  });
});

const REGION = 'name: a\nport: 1\ndataDir: d\n';

function configError(text: string): string {
  try {
    parseRegionConfig(text, 'regions/bad.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('a region file\'s auth', () => {
  it('is absent by default, and takes none, listed credentials or a credentials file', () => {
    expect(parseRegionConfig(REGION, 'f').auth).toBeUndefined();
    expect(parseRegionConfig(`${REGION}auth: { mode: none }\n`, 'f').auth).toEqual({ mode: 'none' });
    const listed = parseRegionConfig(`${REGION}auth:\n  mode: sigv4\n  credentials:\n    - { accessKeyId: AKID1, secretAccessKey: one }\n`, 'f');
    expect(credentialsOf(listed.auth, 'f')).toEqual([{ accessKeyId: 'AKID1', secretAccessKey: 'one' }]);
    expect(parseRegionConfig(`${REGION}auth: { mode: sigv4, credentialsFile: keys.ini }\n`, 'f').auth).toEqual({ mode: 'sigv4', credentialsFile: 'keys.ini' });
  });

  it('reads a relative credentials file from the region file\'s directory', () => {
    writeFileSync(join(dir, 'keys.ini'), '[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = from-file\n');
    expect(credentialsOf({ mode: 'sigv4', credentialsFile: 'keys.ini' }, join(dir, 'region.yaml'))).toEqual([{ accessKeyId: 'AKIDFILE', secretAccessKey: 'from-file' }]);
  });

  it('refuses sigv4 without keys, or with both kinds, and none with keys, naming the line', () => {
    expect(configError(`${REGION}auth:\n  mode: sigv4\n`)).toContain('regions/bad.yaml:5: auth.mode: sigv4 needs either credentials (a list) or credentialsFile');
    expect(configError(`${REGION}auth: { mode: sigv4, credentialsFile: k, credentials: [{ accessKeyId: a, secretAccessKey: b }] }\n`)).toContain('auth.mode: sigv4 needs either');
    expect(configError(`${REGION}auth: { mode: none, credentialsFile: k }\n`)).toContain('auth.mode: none takes no credentials');
    expect(configError(`${REGION}auth: { mode: sigv5 }\n`)).toContain('auth.mode:');
    expect(configError(`${REGION}auth: { mode: sigv4, credentials: [] }\n`)).toContain('auth.credentials:');
  });
});

describe('the region command\'s --auth and --credentials-file', () => {
  const keys = join(dir, 'flag.ini');
  writeFileSync(keys, '[default]\naws_access_key_id = AKIDFLAG\naws_secret_access_key = from-flag\n');
  const fileAuth = { auth: { mode: 'sigv4' as const, credentials: [{ accessKeyId: 'AKIDCONFIG', secretAccessKey: 'from-config' }] } };

  it('checks nothing by default, the file\'s keys when it names some, the flag\'s file over them', () => {
    expect(regionCredentials(undefined, undefined, {}, undefined)).toBeUndefined();
    expect(regionCredentials(undefined, undefined, fileAuth, 'r.yaml')?.[0].accessKeyId).toBe('AKIDCONFIG');
    expect(regionCredentials(undefined, keys, fileAuth, 'r.yaml')?.[0].accessKeyId).toBe('AKIDFLAG');
    expect(regionCredentials('none', undefined, fileAuth, 'r.yaml')).toBeUndefined();
  });

  it('takes the AWS CLI\'s credentials file for --auth sigv4 alone', () => {
    expect(regionCredentials('sigv4', undefined, {}, undefined, { AWS_SHARED_CREDENTIALS_FILE: keys })?.[0].accessKeyId).toBe('AKIDFLAG');
    expect(regionCredentials('sigv4', undefined, fileAuth, 'r.yaml', { AWS_SHARED_CREDENTIALS_FILE: keys })?.[0].accessKeyId).toBe('AKIDCONFIG');
  });

  it('says what is wrong as a usage error', () => {
    expect(() => regionCredentials('none', keys, {}, undefined)).toThrow(UsageError);
    expect(() => regionCredentials(undefined, join(dir, 'missing.ini'), {}, undefined)).toThrow(/cannot read .*missing\.ini/);
  });
});

describe('up\'s cluster keys', () => {
  const withKeys = (name: string, keys: string) => parseRegionConfig(`name: ${name}\nport: 1\ndataDir: d\n${keys}`, `${name}.yaml`);
  const listed = (...ids: string[]) => `auth: { mode: sigv4, credentials: [${ids.map((id) => `{ accessKeyId: ${id}, secretAccessKey: s-${id} }`).join(', ')}] }\n`;

  it('are the keys every file names, in any order, or none', () => {
    expect(clusterCredentials([withKeys('a', listed('K1', 'K2')), withKeys('b', listed('K2', 'K1'))], ['a.yaml', 'b.yaml'])?.map((k) => k.accessKeyId)).toEqual(['K1', 'K2']);
    expect(clusterCredentials([withKeys('a', ''), withKeys('b', 'auth: { mode: none }\n')], ['a.yaml', 'b.yaml'])).toBeUndefined();
  });

  it('are refused when the files differ, or only some check signatures', () => {
    expect(() => clusterCredentials([withKeys('a', listed('K1')), withKeys('b', listed('K2'))], ['a.yaml', 'b.yaml'])).toThrow(/a\.yaml and b\.yaml name different auth keys/);
    expect(() => clusterCredentials([withKeys('a', listed('K1')), withKeys('b', '')], ['a.yaml', 'b.yaml'])).toThrow(UsageError);
  });
});

describe('the signature\'s date', () => {
  const now = Date.UTC(2024, 0, 1, 12, 0, 0);

  it('reads ISO 8601 basic dates, and no date that does not exist', () => {
    expect(parseLongDate('20240101T120000Z')).toBe(now);
    expect(parseLongDate('20240230T000000Z')).toBeUndefined();
    expect(parseLongDate('2024-01-01T12:00:00Z')).toBeUndefined();
  });

  it('words the window as DynamoDB does', () => {
    const at = (longDate: string, expiresS?: number) => timeProblem({ longDate, dateMs: parseLongDate(longDate)!, ...(expiresS === undefined ? {} : { expiresS }) }, now)?.message;
    expect(at('20240101T114500Z')).toBeUndefined();
    expect(at('20240101T121500Z')).toBeUndefined();
    expect(at('20240101T114459Z')).toBe('Signature expired: 20240101T114459Z is now earlier than 20240101T114500Z (20240101T120000Z - 15 min.)');
    expect(at('20240101T121501Z')).toBe('Signature not yet current: 20240101T121501Z is still later than 20240101T121500Z (20240101T120000Z + 15 min.)');
    expect(at('20240101T115800Z', 90)).toBe('Signature expired: 20240101T115800Z is now earlier than 20240101T115830Z (20240101T120000Z - 90 sec.)');
    expect(at('20240101T110000Z', 7200)).toBeUndefined();
  });
});
