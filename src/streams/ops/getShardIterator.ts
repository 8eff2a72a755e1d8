/** GetShardIterator: a position in a shard: TRIM_HORIZON, LATEST, AT_ or AFTER_SEQUENCE_NUMBER. */
import { invalid, ResourceNotFoundException, TrimmedDataAccessException } from '../../dynamo/errors.js';
import { defineOperation } from '../../dynamo/ops/operation.js';
import { str } from '../../dynamo/validation/shape.js';
import { encodeIterator, TRIMMED_MESSAGE } from '../iterators.js';
import { lsnOf, shardId } from '../registry.js';
import { requireStream } from './describeStream.js';

interface GetShardIteratorRequest {
  StreamArn: string;
  ShardId: string;
  ShardIteratorType: 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER';
  SequenceNumber?: string;
}

export const getShardIterator = defineOperation<GetShardIteratorRequest, unknown>({
  name: 'GetShardIterator',
  shape: {
    StreamArn: str({ notNull: true, lengthMin: 37, lengthMax: 1024 }),
    ShardId: str({ notNull: true, lengthMin: 28, lengthMax: 65 }),
    ShardIteratorType: str({ notNull: true, enum: ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] }),
    SequenceNumber: str({ lengthMin: 21, lengthMax: 40 }),
  },
  run(ctx, request) {
    const positioned = request.ShardIteratorType === 'AT_SEQUENCE_NUMBER' || request.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER';
    if (!positioned && request.SequenceNumber !== undefined) {
      invalid(`SequenceNumber is not allowed with ShardIteratorType ${request.ShardIteratorType}`);
    }
    const stream = requireStream(ctx, request.StreamArn);
    if (request.ShardId !== shardId(stream)) {
      throw new ResourceNotFoundException(`Requested resource not found: Shard: ${request.ShardId} in Stream: ${stream.arn} not found`);
    }
    const firstRetained = ctx.store.changesAfter(0, 1)[0]?.lsn ?? ctx.store.lastLsn() + 1;
    const end = stream.endLsn ?? Number.POSITIVE_INFINITY;
    let position: number;
    if (request.ShardIteratorType === 'TRIM_HORIZON') position = Math.max(stream.startLsn, firstRetained);
    else if (request.ShardIteratorType === 'LATEST') position = Math.max(stream.startLsn, Math.min(end, ctx.store.lastLsn()) + 1);
    else {
      if (request.SequenceNumber === undefined) invalid(`Must provide a sequence number for ShardIteratorType ${request.ShardIteratorType}`);
      const lsn = lsnOf(request.SequenceNumber);
      // Only a number the shard has given out: none past its end, or past the last change yet.
      if (lsn === undefined || lsn < stream.startLsn || lsn > Math.min(end, ctx.store.lastLsn())) {
        invalid(`Invalid SequenceNumber ${request.SequenceNumber} for shard ${request.ShardId}`);
      }
      if (lsn < firstRetained) {
        throw new TrimmedDataAccessException(TRIMMED_MESSAGE);
      }
      position = request.ShardIteratorType === 'AT_SEQUENCE_NUMBER' ? lsn : lsn + 1;
    }
    return { ShardIterator: encodeIterator({ arn: stream.arn, shardId: request.ShardId, position, issuedAtMs: ctx.clock.trueNowMs() }) };
  },
});
