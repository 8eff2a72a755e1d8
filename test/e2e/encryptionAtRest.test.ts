/**
 * A region with a key keeps nothing readable on disk: its LMDB store and its embedded nats-server's
 * JetStream store are read byte by byte for a marker written through the API, which a region
 * without a key leaves in both. A data directory refuses a key it was not written with.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { eventually } from '../helpers/cluster.js';
import { clientFor } from '../helpers/region.js';
import { startRegion, type RunningRegion } from '../../src/region/region.js';
import { checkKeyEntry, StoreKeyError, storedEncryption } from '../../src/storage/storeEncryption.js';
import { freePort } from '../helpers/ports.js';
import { startNatsServer } from '../../src/nats/launcher.js';

const dirs: string[] = [];
afterAll(async () => { for (const dir of dirs) await rm(dir, { recursive: true, force: true }); });

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'globaltables-crypt-'));
  dirs.push(dir);
  return dir;
}

interface Running {
  region: RunningRegion;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  /** Leaves the data dir to be read. */
  stop(): Promise<void>;
}

/** A region on the data dir with its embedded nats-server (JetStream on disk). */
async function region(dir: string, encryptionKey?: Buffer): Promise<Running> {
  const started = await startRegion({ name: 'us-east-1', port: 0, dataDir: dir, changeStream: {}, encryptionKey, log: () => undefined });
  const client = clientFor(started.endpoint);
  return { region: started, client, doc: DynamoDBDocumentClient.from(client), stop: async () => { client.destroy(); await started.close(); } };
}

/** Every file under the dir, by path relative to it, whose bytes hold the marker. */
async function filesHolding(dir: string, marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(marker)) found.push(relative(dir, path));
  }
  return found;
}

const TABLE = 'secrets';
const ITEMS = 25;

