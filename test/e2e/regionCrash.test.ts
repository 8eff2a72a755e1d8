import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PutItemCommand, CreateTableCommand } from '@aws-sdk/client-dynamodb';
import type { ChangeMessage } from '../../src/bus/wire.js';
import { streamMessages } from '../helpers/nats.js';
import { clientFor } from '../helpers/region.js';
import { freePort } from '../helpers/ports.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => { while (cleanups.length) await cleanups.pop()!(); });

async function startRegionProcess(port: number, natsPort: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/globaltables.js', 'region', '--name', 'us-east-1', '--port', String(port), '--nats-port', String(natsPort), '--data', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => { output += chunk; });
  child.stderr!.on('data', (chunk) => { output += chunk; });
  const deadline = Date.now() + 20_000;
  while (!output.includes('listening on')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`region did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}


describe('change stream across a region crash', () => {
  it('publishes every acknowledged write exactly once, in order, when the region is SIGKILLed mid-run and restarted', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'globaltables-crash-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const [port, natsPort] = [await freePort(), await freePort()];
    let region = await startRegionProcess(port, natsPort, dataDir);
    cleanups.push(async () => { region.kill('SIGKILL'); });
    const client = clientFor(`http://127.0.0.1:${port}`);
    cleanups.push(async () => client.destroy());
    await client.send(new CreateTableCommand({
      TableName: 'orders', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }));
    const acknowledged = new Set<string>();
    let n = 0;
    const writer = (async () => {
      for (;;) {
        const pk = `k${n++}`;
        try {
          await client.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: pk } } }));
          acknowledged.add(pk);
        } catch {
          return; // the region is gone
        }
      }
    })();
    while (acknowledged.size < 300) await new Promise((resolve) => setTimeout(resolve, 10));
    region.kill('SIGKILL');
    await writer;
    region = await startRegionProcess(port, natsPort, dataDir);
    for (let i = 0; i < 200; i += 1) {
      const pk = `after${i}`;
      await client.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: pk } } }));
      acknowledged.add(pk);
    }
    let published: ChangeMessage[] = [];
    for (let attempt = 0; attempt < 100; attempt += 1) {
      published = await streamMessages(`nats://127.0.0.1:${natsPort}`);
      if (published.length >= acknowledged.size) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const keys = published.map((m) => (m.keys.pk as { S: string }).S);
    expect(published.map((m) => m.lsn)).toEqual(Array.from({ length: published.length }, (_, i) => i + 1));
    expect(new Set(keys).size).toBe(keys.length);
    const missing = [...acknowledged].filter((pk) => !keys.includes(pk));
    expect(missing).toEqual([]);
    region.kill('SIGTERM');
    await new Promise((resolve) => region.once('exit', resolve));
  }, 60_000);
});
