/**
 * What is up and down as a history plays, and whether each step can be played then. The scenario
 * runner stops at a step it cannot play (a write to a crashed region, a restart of a running one),
 * so the generator draws only playable steps and the shrinker keeps only playable histories: a
 * shrunk history then fails for the reason the original did, not because a removal broke it.
 */
import { argsOf, kindOf, type History, type StepData } from './history.js';

export class ClusterModel {
  private readonly down = new Set<string>();
  private readonly busDown = new Set<string>();

  constructor(readonly regionNames: readonly string[]) {}

  isUp(region: string): boolean {
    return !this.down.has(region);
  }

  isBusUp(region: string): boolean {
    return !this.busDown.has(region);
  }

  upRegions(): string[] {
    return this.regionNames.filter((r) => this.isUp(r));
  }

  downRegions(): string[] {
    return this.regionNames.filter((r) => !this.isUp(r));
  }

  /** Regions whose bus is down, whether or not the region itself runs (the bus outlives a crash). */
  downBuses(): string[] {
    return this.regionNames.filter((r) => !this.isBusUp(r));
  }

  /** Whether the runner can play this step now: every step that talks to a region needs it running. */
  canPlay(step: StepData): boolean {
    const args = argsOf(step);
    const region = args.region as string | undefined;
    switch (kindOf(step)) {
      case 'put':
      case 'update':
      case 'delete':
      case 'crashRegion':
      case 'crashNats':
      case 'restartNats':
      case 'clockSkew':
      case 'clockJump':
        return region !== undefined && this.isUp(region);
      case 'restartRegion':
        return region !== undefined && !this.isUp(region);
      case 'heal':
        // A heal of one link is asked of the region at its receiving end.
        return args.to === undefined || this.isUp(args.to as string);
      default:
        return true;
    }
  }

  apply(step: StepData): void {
    const region = argsOf(step).region as string;
    switch (kindOf(step)) {
      case 'crashRegion': this.down.add(region); break;
      case 'restartRegion': this.down.delete(region); break;
      case 'crashNats': this.busDown.add(region); break;
      case 'restartNats': this.busDown.delete(region); break;
      default: break;
    }
  }
}

/** The model after playing every step, or undefined when some step could not be played. */
export function playModel(history: Pick<History, 'regions' | 'steps'>): ClusterModel | undefined {
  const model = new ClusterModel(history.regions.map((r) => r.name));
  for (const step of history.steps) {
    if (!model.canPlay(step)) return undefined;
    model.apply(step);
  }
  return model;
}
