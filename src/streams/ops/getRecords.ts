/** GetRecords: up to Limit (≤ 1000) records or 1 MB from a shard iterator, and the iterator after them. */
import { ResourceNotFoundException, TrimmedDataAccessException } from '../../dynamo/errors.js';
import { defineOperation } from '../../dynamo/ops/operation.js';
import { int, str } from '../../dynamo/validation/shape.js';
import { decodeIterator, encodeIterator, TRIMMED_MESSAGE } from '../iterators.js';
import { shardId } from '../registry.js';
import { streamRecord } from '../records.js';
import { requireStream } from './describeStream.js';

const MAX_BYTES = 1024 * 1024;
/** Log entries examined per call: other tables' changes share the log and are skipped. */
const SCAN_BUDGET = 10_000;

export const getRecords = defineOperation<{ ShardIterator: string; Limit?: number }, unknown>({
  name: 'GetRecords',
  shape: {
    ShardIterator: str({ notNull: true, lengthMin: 1, lengthMax: 2048 }),
    Limit: int({ min: 1, max: 1000 }),
  },
  run(ctx, request) {
    const nowMs = ctx.clock.trueNowMs();
    const iterator = decodeIterator(request.ShardIterator, nowMs);
    const stream = requireStream(ctx, iterator.arn);
    if (iterator.shardId !== shardId(stream)) throw new ResourceNotFoundException('Invalid ShardId in ShardIterator');
    const firstRetained = ctx.store.changesAfter(0, 1)[0]?.lsn;
    if (firstRetained !== undefined && iterator.position < firstRetained && iterator.position <= ctx.store.lastLsn()) {
      throw new TrimmedDataAccessException(TRIMMED_MESSAGE);
    }
    const limit = request.Limit ?? 1000;
    const end = stream.endLsn ?? Number.POSITIVE_INFINITY;
    const records: Record<string, unknown>[] = [];
    let position = iterator.position;
    let bytes = 0;
    let examined = 0;
    while (records.length < limit && bytes < MAX_BYTES && examined < SCAN_BUDGET && position <= end) {
      const changes = ctx.store.changesAfter(position - 1, 500);
      if (!changes.length) break;
      for (const change of changes) {
        if (change.lsn > end || records.length >= limit || bytes >= MAX_BYTES) break;
        position = change.lsn + 1;
        examined += 1;
        if (change.table !== stream.tableName) continue;
        const record = streamRecord(ctx.region, stream, change);
        bytes += JSON.stringify(record).length;
        records.push(record);
      }
      if (changes[changes.length - 1].lsn < position - 1) break;
    }
    const closedAndRead = stream.endLsn !== undefined && position > stream.endLsn;
    return {
      Records: records,
      ...(closedAndRead ? {} : { NextShardIterator: encodeIterator({ ...iterator, position, issuedAtMs: nowMs }) }),
    };
  },
});
