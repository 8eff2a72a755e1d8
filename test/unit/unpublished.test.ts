/** Counting a stuck region's own unpublished changes, which its peers are missing beyond its stream. */
import { describe, expect, it } from 'vitest';
import { parseHeartbeat } from '../../src/bus/heartbeat.js';
import { UnpublishedCounter } from '../../src/bus/unpublished.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import type { Store } from '../../src/storage/store.js';

async function write(store: Store, origin: string, commitTimeMs: number): Promise<void> {
  await store.write((txn) => txn.appendChange({
    table: 't', eventName: 'INSERT', keys: { pk: { S: `k${commitTimeMs}` } }, version: { ts: commitTimeMs, counter: 0, region: origin }, origin, commitTimeMs,
  }));
}

describe('the unpublished-change counter', () => {
  it('counts nothing until stuck, then only the region\'s own changes, until the publisher has caught up', async () => {
    const store = createMemoryStore();
    const counter = new UnpublishedCounter('us-east-1', store, 3);
    await write(store, 'us-east-1', 100); // lsn 1, published
    await write(store, 'eu-west-1', 110); // 2: stuck here, a change replicated from elsewhere
    expect(counter.update(1, false)).toBeUndefined();
    for (const [origin, at] of [['us-east-1', 120], ['us-east-1', 130], ['eu-west-1', 140], ['us-east-1', 150]] as const) await write(store, origin, at);
    // Reads the log a chunk at a time (3 here): the count catches up over calls.
    expect(counter.update(1, true)).toEqual({ count: 2, oldestCommitTimeMs: 120 });
    expect(counter.update(1, true)).toEqual({ count: 3, oldestCommitTimeMs: 120 });
    // The stuck change went through and the publisher is draining: what it published drops out.
    expect(counter.update(3, false)).toEqual({ count: 2, oldestCommitTimeMs: 130 });
    expect(counter.update(5, false)).toEqual({ count: 1, oldestCommitTimeMs: 150 });
    expect(counter.update(6, false)).toBeUndefined();
    expect(counter.update(6, false)).toBeUndefined();
  });

  it('heartbeats are read back, and anything else is ignored', () => {
    const heartbeat = { region: 'us-east-1', committedLsn: 9, publishedLsn: 3, stuck: { lsn: 4, reason: 'payload-too-large', message: 'm', sinceMs: 1, payloadBytes: 2, maxPayloadBytes: 1 }, unpublished: { count: 5, oldestCommitTimeMs: 7 }, sentAtMs: 8 };
    const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
    expect(parseHeartbeat(bytes(heartbeat))).toEqual(heartbeat);
    expect(parseHeartbeat(bytes({ ...heartbeat, stuck: null, unpublished: null }))).toMatchObject({ stuck: null, unpublished: null });
    expect(parseHeartbeat(bytes({ region: 'x', committedLsn: -1, publishedLsn: 0 }))).toBeUndefined();
    expect(parseHeartbeat(bytes('no'))).toBeUndefined();
    expect(parseHeartbeat(new Uint8Array([0xff]))).toBeUndefined();
  });
});
