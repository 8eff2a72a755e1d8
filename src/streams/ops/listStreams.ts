/** ListStreams: the region's streams, optionally of one table, paged by stream ARN. */
import { invalid } from '../../dynamo/errors.js';
import { defineOperation } from '../../dynamo/ops/operation.js';
import { int, str, TABLE_NAME_PATTERN } from '../../dynamo/validation/shape.js';
import { isStreamArn, listStreamMetas } from '../registry.js';

interface ListStreamsRequest {
  TableName?: string;
  Limit?: number;
  ExclusiveStartStreamArn?: string;
}

export const listStreams = defineOperation<ListStreamsRequest, unknown>({
  name: 'ListStreams',
  shape: {
    TableName: str({ regex: TABLE_NAME_PATTERN, lengthMin: 3, lengthMax: 255 }),
    Limit: int({ min: 1, max: 100 }),
    ExclusiveStartStreamArn: str({ lengthMin: 37, lengthMax: 1024 }),
  },
  run(ctx, request) {
    if (request.ExclusiveStartStreamArn !== undefined && !isStreamArn(request.ExclusiveStartStreamArn)) invalid('Invalid StreamArn');
    const all = ctx.store.read((txn) => listStreamMetas(txn))
      .filter((s) => request.TableName === undefined || s.tableName === request.TableName);
    const start = request.ExclusiveStartStreamArn ? all.findIndex((s) => s.arn === request.ExclusiveStartStreamArn) + 1 : 0;
    const limit = request.Limit ?? 100;
    const page = all.slice(start, start + limit);
    return {
      Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })),
      ...(start + limit < all.length ? { LastEvaluatedStreamArn: page[page.length - 1].arn } : {}),
    };
  },
});
