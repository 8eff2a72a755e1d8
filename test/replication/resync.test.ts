import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { streamName } from '../../src/bus/wire.js';
import type { PairStatus } from '../../src/replication/metrics.js';
import { allKeys, createGlobalTable, eventually, startCluster, waitConverged, type TestCluster } from '../helpers/cluster.js';

let cluster: TestCluster;
beforeAll(async () => { cluster = await startCluster(['us-east-1', 'eu-west-1']); }, 60_000);
afterAll(async () => { await cluster?.stop(); });

describe('resync after the source trimmed its stream', () => {
  it('rebuilds the table from a snapshot instead of skipping what it never received', async () => {
    const [east, west] = cluster.regions;
    await createGlobalTable(cluster, 'ledger');
    await cluster.admin(west.name, `/admin/links/${east.name}`, { method: 'PUT', body: { stalled: true } });
    for (let i = 0; i < 30; i += 1) await east.doc.send(new PutCommand({ TableName: 'ledger', Item: { pk: `entry-${i}` } }));
    await east.region.publisher!.drained();
    // Drop whatever the stalled link still holds, so the changes can only come from the stream.
    await cluster.admin(west.name, `/admin/links/${east.name}/reset`, { method: 'POST' });
    // What retention would do after 24 hours: the stream no longer holds those changes.
    const connection = await connect({ servers: east.region.changeStream!.natsUrl });
    await (await jetstreamManager(connection)).streams.purge(streamName(east.name));
    await connection.close();
    await cluster.admin(west.name, `/admin/links/${east.name}/heal`, { method: 'POST' });
    await waitConverged(cluster.regions.map((r) => ({ name: r.name, admin: <T>(path: string) => cluster.admin<T>(r.name, path) })), 'ledger');
    expect((await allKeys(west.doc, 'ledger')).size).toBe(30);
    const status = await cluster.admin<{ replication: PairStatus[] }>(west.name, '/admin/status');
    expect(status.replication.find((p) => p.source === east.name)?.resyncs).toBe(1);
    // And it follows the stream again afterwards.
    await east.doc.send(new PutCommand({ TableName: 'ledger', Item: { pk: 'after-resync' } }));
    await eventually(async () => (await allKeys(west.doc, 'ledger')).has('after-resync'));
  });
});
