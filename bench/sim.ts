/**
 * `npm run bench -- sim`: how fast the simulator plays a cluster. One workload file (3 regions,
 * mixed writes, latency, a partition, convergence) is played in the simulator and, as the peer
 * measured in the same run, on real regions (processes, nats-servers, HTTP, real time). The figure
 * is simulated client operations plus replicated applies per second of wall time.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/scenario/load.js';
import { runScenario } from '../src/scenario/runner.js';
import type { ScenarioReport } from '../src/scenario/report.js';
import { startSimTargets } from '../src/sim/scenarioTargets.js';
import { machine, median, numberOption, round2 } from './stats.js';

const WORKLOAD = fileURLToPath(new URL('./sim-workload.yaml', import.meta.url));

interface Round {
  mode: 'sim' | 'real';
  wallMs: number;
  clientOps: number;
  applies: number;
  opsPerSecond: number;
  passed: boolean;
}

/** Client operations the run made (writes and reads) plus changes applied by replicators. */
function countOps(report: ScenarioReport): { clientOps: number; applies: number } {
  const applies = report.replicationLatency.reduce((sum, p) => sum + p.applied, 0);
  return { clientOps: report.acknowledgedWrites, applies };
}

async function playOnce(mode: 'sim' | 'real', seed: number): Promise<Round> {
  const scenario = loadScenario(WORKLOAD);
  const startedAt = performance.now();
  const report = await runScenario(scenario, { seed, log: () => {}, ...(mode === 'sim' ? { targets: startSimTargets } : {}) });
  const wallMs = performance.now() - startedAt;
  const { clientOps, applies } = countOps(report);
  return { mode, wallMs: round2(wallMs), clientOps, applies, opsPerSecond: Math.round(((clientOps + applies) / wallMs) * 1000), passed: report.passed };
}

export async function simBenchmark(argv: string[]): Promise<void> {
  const simRounds = numberOption(argv, 'rounds', 20);
  const realRounds = numberOption(argv, 'real-rounds', 3);
  // The first simulated runs warm the JIT: measured, but not counted.
  for (let i = 0; i < 3; i += 1) await playOnce('sim', 1000 + i);
  const sim: Round[] = [];
  for (let i = 0; i < simRounds; i += 1) sim.push(await playOnce('sim', i + 1));
  const real: Round[] = [];
  for (let i = 0; i < realRounds; i += 1) real.push(await playOnce('real', i + 1));
  const summary = (rounds: Round[]) => ({
    rounds: rounds.length,
    passed: rounds.filter((r) => r.passed).length,
    medianWallMs: round2(median(rounds.map((r) => r.wallMs))),
    medianClientOps: median(rounds.map((r) => r.clientOps)),
    medianApplies: median(rounds.map((r) => r.applies)),
    medianOpsPerSecond: Math.round(median(rounds.map((r) => r.opsPerSecond))),
  });
  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    workload: 'bench/sim-workload.yaml',
    sim: summary(sim),
    real: summary(real),
    speedup: round2(median(sim.map((r) => r.opsPerSecond)) / median(real.map((r) => r.opsPerSecond))),
  };
  writeFileSync(new URL('./results/sim.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  const line = (name: string, s: ReturnType<typeof summary>): string =>
    `| ${name} | ${s.medianWallMs} ms | ${s.medianClientOps} | ${s.medianApplies} | **${s.medianOpsPerSecond}** | ${s.passed}/${s.rounds} |`;
  const table = [
    `Measured ${result.date} on ${result.machine.cores} cores, Node ${result.machine.node}; medians.`,
    '',
    '| mode | wall time per run | client writes | replicated applies | ops + applies per wall second | runs passed |',
    '|---|---:|---:|---:|---:|---:|',
    line('simulated (virtual time)', result.sim),
    line('real regions (peer)', result.real),
    `| ratio simulated / real | | | | ${result.speedup}× | |`,
  ].join('\n');
  writeFileSync(new URL('./results/sim.md', import.meta.url), `${table}\n`);
  console.log(table);
}
