/** ListTagsOfResource: a table's tags, in the order they were first set. */
import { invalid } from '../errors.js';
import { arnNotFoundMessage, checkArnShape, MAX_TAGS, requireTaggedTable, tableNameOfArn } from '../tags.js';
import { str } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface ListTagsOfResourceRequest {
  ResourceArn?: string;
  NextToken?: string;
}

/** DynamoDB answers every tag at once (there are at most 50), so a page holds them all. */
const PAGE_SIZE = MAX_TAGS;

export const listTagsOfResource = defineOperation<ListTagsOfResourceRequest, unknown>({
  name: 'ListTagsOfResource',
  shape: { ResourceArn: str(), NextToken: str() },
  run(ctx, request) {
    checkArnShape(ctx, 'ListTagsOfResource', request.ResourceArn);
    const arn = request.ResourceArn;
    tableNameOfArn(arn);
    const tags = ctx.store.read((txn) => requireTaggedTable(ctx, txn, arn, arnNotFoundMessage(arn)).tags ?? []);
    // A NextToken is the key of the last tag of the page before.
    let start = 0;
    if (request.NextToken !== undefined) {
      const at = tags.findIndex((tag) => tag.Key === request.NextToken);
      if (at < 0) invalid(`Invalid NextToken: ${request.NextToken}`);
      start = at + 1;
    }
    const page = tags.slice(start, start + PAGE_SIZE);
    const more = start + PAGE_SIZE < tags.length;
    return { Tags: page, ...(more ? { NextToken: page[page.length - 1]!.Key } : {}) };
  },
});
