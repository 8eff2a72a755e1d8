/**
 * Found by the model-based suite: a region whose stream was trimmed while it and a peer were down.
 * The peer, back first, must resync from the region's snapshot; its first attempts find the region's
 * process gone. A call to a process that is not running is refused at once (as a connection to a
 * closed port is), so the resync is retried and succeeds soon after the region is back — instead of
 * waiting out the snapshot's ten-minute time-out while replication stands still.
 */
import { expect, it } from 'vitest';
import { drain, keyOf, replicationPairs, sleep, startGlobalTable, TABLE } from '../helpers/simGlobalTable.js';

it('resyncs from a restarted region whose stream was trimmed, within seconds of virtual time', async () => {
  const cluster = await startGlobalTable(0, 'item');
  try {
    const eu = cluster.region('eu-west-1');
    const ap = cluster.region('ap-southeast-2');
    await cluster.run(eu.call('UpdateItem', { TableName: TABLE, Key: keyOf('k0'), UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } }));
    ap.crash();
    eu.crash();
    const bus = cluster.busOf('eu-west-1');
    expect(bus.messages().map((m) => m.seq)).toEqual([1]);
    bus.trim(1);
    await cluster.run(ap.start());
    await cluster.run(sleep(cluster, 2000));
    await cluster.run(eu.start());
    const restartedAtMs = cluster.nowMs;
    expect(await cluster.run(drain(cluster, 30_000)), 'drained').toEqual([]);
    expect(cluster.nowMs - restartedAtMs, 'virtual ms from the restart to drained').toBeLessThan(5_000);
    const fromEu = (await cluster.run(replicationPairs(ap))).find((p) => p.source === 'eu-west-1')!;
    expect(fromEu.checkpoint).toBe(1);
    expect(fromEu.resyncs).toBeGreaterThan(1);
    const read = await cluster.run(ap.call<{ Item?: unknown }>('GetItem', { TableName: TABLE, Key: keyOf('k0'), ConsistentRead: true }));
    expect(read.Item).toEqual({ pk: { S: 'k0' }, a: { S: 'x' } });
  } finally {
    cluster.stop();
  }
});
