/** `globaltables region`: one region in the foreground until SIGTERM or SIGINT. */
import { parseArgs } from 'node:util';
import { ADMIN_TOKEN_ENV, AdminTokenSchema } from '../config/adminToken.js';
import { credentialsOf, CredentialsFileError, defaultCredentialsFile, loadCredentialsFile, type Credentials } from '../config/credentials.js';
import { ConfigError, loadRegionConfig, TombstoneRetentionSchema, type PeerConfig, type RegionConfig } from '../config/regionConfig.js';
import { MAX_CLOCK_SKEW_MS } from '../core/version.js';
import { startRegion } from '../region/region.js';
import { NatsMaxPayloadTooSmallError } from '../bus/wireLimits.js';
import { NatsServerStartError } from '../nats/launcher.js';
import { StoreLayoutError } from '../storage/keyLayout.js';
import { StoreKeyError } from '../storage/storeEncryption.js';
import { encryptionKeyOption } from './encryptionKeyOption.js';
import { EncryptionKeyFileError } from '../config/encryptionKey.js';

/** A command line the tool cannot act on; printed without a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export class PortInUseError extends Error {
  constructor(host: string, port: number) {
    super(`port ${port} on ${host} is in use by another program`);
    this.name = 'PortInUseError';
  }
}

const CHOICES = { auth: ['none', 'sigv4'], 'clock-mode': ['hlc', 'wall'], durability: ['process', 'fsync'], granularity: ['item', 'attribute'] } as const;
const NUMBERS = ['port', 'nats-port', 'skew-ms', 'create-table-ms', 'delete-table-ms', 'ttl-sweep-interval-ms', 'tombstone-retention-ms'] as const;

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      name: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'clock-mode': { type: 'string' },
      'skew-ms': { type: 'string' },
      'create-table-ms': { type: 'string' },
      'delete-table-ms': { type: 'string' },
      'ttl-sweep-interval-ms': { type: 'string' },
      'tombstone-retention-ms': { type: 'string' },
      durability: { type: 'string' },
      'nats-url': { type: 'string' },
      'nats-port': { type: 'string' },
      'no-change-stream': { type: 'boolean', default: false },
      peer: { type: 'string', multiple: true },
      granularity: { type: 'string' },
      'admin-token': { type: 'string' },
      auth: { type: 'string' },
      'credentials-file': { type: 'string' },
      'encryption-key-file': { type: 'string' },
    },
    strict: true,
  });
  for (const [option, allowed] of Object.entries(CHOICES)) {
    const value = values[option as keyof typeof CHOICES];
    if (value !== undefined && !(allowed as readonly string[]).includes(value)) {
      throw new UsageError(`--${option} must be one of ${allowed.join(', ')} (got ${value})`);
    }
  }
  for (const option of NUMBERS) {
    const value = values[option];
    if (value !== undefined && !Number.isFinite(Number(value))) throw new UsageError(`--${option} must be a number (got ${value})`);
  }
  const skewMs = values['skew-ms'];
  if (skewMs !== undefined && !(Number.isInteger(Number(skewMs)) && Math.abs(Number(skewMs)) <= MAX_CLOCK_SKEW_MS)) {
    throw new UsageError(`--skew-ms must be an integer from ${-MAX_CLOCK_SKEW_MS} to ${MAX_CLOCK_SKEW_MS} (a day either way; got ${skewMs})`);
  }
  const retention = values['tombstone-retention-ms'];
  if (retention !== undefined && !TombstoneRetentionSchema.safeParse(Number(retention)).success) {
    throw new UsageError(`--tombstone-retention-ms must be a whole number of ms from 0 to 604800000 (a week; got ${retention})`);
  }
  return values;
}

/** The admin token: the flag, else GLOBALTABLES_ADMIN_TOKEN, else the region file's; undefined when none names one. */
export function adminTokenOption(flag: string | undefined, fromFile: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const [token, source] = flag !== undefined ? [flag, '--admin-token'] : env[ADMIN_TOKEN_ENV] !== undefined ? [env[ADMIN_TOKEN_ENV], ADMIN_TOKEN_ENV] : [fromFile, 'adminToken'];
  if (token === undefined) return undefined;
  const result = AdminTokenSchema.safeParse(token);
  if (!result.success) throw new UsageError(`${source} must be ${result.error.issues[0].message}`);
  return token;
}

/**
 * The keys whose signatures the region accepts, undefined when it checks none: `--auth none`
 * checks none; `--credentials-file` names the keys (and implies sigv4); `--auth sigv4` alone takes
 * the region file's keys, else the AWS CLI's credentials file; without flags, the file's `auth:`.
 */
export function regionCredentials(
  auth: string | undefined, credentialsFile: string | undefined, config: Partial<RegionConfig>, configFile: string | undefined, env: NodeJS.ProcessEnv = process.env,
): Credentials[] | undefined {
  if (auth === 'none' && credentialsFile !== undefined) throw new UsageError('--credentials-file names keys to check signatures with, but --auth none checks none');
  try {
    if (auth === 'none') return undefined;
    if (credentialsFile !== undefined) return loadCredentialsFile(credentialsFile);
    if (auth === 'sigv4' && config.auth?.mode !== 'sigv4') return loadCredentialsFile(defaultCredentialsFile(env));
    return credentialsOf(config.auth, configFile ?? '.');
  } catch (error) {
    if (error instanceof CredentialsFileError) throw new UsageError(error.message);
    throw error;
  }
}

