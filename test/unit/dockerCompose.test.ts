import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ADMIN_TOKEN_ENV } from '../../src/config/adminToken.js';
import { loadRegionConfig } from '../../src/config/regionConfig.js';
import { NATS_MAX_PAYLOAD_BYTES } from '../../src/bus/wireLimits.js';
import { healthcheckCommand, natsCommand, NATS_CLIENT_PORT, REGION_NAMES, regionCommand } from '../../scripts/netns/hostCommands.js';

const ROOT = join(__dirname, '../..');

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  depends_on?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] };
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const regions = Object.entries(services).filter(([, s]) => s.command?.[0] === 'region');

/** Every value of a repeatable flag in a command. */
function flags(command: string[], flag: string): string[] {
  return command.flatMap((arg, i) => (arg === flag ? [command[i + 1]] : []));
}

function flag(command: string[], name: string): string {
  const values = flags(command, name);
  expect(values, `${name} in ${command.join(' ')}`).toHaveLength(1);
  return values[0];
}

/** Where a service mounts a named volume, checking the volume is declared. */
function mountOf(service: Service, target: string): string | undefined {
  const volume = service.volumes?.map((v) => v.split(':')).find(([, path]) => path === target);
  if (volume) expect(Object.keys(compose.volumes)).toContain(volume[0]);
  return volume?.[0];
}

