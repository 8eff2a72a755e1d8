/**
 * The stability round that tombstone retention waits for: it completes only when every peer has
 * applied every stream up to its head at the round's start AND this region has consumed each
 * peer's stream up to where that peer stood then; an unreachable or lagging peer holds it open.
 */
import { describe, expect, it } from 'vitest';
import type { RegionContext } from '../../src/dynamo/context.js';
import type { PeerInfo, PeerTransport } from '../../src/replication/peerTransport.js';
import { checkpointKey } from '../../src/replication/replicator.js';
import { TombstoneStability } from '../../src/replication/tombstoneStability.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import type { Store } from '../../src/storage/store.js';

const HERE = 'us-east-1';

class FakePeer {
  reachable = true;
  info: Omit<PeerInfo, 'region' | 'lastLsn'> = { ownLsn: 0, checkpoints: {} };
  constructor(readonly name: string) {}

  transport(): PeerTransport {
    return {
      name: this.name,
      info: async () => {
        if (!this.reachable) throw new Error(`${this.name} is unreachable`);
        return { region: this.name, lastLsn: this.info.ownLsn, ...structuredClone(this.info) };
      },
    } as unknown as PeerTransport;
  }
}

async function setup(): Promise<{ store: Store; stability: TombstoneStability; peers: FakePeer[]; now: { ms: number } }> {
  const store = createMemoryStore();
  const now = { ms: 1000 };
  const ctx = { region: HERE, store, clock: { trueNowMs: () => now.ms } } as unknown as RegionContext;
  // This region's own head: lsn 2 (two changes its clients made).
  for (let i = 0; i < 2; i += 1) {
    await store.write((txn) => txn.appendChange({ table: 't', eventName: 'INSERT', keys: {}, version: { ts: i, counter: 0, region: HERE }, origin: HERE, commitTimeMs: i }));
  }
  const peers = [new FakePeer('eu-west-1'), new FakePeer('ap-southeast-2')];
  peers[0].info = { ownLsn: 5, checkpoints: {} };
  peers[1].info = { ownLsn: 7, checkpoints: {} };
  return { store, stability: new TombstoneStability(ctx, () => peers.map((p) => p.transport())), peers, now };
}

const consumed = (store: Store, source: string, lsn: number): Promise<void> => store.write((txn) => txn.putMeta(checkpointKey(source), lsn));

describe('tombstone stability', () => {
  it('completes a round once every peer has applied every stream to its head and this region has applied theirs', async () => {
    const { store, stability, peers, now } = await setup();
    await stability.advance();
    expect(stability.status()).toEqual({ stableBeforeMs: 0, waitingOn: ['eu-west-1', 'ap-southeast-2'] });

    // eu-west-1 has applied us-east-1 to 2 and ap-southeast-2 to 7; ap-southeast-2 has not applied eu-west-1's 5 yet.
    peers[0].info = { ownLsn: 6, checkpoints: { [HERE]: 2, 'ap-southeast-2': 7 } };
    peers[1].info = { ownLsn: 7, checkpoints: { [HERE]: 2, 'eu-west-1': 4 } };
    now.ms = 2000;
    await stability.advance();
    expect(stability.status().waitingOn).toEqual(['eu-west-1', 'ap-southeast-2']);

    // ap-southeast-2 catches up; now this region must apply eu-west-1 to 6 (its head when caught up) and ap-southeast-2 to 8.
    peers[1].info = { ownLsn: 8, checkpoints: { [HERE]: 2, 'eu-west-1': 5 } };
    await stability.advance();
    expect(stability.status().waitingOn).toEqual(['eu-west-1', 'ap-southeast-2']);
    await consumed(store, 'eu-west-1', 6);
    await stability.advance();
    expect(stability.status().waitingOn).toEqual(['ap-southeast-2']);
    await consumed(store, 'ap-southeast-2', 8);
    await stability.advance();
    // Stable: everything stored before the round began (at 1000), not before now.
    expect(stability.status()).toEqual({ stableBeforeMs: 1000, waitingOn: [] });
  });

  it('starts no round while a peer cannot be reached, and the next round starts later', async () => {
    const { store, stability, peers, now } = await setup();
    peers[1].reachable = false;
    await stability.advance();
    expect(stability.status()).toEqual({ stableBeforeMs: 0, waitingOn: ['ap-southeast-2'] });

    peers[1].reachable = true;
    peers[0].info = { ownLsn: 5, checkpoints: { [HERE]: 2, 'ap-southeast-2': 7 } };
    peers[1].info = { ownLsn: 7, checkpoints: { [HERE]: 2, 'eu-west-1': 5 } };
    await consumed(store, 'eu-west-1', 5);
    await consumed(store, 'ap-southeast-2', 7);
    now.ms = 3000;
    await stability.advance();
    expect(stability.status()).toEqual({ stableBeforeMs: 3000, waitingOn: [] });
  });

  it('with no peers, everything is stable up to the round just made', async () => {
    const { stability, peers, now } = await setup();
    peers.length = 0;
    now.ms = 4000;
    await stability.advance();
    expect(stability.status()).toEqual({ stableBeforeMs: 4000, waitingOn: [] });
  });
});
