/**
 * A region whose nats-server is restarted with a max_payload too small for a change it then
 * commits (the start check cannot see that). Its publisher reports itself stuck at that change's
 * lsn, once; the writes after it are kept; its peers see the missing changes as pending and as a
 * growing lag; writes from the peers still reach it; and once the server allows enough again,
 * everything converges.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { formatRegionStatus, probeStatus } from '../../src/cli/upStatus.js';
import type { PairStatus } from '../../src/replication/metrics.js';
import { startNatsServer, type RunningNatsServer } from '../../src/nats/launcher.js';
import { createGlobalTable, eventually, startCluster, waitConverged, type TestCluster } from '../helpers/cluster.js';
import { freePort } from '../helpers/ports.js';

const NAMES = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const [SOURCE, ...PEERS] = NAMES;
const TABLE = 'orders';
const BIG = Buffer.alloc(399_000, 7);
const SMALL_LIMIT_BYTES = 256 * 1024;

interface Status {
  publisher: { publishedLsn: number; committedLsn: number; stuck: { lsn: number; reason: string; sinceMs: number } | null };
  replication: PairStatus[];
}

describe('a source whose change the bus cannot take', () => {
  let cluster: TestCluster;
  let nats: RunningNatsServer;
  let natsDir: string;
  let natsPort: number;
  const logged: string[] = [];

  const restartNats = async (maxPayloadBytes?: number): Promise<void> => {
    await nats.stop();
    nats = await startNatsServer({ storeDir: natsDir, port: natsPort, ...(maxPayloadBytes ? { maxPayloadBytes } : {}) });
  };
  const put = (region: string, key: string, extra: Record<string, { B: Uint8Array }> = {}) => cluster.byName(region).client.send(new PutItemCommand({
    TableName: TABLE, Item: { pk: { S: key }, ...extra },
  }));
  const get = async (region: string, key: string) => (await cluster.byName(region).client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: key } }, ConsistentRead: true }))).Item;
  const status = (region: string): Promise<Status> => cluster.admin<Status>(region, '/admin/status');
  const pairFrom = async (region: string, source: string): Promise<PairStatus> => (await status(region)).replication.find((p) => p.source === source)!;

  beforeAll(async () => {
    natsDir = await mkdtemp(join(tmpdir(), 'globaltables-stuck-'));
    natsPort = await freePort();
    nats = await startNatsServer({ storeDir: natsDir, port: natsPort });
    cluster = await startCluster(NAMES, {}, (name) => (name === SOURCE
      // The change stream's log lines: kept here to count them.
      ? { changeStream: { natsUrl: nats.url }, log: (line: string) => { logged.push(line); } }
      : {}));
    await createGlobalTable(cluster, TABLE);
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
    await nats?.stop();
    await rm(natsDir, { recursive: true, force: true });
  });

  it('is reported stuck with its lsn, seen by the peers as pending and lag, and converges once the limit allows it', async () => {
    await put(SOURCE, 'before');
    for (const peer of PEERS) await eventually(() => get(peer, 'before'), 15_000, `before in ${peer}`);

    // The operator restarts the source's nats-server with a smaller max_payload.
    await restartNats(SMALL_LIMIT_BYTES);
    await put(SOURCE, 'big', { b: { B: BIG } });
    const bigLsn = cluster.byName(SOURCE).region.ctx.store.lastLsn();
    for (let i = 0; i < 5; i += 1) await put(SOURCE, `after-${i}`);
    await put(PEERS[0], 'from-a-peer');

    const stuck = await eventually(async () => (await status(SOURCE)).publisher.stuck, 30_000, 'the source reports itself stuck');
    expect(stuck).toMatchObject({ lsn: bigLsn, reason: 'payload-too-large' });

    // The peers: the big change and the five after it are pending, and the lag grows past seconds.
    for (const peer of PEERS) {
      const pair = await eventually(async () => {
        const found = await pairFrom(peer, SOURCE);
        return found.lagMs.current >= 4000 && found;
      }, 30_000, `${peer} behind ${SOURCE} by 4 s`);
      expect(pair.pending).toBe(6);
      expect(pair.sourceStatus).toMatchObject({ stuck: { lsn: bigLsn }, publishedLsn: bigLsn - 1, unpublished: 6 });
      expect(pair.behindSinceMs).toBeLessThanOrEqual(Date.now() - 4000);
      expect(pair.connected).toBe(true);
    }
    // The source held everything after the stuck change back, and said so once in four seconds of retrying.
    expect((await cluster.admin<{ changeLog: { publishedLsn: number } }>(SOURCE, '/admin/metrics')).changeLog.publishedLsn).toBe(bigLsn - 1);
    expect(logged.filter((line) => line.includes(`stuck at lsn ${bigLsn}`))).toHaveLength(1);
    // Replication into the stuck region goes on.
    await eventually(() => get(SOURCE, 'from-a-peer'), 15_000, 'a peer\'s write in the stuck region');

    const metrics = await (await fetch(`${cluster.byName(SOURCE).region.endpoint}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^globaltables_publisher_stuck\\{region="${SOURCE}"\\} 1$`, 'm'));
    expect(metrics).toMatch(new RegExp(`^globaltables_publisher_stuck_lsn\\{region="${SOURCE}"\\} ${bigLsn}$`, 'm'));
    const peerMetrics = await (await fetch(`${cluster.byName(PEERS[0]).region.endpoint}/metrics`)).text();
    expect(peerMetrics).toMatch(new RegExp(`^globaltables_replication_source_stuck\\{source="${SOURCE}",target="${PEERS[0]}"\\} 1$`, 'm'));
    expect(peerMetrics).toMatch(new RegExp(`^globaltables_pending_replication_count\\{source="${SOURCE}",target="${PEERS[0]}"\\} 6$`, 'm'));
    expect(peerMetrics).toMatch(new RegExp(`^globaltables_replication_lag_current_ms\\{source="${SOURCE}",target="${PEERS[0]}"\\} [1-9]\\d{3,}$`, 'm'));

    const line = async (name: string): Promise<string> => formatRegionStatus(name, await probeStatus(cluster.byName(name).region.endpoint, 2000));
    expect(await line(SOURCE)).toContain(`publisher STUCK at lsn ${bigLsn} (payload-too-large)`);
    expect(await line(PEERS[0])).toMatch(new RegExp(`pending 6 · behind ${SOURCE} by \\d+ s$`));

    // The limit is raised again: nothing else is done.
    await restartNats();
    await eventually(async () => (await status(SOURCE)).publisher.stuck === null, 30_000, 'the source publishing again');
    for (const peer of PEERS) {
      await eventually(async () => {
        const item = await get(peer, 'big');
        return item?.b.B && Buffer.from(item.b.B).equals(BIG) && (await get(peer, 'after-4')) !== undefined;
      }, 30_000, `everything from ${SOURCE} in ${peer}`);
      for (let i = 0; i < 5; i += 1) expect(await get(peer, `after-${i}`)).toEqual({ pk: { S: `after-${i}` } });
      const pair = await eventually(async () => {
        const found = await pairFrom(peer, SOURCE);
        return found.pending === 0 && found.sourceStatus?.stuck === null && found;
      }, 15_000, `${peer} caught up with ${SOURCE}`);
      expect(pair.lagMs.current).toBe(0);
      expect(pair.behindSinceMs).toBeNull();
    }
    await waitConverged(cluster.regions.map((r) => ({ name: r.name, admin: <T>(path: string) => cluster.admin<T>(r.name, path) })), TABLE);
    expect(logged.filter((line) => line.includes(`lsn ${bigLsn} published after`))).toHaveLength(1);
    expect(await line(SOURCE)).not.toContain('STUCK');
  }, 120_000);
});
