/** DescribeContinuousBackups: whether point-in-time recovery is on for a table, and the window it reports. */
import { continuousBackupsDescription, requireBackupTable } from '../continuousBackups.js';
import { tableNameRule } from '../validation/shape.js';
import { defineOperation } from './operation.js';

export const describeContinuousBackups = defineOperation<{ TableName: string }, unknown>({
  name: 'DescribeContinuousBackups',
  shape: { TableName: tableNameRule() },
  run(ctx, request) {
    const nowMs = ctx.clock.trueNowMs();
    const meta = ctx.store.read((txn) => requireBackupTable(txn, request.TableName, nowMs));
    return { ContinuousBackupsDescription: continuousBackupsDescription(meta, nowMs) };
  },
});
