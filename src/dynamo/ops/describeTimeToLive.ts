/** DescribeTimeToLive: whether expiry is on and which attribute it reads. */
import { tableNotFound, type TableMeta } from '../tables.js';
import { tableOperationNameRule } from '../validation/shape.js';
import { defineOperation } from './operation.js';

export const describeTimeToLive = defineOperation<{ TableName: string }, unknown>({
  name: 'DescribeTimeToLive',
  shape: { TableName: tableOperationNameRule() },
  run(ctx, request) {
    const meta = ctx.store.read((txn) => txn.getTable<TableMeta>(request.TableName));
    if (!meta || meta.deleting) tableNotFound(request.TableName);
    if (!meta.ttl?.enabled) return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } };
    return { TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: meta.ttl.attributeName } };
  },
});
