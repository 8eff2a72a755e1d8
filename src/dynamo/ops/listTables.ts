/** ListTables: table names in order, paged by Limit and ExclusiveStartTableName. */
import { int, str, TABLE_NAME_PATTERN } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface ListTablesRequest {
  Limit?: number;
  ExclusiveStartTableName?: string;
}

export const listTables = defineOperation<ListTablesRequest, unknown>({
  name: 'ListTables',
  shape: {
    ExclusiveStartTableName: str({ regex: TABLE_NAME_PATTERN, lengthMin: 3, lengthMax: 255 }),
    Limit: int({ min: 1, max: 100 }),
  },
  run(ctx, request) {
    const limit = request.Limit ?? 100;
    const names = ctx.store.read((txn) => txn.listTableNames()).sort();
    const start = request.ExclusiveStartTableName;
    const after = start === undefined ? names : names.filter((name) => name > start);
    const page = after.slice(0, limit);
    const response: Record<string, unknown> = { TableNames: page };
    if (after.length > limit) response.LastEvaluatedTableName = page[page.length - 1];
    return response;
  },
});
