/** DeleteTable: removes the table and its items, reporting it DELETING. */
import { invalid } from '../errors.js';
import { describe, readStats, requireActiveTable, type TableMeta } from '../tables.js';
import { tableNameRule } from '../validation/shape.js';
import { defineOperation } from './operation.js';
import type { StoreTxn } from '../../storage/store.js';
import { closeStream } from '../../streams/registry.js';
import { clearIndexEntries } from '../indexes/maintain.js';
import { indexesOf } from '../indexes/indexMeta.js';

function removeTable(txn: StoreTxn, meta: TableMeta): void {
  txn.clearItems(meta.id);
  clearIndexEntries(txn, indexesOf(meta));
  txn.removeTable(meta.name);
}

export const deleteTable = defineOperation<{ TableName: string }, unknown>({
  name: 'DeleteTable',
  shape: { TableName: tableNameRule() },
  async run(ctx, request) {
    const nowMs = ctx.clock.trueNowMs();
    const delayMs = ctx.settings.deleteTableMs;
    const description = await ctx.store.write((txn) => {
      const meta = requireActiveTable(txn, request.TableName, nowMs);
      if (meta.deletionProtection) {
        invalid(`Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.`);
      }
      const stats = readStats(txn, meta.id);
      closeStream(ctx, txn, meta.name);
      if (delayMs > 0) txn.putTable(meta.name, { ...meta, deleting: true });
      else removeTable(txn, meta);
      return { meta, description: describe(ctx, meta, stats, 'DELETING', (id) => readStats(txn, id)) };
    });
    ctx.replication?.tableDeleted(description.meta);
    if (delayMs > 0) {
      ctx.clock.schedule(() => {
        void ctx.store.write((txn) => {
          const meta = txn.getTable<TableMeta>(request.TableName);
          if (meta?.deleting) removeTable(txn, meta);
        });
      }, delayMs);
    }
    return { TableDescription: description.description };
  },
});