describe('docker-compose.yml', () => {
  it('runs every shipped region, each from its own region file', () => {
    const shipped = readdirSync(join(ROOT, 'regions')).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
    expect(regions.map(([name]) => name).sort()).toEqual(shipped.sort());
    for (const [name, service] of regions) {
      expect(service.build).toBe('.');
      expect(loadRegionConfig(join(ROOT, flag(service.command!, '--config'))).name).toBe(name);
      expect(flag(service.command!, '--host')).toBe('0.0.0.0');
    }
  });

  it('gives each region a nats-server of its own, with JetStream on a volume', () => {
    const used = new Set<string>();
    for (const [name, service] of regions) {
      const url = new URL(flag(service.command!, '--nats-url'));
      const nats = services[url.hostname];
      expect(nats, `the service behind ${url}`).toBeDefined();
      expect(used.has(url.hostname), `${url.hostname} shared`).toBe(false);
      used.add(url.hostname);
      expect(url.port || '4222').toBe('4222');
      expect(nats.image).toMatch(/^nats:2\.(9|[1-9]\d)(\.\d+)?(-[a-z0-9]+)?$/);
      expect(nats.command!.slice(0, 1)).toEqual(['-js']);
      expect(mountOf(nats, flag(nats.command!, '-sd'))).toBeDefined();
      expect(service.depends_on).toContain(url.hostname);
      expect(mountOf(service, flag(service.command!, '--data'))).toBe(name);
    }
  });

  it('gives every nats-server a config file from the repository with the max_payload regions need', () => {
    for (const [, service] of regions) {
      const nats = services[new URL(flag(service.command!, '--nats-url')).hostname];
      const configPath = flag(nats.command!, '-c');
      // A bind mount of a file in the repository, read-only.
      const mount = nats.volumes?.map((v) => v.split(':')).find(([, target]) => target === configPath);
      expect(mount, `${configPath} mounted`).toBeDefined();
      expect(mount![0]).toMatch(/^\.\//);
      expect(mount![2]).toBe('ro');
      const config = readFileSync(join(ROOT, mount![0]), 'utf8');
      const maxPayload = /^max_payload:\s*(\d+)\s*$/m.exec(config);
      expect(maxPayload, 'max_payload in bytes').not.toBeNull();
      expect(Number(maxPayload![1])).toBeGreaterThanOrEqual(NATS_MAX_PAYLOAD_BYTES);
    }
  });

  it('names every other region as a peer, by service name and the port it listens on', () => {
    const portOf = (name: string): number => loadRegionConfig(join(ROOT, flag(services[name].command!, '--config'))).port;
    for (const [name, service] of regions) {
      const peers = flags(service.command!, '--peer').map((peer) => peer.split('='));
      expect(peers.map(([peer]) => peer).sort()).toEqual(regions.map(([other]) => other).filter((other) => other !== name).sort());
      for (const [peer, endpoint] of peers) {
        const url = new URL(endpoint);
        expect(url.protocol).toBe('http:');
        expect(url.hostname).toBe(peer);
        expect(services[url.hostname]?.command?.[0]).toBe('region');
        expect(Number(url.port)).toBe(portOf(peer));
      }
      expect(service.ports).toEqual([`${portOf(name)}:${portOf(name)}`]);
    }
  });

  it('gives every region, which listens on 0.0.0.0, the one admin token from the environment, required, never on the command line', () => {
    for (const [name, service] of regions) {
      expect(service.environment?.[ADMIN_TOKEN_ENV], `${name}'s ${ADMIN_TOKEN_ENV}`).toMatch(new RegExp(`^\\$\\{${ADMIN_TOKEN_ENV}:\\?.+\\}$`));
      expect(service.command!.join(' ')).not.toContain('admin-token');
    }
    expect(new Set(regions.map(([, service]) => service.environment?.[ADMIN_TOKEN_ENV])).size).toBe(1);
  });

  it('publishes no host port twice', () => {
    const published = Object.values(services).flatMap((s) => s.ports ?? []).map((p) => p.split(':').at(-2));
    expect(published.length).toBeGreaterThanOrEqual(regions.length);
    expect(new Set(published).size).toBe(published.length);
  });
});

// The namespace cluster (test/e2e/netnsCluster.test.ts, npm run netns-cluster) runs the commands of
// scripts/netns/hostCommands.ts with namespace addresses: the same as compose's, with its service names.
describe('docker-compose.yml and the tested multi-host setup (the namespace cluster)', () => {
  const NATS_DATA = '/data';
  const NATS_CONFIG = '/etc/nats/globaltables.conf';

  it('run the same regions', () => {
    expect(regions.map(([name]) => name)).toEqual(REGION_NAMES);
  });

  it('start each region with the same command: its region file, every address, its data, its own nats-server and every other region as a peer', () => {
    for (const [name, service] of regions) {
      const peers = REGION_NAMES.filter((other) => other !== name).map((other) => ({ name: other, host: other }));
      expect(service.command).toEqual(regionCommand({ name, dataDir: flag(service.command!, '--data'), natsHost: `nats-${name}`, peers }));
    }
  });

  it('start each nats-server with the same command, on the client port the regions are given', () => {
    for (const [name, service] of regions) {
      const nats = services[`nats-${name}`];
      expect(nats.command).toEqual(natsCommand({ name, storeDir: NATS_DATA, configFile: NATS_CONFIG }));
      expect(Number(new URL(flag(service.command!, '--nats-url')).port || 4222)).toBe(NATS_CLIENT_PORT);
    }
  });

  it('check each region\'s health the same way, inside its host', () => {
    for (const [name, service] of regions) expect(service.healthcheck?.test).toEqual(['CMD', ...healthcheckCommand(name)]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

  it('builds on node:20-slim and copies what the command needs at run time', () => {
    expect(dockerfile).toMatch(/^FROM node:20-slim$/m);
    const copied = [...dockerfile.matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) => m[1].split(' '));
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'bin', 'src', 'regions']) {
      expect(copied).toContain(path);
      expect(statSync(join(ROOT, path))).toBeTruthy();
      expect(ignored).not.toContain(path);
    }
    expect(ignored).toContain('node_modules');
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/globaltables\.js"\]$/m);
  });

  it('installs only production dependencies, which must then hold every package the sources import', () => {
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev\b/m);
    const imported = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name));
        else for (const m of readFileSync(join(dir, entry.name), 'utf8').matchAll(/from '([^'.][^']*)'/g)) imported.add(m[1]);
      }
    };
    walk(join(ROOT, 'src'));
    imported.add('tsx'); // bin/globaltables.js loads the sources through it
    const packages = [...imported].filter((m) => !m.startsWith('node:')).map((m) => m.split('/').slice(0, m.startsWith('@') ? 2 : 1).join('/'));
    expect(packages.filter((p) => !(p in pkg.dependencies))).toEqual([]);
  });
});
