/** UpdateTimeToLive: turns expiry on or off for one attribute of a table. */
import { invalid } from '../errors.js';
import { tableNotFound, type TableMeta } from '../tables.js';
import { bool, str, struct, tableOperationNameRule } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface UpdateTimeToLiveRequest {
  TableName: string;
  TimeToLiveSpecification: { Enabled: boolean; AttributeName: string };
}

export const updateTimeToLive = defineOperation<UpdateTimeToLiveRequest, unknown>({
  name: 'UpdateTimeToLive',
  shape: {
    TableName: tableOperationNameRule(),
    TimeToLiveSpecification: struct('TimeToLiveSpecification', {
      AttributeName: str({ notNull: true, lengthMin: 1, lengthMax: 255 }),
      Enabled: bool({ notNull: true }),
    }, { required: true }),
  },
  async run(ctx, request) {
    const spec = request.TimeToLiveSpecification;
    await ctx.store.write((txn) => {
      const meta = txn.getTable<TableMeta>(request.TableName);
      if (!meta || meta.deleting) tableNotFound(request.TableName);
      const enabled = meta.ttl?.enabled ?? false;
      if (spec.Enabled && enabled) invalid('TimeToLive is already enabled');
      if (!spec.Enabled && !enabled) invalid('TimeToLive is already disabled');
      if (!spec.Enabled && meta.ttl?.attributeName !== spec.AttributeName) {
        invalid(`TimeToLive is active on a different AttributeName: current AttributeName is ${meta.ttl?.attributeName}`);
      }
      txn.putTable(meta.name, { ...meta, ttl: { attributeName: spec.AttributeName, enabled: spec.Enabled } });
    });
    return { TimeToLiveSpecification: { AttributeName: spec.AttributeName, Enabled: spec.Enabled } };
  },
});
