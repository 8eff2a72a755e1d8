/** Fault steps: link latency, partitions (symmetric or one-way), heal, crashes of regions and nats-servers, clock skew. */
import { regionOf, ScenarioStepError, type RunContext } from '../context.js';
import type { StepArgs } from '../schema.js';

/** The link that carries `from`'s changes to `to` lives in `to` (its replicator reads `from`'s stream through it). */
async function setLink(ctx: RunContext, from: string, to: string, settings: Record<string, unknown>): Promise<void> {
  const target = ctx.targets.region(to);
  if (!target.running) return;
  await target.admin(`/admin/links/${from}`, 'PUT', settings);
}

export async function latency(ctx: RunContext, args: StepArgs<'latency'>, step: number): Promise<string> {
  const settings = { latencyMs: args.ms, jitterMs: args.jitterMs };
  await setLink(ctx, args.from, args.to, settings);
  if (args.bothWays) await setLink(ctx, args.to, args.from, settings);
  ctx.recorder.fault('latencyChanges', step);
  return `${args.from} ${args.bothWays ? '↔' : '→'} ${args.to}: ${args.ms} ms${args.jitterMs ? ` ± ${args.jitterMs} ms` : ''}`;
}

/** Thrown in real mode: only the simulated network can lose, duplicate or reorder messages. */
export class SimulatorOnlyStepError extends ScenarioStepError {
  constructor(step: string) {
    super(`${step} needs the simulator (globaltables run --sim): a TCP link cannot lose, duplicate or reorder what it carries`);
    this.name = 'SimulatorOnlyStepError';
  }
}

export async function networkFaults(ctx: RunContext, args: StepArgs<'networkFaults'>, step: number): Promise<string> {
  const { setLinkFaults } = ctx.targets;
  if (!setLinkFaults) throw new SimulatorOnlyStepError('networkFaults');
  const faults = { lossRate: args.lossRate, duplicateRate: args.duplicateRate, reorderRate: args.reorderRate };
  setLinkFaults.call(ctx.targets, args.from, args.to, faults);
  if (args.bothWays) setLinkFaults.call(ctx.targets, args.to, args.from, faults);
  ctx.recorder.fault('networkFaults', step);
  const percent = (rate: number): string => `${Math.round(rate * 1000) / 10} %`;
  return `${args.from} ${args.bothWays ? '↔' : '→'} ${args.to}: loss ${percent(args.lossRate)}, duplicates ${percent(args.duplicateRate)}, reordered ${percent(args.reorderRate)}`;
}

export async function partition(ctx: RunContext, args: StepArgs<'partition'>, step: number): Promise<string> {
  ctx.recorder.fault('partitions', step);
  if ('from' in args) {
    await setLink(ctx, args.from, args.to, { stalled: true });
    return `one-way: ${args.from}'s changes no longer reach ${args.to}`;
  }
  for (const group of args.groups) {
    for (const other of args.groups.filter((g) => g !== group)) {
      for (const from of group) for (const to of other) await setLink(ctx, from, to, { stalled: true });
    }
  }
  return args.groups.map((g) => `[${g.join(', ')}]`).join(' | ');
}

export async function heal(ctx: RunContext, args: StepArgs<'heal'>, step: number): Promise<string> {
  ctx.recorder.fault('heals', step);
  ctx.recorder.lastHealAtMs = ctx.targets.nowMs();
  if (args.from && args.to) {
    await ctx.targets.region(args.to).admin(`/admin/links/${args.from}/heal`, 'POST');
    return `${args.from} → ${args.to} healed`;
  }
  for (const region of ctx.targets.running()) await region.admin('/admin/links/heal', 'POST');
  return 'every link healed (no latency, no partition)';
}

export async function crashRegion(ctx: RunContext, args: StepArgs<'crashRegion'>, step: number): Promise<string> {
  await regionOf(ctx, args.region).crash();
  ctx.recorder.fault('regionCrashes', step);
  return `${args.region} killed (${ctx.targets.mode === 'sim' ? 'its simulated process: timers gone, only committed data kept' : 'SIGKILL'})`;
}

export async function restartRegion(ctx: RunContext, args: StepArgs<'restartRegion'>, step: number): Promise<string> {
  const region = ctx.targets.region(args.region);
  if (region.running) throw new ScenarioStepError(`region ${args.region} is running; crash it first`);
  const startedAt = ctx.targets.nowMs();
  await region.start();
  ctx.recorder.fault('regionRestarts', step);
  ctx.recorder.lastHealAtMs = ctx.targets.nowMs();
  return `${args.region} restarted on its data in ${ctx.recorder.lastHealAtMs - startedAt} ms`;
}

export async function crashNats(ctx: RunContext, args: StepArgs<'crashNats'>, step: number): Promise<string> {
  await regionOf(ctx, args.region).admin('/admin/nats/kill', 'POST', { hold: true });
  ctx.recorder.fault('natsCrashes', step);
  return `${args.region}'s ${ctx.targets.mode === 'sim' ? 'simulated bus' : 'nats-server'} killed${ctx.targets.mode === 'sim' ? '' : ' (SIGKILL)'}; it stays down until restartNats`;
}

export async function restartNats(ctx: RunContext, args: StepArgs<'restartNats'>, step: number): Promise<string> {
  await regionOf(ctx, args.region).admin('/admin/nats/start', 'POST');
  ctx.recorder.fault('natsRestarts', step);
  ctx.recorder.lastHealAtMs = ctx.targets.nowMs();
  return `${args.region}'s ${ctx.targets.mode === 'sim' ? 'simulated bus' : 'nats-server'} started again on its ${ctx.targets.mode === 'sim' ? 'stream' : 'port and store'}`;
}

export async function clockSkew(ctx: RunContext, args: StepArgs<'clockSkew'>, step: number): Promise<string> {
  await regionOf(ctx, args.region).admin('/admin/clock', 'PUT', { skewMs: args.skewMs });
  ctx.recorder.fault('clockChanges', step);
  return `${args.region}'s clock ${args.skewMs >= 0 ? '+' : ''}${args.skewMs} ms from true time`;
}

export async function clockJump(ctx: RunContext, args: StepArgs<'clockJump'>, step: number): Promise<string> {
  const region = regionOf(ctx, args.region);
  const { skewMs } = await region.admin<{ skewMs: number }>('/admin/clock');
  await region.admin('/admin/clock', 'PUT', { skewMs: skewMs + args.deltaMs });
  ctx.recorder.fault('clockChanges', step);
  return `${args.region}'s clock jumped ${args.deltaMs >= 0 ? '+' : ''}${args.deltaMs} ms (now ${skewMs + args.deltaMs} ms from true time)`;
}

export async function pause(ctx: RunContext, args: StepArgs<'sleep'>): Promise<string> {
  await ctx.targets.sleep(args.ms);
  return `${args.ms} ms`;
}
