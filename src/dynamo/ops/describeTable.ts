/** DescribeTable: the table's schema, status, throughput and live item statistics. */
import { describe, notFound, readStats, type TableMeta } from '../tables.js';
import { tableNameRule } from '../validation/shape.js';
import { defineOperation } from './operation.js';

export const describeTable = defineOperation<{ TableName: string }, unknown>({
  name: 'DescribeTable',
  shape: { TableName: tableNameRule() },
  run(ctx, request) {
    return ctx.store.read((txn) => {
      const meta = txn.getTable<TableMeta>(request.TableName);
      if (!meta) notFound();
      return { Table: describe(ctx, meta, readStats(txn, meta.id), undefined, (id) => readStats(txn, id)) };
    });
  },
});
