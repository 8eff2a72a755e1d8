import { describe, expect, it } from 'vitest';
import { deferToNextTurn } from '../../src/clock/clock.js';
import { AbortCommitError, GroupCommit } from '../../src/storage/groupCommit.js';

/** A transaction log standing in for LMDB: a batch's effects land only if its body returns. */
function fakeTransactions() {
  const committed: string[] = [];
  const batches: number[] = [];
  let pending: string[] | undefined;
  const runBatch = (body: () => void): void => {
    pending = [];
    body();
    batches.push(pending.length);
    committed.push(...pending);
    pending = undefined;
  };
  const effect = (name: string): void => {
    if (!pending) throw new Error('effect outside a transaction');
    pending.push(name);
  };
  return { committed, batches, runBatch, effect };
}

describe('GroupCommit', () => {
  it('runs the writes asked for in one turn in one transaction, in order, and answers each', async () => {
    const tx = fakeTransactions();
    const commits = new GroupCommit(tx.runBatch, { defer: deferToNextTurn });
    const answers = await Promise.all(['a', 'b', 'c'].map((name) => commits.run(() => { tx.effect(name); return name.toUpperCase(); })));
    expect(answers).toEqual(['A', 'B', 'C']);
    expect(tx.batches).toEqual([3]);
    expect(tx.committed).toEqual(['a', 'b', 'c']);
    await commits.run(() => tx.effect('d'));
    expect(tx.batches).toEqual([3, 1]);
  });

  it('fails only the write that throws; the others in its transaction commit', async () => {
    const tx = fakeTransactions();
    let afterCommit = 0;
    const commits = new GroupCommit(tx.runBatch, { defer: deferToNextTurn, afterCommit: () => { afterCommit += 1; } });
    const results = await Promise.allSettled([
      commits.run(() => tx.effect('a')),
      commits.run(() => { throw new RangeError('bad request'); }),
      commits.run(() => tx.effect('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(RangeError);
    expect(tx.committed).toEqual(['a', 'c']);
    expect(afterCommit).toBe(1);
  });

  it('abandons the whole transaction when a write asks to, and fails every write in it', async () => {
    const tx = fakeTransactions();
    const hooks = { aborted: 0, committed: 0 };
    const commits = new GroupCommit(tx.runBatch, { defer: deferToNextTurn, onAbort: () => { hooks.aborted += 1; }, afterCommit: () => { hooks.committed += 1; } });
    const cause = new Error('page full');
    const results = await Promise.allSettled([
      commits.run(() => tx.effect('a')),
      commits.run(() => { tx.effect('half'); throw new AbortCommitError(cause); }),
      commits.run(() => tx.effect('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(results.map((r) => (r as PromiseRejectedResult).reason)).toEqual([cause, cause, cause]);
    expect(tx.committed).toEqual([]);
    expect(hooks).toEqual({ aborted: 1, committed: 0 });
    // The next turn's writes commit normally.
    await commits.run(() => tx.effect('d'));
    expect(tx.committed).toEqual(['d']);
  });

  it('commits when its defer fires, not before: one batch for everything asked for until then', async () => {
    const tx = fakeTransactions();
    const deferred: (() => void)[] = [];
    const commits = new GroupCommit(tx.runBatch, { defer: (fn) => deferred.push(fn) });
    const settled: string[] = [];
    const writes = ['a', 'b'].map((name) => commits.run(() => tx.effect(name)).then(() => settled.push(name)));
    // Turns pass, but the commit waits for its defer (the simulator's virtual time).
    await new Promise((resolve) => setImmediate(resolve));
    const late = commits.run(() => tx.effect('c')).then(() => settled.push('c'));
    expect([deferred.length, tx.batches, settled]).toEqual([1, [], []]);
    deferred.shift()!();
    await Promise.all([...writes, late]);
    expect([tx.batches, tx.committed, settled]).toEqual([[3], ['a', 'b', 'c'], ['a', 'b', 'c']]);
  });

  it('drops what was asked for and not committed when discarded; those writes never settle and never commit', async () => {
    const tx = fakeTransactions();
    const deferred: (() => void)[] = [];
    const commits = new GroupCommit(tx.runBatch, { defer: (fn) => deferred.push(fn) });
    let settled = false;
    void commits.run(() => tx.effect('lost')).finally(() => { settled = true; });
    commits.discardQueued();
    deferred.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    expect([settled, tx.batches, tx.committed]).toEqual([false, [], []]);
  });

  it('says when everything asked for so far has committed, at once when nothing waits', async () => {
    const tx = fakeTransactions();
    const commits = new GroupCommit(tx.runBatch, { defer: deferToNextTurn });
    await commits.flushed();
    expect(tx.batches).toEqual([]);
    void commits.run(() => tx.effect('a'));
    await commits.flushed();
    expect(tx.committed).toEqual(['a']);
  });
});
