/** DescribeStream: a stream's status, view type, key schema and its (single) shard. */
import { ResourceNotFoundException } from '../../dynamo/errors.js';
import { defineOperation } from '../../dynamo/ops/operation.js';
import { int, str } from '../../dynamo/validation/shape.js';
import { findStream, sequenceNumber, shardId, type StreamMeta } from '../registry.js';
import type { RegionContext } from '../../dynamo/context.js';

interface DescribeStreamRequest {
  StreamArn: string;
  Limit?: number;
  ExclusiveStartShardId?: string;
}

export function requireStream(ctx: RegionContext, arn: string): StreamMeta {
  const stream = ctx.store.read((txn) => findStream(txn, arn));
  if (!stream) throw new ResourceNotFoundException(`Requested resource not found: Stream: ${arn} not found`);
  return stream;
}

export const describeStream = defineOperation<DescribeStreamRequest, unknown>({
  name: 'DescribeStream',
  shape: {
    StreamArn: str({ notNull: true, lengthMin: 37, lengthMax: 1024 }),
    Limit: int({ min: 1, max: 100 }),
    ExclusiveStartShardId: str({ lengthMin: 28, lengthMax: 65 }),
  },
  run(ctx, request) {
    const stream = requireStream(ctx, request.StreamArn);
    const shard = {
      ShardId: shardId(stream),
      SequenceNumberRange: {
        StartingSequenceNumber: sequenceNumber(stream.startLsn),
        ...(stream.endLsn !== undefined ? { EndingSequenceNumber: sequenceNumber(Math.max(stream.startLsn, stream.endLsn)) } : {}),
      },
    };
    const shards = request.ExclusiveStartShardId === shard.ShardId ? [] : [shard];
    return {
      StreamDescription: {
        StreamArn: stream.arn,
        StreamLabel: stream.label,
        StreamStatus: stream.endLsn === undefined ? 'ENABLED' : 'DISABLED',
        StreamViewType: stream.viewType,
        CreationRequestDateTime: stream.createdAtMs / 1000,
        TableName: stream.tableName,
        KeySchema: stream.keySchema,
        Shards: shards,
      },
    };
  },
});
