/**
 * Write commands of the model-based tests, for a simulated or a real cluster: one write in one
 * region, or the same key written in two regions at once.
 */
import type { AsyncCommand } from 'fast-check';
import type { ModelReal, RegionName } from './modelRegion.js';
import { makeWrite, recordWrites } from './modelWrites.js';
import type { ModelState, WriteSpec } from './simModel.js';

function specText(spec: WriteSpec): string {
  const what = spec.kind === 'put' ? `put a=${spec.a}` : spec.kind === 'update' ? `update ${spec.variant}` : 'delete';
  return spec.condition === undefined ? what : `${what} if ${spec.condition}`;
}

export class WriteCommand implements AsyncCommand<ModelState, ModelReal> {
  constructor(readonly region: RegionName, readonly pk: string, readonly spec: WriteSpec) {}

  check(model: Readonly<ModelState>): boolean {
    return !model.down.has(this.region);
  }

  async run(model: ModelState, { cluster }: ModelReal): Promise<void> {
    recordWrites(model, [await cluster.run(makeWrite(model, cluster.region(this.region), this.pk, this.spec))]);
  }

  toString(): string {
    const spec = this.spec;
    const detail = spec.kind === 'put' ? ` a=${spec.a}` : spec.kind === 'update' ? ` ${spec.variant}` : '';
    return `${spec.kind}(${this.region}, ${this.pk}${detail}${spec.condition === undefined ? '' : ` if ${spec.condition}`})`;
  }
}

/**
 * The same key written in two regions at once (in the simulator, at the same virtual instant):
 * neither has seen the other, so last-writer-wins has to decide between them (at attribute
 * granularity, per attribute).
 */
export class ConcurrentWritesCommand implements AsyncCommand<ModelState, ModelReal> {
  constructor(readonly regions: [RegionName, RegionName], readonly pk: string, readonly specs: [WriteSpec, WriteSpec]) {}

  check(model: Readonly<ModelState>): boolean {
    return this.regions.every((region) => !model.down.has(region));
  }

  async run(model: ModelState, { cluster }: ModelReal): Promise<void> {
    const made = await cluster.run(Promise.all(this.regions.map((name, index) => makeWrite(model, cluster.region(name), this.pk, this.specs[index]))));
    recordWrites(model, made);
  }

  toString(): string {
    return `concurrently(${this.regions.map((region, index) => `${specText(this.specs[index])} in ${region}`).join(', ')}, ${this.pk})`;
  }
}
