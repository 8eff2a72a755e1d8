/** TagResource: adds tags to a table named by its ARN, or sets new values for keys it has. */
import { invalid } from '../errors.js';
import { arnNotFoundMessage, checkArnShape, checkTags, mergeTags, requireTaggedTable, tableNameOfArn, tagListRule, type Tag } from '../tags.js';
import { checkConstraints } from '../validation/constraints.js';
import { str } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface TagResourceRequest {
  ResourceArn?: string;
  Tags?: Tag[];
}

export const tagResource = defineOperation<TagResourceRequest, unknown>({
  name: 'TagResource',
  // Types only: DynamoDB looks at the ARN before it validates the members (checked in run).
  shape: { ResourceArn: str(), Tags: tagListRule() },
  async run(ctx, request) {
    checkArnShape(ctx, 'TagResource', request.ResourceArn);
    checkConstraints(request as Record<string, unknown>, { Tags: tagListRule({ notNull: true }) });
    const arn = request.ResourceArn;
    tableNameOfArn(arn);
    const tags = request.Tags!;
    if (!tags.length) invalid('Atleast one Tag needs to be provided as Input.');
    checkTags(tags);
    await ctx.store.write((txn) => {
      const meta = requireTaggedTable(ctx, txn, arn, arnNotFoundMessage(arn));
      txn.putTable(meta.name, { ...meta, tags: mergeTags(meta.tags ?? [], tags) });
    });
    return {};
  },
});
