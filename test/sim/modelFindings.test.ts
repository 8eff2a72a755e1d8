/**
 * Histories the model-based suite found failing once its commands trimmed streams (as JetStream's
 * max-age does), kept as they shrank: each failed before the change named in its title.
 */
import { it } from 'vitest';
import { CrashRegionCommand, LinkFaultsCommand, PartitionCommand, RestartRegionCommand, SleepCommand, TrimStreamCommand } from '../helpers/simFaultCommands.js';
import { runHistory } from '../helpers/simHistory.js';
import { ConcurrentWritesCommand, WriteCommand } from '../helpers/simWriteCommands.js';

const lossy = { lossRate: 0.5, duplicateRate: 0, reorderRate: 0, latencyMs: 0, jitterMs: 0 };

it('a consumer whose stream was trimmed under it stops waiting and resyncs (the replicator watches for a stall)', async () => {
  await runHistory(0, [
    new LinkFaultsCommand('ap-southeast-2', 'us-east-1', lossy),
    new ConcurrentWritesCommand(['ap-southeast-2', 'us-east-1'], 'k0', [{ kind: 'update', variant: 'set', a: 'x', addN: 1 }, { kind: 'delete' }]),
    new TrimStreamCommand('ap-southeast-2'),
  ] as never);
});

it('a resync over a lossy link completes (a peer call is sent again, as TCP does, not lost for its ten-minute time-out)', async () => {
  await runHistory(931699398, [
    new ConcurrentWritesCommand(['ap-southeast-2', 'us-east-1'], 'k0', [{ kind: 'update', variant: 'set', a: 'x', addN: 1 }, { kind: 'update', variant: 'add', a: 'x', addN: 1 }]),
    new TrimStreamCommand('ap-southeast-2'), new CrashRegionCommand('eu-west-1'), new RestartRegionCommand('eu-west-1'),
    new LinkFaultsCommand('ap-southeast-2', 'eu-west-1', lossy),
    new SleepCommand(1),
  ] as never);
});

it('a stream trimmed between a session\'s look at its bounds and its consumer\'s start is never skipped (the first delivery is checked)', async () => {
  await runHistory(0, [
    new PartitionCommand('us-east-1', 'eu-west-1'), new SleepCommand(3401),
    new WriteCommand('us-east-1', 'k0', { kind: 'update', variant: 'set', a: 'x', addN: 1 }),
    new TrimStreamCommand('us-east-1'),
    new WriteCommand('us-east-1', 'k2', { kind: 'update', variant: 'set', a: 'x', addN: 1 }),
  ] as never);
});

it('a wall clock restarted within the same millisecond never stamps a version it already used (two writes, one version, no order)', async () => {
  await runHistory(0, [
    new WriteCommand('eu-west-1', 'k0', { kind: 'put', a: 'x' }),
    new CrashRegionCommand('eu-west-1'), new RestartRegionCommand('eu-west-1'),
    new ConcurrentWritesCommand(['us-east-1', 'eu-west-1'], 'k0', [{ kind: 'update', variant: 'set', a: 'x', addN: 1 }, { kind: 'update', variant: 'add', a: 'x', addN: 1 }]),
    new WriteCommand('us-east-1', 'k0', { kind: 'update', variant: 'set', a: 'x', addN: 1 }),
  ] as never);
});
