/**
 * DescribeStream: a stream's status, view type, key schema and its shards (one per stream here:
 * a stream never splits, so no shard has children), paged by ExclusiveStartShardId and Limit;
 * ShardFilter CHILD_SHARDS asks for the children of one shard.
 */
import { invalid, ResourceNotFoundException } from '../../dynamo/errors.js';
import { defineOperation } from '../../dynamo/ops/operation.js';
import { int, str, struct } from '../../dynamo/validation/shape.js';
import { findStream, isStreamArn, sequenceNumber, shardId, type StreamMeta } from '../registry.js';
import type { RegionContext } from '../../dynamo/context.js';

interface DescribeStreamRequest {
  StreamArn: string;
  Limit?: number;
  ExclusiveStartShardId?: string;
  ShardFilter?: { Type?: 'CHILD_SHARDS'; ShardId?: string };
}

/** The stream an ARN names: a malformed ARN is a ValidationException, an unknown one not found. */
export function requireStream(ctx: RegionContext, arn: string): StreamMeta {
  if (!isStreamArn(arn)) invalid('Invalid StreamArn');
  const stream = ctx.store.read((txn) => findStream(txn, arn));
  if (!stream) throw new ResourceNotFoundException(`Requested resource not found: Stream: ${arn} not found`);
  return stream;
}

const SHARD_ID = { lengthMin: 28, lengthMax: 65 };

function shardOf(stream: StreamMeta): Record<string, unknown> {
  return {
    ShardId: shardId(stream),
    SequenceNumberRange: {
      StartingSequenceNumber: sequenceNumber(stream.startLsn),
      ...(stream.endLsn !== undefined ? { EndingSequenceNumber: sequenceNumber(Math.max(stream.startLsn, stream.endLsn)) } : {}),
    },
  };
}

export const describeStream = defineOperation<DescribeStreamRequest, unknown>({
  name: 'DescribeStream',
  shape: {
    StreamArn: str({ notNull: true, lengthMin: 37, lengthMax: 1024 }),
    Limit: int({ min: 1, max: 100 }),
    ExclusiveStartShardId: str(SHARD_ID),
    ShardFilter: struct('ShardFilter', {
      Type: str({ notNull: true, enum: ['CHILD_SHARDS'] }),
      ShardId: str({ notNull: true, ...SHARD_ID }),
    }),
  },
  run(ctx, request) {
    const stream = requireStream(ctx, request.StreamArn);
    // Shards in ShardId order; the one shard of a stream that never splits is no one's child.
    const all = request.ShardFilter ? [] : [shardOf(stream)];
    const start = request.ExclusiveStartShardId;
    const after = start === undefined ? all : all.filter((shard) => String(shard.ShardId) > start);
    const limit = request.Limit ?? 100;
    const shards = after.slice(0, limit);
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
        ...(after.length > limit ? { LastEvaluatedShardId: shards[shards.length - 1].ShardId } : {}),
      },
    };
  },
});
