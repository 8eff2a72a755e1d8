/** The registry of DynamoDB operations by their X-Amz-Target name. */
import { batchExecuteStatement } from './batchExecuteStatement.js';
import { batchGetItem } from './batchGetItem.js';
import { batchWriteItem } from './batchWriteItem.js';
import { createGlobalTable } from './createGlobalTable.js';
import { createTable } from './createTable.js';
import { deleteItem } from './deleteItem.js';
import { deleteTable } from './deleteTable.js';
import { describeContinuousBackups } from './describeContinuousBackups.js';
import { describeEndpoints } from './describeEndpoints.js';
import { describeGlobalTable } from './describeGlobalTable.js';
import { describeGlobalTableSettings } from './describeGlobalTableSettings.js';
import { describeLimits } from './describeLimits.js';
import { describeTable } from './describeTable.js';
import { describeTimeToLive } from './describeTimeToLive.js';
import { executeStatement } from './executeStatement.js';
import { executeTransaction } from './executeTransaction.js';
import { getItem } from './getItem.js';
import { listGlobalTables } from './listGlobalTables.js';
import { listTables } from './listTables.js';
import { listTagsOfResource } from './listTagsOfResource.js';
import type { Operation } from './operation.js';
import { putItem } from './putItem.js';
import { query } from './query.js';
import { scan } from './scan.js';
import { transactGetItems } from './transactGetItems.js';
import { transactWriteItems } from './transactWriteItems.js';
import { tagResource } from './tagResource.js';
import { untagResource } from './untagResource.js';
import { updateContinuousBackups } from './updateContinuousBackups.js';
import { updateGlobalTable } from './updateGlobalTable.js';
import { updateGlobalTableSettings } from './updateGlobalTableSettings.js';
import { updateItem } from './updateItem.js';
import { updateTable } from './updateTable.js';
import { updateTimeToLive } from './updateTimeToLive.js';

const all: Operation[] = [
  createTable, describeTable, listTables, updateTable, deleteTable,
  putItem, getItem, updateItem, deleteItem, query, scan, batchGetItem, batchWriteItem,
  transactWriteItems, transactGetItems,
  updateTimeToLive, describeTimeToLive,
  createGlobalTable, describeGlobalTable, updateGlobalTable, listGlobalTables,
  tagResource, untagResource, listTagsOfResource,
  describeEndpoints, describeLimits,
  describeContinuousBackups, updateContinuousBackups,
  describeGlobalTableSettings, updateGlobalTableSettings,
  executeStatement, batchExecuteStatement, executeTransaction,
];

export const operations: ReadonlyMap<string, Operation> = new Map(all.map((op) => [op.name, op]));
