import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListTagsOfResourceCommand, TagResourceCommand } from '@aws-sdk/client-dynamodb';
import { rawCall } from '../helpers/rawApi.js';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

const arnOf = (name: string): string => `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`;
const list = (ResourceArn: string, NextToken?: string) => region.client.send(new ListTagsOfResourceCommand({ ResourceArn, ...(NextToken ? { NextToken } : {}) }));
const raw = (body: object) => rawCall(region.region.endpoint, 'ListTagsOfResource', body);

describe('ListTagsOfResource', () => {
  it('answers an empty list for a table without tags', async () => {
    const name = await createTable(region.client);
    expect((await raw({ ResourceArn: arnOf(name) })).json).toEqual({ Tags: [] });
  });

  it('answers all 50 tags of a full table on one page, in the order they were set', async () => {
    const name = await createTable(region.client);
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `key-${49 - i}`, Value: `value ${i}` }));
    await region.client.send(new TagResourceCommand({ ResourceArn: arnOf(name), Tags: tags.slice(0, 25) }));
    await region.client.send(new TagResourceCommand({ ResourceArn: arnOf(name), Tags: tags.slice(25) }));
    const listed = await list(arnOf(name));
    expect(listed.Tags).toEqual(tags);
    expect(listed.NextToken).toBeUndefined();
  });

  it('continues after the key a NextToken names, and refuses a token it did not hand out', async () => {
    const name = await createTable(region.client);
    await region.client.send(new TagResourceCommand({ ResourceArn: arnOf(name), Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }, { Key: 'c', Value: '3' }] }));
    expect((await list(arnOf(name), 'a')).Tags).toEqual([{ Key: 'b', Value: '2' }, { Key: 'c', Value: '3' }]);
    expect(await failure(list(arnOf(name), 'zzz'))).toMatchObject({ name: 'ValidationException', message: 'Invalid NextToken: zzz' });
  });

  it('answers the ResourceArn checks DynamoDB makes, in its order', async () => {
    expect(await raw({})).toMatchObject({ error: 'ValidationException', json: { message: 'Invalid TableArn' } });
    for (const [arn, shown] of [['', '*'], ['abcd', 'abcd'], ['a:b:c:d:e/f', 'a:b:c:d:e/f']]) {
      const answer = await raw({ ResourceArn: arn });
      expect(answer.error).toBe('AccessDeniedException');
      expect(answer.json.Message).toBe(`User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:ListTagsOfResource on resource: ${shown}`);
    }
    expect((await raw({ ResourceArn: 'a:b:c:d:e:f/g' })).json.message).toBe('Invalid TableArn: Invalid ResourceArn provided as input a:b:c:d:e:f/g');
    expect((await raw({ ResourceArn: arnOf('ab') })).json.message).toBe(`Invalid TableArn: Invalid ResourceArn provided as input ${arnOf('ab')}`);
    const missing = await failure(list(arnOf('no-such-table')));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', message: `Requested resource not found: ResourcArn: ${arnOf('no-such-table')} not found` });
  });
});
