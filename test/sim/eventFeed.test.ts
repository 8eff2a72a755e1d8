/**
 * A simulated region's event feed runs on virtual time: changes and conflicts arrive with virtual
 * true times, and a follower of the region keeps following it across a crash and restart (a new
 * `hello` says where the new incarnation starts), so a simulated scenario can be recorded.
 */
import { expect, it } from 'vitest';
import { SIM_EPOCH_MS } from '../../src/sim/cluster.js';
import type { FeedChange, FeedEvent } from '../../src/region/feedEvents.js';
import { drain, keyOf, sleep, startGlobalTable, TABLE } from '../helpers/simGlobalTable.js';

const put = (value: string) => ({ TableName: TABLE, Item: { ...keyOf('k'), v: { S: value } } });

it('tells changes and conflicts on virtual time, and follows a region across a restart', async () => {
  const cluster = await startGlobalTable(7, 'item');
  try {
    const us = cluster.region('us-east-1');
    const eu = cluster.region('eu-west-1');
    const seen: Record<string, FeedEvent[]> = { 'us-east-1': [], 'eu-west-1': [] };
    const unsubscribe = [us, eu].map((region) => region.subscribeFeed((event) => seen[region.name].push(event)));
    expect(seen['us-east-1'][0]).toMatchObject({ type: 'hello', region: 'us-east-1' });

    const writtenAtMs = cluster.nowMs;
    await cluster.run(us.call('PutItem', put('first')));
    expect(await cluster.run(drain(cluster, 30_000))).toEqual([]);
    await cluster.run(sleep(cluster, 300));
    const changes = (name: string): FeedChange[] => seen[name].filter((e): e is FeedChange => e.type === 'change');
    const [here] = changes('us-east-1');
    const [there] = changes('eu-west-1');
    expect(here).toMatchObject({ origin: 'us-east-1', newImage: put('first').Item });
    expect(there).toMatchObject({ origin: 'us-east-1', version: here.version });
    // Virtual time: the simulator's epoch, not the wall clock.
    expect(here.atMs).toBeGreaterThanOrEqual(writtenAtMs);
    expect(here.atMs).toBeLessThan(SIM_EPOCH_MS + 24 * 3600_000);
    expect(there.atMs).toBeGreaterThanOrEqual(here.atMs);

    // Concurrent writes while the two are cut off from each other: a conflict, told with its explanation.
    await cluster.run(us.admin('/admin/links/eu-west-1', 'PUT', { stalled: true }));
    await cluster.run(eu.admin('/admin/links/us-east-1', 'PUT', { stalled: true }));
    expect(seen['us-east-1'].filter((e) => e.type === 'fault').map((e) => (e as { text: string }).text)).toEqual(['link from eu-west-1 stalled']);
    await cluster.run(us.call('PutItem', put('from-us')));
    await cluster.run(eu.call('PutItem', put('from-eu')));
    await cluster.run(us.admin('/admin/links/heal', 'POST'));
    await cluster.run(eu.admin('/admin/links/heal', 'POST'));
    expect(await cluster.run(drain(cluster, 30_000))).toEqual([]);
    await cluster.run(sleep(cluster, 300));
    const conflicts = [...seen['us-east-1'], ...seen['eu-west-1']].filter((e) => e.type === 'conflict');
    expect(conflicts.length).toBeGreaterThan(0);
    expect(conflicts[0]).toMatchObject({ conflict: { explanation: expect.stringMatching(/won|equal timestamps/) } });
    expect(seen['us-east-1'].some((e) => e.type === 'status')).toBe(true);

    // A crash and a restart: the follower hears the new incarnation, then its changes.
    us.crash();
    await cluster.run(sleep(cluster, 1000));
    await cluster.run(us.start());
    const hellos = seen['us-east-1'].filter((e) => e.type === 'hello');
    expect(hellos).toHaveLength(2);
    await cluster.run(us.call('PutItem', put('after-restart')));
    await cluster.run(sleep(cluster, 300));
    expect(changes('us-east-1').at(-1)).toMatchObject({ origin: 'us-east-1', newImage: put('after-restart').Item });
    expect(changes('us-east-1').at(-1)!.lsn).toBeGreaterThan((hellos[1] as { lsn: number }).lsn);

    for (const stop of unsubscribe) stop();
    const before = seen['us-east-1'].length;
    await cluster.run(sleep(cluster, 2000));
    expect(seen['us-east-1'].length).toBe(before);
  } finally {
    cluster.stop();
  }
}, 60_000);
