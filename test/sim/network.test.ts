import { describe, expect, it } from 'vitest';
import { LinkSettingsError } from '../../src/nats/link.js';
import { SimNetwork } from '../../src/sim/network.js';
import { SimRandom } from '../../src/sim/random.js';
import { SimScheduler } from '../../src/sim/scheduler.js';

const START_MS = 10_000;

/** A network of nodes a, b, c; arrivals recorded as (message, virtual ms since start). */
function setup(seed = 1) {
  const scheduler = new SimScheduler(START_MS);
  const observed: string[] = [];
  const network = new SimNetwork(scheduler, new SimRandom(seed), (from, to, bytes) => observed.push(`${from}->${to}:${bytes}`));
  const arrivals: { id: string; atMs: number }[] = [];
  const send = (from: string, to: string, id: string, bytes = 1): void =>
    network.send(from, to, bytes, () => arrivals.push({ id, atMs: scheduler.nowMs - START_MS }));
  const ids = () => arrivals.map((arrival) => arrival.id);
  return { scheduler, network, arrivals, observed, send, ids };
}

const range = (count: number) => Array.from({ length: count }, (_, i) => `m${i}`);

describe('SimNetwork: timing and order', () => {
  it('delivers after the latency, each message in its own event, in order', async () => {
    const { scheduler, network, arrivals, send } = setup();
    network.link('a', 'b').setFaults({ latencyMs: 30 });
    send('a', 'b', 'm0');
    await scheduler.runFor(10);
    send('a', 'b', 'm1');
    await scheduler.runFor(100);
    expect(arrivals).toEqual([{ id: 'm0', atMs: 30 }, { id: 'm1', atMs: 40 }]);
  });

  it('adds jitter within its bounds and keeps the order (FIFO), uniform or exponential', async () => {
    for (const jitter of ['uniform', 'exponential'] as const) {
      const { scheduler, network, arrivals, send, ids } = setup(2);
      network.link('a', 'b').setFaults({ latencyMs: 50, jitterMs: 40, jitter });
      for (const id of range(200)) send('a', 'b', id);
      await scheduler.runFor(1_000);
      expect(ids()).toEqual(range(200));
      expect(Math.min(...arrivals.map((arrival) => arrival.atMs))).toBeGreaterThanOrEqual(50);
      expect(Math.max(...arrivals.map((arrival) => arrival.atMs))).toBeLessThanOrEqual(jitter === 'uniform' ? 90 : 50 + 40 * 20);
      expect(new Set(arrivals.map((arrival) => arrival.atMs)).size).toBeGreaterThan(1);
    }
  });

  it('reorders only with a reorder rate', async () => {
    const { scheduler, network, send, ids } = setup(3);
    network.link('a', 'b').setFaults({ latencyMs: 10, jitterMs: 50, reorderRate: 0.5 });
    for (const id of range(200)) send('a', 'b', id);
    await scheduler.runFor(1_000);
    expect(ids()).not.toEqual(range(200));
    expect([...ids()].sort()).toEqual([...range(200)].sort());
  });

  it('keeps links apart: one link delayed or stalled does not hold another', async () => {
    const { scheduler, network, send, ids } = setup();
    network.link('a', 'b').setFaults({ stalled: true });
    network.link('c', 'b').setFaults({ latencyMs: 5 });
    send('a', 'b', 'from-a');
    send('b', 'a', 'reverse');
    send('c', 'b', 'from-c');
    await scheduler.runFor(100);
    expect(ids()).toEqual(['reverse', 'from-c']);
  });
});

