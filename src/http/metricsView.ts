/** The region's metrics as JSON (admin API) and as Prometheus text (GET /metrics). */
import type { RegionContext } from '../dynamo/context.js';
import type { TableMeta } from '../dynamo/tables.js';
import { readStats } from '../dynamo/tables.js';
import { maintainedIndexes } from '../dynamo/indexes/indexMeta.js';
import type { PublisherStatus } from '../bus/changePublisher.js';
import type { PairStatus } from '../replication/metrics.js';
import { tombstoneCounts } from '../replication/tombstoneCounts.js';
import type { AdminDeps } from './admin.js';

/** A secondary index's entries (those of an index being deleted are not counted). */
export interface IndexMetrics {
  name: string;
  kind: 'local' | 'global';
  items: number;
  sizeBytes: number;
}

export interface RegionMetrics {
  region: string;
  /** `indexes` only for a table that has secondary indexes. */
  tables: { name: string; items: number; sizeBytes: number; indexes?: IndexMetrics[] }[];
  changeLog: { lastLsn: number; publishedLsn: number | null };
  /** Null when the region has no change stream. */
  publisher: PublisherStatus | null;
  conflicts: number;
  replication: (PairStatus & { target: string })[];
  clock: ReturnType<typeof clockView>;
  tombstones: TombstonesView;
}

export type TombstonesView = ReturnType<typeof tombstonesView>;

/**
 * Tombstone retention: the least age of a purge, up to when every replica is known to hold the
 * deletes (null: no global table has waited on it yet) and whom the open check waits for.
 */
export const tombstonesView = (deps: AdminDeps) => {
  const stability = deps.replication?.tombstones.status();
  return {
    retentionMs: deps.ctx.settings.tombstoneRetentionMs,
    stableBeforeMs: stability ? stability.stableBeforeMs || null : null,
    waitingOn: stability?.waitingOn ?? [],
    ...tombstoneCounts(deps.ctx),
  };
};

/** The region's clock: `ignoredVersionCount` counts versions from elsewhere too far ahead (or malformed) for it to absorb. */
export const clockView = (ctx: RegionContext) => ({ mode: ctx.clockState.mode, skewMs: ctx.clock.skewMs, ignoredVersionCount: ctx.clockState.ignoredVersionCount });

export function regionMetrics(deps: AdminDeps): RegionMetrics {
  const { ctx, replication, publisher } = deps;
  const tables = ctx.store.read((txn) => txn.listTableNames()
    .map((name) => txn.getTable<TableMeta>(name)!)
    .filter((meta) => !meta.deleting)
    .map((meta) => {
      const stats = readStats(txn, meta.id);
      const indexes = maintainedIndexes(meta).map((index): IndexMetrics => {
        const indexStats = readStats(txn, index.id);
        return { name: index.name, kind: index.kind, items: indexStats.itemCount, sizeBytes: indexStats.sizeBytes };
      });
      return { name: meta.name, items: stats.itemCount, sizeBytes: stats.sizeBytes, ...(indexes.length ? { indexes } : {}) };
    }));
  return {
    region: ctx.region,
    tables,
    changeLog: { lastLsn: ctx.store.lastLsn(), publishedLsn: publisher?.publishedLsn ?? null },
    publisher: publisher?.status() ?? null,
    conflicts: replication?.conflicts.total ?? 0,
    replication: (replication?.status() ?? []).map((s) => ({ ...s, target: ctx.region })),
    clock: clockView(ctx),
    tombstones: tombstonesView(deps),
  };
}

const label = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

