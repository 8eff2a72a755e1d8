/** DescribeGlobalTable (2017.11.29): the regions of a global table made with CreateGlobalTable, as this region knows them. */
import { GlobalTableNotFoundException } from '../errors.js';
import type { TableMeta } from '../tables.js';
import { str, TABLE_NAME_PATTERN, type FieldRule } from '../validation/shape.js';
import { defineOperation } from './operation.js';
import type { RegionContext } from '../context.js';
import type { StoreTxn } from '../../storage/store.js';

export const LEGACY_GLOBAL_TABLE_VERSION = '2017.11.29';

export const globalTableNameRule = (): FieldRule =>
  str({ notNull: true, regex: TABLE_NAME_PATTERN, lengthMin: 3, lengthMax: 255 });

/** Only tables joined with CreateGlobalTable count: the legacy API does not see 2019.11.21 global tables, as in DynamoDB. */
export function isLegacyGlobalTable(meta: TableMeta | undefined): meta is TableMeta & { replicas: NonNullable<TableMeta['replicas']> } {
  return Boolean(meta && !meta.deleting && meta.replicas && meta.globalTableVersion === LEGACY_GLOBAL_TABLE_VERSION);
}

export function globalTableNotFound(name: string): never {
  throw new GlobalTableNotFoundException(`Global table not found: Global table with name: '${name}' does not exist.`);
}

export function requireLegacyGlobalTable(txn: StoreTxn, name: string): TableMeta & { replicas: NonNullable<TableMeta['replicas']> } {
  const meta = txn.getTable<TableMeta>(name);
  if (!isLegacyGlobalTable(meta)) globalTableNotFound(name);
  return meta;
}

export const replicationGroup = (members: Record<string, unknown>): { RegionName: string }[] =>
  Object.keys(members).sort().map((RegionName) => ({ RegionName }));

/** GlobalTableDescription; every membership change completes before its call returns, so the table is always ACTIVE. */
export function globalTableDescription(ctx: RegionContext, meta: TableMeta, members: Record<string, unknown>): Record<string, unknown> {
  return {
    ReplicationGroup: replicationGroup(members),
    GlobalTableArn: `arn:aws:dynamodb::${ctx.accountId}:global-table/${meta.name}`,
    CreationDateTime: meta.createdAtMs / 1000,
    GlobalTableStatus: 'ACTIVE',
    GlobalTableName: meta.name,
  };
}

export const describeGlobalTable = defineOperation<{ GlobalTableName: string }, unknown>({
  name: 'DescribeGlobalTable',
  shape: { GlobalTableName: globalTableNameRule() },
  run(ctx, request) {
    return ctx.store.read((txn) => {
      const meta = requireLegacyGlobalTable(txn, request.GlobalTableName);
      return { GlobalTableDescription: globalTableDescription(ctx, meta, meta.replicas) };
    });
  },
});