describe('SimNetwork: losing, duplicating, holding', () => {
  it('drops a lossRate share of messages and accounts for every one', async () => {
    const { scheduler, network, send, ids } = setup(4);
    const link = network.link('a', 'b');
    link.setFaults({ lossRate: 0.3 });
    for (const id of range(2000)) send('a', 'b', id);
    await scheduler.runFor(10);
    const { sent, delivered, lost, dropped } = link.counts();
    expect(sent).toBe(2000);
    expect(delivered + lost + dropped).toBe(2000);
    expect(lost / 2000).toBeGreaterThan(0.25);
    expect(lost / 2000).toBeLessThan(0.35);
    // What arrives, arrives once and in order: a lost message leaves a gap, nothing else moves.
    const arrived = new Set(ids());
    expect(ids().length).toBe(delivered);
    expect(ids()).toEqual(range(2000).filter((id) => arrived.has(id)));
  });

  it('delivers a duplicated message twice, the copy later, and tells onDeliver each time', async () => {
    const { scheduler, network, arrivals, observed, send } = setup();
    network.link('a', 'b').setFaults({ latencyMs: 20, duplicateRate: 1 });
    send('a', 'b', 'once', 7);
    await scheduler.runFor(100);
    expect(arrivals.map((arrival) => arrival.id)).toEqual(['once', 'once']);
    expect(arrivals[1].atMs).toBeGreaterThan(arrivals[0].atMs);
    expect(observed).toEqual(['a->b:7', 'a->b:7']);
    expect(network.link('a', 'b').counts().duplicated).toBe(1);
  });

  it('holds everything while stalled, in order, and releases it when un-stalled', async () => {
    const { scheduler, network, send, ids } = setup();
    const link = network.link('a', 'b');
    link.update({ stalled: true, latencyMs: 10 });
    for (const id of range(5)) send('a', 'b', id, 100);
    await scheduler.runFor(1_000);
    expect(ids()).toEqual([]);
    expect(link.stats().heldBytes).toBe(500);
    link.update({ stalled: false });
    send('a', 'b', 'after', 100);
    await scheduler.runFor(100);
    expect(ids()).toEqual([...range(5), 'after']);
    expect(link.stats()).toMatchObject({ heldBytes: 0, bytesDownstream: 600 });
  });

  it('heal() clears every fault and delivers what was held at once', async () => {
    const { scheduler, network, arrivals, send } = setup();
    const link = network.link('a', 'b');
    link.setFaults({ latencyMs: 500, lossRate: 0.5, duplicateRate: 0.5, reorderRate: 0.5, jitter: 'exponential', stalled: true });
    send('a', 'b', 'early');
    await scheduler.runFor(100);
    link.heal();
    expect(link.faults).toEqual({ latencyMs: 0, jitterMs: 0, stalled: false, jitter: 'uniform', lossRate: 0, duplicateRate: 0, reorderRate: 0 });
    await scheduler.runFor(1);
    for (const id of range(50)) send('a', 'b', id);
    await scheduler.runFor(1);
    expect(arrivals.length).toBe(link.counts().delivered);
    expect(arrivals.slice(-50).map((arrival) => arrival.id)).toEqual(range(50));
  });

  it('refuses invalid faults, changing nothing', () => {
    const { network } = setup();
    const link = network.link('a', 'b');
    link.setFaults({ lossRate: 0.1 });
    expect(() => link.setFaults({ lossRate: 1.5 })).toThrow(LinkSettingsError);
    expect(() => link.setFaults({ duplicateRate: -0.1 })).toThrow(LinkSettingsError);
    expect(() => link.setFaults({ reorderRate: Number.NaN })).toThrow(LinkSettingsError);
    expect(() => link.setFaults({ jitter: 'gaussian' as 'uniform' })).toThrow(LinkSettingsError);
    expect(() => link.setFaults({ latencyMs: -1, lossRate: 0.2 })).toThrow(LinkSettingsError);
    expect(link.faults.lossRate).toBe(0.1);
    expect(link.setFaults({ lossRate: undefined, latencyMs: 5 })).toMatchObject({ lossRate: 0.1, latencyMs: 5 });
    expect(network.link('a', 'b')).toBe(link);
    expect(link.name).toBe('a->b');
  });
});

describe('SimNetwork: crashes and resets', () => {
  it('drops what a down node sends or is sent, and what was in flight when it arrives, even after a restart', async () => {
    const { scheduler, network, send, ids } = setup();
    network.link('a', 'b').setFaults({ latencyMs: 50 });
    network.link('b', 'c').setFaults({ latencyMs: 50 });
    send('a', 'b', 'in-flight-to-b');
    send('b', 'c', 'in-flight-from-b');
    send('a', 'c', 'unrelated');
    await scheduler.runFor(10);
    network.setNodeUp('b', false);
    expect(network.isNodeUp('b')).toBe(false);
    send('a', 'b', 'to-down-b');
    send('b', 'a', 'from-down-b');
    await scheduler.runFor(20);
    network.setNodeUp('b', true);
    send('c', 'b', 'to-restarted-b');
    await scheduler.runFor(100);
    expect(ids()).toEqual(['unrelated', 'to-restarted-b']);
    expect(network.link('a', 'b').counts()).toMatchObject({ sent: 2, delivered: 0, dropped: 2 });
  });

  it('reset drops what is in flight on that link only; later traffic flows', async () => {
    const { scheduler, network, send, ids } = setup();
    network.link('a', 'b').setFaults({ latencyMs: 50 });
    network.link('a', 'c').setFaults({ latencyMs: 50 });
    send('a', 'b', 'lost');
    send('a', 'c', 'kept');
    await scheduler.runFor(10);
    network.reset('a', 'b');
    send('a', 'b', 'after');
    await scheduler.runFor(100);
    expect(ids()).toEqual(['kept', 'after']);
    expect(network.link('a', 'b').stats().resets).toBe(1);
  });

  it('carries nothing once the link is closed', async () => {
    const { scheduler, network, send, ids } = setup();
    const link = network.link('a', 'b');
    await link.close();
    send('a', 'b', 'never');
    await scheduler.runFor(10);
    expect(ids()).toEqual([]);
    expect(link.stats().openConnections).toBe(0);
  });
});