export function prometheusText(metrics: RegionMetrics): string {
  const lines: string[] = [];
  const family = (name: string, type: string, help: string, samples: [Record<string, string>, number | null][]): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      if (value === null) continue;
      const text = Object.entries(labels).map(([k, v]) => `${k}="${label(v)}"`).join(',');
      lines.push(`${name}{${text}} ${value}`);
    }
  };
  const pair = (s: PairStatus) => ({ source: s.source, target: metrics.region });
  const r = metrics.replication;
  family('globaltables_replication_latency_ms', 'gauge', 'Commit at the source to apply here, true time, over recent changes.',
    r.flatMap((s) => [[{ ...pair(s), quantile: '0.5' }, s.lagMs.p50], [{ ...pair(s), quantile: '0.99' }, s.lagMs.p99], [{ ...pair(s), quantile: '1' }, s.lagMs.max]] as [Record<string, string>, number | null][]));
  family('globaltables_pending_replication_count', 'gauge', 'Changes at the source not yet applied here.', r.map((s) => [pair(s), s.pending]));
  family('globaltables_replication_applied_total', 'counter', 'Replicated changes that altered this region.', r.map((s) => [pair(s), s.applied]));
  family('globaltables_replication_skipped_total', 'counter', 'Replicated changes already held or older than what this region holds.', r.map((s) => [pair(s), s.skipped]));
  family('globaltables_replication_conflicts_total', 'counter', 'Concurrent writes resolved by last-writer-wins.', r.map((s) => [pair(s), s.conflicts]));
  family('globaltables_replication_connected', 'gauge', '1 while the replicator is connected to the source.', r.map((s) => [pair(s), s.connected ? 1 : 0]));
  family('globaltables_replication_resyncs_total', 'counter', 'Resyncs from snapshots after the source trimmed changes.', r.map((s) => [pair(s), s.resyncs]));
  family('globaltables_conflicts_total', 'counter', 'Conflicts detected in this region.', [[{ region: metrics.region }, metrics.conflicts]]);
  family('globaltables_table_items', 'gauge', 'Items in a table.', metrics.tables.map((t) => [{ region: metrics.region, table: t.name }, t.items]));
  const indexes = metrics.tables.flatMap((t) => (t.indexes ?? []).map((index) => ({ table: t.name, index })));
  family('globaltables_index_items', 'gauge', 'Entries in a secondary index.', indexes.map(({ table, index }) => [{ region: metrics.region, table, index: index.name }, index.items]));
  family('globaltables_index_size_bytes', 'gauge', 'Size of a secondary index\'s entries, as DescribeTable\'s IndexSizeBytes.', indexes.map(({ table, index }) => [{ region: metrics.region, table, index: index.name }, index.sizeBytes]));
  family('globaltables_change_log_lsn', 'gauge', 'Last change committed in this region.', [[{ region: metrics.region }, metrics.changeLog.lastLsn]]);
  family('globaltables_clock_ignored_versions_total', 'counter', 'Versions from elsewhere too far ahead of true time (or malformed) for this region\'s clock to absorb.', [[{ region: metrics.region }, metrics.clock.ignoredVersionCount]]);
  family('globaltables_tombstones_purged_total', 'counter', 'Tombstones purged (older than the retention and held by every replica).', [[{ region: metrics.region }, metrics.tombstones.purged]]);
  family('globaltables_possible_resurrections_total', 'counter', 'Replicated writes older than a purged tombstone, to a key this region no longer holds: each may have undone a delete.', [[{ region: metrics.region }, metrics.tombstones.possibleResurrections]]);
  family('globaltables_change_log_published_lsn', 'gauge', 'Last change acknowledged by this region\'s JetStream stream.', [[{ region: metrics.region }, metrics.changeLog.publishedLsn]]);
  publisherFamilies(metrics, family);
  sourceFamilies(metrics, family);
  return `${lines.join('\n')}\n`;
}

type Family = (name: string, type: string, help: string, samples: [Record<string, string>, number | null][]) => void;

function publisherFamilies(metrics: RegionMetrics, family: Family): void {
  const stuck = metrics.publisher?.stuck;
  const region = { region: metrics.region };
  family('globaltables_publisher_stuck', 'gauge', '1 while this region\'s publisher cannot publish a change (nothing after it is published either).',
    metrics.publisher ? [[region, stuck ? 1 : 0]] : []);
  family('globaltables_publisher_stuck_lsn', 'gauge', 'The change the publisher is stuck at.', stuck ? [[region, stuck.lsn]] : []);
  family('globaltables_publisher_stuck_since_ms', 'gauge', 'True time (ms since the epoch) the publisher got stuck.', stuck ? [[region, stuck.sinceMs]] : []);
}

function sourceFamilies(metrics: RegionMetrics, family: Family): void {
  const pair = (s: PairStatus) => ({ source: s.source, target: metrics.region });
  const r = metrics.replication;
  const heard = r.filter((s) => s.sourceStatus !== null);
  family('globaltables_replication_lag_current_ms', 'gauge', 'How far behind the source this region is now (0 when nothing is pending).', r.map((s) => [pair(s), s.lagMs.current]));
  family('globaltables_replication_source_committed_lsn', 'gauge', 'The source\'s last committed change, from its heartbeat.', heard.map((s) => [pair(s), s.sourceStatus!.committedLsn]));
  family('globaltables_replication_source_published_lsn', 'gauge', 'The last change the source has published, from its heartbeat.', heard.map((s) => [pair(s), s.sourceStatus!.publishedLsn]));
  family('globaltables_replication_source_stuck', 'gauge', '1 while the source reports its publisher stuck.', heard.map((s) => [pair(s), s.sourceStatus!.stuck ? 1 : 0]));
}
