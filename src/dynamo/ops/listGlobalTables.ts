/** ListGlobalTables (2017.11.29): this region's global tables made with CreateGlobalTable, by name, optionally only those with a replica in RegionName. */
import type { TableMeta } from '../tables.js';
import { int, str, TABLE_NAME_PATTERN } from '../validation/shape.js';
import { isLegacyGlobalTable, replicationGroup } from './describeGlobalTable.js';
import { defineOperation } from './operation.js';

interface ListGlobalTablesRequest {
  ExclusiveStartGlobalTableName?: string;
  Limit?: number;
  RegionName?: string;
}

export const listGlobalTables = defineOperation<ListGlobalTablesRequest, unknown>({
  name: 'ListGlobalTables',
  shape: {
    ExclusiveStartGlobalTableName: str({ regex: TABLE_NAME_PATTERN, lengthMin: 3, lengthMax: 255 }),
    Limit: int({ min: 1, max: 100 }),
    RegionName: str(),
  },
  run(ctx, request) {
    const limit = request.Limit ?? 100;
    const start = request.ExclusiveStartGlobalTableName;
    const tables = ctx.store.read((txn) => txn.listTableNames().sort()
      .filter((name) => start === undefined || name > start)
      .map((name) => txn.getTable<TableMeta>(name))
      .filter(isLegacyGlobalTable)
      .filter((meta) => request.RegionName === undefined || Object.hasOwn(meta.replicas, request.RegionName)));
    const page = tables.slice(0, limit);
    const response: Record<string, unknown> = {
      GlobalTables: page.map((meta) => ({ GlobalTableName: meta.name, ReplicationGroup: replicationGroup(meta.replicas) })),
    };
    if (tables.length > limit) response.LastEvaluatedGlobalTableName = page[page.length - 1]!.name;
    return response;
  },
});
