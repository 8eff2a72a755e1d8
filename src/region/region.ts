/** A running region: its store, its clock, its HTTP server and its background jobs. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { SystemClock, type Clock } from '../clock/clock.js';
import type { ClockMode } from '../core/version.js';
import type { RegionContext, RegionSettings } from '../dynamo/context.js';
import { operations } from '../dynamo/ops/index.js';
import { streamOperations } from '../streams/ops/index.js';
import { createApp } from '../http/app.js';
import { createRegionServer } from '../http/server.js';
import { DEFAULT_FRONT_DOOR_LIMITS, type FrontDoorLimits } from '../http/limits.js';
import { openLmdbStore, type LmdbOptions } from '../storage/lmdb.js';
import type { Store } from '../storage/store.js';
import { randomIds } from './randomIds.js';
import { createRegionCore, startRegionWork, type RegionWork } from './regionCore.js';
import type { MakePublisher } from './publishing.js';
import { PublisherThread } from '../bus/publisherThread.js';
import type { EventFeed } from './eventFeed.js';
import { startChangeStream, type ChangeStreamOptions, type RunningChangeStream } from './changeStream.js';
import { mountAdmin, type AdminDeps } from '../http/admin.js';
import type { ChangePublisher } from '../bus/changePublisher.js';
import { Replication } from '../replication/replication.js';
import { NatsWiring } from '../replication/natsWiring.js';
import { endpointFor, type PeerConfig } from '../config/regionConfig.js';
import { encryptionKeyCheck, jetstreamEncryptionKey, lmdbEncryptionKey } from '../config/encryptionKey.js';
import type { Granularity } from '../core/lww.js';
import type { Credentials } from '../config/credentials.js';
import { SignatureCheck } from '../http/signatureCheck.js';

export interface RegionOptions {
  name: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** LMDB directory; omitted means the caller passes a store. */
  dataDir?: string;
  store?: Store;
  /** How durable an acknowledged write is (LMDB only). */
  durability?: LmdbOptions['durability'];
  clock?: Clock;
  clockMode?: ClockMode;
  accountId?: string;
  settings?: Partial<RegionSettings>;
  /** Publish the change log to NATS JetStream (omitted: the region keeps its log to itself). */
  changeStream?: ChangeStreamOptions;
  /** The other regions this one replicates with (needs the change stream). */
  peers?: PeerConfig[];
  granularity?: Granularity;
  /** Where replication problems are reported (default: stderr). */
  log?: (message: string) => void;
  /**
   * Guarded admin routes then require it from every address (without, they answer loopback only);
   * sent on this region's calls to its peers, which share it.
   */
  adminToken?: string;
  /** Every DynamoDB and Streams request must then be signed (SigV4) with one of these keys; without, any signature passes. */
  credentials?: Credentials[];
  /** Body limits and timeouts of the HTTP server (tests lower the timeouts). */
  http?: Partial<FrontDoorLimits>;
  /**
   * The region key (encryptionKey.ts): encrypts the data dir's LMDB store and the embedded
   * nats-server's JetStream store, each with a key derived from it.
   */
  encryptionKey?: Buffer;
}

export interface RunningRegion {
  ctx: RegionContext;
  port: number;
  changeStream?: RunningChangeStream;
  publisher?: ChangePublisher;
  replication?: Replication;
  /** The live event feed GET /admin/events serves. */
  feed: EventFeed;
  endpoint: string;
  close(): Promise<void>;
}

