/**
 * A randomized workload over the whole kernel — processes with clocks, a faulty network, crashes,
 * async receivers — fingerprinted by a TraceHash: one seed must give one hash, run after run.
 * The seed is random unless SIM_SEED is set (pinned under CI); it is printed so a failure can be replayed.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/sim/clock.js';
import { SimNetwork } from '../../src/sim/network.js';
import { SimRandom } from '../../src/sim/random.js';
import { SimScheduler, type SimProcess } from '../../src/sim/scheduler.js';
import { TraceHash } from '../../src/sim/trace.js';

const NODES = ['a', 'b', 'c', 'd'];
const RUN_MS = 20_000;

interface Outcome { hash: string; events: number; delivered: number }

async function randomizedRun(seed: number): Promise<Outcome> {
  const root = new SimRandom(seed);
  const scheduler = new SimScheduler(1_700_000_000_000);
  const trace = new TraceHash();
  let delivered = 0;
  const network = new SimNetwork(scheduler, root.split('network'), (from, to, bytes) => {
    delivered += 1;
    trace.add('deliver', scheduler.nowMs, from, to, bytes);
  });
  const chaos = root.split('chaos');
  for (const from of NODES) {
    for (const to of NODES) {
      if (from === to) continue;
      network.link(from, to).setFaults({
        latencyMs: chaos.int(40),
        jitterMs: chaos.int(30),
        jitter: chaos.pick(['uniform', 'exponential'] as const),
        lossRate: chaos.uniform(0, 0.1),
        duplicateRate: chaos.uniform(0, 0.05),
        reorderRate: chaos.chance(0.5) ? chaos.uniform(0, 0.2) : 0,
      });
    }
  }
  const regionClock = new Map(NODES.map((node) => [node, new VirtualClock(scheduler, { skewMs: chaos.int(1000) - 500, driftPpm: chaos.int(200) - 100 })]));
  const processes = new Map<string, SimProcess>();
  const receivers = new Map<string, (from: string, id: string) => Promise<void>>();
  const receiveAt = (node: string, from: string, id: string): Promise<void> => receivers.get(node)!(from, id);

  /** A node's process: sends to a random peer now and then; receiving does some async work and sometimes answers. */
  const start = (node: string, incarnation: number): void => {
    const process = scheduler.process(`${node}#${incarnation}`);
    processes.set(node, process);
    const clock = regionClock.get(node)!.withProcess(process);
    const random = root.split(`node:${node}#${incarnation}`);
    const receive = async (from: string, id: string): Promise<void> => {
      await Promise.resolve();
      trace.add('received', node, from, id, clock.nowMs());
      if (random.chance(0.3)) network.send(node, from, 16, () => void receiveAt(from, node, `ack-${id}`));
    };
    const tick = (): void => {
      const to = random.pick(NODES.filter((other) => other !== node));
      const id = random.uuid();
      network.send(node, to, random.int(1000), () => void receiveAt(to, node, id));
      clock.schedule(tick, random.exponential(50));
    };
    clock.schedule(tick, random.int(100));
    receivers.set(node, receive);
  };

  NODES.forEach((node) => start(node, 0));
  const faults = root.split('faults');
  const incarnations = new Map(NODES.map((node) => [node, 0]));
  const injectFault = (): void => {
    const node = faults.pick(NODES);
    const other = faults.pick(NODES.filter((n) => n !== node));
    const kind = faults.int(4);
    trace.add('fault', scheduler.nowMs, kind, node, other);
    if (kind === 0 && network.isNodeUp(node)) {
      processes.get(node)!.kill();
      network.setNodeUp(node, false);
      scheduler.schedule(faults.uniform(100, 2000), () => {
        network.setNodeUp(node, true);
        incarnations.set(node, incarnations.get(node)! + 1);
        start(node, incarnations.get(node)!);
      });
    } else if (kind === 1) {
      const link = network.link(node, other);
      link.update({ stalled: true });
      scheduler.schedule(faults.uniform(50, 1500), () => link.update({ stalled: false }));
    } else if (kind === 2) {
      network.reset(node, other);
    } else {
      regionClock.get(node)!.skewMs += faults.int(200) - 100;
    }
    scheduler.schedule(faults.exponential(400), injectFault);
  };
  scheduler.schedule(500, injectFault);

  await scheduler.runFor(RUN_MS);
  return { hash: trace.hex(), events: scheduler.eventsRun, delivered };
}

describe('a randomized simulation replays by seed', () => {
  // Pinned under CI, as every randomized test's seed is.
  const seed = Number(process.env.SIM_SEED ?? (process.env.CI ? 20261207 : Math.floor(Math.random() * 2 ** 31)));

  it(`gives one trace hash for one seed and another for another seed (seed ${seed})`, async () => {
    console.log(`determinism test seed: ${seed} (replay with SIM_SEED=${seed})`);
    const first = await randomizedRun(seed);
    const second = await randomizedRun(seed);
    expect(second, `seed ${seed}`).toEqual(first);
    expect(first.delivered, `seed ${seed}`).toBeGreaterThan(100);
    const other = await randomizedRun(seed + 1);
    expect(other.hash, `seeds ${seed} and ${seed + 1}`).not.toBe(first.hash);
  });
});
