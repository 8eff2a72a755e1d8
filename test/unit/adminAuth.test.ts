import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { probeStatus } from '../../src/cli/upStatus.js';
import { ADMIN_TOKEN_ENV, adminHeaders, bearerToken } from '../../src/config/adminToken.js';
import { isGuarded, isLoopbackAddress } from '../../src/http/adminAuth.js';
import { adminTokenOption, UsageError } from '../../src/cli/region.js';
import { clusterAdminToken } from '../../src/cli/up.js';
import type { RegionConfig } from '../../src/config/regionConfig.js';

describe('isLoopbackAddress', () => {
  it('knows 127.0.0.0/8, ::1 and IPv4-mapped 127.x as loopback', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '127.255.255.255', '::1', '::ffff:127.0.0.1', '::FFFF:127.9.9.9']) {
      expect(isLoopbackAddress(address), address).toBe(true);
    }
  });

  it('knows nothing else as loopback', () => {
    for (const address of [undefined, '', '192.0.2.2', '10.0.0.1', '0.0.0.0', '::', '::ffff:192.0.2.2', 'fd00::2', '::2', '128.0.0.1', '127.0.0.1.example.com', 'localhost', '1127.0.0.1']) {
      expect(isLoopbackAddress(address), String(address)).toBe(false);
    }
  });
});

describe('isGuarded', () => {
  it('guards everything but reads, and the snapshot read', () => {
    expect(isGuarded('GET', '/admin/info')).toBe(false);
    expect(isGuarded('HEAD', '/admin/status')).toBe(false);
    expect(isGuarded('GET', '/admin/snapshot')).toBe(true);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) expect(isGuarded(method, '/admin/clock'), method).toBe(true);
  });
});

describe('the admin token on the wire', () => {
  it('travels as a bearer token', () => {
    expect(adminHeaders('s3cret')).toEqual({ authorization: 'Bearer s3cret' });
    expect(adminHeaders(undefined)).toEqual({});
    expect(bearerToken('Bearer s3cret')).toBe('s3cret');
    expect(bearerToken('bearer s3cret')).toBe('s3cret');
    for (const header of [undefined, '', 'Bearer', 'Bearer ', 'Basic czNjcmV0', 's3cret', 'Bearer two words']) expect(bearerToken(header), String(header)).toBeUndefined();
  });

  it("is sent by up's status poll", async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"region":"us-east-1","tables":0,"items":0,"replication":[]}');
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect((await probeStatus(endpoint, 2_000, 's3cret')).kind).toBe('ok');
      expect((await probeStatus(endpoint, 2_000)).kind).toBe('ok');
      expect(seen).toEqual(['Bearer s3cret', undefined]);
    } finally {
      server.close();
    }
  });
});

describe('adminTokenOption', () => {
  it('takes the flag, else the environment, else the region file', () => {
    expect(adminTokenOption('flag', 'file', { [ADMIN_TOKEN_ENV]: 'env' })).toBe('flag');
    expect(adminTokenOption(undefined, 'file', { [ADMIN_TOKEN_ENV]: 'env' })).toBe('env');
    expect(adminTokenOption(undefined, 'file', {})).toBe('file');
    expect(adminTokenOption(undefined, undefined, {})).toBeUndefined();
  });

  it('refuses an empty token, or one a header cannot carry, naming where it came from', () => {
    expect(() => adminTokenOption('', undefined, {})).toThrow(UsageError);
    expect(() => adminTokenOption('two words', undefined, {})).toThrow(/--admin-token must be/);
    expect(() => adminTokenOption(undefined, undefined, { [ADMIN_TOKEN_ENV]: '' })).toThrow(new RegExp(`${ADMIN_TOKEN_ENV} must be`));
    expect(() => adminTokenOption(undefined, 'tök', {})).toThrow(/adminToken must be/);
  });
});

describe('clusterAdminToken', () => {
  const config = (name: string, adminToken?: string) => ({ name, adminToken }) as RegionConfig;
  const files = ['a.yaml', 'b.yaml'];

  it('is the one token every region file names, or none', () => {
    expect(clusterAdminToken(undefined, [config('a', 't'), config('b', 't')], files, {})).toBe('t');
    expect(clusterAdminToken(undefined, [config('a'), config('b')], files, {})).toBeUndefined();
  });

  it('refuses region files that disagree, unless the flag or the environment overrides them all', () => {
    expect(() => clusterAdminToken(undefined, [config('a', 't'), config('b', 'u')], files, {})).toThrow(/a\.yaml and b\.yaml name different admin tokens/);
    expect(() => clusterAdminToken(undefined, [config('a', 't'), config('b')], files, {})).toThrow(UsageError);
    expect(clusterAdminToken('flag', [config('a', 't'), config('b', 'u')], files, {})).toBe('flag');
    expect(clusterAdminToken(undefined, [config('a', 't'), config('b')], files, { [ADMIN_TOKEN_ENV]: 'env' })).toBe('env');
  });
});
