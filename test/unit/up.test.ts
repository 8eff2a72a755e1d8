import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRegionConfig, type RegionConfig } from '../../src/config/regionConfig.js';
import { UsageError } from '../../src/cli/region.js';
import { endpointOf, loadConfigs, regionArgs } from '../../src/cli/up.js';
import { formatRegionStatus, StatusConsole, type RegionStatusWire } from '../../src/cli/upStatus.js';

const region = (name: string, port: number, extra = ''): RegionConfig => parseRegionConfig(`name: ${name}\nport: ${port}\ndataDir: .data/${name}\n${extra}`, `${name}.yaml`);

const dirs: string[] = [];
afterEach(async () => { while (dirs.length) await rm(dirs.pop()!, { recursive: true, force: true }); });

describe('regionArgs', () => {
  it('passes the file, the data dir and one --peer per other region', () => {
    const all = [region('us-east-1', 8001), region('eu-west-1', 8002), region('ap-southeast-2', 8003)];
    expect(regionArgs(all[1], 'regions/eu-west-1.yaml', all)).toEqual([
      'region', '--config', 'regions/eu-west-1.yaml', '--data', '.data/eu-west-1',
      '--peer', 'us-east-1=http://127.0.0.1:8001',
      '--peer', 'ap-southeast-2=http://127.0.0.1:8003',
    ]);
  });

  it('gives a lone region no peers', () => {
    const alone = region('us-east-1', 8001);
    expect(regionArgs(alone, 'a.yaml', [alone])).toEqual(['region', '--config', 'a.yaml', '--data', '.data/us-east-1']);
  });

  it('reaches a region that listens on every interface through loopback', () => {
    const all = [region('us-east-1', 8001, 'host: 0.0.0.0\n'), region('eu-west-1', 8002, 'host: 10.0.0.7\n'), region('sa-east-1', 8004, 'host: "::"\n')];
    expect(regionArgs(all[1], 'eu.yaml', all)).toEqual([
      'region', '--config', 'eu.yaml', '--data', '.data/eu-west-1',
      '--peer', 'us-east-1=http://127.0.0.1:8001', '--peer', 'sa-east-1=http://[::1]:8004',
    ]);
    expect(endpointOf(all[1])).toBe('http://10.0.0.7:8002');
  });
});

describe('loadConfigs', () => {
  async function files(...texts: string[]): Promise<string[]> {
    const dir = await mkdtemp(join(tmpdir(), 'globaltables-up-unit-'));
    dirs.push(dir);
    return Promise.all(texts.map(async (text, i) => {
      await writeFile(join(dir, `${i}.yaml`), text);
      return join(dir, `${i}.yaml`);
    }));
  }

  it('moves every data dir under --data-root', async () => {
    const paths = await files('name: a\nport: 1\ndataDir: x\n', 'name: b\nport: 2\ndataDir: y\n');
    expect(loadConfigs(paths, '/tmp/root').map((c) => c.dataDir)).toEqual(['/tmp/root/a', '/tmp/root/b']);
    expect(loadConfigs(paths).map((c) => c.dataDir)).toEqual(['x', 'y']);
  });

  it('refuses two regions with one name or one port, and a port picked at start', async () => {
    const [a, sameName, samePort, anyPort] = await files('name: a\nport: 1\ndataDir: x\n', 'name: a\nport: 2\ndataDir: y\n', 'name: c\nport: 1\ndataDir: z\n', 'name: d\nport: 0\ndataDir: w\n');
    expect(() => loadConfigs([a, sameName])).toThrow(/name the same region or port \(a, 2\)/);
    expect(() => loadConfigs([a, samePort])).toThrow(UsageError);
    expect(() => loadConfigs([anyPort])).toThrow(/needs a fixed port/);
  });

  it('turns a broken file into a usage error that names its file and line', async () => {
    const [bad] = await files('name: a\nport: eighty\ndataDir: x\n');
    expect(() => loadConfigs([bad])).toThrow(new RegExp(`^${bad}:2: port:`));
    expect(() => loadConfigs(['/nonexistent/region.yaml'])).toThrow(/^cannot read \/nonexistent\/region\.yaml/);
  });
});

describe('status line', () => {
  const status = (replication: RegionStatusWire['replication']): RegionStatusWire => ({ region: 'us-east-1', tables: 1, items: 12, replication });
  const source = (name: string, p99: number | null, pending: number) => ({ source: name, connected: true, lagMs: { p50: p99, p99, max: p99 }, pending, applied: 0, conflicts: 0 });

  it('shows the worst lag and the total backlog over all sources', () => {
    expect(formatRegionStatus('us-east-1', { kind: 'ok', status: status([source('eu-west-1', 3, 1), source('ap-southeast-2', 41.6, 4)]) }))
      .toBe('us-east-1: 12 items · lag p99 42 ms · pending 5');
    expect(formatRegionStatus('us-east-1', { kind: 'ok', status: status([source('eu-west-1', null, 0)]) }))
      .toBe('us-east-1: 12 items · lag p99 — · pending 0');
  });

  it('says what it does not know', () => {
    expect(formatRegionStatus('eu-west-1', { kind: 'missing' })).toBe('eu-west-1: — items · lag p99 — · pending —');
    expect(formatRegionStatus('eu-west-1', { kind: 'down' })).toBe('eu-west-1: down');
    expect(formatRegionStatus('eu-west-1', { kind: 'exited' })).toBe('eu-west-1: exited');
  });

  function fakeStream(isTTY: boolean, columns = 80): { stream: NodeJS.WriteStream; written: () => string } {
    let written = '';
    const stream = { isTTY, columns, write: (chunk: string) => { written += chunk; return true; } } as unknown as NodeJS.WriteStream;
    return { stream, written: () => written };
  }

  it('on a terminal, redraws the status line below each log line', () => {
    const out = fakeStream(true);
    const console = new StatusConsole(out.stream, out.stream);
    console.log('[us-east-1] first');
    console.status('us-east-1: 1 items');
    console.log('[us-east-1] second');
    console.status('us-east-1: 2 items');
    console.clearStatus();
    expect(out.written()).toBe('[us-east-1] first\nus-east-1: 1 items\r\x1b[2K[us-east-1] second\nus-east-1: 1 items\r\x1b[2Kus-east-1: 2 items\r\x1b[2K');
  });

  it('cuts a status line to the terminal width, so the in-place redraw still works', () => {
    const out = fakeStream(true, 20);
    new StatusConsole(out.stream, out.stream).status('x'.repeat(30));
    expect(out.written()).toBe(`${'x'.repeat(18)}…`);
  });

  it('elsewhere, prints the status as an ordinary line', () => {
    const out = fakeStream(false);
    const console = new StatusConsole(out.stream, out.stream);
    console.status('us-east-1: 1 items');
    console.log('[us-east-1] line');
    expect(out.written()).toBe('us-east-1: 1 items\n[us-east-1] line\n');
  });
});
