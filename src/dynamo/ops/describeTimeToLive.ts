/** DescribeTimeToLive: whether expiry is on and which attribute it reads. */
import { notFound, type TableMeta } from '../tables.js';
import { tableNameRule } from '../validation/shape.js';
import { defineOperation } from './operation.js';

export const describeTimeToLive = defineOperation<{ TableName: string }, unknown>({
  name: 'DescribeTimeToLive',
  shape: { TableName: tableNameRule() },
  run(ctx, request) {
    const meta = ctx.store.read((txn) => txn.getTable<TableMeta>(request.TableName));
    if (!meta || meta.deleting) notFound();
    if (!meta.ttl?.enabled) return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } };
    return { TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: meta.ttl.attributeName } };
  },
});
