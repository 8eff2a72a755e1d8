/**
 * Table tags: how the tag operations read a ResourceArn, DynamoDB's rules for keys and values, and
 * merging into the list kept in the table's metadata (so tags live and die with the table).
 */
import { AccessDeniedException, invalid, ResourceNotFoundException } from './errors.js';
import { requireTable, tableArn, type TableMeta } from './tables.js';
import type { RegionContext } from './context.js';
import type { StoreTxn } from '../storage/store.js';
import { list, str, struct, type FieldRule } from './validation/shape.js';

export interface Tag {
  Key: string;
  Value: string;
}

export const MAX_TAGS = 50;
const PREFIX = 'One or more parameter values were invalid: ';

export const tagRule = (): FieldRule => struct('Tag', {
  Key: str({ notNull: true, lengthMin: 1, lengthMax: 128 }),
  Value: str({ notNull: true, lengthMin: 0, lengthMax: 256 }),
}, { notNull: true });

export const tagListRule = (extra: Partial<FieldRule> = {}): FieldRule => list(tagRule(), extra);

/** Anything shaped like `a:b:c:d:e:f/g`: DynamoDB's authorization refuses anything less before looking further. */
const ARN_LIKE = /^.+:.+:.+:.+:.+:.+\/.+$/;
/** A table ARN, whose name has at least three characters. */
const TABLE_ARN = /^arn:aws:dynamodb:.+:\d+:table\/([^/]{3,})$/;

/** The ResourceArn checks DynamoDB makes before the request's members are validated. */
export function checkArnShape(ctx: RegionContext, operation: string, arn: string | undefined): asserts arn is string {
  if (arn == null) invalid('Invalid TableArn');
  if (!ARN_LIKE.test(arn)) {
    throw new AccessDeniedException(`User: arn:aws:iam::${ctx.accountId}:root is not authorized to perform: dynamodb:${operation} on resource: ${arn || '*'}`);
  }
}

/** The table name a well-formed table ARN names. */
export function tableNameOfArn(arn: string): string {
  const match = TABLE_ARN.exec(arn);
  if (!match) invalid(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  return match[1]!;
}

/**
 * The table an ARN names, if it is one of this region's (this region, this account) and exists:
 * tables being created or deleted have no tags to read or change, as in DynamoDB.
 */
export function requireTaggedTable(ctx: RegionContext, txn: StoreTxn, arn: string, notFoundMessage: string): TableMeta {
  const name = tableNameOfArn(arn);
  const notFound = (): never => { throw new ResourceNotFoundException(notFoundMessage); };
  if (tableArn(ctx, name) !== arn) notFound();
  try {
    return requireTable(txn, name, ctx.clock.trueNowMs());
  } catch (error) {
    if (error instanceof ResourceNotFoundException) notFound();
    throw error;
  }
}

export const arnNotFoundMessage = (arn: string): string => `Requested resource not found: ResourcArn: ${arn} not found`;

/** Letters, white space, numbers and `+ - = . _ : /`, as the Developer Guide lists them. */
const ALLOWED = /^[\p{L}\p{Z}\p{N}+\-=._:/]*$/u;

/** DynamoDB's rules beyond lengths: the character set, the reserved `aws:` prefix. */
export function checkTags(tags: Tag[]): void {
  for (const tag of tags) {
    if (!ALLOWED.test(tag.Key)) invalid(`${PREFIX}Invalid tag key: ${tag.Key}; tag keys may contain letters, numbers, white space and + - = . _ : /`);
    if (!ALLOWED.test(tag.Value)) invalid(`${PREFIX}Invalid tag value: ${tag.Value}; tag values may contain letters, numbers, white space and + - = . _ : /`);
    if (tag.Key.toLowerCase().startsWith('aws:')) invalid(`${PREFIX}Tag keys starting with 'aws:' are reserved for system use: ${tag.Key}`);
  }
}

/** The tags after adding `added`: a key already present takes the new value in its place; at most 50. */
export function mergeTags(current: Tag[], added: Tag[]): Tag[] {
  const merged = new Map<string, string>(current.map((t) => [t.Key, t.Value]));
  for (const tag of added) merged.set(tag.Key, tag.Value);
  if (merged.size > MAX_TAGS) {
    invalid(`${PREFIX}The number of tags on a resource cannot exceed ${MAX_TAGS}; it would have ${merged.size}`);
  }
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}
