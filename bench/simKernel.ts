/**
 * `npm run bench -- sim-kernel`: the simulation kernel's own speed, events per second of wall time, for
 * workloads that do almost nothing per event — what is measured is the scheduler (its heap, its
 * microtask probe, its macrotask hops) and the network's bookkeeping, not the simulated code.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { SimNetwork } from '../src/sim/network.js';
import { SimRandom } from '../src/sim/random.js';
import { SimScheduler } from '../src/sim/scheduler.js';
import { TraceHash } from '../src/sim/trace.js';
import { machine, median, numberOption, round2 } from './stats.js';

interface Workload {
  name: string;
  /** Schedules the workload's first events; it runs until about `events` have run. */
  start(scheduler: SimScheduler, events: number): void;
}

const workloads: Workload[] = [
  {
    name: 'one timer rescheduling itself',
    start(scheduler, events) {
      let left = events;
      const tick = (): void => void (--left > 0 && scheduler.schedule(1, tick));
      scheduler.schedule(1, tick);
    },
  },
  {
    name: '1000 periodic timers (heap of 1000)',
    start(scheduler, events) {
      let left = events;
      for (let k = 0; k < 1000; k += 1) {
        const tick = (): void => void (--left > 0 && scheduler.schedule(1 + (k % 7), tick));
        scheduler.schedule(k % 13, tick);
      }
    },
  },
  {
    name: 'network: 12 jittery links, one message per event',
    start(scheduler, events) {
      const nodes = ['a', 'b', 'c', 'd'];
      const network = new SimNetwork(scheduler, new SimRandom(1));
      const random = new SimRandom(2);
      for (const from of nodes) for (const to of nodes) if (from !== to) network.link(from, to).setFaults({ latencyMs: 20, jitterMs: 10 });
      let left = events / 2;
      const send = (): void => {
        if (--left <= 0) return;
        const from = random.pick(nodes);
        network.send(from, random.pick(nodes.filter((node) => node !== from)), 100, () => undefined);
        scheduler.schedule(0.01, send);
      };
      scheduler.schedule(0, send);
    },
  },
  {
    name: 'async handlers (each awaits once: a macrotask hop per event)',
    start(scheduler, events) {
      let left = events;
      const tick = async (): Promise<void> => {
        await null;
        if (--left > 0) scheduler.schedule(1, () => void tick());
      };
      scheduler.schedule(1, () => void tick());
    },
  },
];

async function measure(workload: Workload, events: number): Promise<number> {
  const scheduler = new SimScheduler(0);
  workload.start(scheduler, events);
  const startedMs = performance.now();
  await scheduler.runFor(Number.MAX_SAFE_INTEGER / 2);
  return scheduler.eventsRun / ((performance.now() - startedMs) / 1000);
}

function traceAddsPerSecond(count: number): number {
  const trace = new TraceHash();
  const startedMs = performance.now();
  for (let i = 0; i < count; i += 1) trace.add('deliver', i, 'us-east-1', 'eu-west-1', 128);
  return count / ((performance.now() - startedMs) / 1000);
}

export async function simKernelBenchmark(argv: string[]): Promise<void> {
  const events = numberOption(argv, 'events', 2_000_000);
  const rounds = numberOption(argv, 'rounds', 3);
  console.log(`sim benchmark: ${rounds} rounds of about ${events} events per workload`);
  // The kernel is single-threaded: other load on the machine shows directly in these numbers.
  const loadAtStart = round2(loadavg()[0]);
  const rows = [];
  for (const workload of workloads) {
    // The async workload is a hop per event, much slower: fewer events keep the run short.
    const count = workload.name.startsWith('async') ? Math.ceil(events / 10) : events;
    const perRound: number[] = [];
    for (let round = 0; round < rounds; round += 1) perRound.push(await measure(workload, count));
    rows.push({ workload: workload.name, eventsPerSecond: Math.round(median(perRound)), rounds: perRound.map(Math.round) });
    console.log(`${workload.name}: ${Math.round(median(perRound))} events/s`);
  }
  const traceAdds = Math.round(median(Array.from({ length: rounds }, () => traceAddsPerSecond(events))));
  const result = { date: new Date().toISOString().slice(0, 10), machine: machine(), loadAtStart, config: { events, rounds }, workloads: rows, traceHashAddsPerSecond: traceAdds, targets: { trivialEventsPerSecond: 1_000_000 } };
  const table = [
    `Measured ${result.date} on ${result.machine.cores} cores (load average ${loadAtStart} at the start), Node ${result.machine.node}; medians of ${rounds} rounds.`,
    '',
    '| workload | events/s |',
    '|---|---:|',
    ...rows.map((row) => `| ${row.workload} | ${(row.eventsPerSecond / 1e6).toFixed(2)} M |`),
    `| TraceHash.add (5 parts) | ${round2(traceAdds / 1e6)} M/s |`,
  ].join('\n');
  writeFileSync('bench/results/sim-kernel.json', `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync('bench/results/sim-kernel.md', `${table}\n`);
  console.log(`\n${table}`);
}
