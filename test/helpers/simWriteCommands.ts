/**
 * Write commands of the simulated cluster's model-based test: the shared ones (a write, two writes
 * at once; modelWriteCommands.ts) and a write its region crashes during, which only the simulator
 * can stage at a chosen virtual instant.
 */
import type { AsyncCommand } from 'fast-check';
import { writeRequest } from './modelWrites.js';
import type { ModelState, RealCluster, WriteSpec } from './simModel.js';
import { sleep, type RegionName } from './simGlobalTable.js';

export { ConcurrentWritesCommand, WriteCommand } from './modelWriteCommands.js';
export type { UpdateVariant, WriteSpec } from './simModel.js';

/**
 * A write whose region crashes before it can answer: synchronously after the call began, or a
 * millisecond or two of virtual time later (around its group commit). Never acknowledged, its
 * outcome is unknown, so the oracle says nothing about its key in this history.
 */
export class CrashDuringWriteCommand implements AsyncCommand<ModelState, RealCluster> {
  constructor(readonly region: RegionName, readonly pk: string, readonly spec: WriteSpec, readonly crashAfterMs: number | undefined) {}

  check(model: Readonly<ModelState>): boolean {
    return !model.down.has(this.region);
  }

  async run(model: ModelState, { cluster }: RealCluster): Promise<void> {
    const region = cluster.region(this.region);
    const tag = `t${model.nextTag++}`;
    model.issuedTags.add(tag);
    model.uncertainWrites.push({ pk: this.pk, tag, spec: this.spec });
    const { operation, body } = writeRequest(this.spec, model.table, this.pk, tag);
    await cluster.run((async () => {
      // Whatever the call answers (if it ever does) is not an acknowledgement the test saw.
      region.call(operation, body).catch(() => {});
      if (this.crashAfterMs === undefined) region.crash();
      else cluster.scheduler.schedule(this.crashAfterMs, () => region.crash());
      await sleep(cluster, (this.crashAfterMs ?? 0) + 1);
    })());
    model.down.add(this.region);
    model.crashes += 1;
  }

  toString(): string {
    return `crashDuring(${this.spec.kind}, ${this.region}, ${this.pk}, ${this.crashAfterMs === undefined ? 'at once' : `after ${this.crashAfterMs} ms`})`;
  }
}
