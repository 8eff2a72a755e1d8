/**
 * What runs on each region's host, written once: docker-compose.yml's commands must equal these
 * with its service names as hosts (test/unit/dockerCompose.test.ts), and the namespace cluster runs
 * these with namespace addresses. So the multi-host setup that is tested is the one compose ships.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRegionConfig } from '../../src/config/regionConfig.js';

export const REPOSITORY_ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** The regions of the multi-host setup, in the order each lists its peers. */
export const REGION_NAMES = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

/** Each region's nats-server listens on the default client port of its own host. */
export const NATS_CLIENT_PORT = 4222;

/** A region listens on every address of its host: peers call it at the host's, its health check at loopback. */
export const REGION_LISTEN_HOST = '0.0.0.0';

/** The nats-server config file every region's server reads (it raises max_payload), relative to the repository. */
export const NATS_CONFIG_FILE = 'nats/nats-server.conf';

/** The shipped region file of a region, relative to the repository. */
export const regionFile = (name: string): string => `regions/${name}.yaml`;

/** The port a shipped region listens on, from its region file. */
export function regionPort(name: string): number {
  return loadRegionConfig(join(REPOSITORY_ROOT, regionFile(name))).port;
}

export interface RegionHostPlan {
  name: string;
  /** Its data directory on its host. */
  dataDir: string;
  /** Where its nats-server is reached: a host name or address. */
  natsHost: string;
  /** Every other region, by the host name or address it is reached at. */
  peers: { name: string; host: string }[];
}

/** The arguments of `globaltables` (the image's entry point) for a region; the admin token comes from the environment, never from here. */
export function regionCommand(plan: RegionHostPlan): string[] {
  return [
    'region',
    '--config', regionFile(plan.name),
    '--host', REGION_LISTEN_HOST,
    '--data', plan.dataDir,
    '--nats-url', `nats://${plan.natsHost}:${NATS_CLIENT_PORT}`,
    ...plan.peers.flatMap((peer) => ['--peer', `${peer.name}=http://${peer.host}:${regionPort(peer.name)}`]),
  ];
}

/** The arguments of a region's nats-server: JetStream storing in `storeDir`, named after its region. */
export function natsCommand(options: { name: string; storeDir: string; configFile: string }): string[] {
  return ['-js', '-sd', options.storeDir, '-n', `nats-${options.name}`, '-c', options.configFile];
}

/** The health check run on a region's host: its front door answers at loopback. */
export function healthcheckCommand(name: string): string[] {
  return ['node', '-e', `fetch('http://127.0.0.1:${regionPort(name)}/').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`];
}
