/** Runs one API call end to end: deserialize, validate, execute, and turn failures into DynamoDB errors. */
import { CoreSerializationError, CoreValidationError } from '../core/errors.js';
import type { RegionContext } from './context.js';
import {
  DynamoError, InternalServerError, SerializationException, UnknownOperationException, ValidationException,
} from './errors.js';
import { checkForcedTimestamp, type OperationOptions } from './forcedTimestamp.js';
import type { Operation } from './ops/operation.js';
import { parseRequestBody } from './validation/body.js';
import { checkConstraints } from './validation/constraints.js';
import { checkNesting } from './validation/nesting.js';
import { deserializeRequest } from './validation/serialization.js';

export interface DispatchResult {
  status: number;
  body: Record<string, unknown>;
}

/** Maps anything thrown by an operation to the error DynamoDB would return. */
export function toDynamoError(error: unknown): DynamoError {
  if (error instanceof DynamoError) return error;
  if (error instanceof CoreValidationError) return new ValidationException(error.message, { cause: error });
  if (error instanceof CoreSerializationError) return new SerializationException(error.message, { cause: error });
  return new InternalServerError({ cause: error });
}

export function dispatch(
  ctx: RegionContext,
  registry: ReadonlyMap<string, Operation>,
  operationName: string,
  body: Uint8Array,
  options: OperationOptions = {},
): Promise<DispatchResult> {
  return run(ctx, registry, operationName, () => parseRequestBody(body), options);
}

/** dispatch() for a body the caller has parsed already (with parseRequestBody). */
export function dispatchParsed(
  ctx: RegionContext,
  registry: ReadonlyMap<string, Operation>,
  operationName: string,
  parsedBody: unknown,
  options: OperationOptions = {},
): Promise<DispatchResult> {
  return run(ctx, registry, operationName, () => parsedBody, options);
}

async function run(
  ctx: RegionContext,
  registry: ReadonlyMap<string, Operation>,
  operationName: string,
  parse: () => unknown,
  options: OperationOptions,
): Promise<DispatchResult> {
  try {
    const op = registry.get(operationName);
    if (!op) throw new UnknownOperationException();
    if (options.timestampMs !== undefined) checkForcedTimestamp(options.timestampMs, ctx.clock.trueNowMs());
    const parsed = parse();
    // Before anything recurses into the request's attribute values.
    checkNesting(parsed, op.shape);
    const request = deserializeRequest(parsed, op.shape);
    checkConstraints(request, op.shape);
    const response = await op.run(ctx, request, options);
    return { status: 200, body: (response ?? {}) as Record<string, unknown> };
  } catch (error) {
    const dynamoError = toDynamoError(error);
    if (dynamoError instanceof InternalServerError) {
      console.error(`[${ctx.region}] internal error in ${operationName}:`, error);
    }
    return { status: dynamoError.statusCode, body: dynamoError.toBody() };
  }
}
