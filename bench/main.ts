/** `npm run bench -- <target>`: runs one named benchmark. */
import { apiBenchmark } from './api.js';
import { streamBenchmark } from './stream.js';
import { replicationBenchmark } from './replication.js';
import { simBenchmark } from './sim.js';
import { simKernelBenchmark } from './simKernel.js';

const targets: Record<string, (argv: string[]) => Promise<void>> = {
  api: apiBenchmark,
  stream: streamBenchmark,
  replication: replicationBenchmark,
  sim: simBenchmark,
  'sim-kernel': simKernelBenchmark,
};

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  const target = name ? targets[name] : undefined;
  if (!target) {
    console.error(`usage: npm run bench -- <target> [options]\ntargets: ${Object.keys(targets).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  await target(rest);
}
