/** The shape of one DynamoDB operation: its request shape and its handler over a region. */
import type { RegionContext } from '../context.js';
import type { OperationOptions } from '../forcedTimestamp.js';
import type { RequestShape } from '../validation/shape.js';

export interface Operation<Request = any, Response = unknown> {
  name: string;
  shape: RequestShape;
  /** `options`: what the caller asked beyond the request (a write's forced timestamp); reads ignore it. */
  run(ctx: RegionContext, request: Request, options: OperationOptions): Promise<Response> | Response;
}

export function defineOperation<Request, Response>(op: Operation<Request, Response>): Operation<Request, Response> {
  return op;
}
