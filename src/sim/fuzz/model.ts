/**
 * What is up and down as a history plays, and whether each step can be played then. The scenario
 * runner stops at a step it cannot play (a write to a crashed region, a restart of a running one),
 * so the generator draws only playable steps and the shrinker keeps only playable histories: a
 * shrunk history then fails for the reason the original did, not because a removal broke it.
 */
import { argsOf, kindOf, type History, type StepData } from './history.js';

/** A directed link, as the fault steps name it: `from`'s changes (and requests) on their way to `to`. */
const linkId = (from: string, to: string): string => `${from}>${to}`;

export class ClusterModel {
  private readonly down = new Set<string>();
  private readonly busDown = new Set<string>();
  /** Regions holding a replica of the fuzz table: all at first. */
  private readonly members: Set<string>;
  /** Links that may stall or lose messages (partitions, message faults) until healed. */
  private readonly faultyLinks = new Set<string>();
  /** Regions with writes of their own that a waitConverged has not yet seen applied everywhere. */
  /** Virtual time the history's sleeps take: a lower bound of the time that has passed. */
  private sleptMs = 0;

  constructor(readonly regionNames: readonly string[]) {
    this.members = new Set(regionNames);
  }

  isUp(region: string): boolean {
    return !this.down.has(region);
  }

  isBusUp(region: string): boolean {
    return !this.busDown.has(region);
  }

  holdsReplica(region: string): boolean {
    return this.members.has(region);
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

  /** Where a write can go: a running region that holds the replica (any other answers ResourceNotFoundException). */
  writableRegions(): string[] {
    return this.upRegions().filter((r) => this.members.has(r));
  }

  replicaRegions(): string[] {
    return this.regionNames.filter((r) => this.members.has(r));
  }

  /** Regions whose replica was removed and not added back. */
  removedRegions(): string[] {
    return this.regionNames.filter((r) => !this.members.has(r));
  }

  elapsedMs(): number {
    return this.sleptMs;
  }

  /**
   * Whether a membership change can finish now. The coordinator tells every replica, and retries one
   * it cannot reach for about a minute before giving up; a new replica reads every source's stream
   * for its backfill. So: every region and bus running, and no link stalled or losing messages.
   */
  settled(): boolean {
    return this.downRegions().length === 0 && this.downBuses().length === 0 && this.faultyLinks.size === 0;
  }

  /** Whether the runner can play this step now: every step that talks to a region needs it running. */
  canPlay(step: StepData): boolean {
    const args = argsOf(step);
    const region = args.region as string | undefined;
    const from = args.from as string | undefined;
    switch (kindOf(step)) {
      case 'put':
      case 'update':
      case 'delete':
        return region !== undefined && this.isUp(region) && this.members.has(region);
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
      case 'removeReplica':
        return this.settled() && region !== undefined && this.members.has(region) && this.members.size > 1
          && (from === undefined || (from !== region && this.members.has(from)));
      case 'addReplica':
        return this.settled() && region !== undefined && !this.members.has(region) && (from === undefined || this.members.has(from));
      default:
        return true;
    }
  }

  apply(step: StepData): void {
    const args = argsOf(step);
    const region = args.region as string;
    switch (kindOf(step)) {
      case 'crashRegion': this.down.add(region); break;
      case 'restartRegion': this.down.delete(region); break;
      case 'crashNats': this.busDown.add(region); break;
      case 'restartNats': this.busDown.delete(region); break;
      case 'removeReplica': this.members.delete(region); break;
      case 'addReplica': this.members.add(region); break;
      case 'sleep': this.sleptMs += args.ms as number; break;
      case 'partition': this.partition(args); break;
      case 'networkFaults': this.messageFaults(args); break;
      case 'heal': this.heal(args); break;
      default: break;
    }
  }

  private partition(args: Record<string, unknown>): void {
    if (args.groups === undefined) {
      this.faultyLinks.add(linkId(args.from as string, args.to as string));
      return;
    }
    const groups = args.groups as string[][];
    for (const group of groups) {
      for (const other of groups.filter((g) => g !== group)) for (const from of group) for (const to of other) this.faultyLinks.add(linkId(from, to));
    }
  }

  private messageFaults(args: Record<string, unknown>): void {
    const { from, to } = args as { from: string; to: string };
    if (!args.lossRate && !args.duplicateRate && !args.reorderRate) return;
    this.faultyLinks.add(linkId(from, to));
    if (args.bothWays) this.faultyLinks.add(linkId(to, from));
  }

  /** A heal reaches only running regions (each heals the links it receives on). */
  private heal(args: Record<string, unknown>): void {
    if (args.from !== undefined && args.to !== undefined) {
      this.faultyLinks.delete(linkId(args.from as string, args.to as string));
      return;
    }
    for (const link of [...this.faultyLinks]) if (this.isUp(link.split('>')[1])) this.faultyLinks.delete(link);
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
