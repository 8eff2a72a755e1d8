import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadRegionConfig, parseRegionConfig } from '../../src/config/regionConfig.js';

const REGIONS = join(__dirname, '../../regions');

function error(text: string): string {
  try { parseRegionConfig(text, 'regions/bad.yaml'); } catch (e) { expect(e).toBeInstanceOf(ConfigError); return (e as Error).message; }
  throw new Error('expected a configuration error');
}

describe('region configuration files', () => {
  it('loads every shipped region with its defaults filled in', () => {
    const files = readdirSync(REGIONS).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(['ap-southeast-2.yaml', 'eu-west-1.yaml', 'us-east-1.yaml']);
    const configs = files.map((f) => loadRegionConfig(join(REGIONS, f)));
    expect(new Set(configs.map((c) => c.port)).size).toBe(3);
    expect(loadRegionConfig(join(REGIONS, 'us-east-1.yaml'))).toEqual({
      name: 'us-east-1', port: 8001, host: '127.0.0.1', dataDir: '.data/us-east-1', nats: {}, clock: { mode: 'hlc', skewMs: 0 },
      peers: [], replication: { granularity: 'item' },
    });
  });

  it('accepts a NATS URL or port', () => {
    expect(parseRegionConfig('name: a\nport: 1\ndataDir: d\nnats: { url: nats://h:4222 }\n', 'f').nats).toEqual({ url: 'nats://h:4222' });
    expect(parseRegionConfig('name: a\nport: 1\ndataDir: d\nnats: { port: 4300 }\n', 'f').nats).toEqual({ port: 4300 });
  });

  it('takes a tombstone retention, a whole number of ms up to a week', () => {
    expect(parseRegionConfig('name: a\nport: 1\ndataDir: d\nreplication: { tombstoneRetentionMs: 5000 }\n', 'f').replication).toEqual({ granularity: 'item', tombstoneRetentionMs: 5000 });
    expect(error('name: a\nport: 1\ndataDir: d\nreplication:\n  tombstoneRetentionMs: -1\n')).toContain('regions/bad.yaml:5: replication.tombstoneRetentionMs:');
    expect(error('name: a\nport: 1\ndataDir: d\nreplication: { tombstoneRetentionMs: 604800001 }\n')).toContain('replication.tombstoneRetentionMs:');
  });

  it('names the file, the line and the field of each problem', () => {
    const message = error('name: us-east-1\nport: eighty\ndataDir: .data/x\nclock:\n  mode: sundial\n');
    expect(message).toContain('regions/bad.yaml:2: port:');
    expect(message).toContain('regions/bad.yaml:5: clock.mode:');
    expect(error('name: a\nport: 1\ndataDir: d\nextra: 1\n')).toMatch(/^regions\/bad\.yaml(:\d+)?: \(top level\): Unrecognized key/);
    expect(error('name: [unclosed\n')).toMatch(/^regions\/bad\.yaml:\d+: /);
  });
});
