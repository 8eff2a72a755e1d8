/** The regions `up` runs, as the console crashes and restarts them: each name always maps to its current process. */
import type { RegionControl } from '../console/regionControl.js';
import { RegionControlError } from '../console/regionControl.js';
import { RegionStartError, type RegionProcess } from './regionProcess.js';

export class UpRegions implements RegionControl {
  /** `processes` is changed in place by a restart; `watch` is told of every process, the first ones and each restart's. */
  constructor(private readonly processes: RegionProcess[], private readonly watch: (region: RegionProcess) => void) {}

  get all(): readonly RegionProcess[] {
    return this.processes;
  }

  controllable(name: string): boolean {
    return this.processes.some((r) => r.name === name);
  }

  async crash(name: string): Promise<void> {
    const region = this.named(name);
    if (!region.alive) throw new RegionControlError(`${name} is not running`);
    region.kill();
    await region.exit;
    await region.reapOrphanNats().catch(() => undefined);
  }

  async restart(name: string): Promise<void> {
    const region = this.named(name);
    if (region.alive) throw new RegionControlError(`${name} is running: crash it first`);
    const next = region.restarted();
    this.processes[this.processes.indexOf(region)] = next;
    this.watch(next);
    try {
      await next.ready;
    } catch (error) {
      if (error instanceof RegionStartError) throw new RegionControlError(error.message);
      throw error;
    }
  }

  private named(name: string): RegionProcess {
    const region = this.processes.find((r) => r.name === name);
    if (!region) throw new RegionControlError(`no region named ${name}`);
    return region;
  }
}