/** Writes the marker in every item, waits until the change log holding them is in JetStream, and stops the region. */
async function writeMarkedItems(dir: string, marker: string, key?: Buffer): Promise<void> {
  const running = await region(dir, key);
  try {
    await running.client.send(new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
    for (let i = 0; i < ITEMS; i += 1) await running.doc.send(new PutCommand({ TableName: TABLE, Item: { pk: `item-${i}`, secret: marker } }));
    await eventually(async () => {
      const metrics = await (await fetch(`${running.region.endpoint}/admin/metrics`)).json() as { changeLog: { lastLsn: number; publishedLsn: number | null } };
      return metrics.changeLog.lastLsn >= ITEMS && metrics.changeLog.publishedLsn === metrics.changeLog.lastLsn;
    }, 15_000, 'the changes to be published');
  } finally {
    await running.stop();
  }
}

const digest = async (path: string): Promise<string> => createHash('sha256').update(await readFile(path)).digest('hex');

async function refusal(dir: string, key?: Buffer): Promise<StoreKeyError> {
  const error = await startRegion({ name: 'us-east-1', port: 0, dataDir: dir, changeStream: {}, encryptionKey: key, log: () => undefined })
    .then(async (started) => { await started.close(); return undefined; }, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(StoreKeyError);
  return error as StoreKeyError;
}

describe('encryption at rest', () => {
  const key = randomBytes(32);
  const marker = randomBytes(20).toString('hex');
  let encryptedDir: string;

  it('leaves the marker in the LMDB store and in the JetStream store of a region without a key', async () => {
    const dir = await dataDir();
    const plainMarker = randomBytes(20).toString('hex');
    await writeMarkedItems(dir, plainMarker);
    const found = await filesHolding(dir, plainMarker);
    expect(found).toContain('data.mdb');
    expect(found.some((path) => path.startsWith('nats/jetstream/'))).toBe(true);
    expect(storedEncryption(dir)).toBe(false);
  });

  it('keeps the marker out of every file of a region with a key, and reads it back with the key', async () => {
    encryptedDir = await dataDir();
    await writeMarkedItems(encryptedDir, marker, key);
    expect(await filesHolding(encryptedDir, marker)).toEqual([]);
    expect(storedEncryption(encryptedDir)).toBe(true);

    const again = await region(encryptedDir, key);
    try {
      for (const i of [0, ITEMS - 1]) {
        expect((await again.doc.send(new GetCommand({ TableName: TABLE, Key: { pk: `item-${i}` } }))).Item).toEqual({ pk: `item-${i}`, secret: marker });
      }
      expect((await again.client.send(new DescribeTableCommand({ TableName: TABLE }))).Table?.SSEDescription).toEqual({ Status: 'ENABLED', SSEType: 'AES256' });
    } finally {
      await again.stop();
    }
  });

  it('refuses another key and no key before reading anything', async () => {
    const before = await digest(join(encryptedDir, 'data.mdb'));
    const wrong = await refusal(encryptedDir, randomBytes(32));
    expect(wrong.problem).toBe('wrongKey');
    expect(wrong.message).toBe(`The data in ${encryptedDir} is encrypted with another key: start the region with the key file it was created with.`);
    const missing = await refusal(encryptedDir);
    expect(missing.problem).toBe('encrypted');
    expect(missing.message).toContain(`The data in ${encryptedDir} is encrypted: start the region with its key`);
    expect(await digest(join(encryptedDir, 'data.mdb'))).toBe(before);
  });

  it('tries no key, not even the right one, on encrypted data whose check value is gone', async () => {
    const dir = await dataDir();
    await (await region(dir, key)).stop();
    await unlink(join(dir, 'encryption.json'));
    const error = await refusal(dir, key);
    expect(error.problem).toBe('unverifiable');
    expect(error.message).toContain('encryption.json');
  });

  it('refuses a key for a data directory written without one', async () => {
    const dir = await dataDir();
    await (await region(dir)).stop();
    const error = await refusal(dir, key);
    expect(error.problem).toBe('notEncrypted');
    expect(error.message).toContain(`The data in ${dir} is not encrypted, and the region was given an encryption key`);
  });
});

describe('a region with a key and a given nats-server', () => {
  it('warns that it cannot encrypt that server\'s store, and describes no SSEDescription', async () => {
    const dir = await dataDir();
    const nats = await startNatsServer({ storeDir: join(dir, 'given-nats') });
    const warnings = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const started = await startRegion({ name: 'us-east-1', port: 0, dataDir: join(dir, 'data'), changeStream: { natsUrl: nats.url }, encryptionKey: randomBytes(32), log: () => undefined });
      const client = clientFor(started.endpoint);
      try {
        expect(warnings.mock.calls.map((call) => String(call[0]))).toContainEqual(expect.stringContaining(`warning: the change log goes to ${nats.url}, whose JetStream store this region cannot encrypt`));
        await client.send(new CreateTableCommand({ TableName: TABLE, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
        expect((await client.send(new DescribeTableCommand({ TableName: TABLE }))).Table?.SSEDescription).toBeUndefined();
        expect(storedEncryption(join(dir, 'data'))).toBe(true);
      } finally {
        client.destroy();
        await started.close();
      }
    } finally {
      warnings.mockRestore();
      await nats.stop();
    }
  });
});

describe('the check value inside the store', () => {
  it('is recorded in a new store and must match in an existing one', () => {
    const entries = new Map<string, unknown>();
    const meta = { get: (name: string) => entries.get(name), putSync: (name: string, value: unknown) => entries.set(name, value) } as unknown as Parameters<typeof checkKeyEntry>[1];
    checkKeyEntry('/data', meta, { lmdbKey: 'k'.repeat(32), keyCheck: 'one' });
    checkKeyEntry('/data', meta, { lmdbKey: 'k'.repeat(32), keyCheck: 'one' });
    expect(() => checkKeyEntry('/data', meta, { lmdbKey: 'k'.repeat(32), keyCheck: 'two' })).toThrow(StoreKeyError);
  });
});

/** `globaltables region` with a region file, until it listens (then SIGTERM) or exits; its output and exit code. */
async function runRegion(configFile: string): Promise<{ output: string; code: number | null }> {
  const child = spawn(process.execPath, ['bin/globaltables.js', 'region', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = once(child, 'exit');
  await eventually(async () => output.includes('listening on') || child.exitCode !== null, 20_000, 'the region to listen or exit');
  if (child.exitCode === null) child.kill('SIGTERM');
  await exited;
  return { output, code: child.exitCode };
}

describe('globaltables region --encryption-key-file', () => {
  it('takes the key file from the region file, and refuses a file that holds no key or a key that does not fit', async () => {
    const dir = await dataDir();
    const keyFile = join(dir, 'region.key');
    await writeFile(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    const configFile = join(dir, 'region.yaml');
    const regionFile = async (file: string) => writeFile(configFile, `name: us-east-1\nport: ${await freePort()}\ndataDir: ${join(dir, 'data')}\nencryptionKeyFile: ${file}\n`);

    await regionFile(keyFile);
    const started = await runRegion(configFile);
    expect(started.output).toContain(`(data: ${join(dir, 'data')}, encrypted at rest,`);
    expect(storedEncryption(join(dir, 'data'))).toBe(true);

    const notAKey = join(dir, 'passphrase.key');
    await writeFile(notAKey, 'my very secret passphrase\n', { mode: 0o600 });
    await regionFile(notAKey);
    const refusedFile = await runRegion(configFile);
    expect(refusedFile.code).toBe(2);
    expect(refusedFile.output).toContain(`encryption key file ${notAKey}: its line of 25 characters is not a key`);
    expect(refusedFile.output).not.toContain('passphrase\n');
    expect(refusedFile.output).not.toContain('my very secret');

    await writeFile(notAKey, randomBytes(32).toString('base64'), { mode: 0o600 });
    const refusedKey = await runRegion(configFile);
    expect(refusedKey.code).toBe(2);
    expect(refusedKey.output).toContain(`The data in ${join(dir, 'data')} is encrypted with another key`);
    expect(refusedKey.output).not.toContain('    at ');
  });
});
