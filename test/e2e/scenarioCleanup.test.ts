/** `globaltables run` leaves no region, nats-server or temp dir behind when interrupted with Ctrl-C. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { descendants, isAlive } from '../helpers/processes.js';

describe('globaltables run on Ctrl-C', () => {
  it('stops every region and nats-server it started and removes its data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenario-sigint-'));
    const file = join(dir, 'long.yaml');
    writeFileSync(file, [
      'name: a long wait',
      'regions: [{ name: us-east-1 }, { name: eu-west-1 }]',
      'steps:',
      '  - createTable: { table: waits, key: { pk: S } }',
      '  - sleep: { ms: 60000 }',
    ].join('\n'));
    const child = spawn(process.execPath, ['bin/globaltables.js', 'run', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk) => { output += chunk; });
    child.stderr!.on('data', (chunk) => { output += chunk; });
    const deadline = Date.now() + 30_000;
    while (!output.includes('[2/2] sleep') && !/\[1\/2\] createTable\s+✓/.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`scenario did not get going: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const started = descendants(child.pid!);
    expect(started.length).toBeGreaterThanOrEqual(4); // two regions, two nats-servers
    const root = /--data (\S+globaltables-scenario-[^/\s]+)/.exec(readFileSync(`/proc/${started[0]}/cmdline`, 'utf8').replace(/\0/g, ' '))?.[1];
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(started.filter(isAlive)).toEqual([]);
    if (root) expect(existsSync(root)).toBe(false);
  }, 60_000);
});
