/** DescribeTable: the table's schema, status, throughput and live item statistics. */
import { describe, tableNotFound, readStats, type TableMeta } from '../tables.js';
import { tableOperationNameRule } from '../validation/shape.js';
import { defineOperation } from './operation.js';

export const describeTable = defineOperation<{ TableName: string }, unknown>({
  name: 'DescribeTable',
  shape: { TableName: tableOperationNameRule() },
  run(ctx, request) {
    return ctx.store.read((txn) => {
      const meta = txn.getTable<TableMeta>(request.TableName);
      if (!meta) tableNotFound(request.TableName);
      return { Table: describe(ctx, meta, readStats(txn, meta.id), undefined, (id) => readStats(txn, id)) };
    });
  },
});
