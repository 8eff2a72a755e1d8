/** UntagResource: removes tags by key from a table named by its ARN; a key it lacks is no error. */
import { invalid } from '../errors.js';
import { checkArnShape, requireTaggedTable, tableNameOfArn } from '../tags.js';
import { checkConstraints } from '../validation/constraints.js';
import { list, str } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface UntagResourceRequest {
  ResourceArn?: string;
  TagKeys?: string[];
}

const tagKeysRule = (notNull: boolean) => list(str({ notNull: true, lengthMin: 1, lengthMax: 128 }), { notNull });

export const untagResource = defineOperation<UntagResourceRequest, unknown>({
  name: 'UntagResource',
  // Types only: DynamoDB looks at the ARN before it validates the members (checked in run).
  shape: { ResourceArn: str(), TagKeys: list(str()) },
  async run(ctx, request) {
    checkArnShape(ctx, 'UntagResource', request.ResourceArn);
    checkConstraints(request as Record<string, unknown>, { TagKeys: tagKeysRule(true) });
    const arn = request.ResourceArn;
    tableNameOfArn(arn);
    const keys = new Set(request.TagKeys!);
    if (!keys.size) invalid('Atleast one Tag Key needs to be provided as Input.');
    await ctx.store.write((txn) => {
      // DynamoDB's message here names no ARN, unlike TagResource's and ListTagsOfResource's.
      const meta = requireTaggedTable(ctx, txn, arn, 'Requested resource not found');
      const { tags: _old, ...rest } = meta;
      const kept = (meta.tags ?? []).filter((tag) => !keys.has(tag.Key));
      txn.putTable(meta.name, kept.length ? { ...rest, tags: kept } : rest);
    });
    return {};
  },
});