/** `--peer eu-west-1=http://127.0.0.1:8002`: a region this one replicates with. */
export function parsePeers(values: string[] | undefined): PeerConfig[] {
  return (values ?? []).map((value) => {
    const match = /^([a-z0-9-]+)=(https?:\/\/\S+)$/.exec(value);
    if (!match) throw new UsageError(`--peer must look like eu-west-1=http://127.0.0.1:8002 (got ${value})`);
    return { name: match[1], endpoint: match[2] };
  });
}

function mergePeers(fromFile: PeerConfig[], fromFlags: PeerConfig[]): PeerConfig[] {
  const byName = new Map(fromFile.map((p) => [p.name, p]));
  for (const peer of fromFlags) byName.set(peer.name, peer);
  return [...byName.values()];
}

const numberOption = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value));

export async function runRegionCommand(argv: string[]): Promise<void> {
  const values = parse(argv);
  let config: Partial<RegionConfig> = {};
  try {
    if (values.config) config = loadRegionConfig(values.config);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw new UsageError(`cannot read ${values.config}: ${(error as Error).message}`);
  }
  // Flags override the file; the file overrides the defaults.
  const name = values.name ?? config.name ?? 'us-east-1';
  const dataDir = values.data ?? config.dataDir ?? `.data/${name}`;
  const nats = config.nats ?? {};
  const adminToken = adminTokenOption(values['admin-token'], config.adminToken);
  const credentials = regionCredentials(values.auth, values['credentials-file'], config, values.config);
  let encryptionKey: Buffer | undefined;
  try {
    encryptionKey = encryptionKeyOption(values['encryption-key-file'] ?? config.encryptionKeyFile);
  } catch (error) {
    if (error instanceof EncryptionKeyFileError) throw new UsageError(error.message);
    throw error;
  }
  const region = await startRegion({
    name,
    port: numberOption(values.port) ?? config.port ?? 8001,
    host: values.host ?? config.host ?? '127.0.0.1',
    dataDir,
    clockMode: (values['clock-mode'] as 'hlc' | 'wall' | undefined) ?? config.clock?.mode ?? 'hlc',
    durability: values.durability === 'fsync' ? 'fsync' : 'process',
    // Flags name peers in addition to the file's; a flag wins for a region named in both.
    peers: mergePeers(config.peers ?? [], parsePeers(values.peer)),
    granularity: (values.granularity as 'item' | 'attribute' | undefined) ?? config.replication?.granularity ?? 'item',
    adminToken,
    ...(credentials ? { credentials } : {}),
    encryptionKey,
    changeStream: values['no-change-stream'] ? undefined : {
      natsUrl: values['nats-url'] ?? ('url' in nats ? nats.url : undefined),
      natsPort: numberOption(values['nats-port']) ?? ('port' in nats ? nats.port : undefined),
    },
    settings: Object.fromEntries(Object.entries({
      createTableMs: numberOption(values['create-table-ms']),
      deleteTableMs: numberOption(values['delete-table-ms']),
      ttlSweepIntervalMs: numberOption(values['ttl-sweep-interval-ms']),
      tombstoneRetentionMs: numberOption(values['tombstone-retention-ms']) ?? config.replication?.tombstoneRetentionMs,
    }).filter(([, v]) => v !== undefined)),
  }).catch((error: unknown) => {
    // The user's nats-server to reconfigure: said as it is, without a stack.
    if (error instanceof NatsMaxPayloadTooSmallError) throw new UsageError(error.message);
    // Data of an older key layout: the message says what to do with the data directory.
    if (error instanceof StoreLayoutError) throw new UsageError(error.message);
    // A key that does not fit the data directory: nothing was read.
    if (error instanceof StoreKeyError) throw new UsageError(error.message);
    const natsPort = numberOption(values['nats-port']);
    if (error instanceof NatsServerStartError && error.portInUse && natsPort !== undefined) throw new PortInUseError('127.0.0.1', natsPort);
    const { code, address, port } = error as { code?: string; address?: string; port?: number };
    if (code === 'EADDRINUSE' && port !== undefined) throw new PortInUseError(address ?? 'localhost', port);
    throw error;
  });
  region.ctx.clock.skewMs = numberOption(values['skew-ms']) ?? config.clock?.skewMs ?? 0;
  const stream = region.changeStream ? `, change stream on ${region.changeStream.natsUrl}` : '';
  const peers = region.replication?.peerNames().length ? `, peers ${region.replication.peerNames().join(', ')}` : '';
  const admin = adminToken === undefined ? ', admin changes from loopback only' : ', admin changes need the admin token';
  // The keys' ids and secrets stay unsaid: how many there are tells the user which file was read.
  const signatures = credentials ? `, SigV4 signatures checked (${credentials.length} key${credentials.length === 1 ? '' : 's'})` : '';
  const encrypted = encryptionKey ? ', encrypted at rest' : '';
  process.stdout.write(`region ${name} listening on ${region.endpoint} (data: ${dataDir}${encrypted}${stream}${peers}${admin}${signatures})\n`);
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    process.stdout.write(`region ${name}: ${signal}, closing\n`);
    region.close().then(() => process.exit(0), (error) => {
      console.error(error);
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
