/**
 * When may a tombstone be purged without any delete ever being undone? When no write it beats can
 * still reach this region. A write W older than a delete T reaches a region only from W's origin's
 * stream (or inside a snapshot of a region that has not applied T). So T is safe to purge here once
 *   (a) every peer R has applied T — R's checkpoints have reached every stream's head as it was when
 *       T was already here — and, R's writes after that dominating T (its clock absorbed T's version),
 *   (b) this region has consumed each R's stream up to where R stood when (a) was seen to hold.
 *
 * A round checks this for every tombstone stored here before the round began, with no per-tombstone
 * bookkeeping: at its start it notes the time and the head of every stream (this region's own
 * changes and each peer's, read from the peers); it completes when (a) and (b) hold for all peers,
 * and then every tombstone stored before its start is stable. A peer that cannot be reached, or
 * lags, holds the round open: tombstones are then kept, however old, until it catches up.
 */
import type { RegionContext } from '../dynamo/context.js';
import { lastOwnLsn } from './ownChanges.js';
import type { PeerInfo, PeerTransport } from './peerTransport.js';
import { readCheckpoint } from './replicator.js';

interface Round {
  startedAtMs: number;
  /** Each stream's head (the last lsn of its region's own changes) when the round started. */
  heads: Record<string, number>;
  /** Peers that have applied everything up to the heads, with their own head when they had. */
  caughtUp: Record<string, number>;
}

export interface StabilityStatus {
  /** Tombstones stored before this time (true time, ms) are known to be held by every replica. */
  stableBeforeMs: number;
  /** Peers the open round still waits for. */
  waitingOn: string[];
}

export class TombstoneStability {
  private round: Round | undefined;
  private stableBefore = 0;
  private waiting: string[] = [];

  constructor(private readonly ctx: RegionContext, private readonly peers: () => PeerTransport[]) {}

  get stableBeforeMs(): number {
    return this.stableBefore;
  }

  status(): StabilityStatus {
    return { stableBeforeMs: this.stableBefore, waitingOn: [...this.waiting] };
  }

  /** One step: starts a round, or moves the open one on; completes it when every peer is caught up both ways. */
  async advance(): Promise<void> {
    const peers = this.peers();
    const round = this.round ?? await this.start(peers);
    if (!round) return;
    const pending = peers.filter((p) => round.caughtUp[p.name] === undefined);
    const infos = await Promise.all(pending.map((p) => p.info().catch(() => undefined)));
    pending.forEach((peer, i) => {
      const info = infos[i];
      if (info && this.hasApplied(peer.name, info, round.heads)) round.caughtUp[peer.name] = info.ownLsn;
    });
    this.waiting = peers.filter((p) => round.caughtUp[p.name] === undefined || readCheckpoint(this.ctx, p.name) < round.caughtUp[p.name]).map((p) => p.name);
    if (this.waiting.length) return;
    this.stableBefore = round.startedAtMs;
    this.round = undefined;
  }

  /** Notes the time and every stream's head; no round when a peer cannot say where its stream is. */
  private async start(peers: PeerTransport[]): Promise<Round | undefined> {
    const startedAtMs = this.ctx.clock.trueNowMs();
    const heads: Record<string, number> = { [this.ctx.region]: lastOwnLsn(this.ctx) };
    const infos = await Promise.all(peers.map((p) => p.info().catch(() => undefined)));
    this.waiting = peers.filter((_, i) => !infos[i]).map((p) => p.name);
    if (this.waiting.length) return undefined;
    peers.forEach((peer, i) => { heads[peer.name] = infos[i]!.ownLsn; });
    this.round = { startedAtMs, heads, caughtUp: {} };
    return this.round;
  }

  /** Whether the peer's replicators have consumed every other stream up to its head at the round's start. */
  private hasApplied(peer: string, info: PeerInfo, heads: Record<string, number>): boolean {
    return Object.entries(heads).every(([stream, head]) => stream === peer || (info.checkpoints[stream] ?? 0) >= head);
  }
}