export async function startRegion(options: RegionOptions): Promise<RunningRegion> {
  const key = options.encryptionKey;
  const encryption = key ? { lmdbKey: lmdbEncryptionKey(key), keyCheck: encryptionKeyCheck(key) } : undefined;
  const store = options.store ?? openLmdbStore(requireDataDir(options), { durability: options.durability, encryption });
  const clock = options.clock ?? new SystemClock();
  const log = options.log ?? ((message: string) => console.error(`[${options.name}] ${message}`));
  // Only a region with a change stream replicates: its peers read its changes there.
  const wiring = options.changeStream ? new NatsWiring(options.peers ?? [], options.name, clock, options.adminToken) : undefined;
  const core = createRegionCore({
    name: options.name,
    accountId: options.accountId,
    store,
    clock,
    ids: randomIds,
    clockMode: options.clockMode,
    granularity: options.granularity,
    settings: options.settings,
    // A given store or a given nats-server keeps data this region cannot vouch for.
    encryptedAtRest: Boolean(key && !options.store && !options.changeStream?.natsUrl),
    ...(wiring ? { replication: (ctx, conflicts) => new Replication(ctx, conflicts, wiring, log) } : {}),
  });
  const { ctx, conflicts, replication } = core;
  const frontDoor = {
    services: [
      { targetPrefix: 'DynamoDB_20120810', operations },
      { targetPrefix: 'DynamoDBStreams_20120810', operations: streamOperations },
    ],
    adminToken: options.adminToken,
    ...(options.credentials ? { signatures: new SignatureCheck(options.credentials, () => clock.trueNowMs()) } : {}),
  };
  const host = options.host ?? '127.0.0.1';
  const admin: AdminDeps = { ctx, conflicts, replication, feed: core.feed, adminToken: options.adminToken };
  const app = createApp();
  mountAdmin(app, admin);
  // The port is taken first, so it cannot be lost to another program while the region sets up;
  // requests wait until then, so a client that sees the region answer can use everything it
  // offers at once (a ReplicaUpdates sent earlier would find no peers).
  let setUp: () => void = () => {};
  let failed: (error: unknown) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => { setUp = resolve; failed = reject; });
  const server = await listen(createRegionServer(ctx, frontDoor, app, ready, { ...DEFAULT_FRONT_DOOR_LIMITS, ...options.http }), options.port, host).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  let changeStream: RunningChangeStream | undefined;
  let work: RegionWork | undefined;
  /** Everything but the HTTP server and the store, which close last. */
  const stopWork = async (): Promise<void> => {
    // Open event streams end first: a region with a console attached still stops at once.
    core.feed.close();
    await work?.stop();
    await changeStream?.close();
  };
  const closeServer = (): Promise<void> => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  try {
    changeStream = options.changeStream ? await startChangeStream(ctx.region, {
      ...options.changeStream,
      dataDir: options.dataDir,
      ...(key ? { jetstreamKey: jetstreamEncryptionKey(key) } : {}),
    }) : undefined;
    // A store this region opened itself is an LMDB environment its publisher's thread can share.
    const stream = changeStream;
    const makePublisher: MakePublisher | undefined = stream && !options.store
      ? (publishing) => new PublisherThread({
        region: ctx.region, store, clock, natsUrl: stream.natsUrl, dataDir: requireDataDir(options), durability: options.durability ?? 'process', ...(encryption ? { encryption } : {}), ...publishing,
      })
      : undefined;
    work = await startRegionWork(core, changeStream?.bus, log, makePublisher);
    Object.assign(admin, { publisher: work.publisher, natsUrl: changeStream?.natsUrl, nats: changeStream?.nats });
  } catch (error) {
    failed(error);
    await stopWork();
    await closeServer();
    await store.close();
    throw error;
  }
  setUp();
  const port = (server.address() as AddressInfo).port;
  return {
    ctx,
    port,
    ...(changeStream ? { changeStream } : {}),
    ...(work.publisher ? { publisher: work.publisher } : {}),
    ...(replication ? { replication } : {}),
    feed: core.feed,
    endpoint: endpointFor(host, port),
    async close() {
      await stopWork();
      await closeServer();
      await store.close();
    },
  };
}

function requireDataDir(options: RegionOptions): string {
  if (!options.dataDir) throw new Error(`region ${options.name}: a data directory or a store is required`);
  return options.dataDir;
}

function listen(server: Server, port: number, hostname: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => resolve(server));
  });
}
