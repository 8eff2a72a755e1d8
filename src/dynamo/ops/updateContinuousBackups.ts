/** UpdateContinuousBackups: turns point-in-time recovery on (with its recovery period) or off; a setting only, nothing is restored. */
import { continuousBackupsDescription, DEFAULT_RECOVERY_PERIOD_DAYS, requireBackupTable } from '../continuousBackups.js';
import { bool, int, struct, tableNameRule } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface UpdateContinuousBackupsRequest {
  TableName: string;
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: boolean; RecoveryPeriodInDays?: number };
}

export const updateContinuousBackups = defineOperation<UpdateContinuousBackupsRequest, unknown>({
  name: 'UpdateContinuousBackups',
  shape: {
    TableName: tableNameRule(),
    PointInTimeRecoverySpecification: struct('PointInTimeRecoverySpecification', {
      PointInTimeRecoveryEnabled: bool({ notNull: true }),
      RecoveryPeriodInDays: int({ min: 1, max: 35 }),
    }, { notNull: true }),
  },
  async run(ctx, request) {
    const spec = request.PointInTimeRecoverySpecification;
    const nowMs = ctx.clock.trueNowMs();
    const meta = await ctx.store.write((txn) => {
      const current = requireBackupTable(txn, request.TableName, nowMs);
      const { pointInTimeRecovery: was, ...rest } = current;
      const updated = spec.PointInTimeRecoveryEnabled
        ? {
          ...rest,
          pointInTimeRecovery: {
            // Turning it on again keeps the window it has; the period may change.
            enabledAtMs: was?.enabledAtMs ?? nowMs,
            recoveryPeriodInDays: spec.RecoveryPeriodInDays ?? was?.recoveryPeriodInDays ?? DEFAULT_RECOVERY_PERIOD_DAYS,
          },
        }
        : rest;
      txn.putTable(current.name, updated);
      return updated;
    });
    return { ContinuousBackupsDescription: continuousBackupsDescription(meta, nowMs) };
  },
});
