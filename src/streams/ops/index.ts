/** The registry of DynamoDB Streams operations by their X-Amz-Target name. */
import type { Operation } from '../../dynamo/ops/operation.js';
import { describeStream } from './describeStream.js';
import { getRecords } from './getRecords.js';
import { getShardIterator } from './getShardIterator.js';
import { listStreams } from './listStreams.js';

const all: Operation[] = [listStreams, describeStream, getShardIterator, getRecords];

export const streamOperations: ReadonlyMap<string, Operation> = new Map(all.map((op) => [op.name, op]));
