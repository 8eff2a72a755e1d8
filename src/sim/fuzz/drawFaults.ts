/**
 * The faults a history draws: partitions, heals, latency, message faults, region and bus crashes and
 * restarts, clock skew and jumps, and replicas removed and added back. Each is drawn only when it can
 * be played where the history stands (the model says what is up, what holds a replica, which links
 * are faulty).
 */
import type { SimRandom } from '../random.js';
import { FUZZ_TABLE, type StepData } from './history.js';
import type { ClusterModel } from './model.js';

const MAX_SKEW_MS = 3_000;
const MAX_JUMP_MS = 2_000;
const MAX_LATENCY_MS = 400;
const MAX_JITTER_MS = 100;
/** Per-message probability of each message fault: high enough to hit, low enough that a burst gets through. */
const MAX_MESSAGE_FAULT_RATE = 0.3;

export class FaultDrawer {
  constructor(private readonly f: SimRandom, private readonly regionNames: readonly string[], private readonly model: ClusterModel) {}

  /** A fault that can be played now, or none when the one drawn cannot (one region, all others down, …). */
  draw(): StepData | undefined {
    const f = this.f;
    const up = this.model.upRegions();
    const several = this.regionNames.length > 1;
    const options: (() => StepData | undefined)[] = [
      () => (several ? this.partition() : undefined),
      () => this.heal(),
      () => (several ? this.latency() : undefined),
      () => (several ? this.networkFaults() : undefined),
      () => this.crashRegion(),
      () => (this.model.downRegions().length ? { restartRegion: { region: f.pick(this.model.downRegions()) } } : undefined),
      () => { const candidates = up.filter((x) => this.model.isBusUp(x)); return candidates.length ? { crashNats: { region: f.pick(candidates) } } : undefined; },
      () => { const candidates = up.filter((x) => !this.model.isBusUp(x)); return candidates.length ? { restartNats: { region: f.pick(candidates) } } : undefined; },
      () => ({ clockSkew: { region: f.pick(up), skewMs: f.int(2 * MAX_SKEW_MS + 1) - MAX_SKEW_MS } }),
      () => ({ clockJump: { region: f.pick(up), deltaMs: f.int(2 * MAX_JUMP_MS + 1) - MAX_JUMP_MS } }),
      () => this.removeReplica(),
      () => this.addReplica(),
    ];
    return f.pick(options)();
  }

  /** Writes need somewhere to go: a crash leaves at least one running region that holds the replica. */
  private crashRegion(): StepData | undefined {
    const writable = this.model.writableRegions();
    const candidates = this.model.upRegions().filter((r) => writable.some((w) => w !== r));
    return candidates.length ? { crashRegion: { region: this.f.pick(candidates) } } : undefined;
  }

  /** Never the last replica; asked of another replica, so the removal's coordinator is drawn too. */
  private removeReplica(): StepData | undefined {
    const replicas = this.model.replicaRegions();
    if (replicas.length < 2 || !this.model.settled()) return undefined;
    const region = this.f.pick(replicas);
    const from = this.f.pick(replicas.filter((r) => r !== region));
    return { removeReplica: { table: FUZZ_TABLE, region, from } };
  }

  private addReplica(): StepData | undefined {
    const removed = this.model.removedRegions();
    if (!removed.length || !this.model.settled()) return undefined;
    return { addReplica: { table: FUZZ_TABLE, region: this.f.pick(removed), from: this.f.pick(this.model.replicaRegions()) } };
  }

  private pair(toCandidates: readonly string[] = this.regionNames): [string, string] | undefined {
    const to = this.f.pick(toCandidates);
    const others = this.regionNames.filter((r) => r !== to);
    return others.length ? [this.f.pick(others), to] : undefined;
  }

  private partition(): StepData {
    const f = this.f;
    if (f.chance(0.5)) {
      const [from, to] = this.pair()!;
      return { partition: { from, to } };
    }
    // Two non-empty groups: a random cut of a shuffled order.
    const order = this.regionNames.map((r) => ({ r, k: f.next() })).sort((x, y) => x.k - y.k).map((x) => x.r);
    const cut = 1 + f.int(order.length - 1);
    return { partition: { groups: [order.slice(0, cut), order.slice(cut)] } };
  }

  private heal(): StepData {
    const up = this.model.upRegions();
    if (this.regionNames.length > 1 && this.f.chance(0.4)) {
      const pair = this.pair(up);
      if (pair) return { heal: { from: pair[0], to: pair[1] } };
    }
    return { heal: {} };
  }

  /** Loss, duplication and reordering: what only the simulated network can do, and what an ordered consumer must survive. */
  private networkFaults(): StepData {
    const f = this.f;
    const [from, to] = this.pair()!;
    const rate = (): number => (f.chance(0.5) ? Math.round(f.uniform(0, MAX_MESSAGE_FAULT_RATE) * 100) / 100 : 0);
    return { networkFaults: { from, to, lossRate: rate(), duplicateRate: rate(), reorderRate: rate(), bothWays: f.chance(0.5) } };
  }

  private latency(): StepData {
    const f = this.f;
    const [from, to] = this.pair()!;
    return { latency: { from, to, ms: f.int(MAX_LATENCY_MS + 1), jitterMs: f.int(MAX_JITTER_MS + 1), bothWays: f.chance(0.5) } };
  }
}
