import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { PORT_IN_USE_EXIT_CODE } from '../../src/cli/exitCodes.js';
import { describe, expect, it } from 'vitest';
import { CreateTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { clientFor } from '../helpers/region.js';
import { freePort } from '../helpers/ports.js';

async function startProcess(port: number, dataDir: string) {
  const child = spawn(process.execPath, ['bin/globaltables.js', 'region', '--name', 'us-east-1', '--port', String(port), '--data', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const deadline = Date.now() + 20_000;
  while (!output.includes('listening on')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`region did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, output: () => output };
}

describe('globaltables region (process)', () => {
  it('starts from a region file, with flags overriding it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'globaltables-proc-'));
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/globaltables.js', 'region', '--config', 'regions/eu-west-1.yaml', '--port', String(port), '--data', dataDir, '--no-change-stream'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      child.stdout.on('data', (chunk) => { output += chunk; });
      for (let i = 0; i < 400 && !output.includes('listening on'); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(output).toContain(`region eu-west-1 listening on http://127.0.0.1:${port}`);
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('healthy: dynamodb.eu-west-1.amazonaws.com ');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('takes the tombstone retention from its file, a flag overriding it, and shows it in /admin/status', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'globaltables-proc-'));
    const file = join(dataDir, 'region.yaml');
    await writeFile(file, `name: eu-west-1\nport: 1\ndataDir: ${dataDir}\nreplication: { tombstoneRetentionMs: 5000 }\n`);
    const status = async (flags: string[]): Promise<{ tombstones: { retentionMs: number; purged: number; possibleResurrections: number } }> => {
      const port = await freePort();
      const child = spawn(process.execPath, ['bin/globaltables.js', 'region', '--config', file, '--port', String(port), '--no-change-stream', ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        let output = '';
        child.stdout.on('data', (chunk) => { output += chunk; });
        for (let i = 0; i < 400 && !output.includes('listening on'); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
        return await (await fetch(`http://127.0.0.1:${port}/admin/status`)).json();
      } finally {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    };
    try {
      expect((await status([])).tombstones).toMatchObject({ retentionMs: 5000, purged: 0, possibleResurrections: 0 });
      expect((await status(['--tombstone-retention-ms', '7000'])).tombstones.retentionMs).toBe(7000);
      const refused = spawn(process.execPath, ['bin/globaltables.js', 'region', '--tombstone-retention-ms', '1.5'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let errors = '';
      refused.stderr.on('data', (chunk) => { errors += chunk; });
      const [code] = await once(refused, 'exit');
      expect(code).toBe(2);
      expect(errors).toContain('--tombstone-retention-ms must be a whole number of ms from 0 to 604800000');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('reports a broken region file without a stack trace', async () => {
    const child = spawn(process.execPath, ['bin/globaltables.js', 'region', '--config', 'package.json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk) => { errors += chunk; });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(errors).toMatch(/^globaltables: package\.json/);
    expect(errors).not.toContain('    at ');
  });

  it('exits with its own code when another program holds its port, so a launcher can retry elsewhere', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    const dataDir = await mkdtemp(join(tmpdir(), 'globaltables-proc-'));
    try {
      const child = spawn(process.execPath, ['bin/globaltables.js', 'region', '--name', 'us-east-1', '--port', String(port), '--data', dataDir, '--no-change-stream'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let errors = '';
      child.stderr.on('data', (chunk) => { errors += chunk; });
      const [code] = await once(child, 'exit');
      expect(code).toBe(PORT_IN_USE_EXIT_CODE);
      expect(errors).toBe(`globaltables: port ${port} on 127.0.0.1 is in use by another program\n`);
    } finally {
      holder.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('serves the API, closes cleanly on SIGTERM, and keeps its data across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'globaltables-proc-'));
    const port = await freePort();
    try {
      const first = await startProcess(port, dataDir);
      const client = clientFor(`http://127.0.0.1:${port}`);
      await client.send(new CreateTableCommand({
        TableName: 'kept', BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }));
      first.child.kill('SIGTERM');
      const [code] = await once(first.child, 'exit');
      expect(code).toBe(0);
      expect(first.output()).toContain('SIGTERM, closing');

      const second = await startProcess(port, dataDir);
      expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(['kept']);
      second.child.kill('SIGINT');
      expect((await once(second.child, 'exit'))[0]).toBe(0);
      client.destroy();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
