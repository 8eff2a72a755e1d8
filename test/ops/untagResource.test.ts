import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListTagsOfResourceCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-dynamodb';
import { rawCall } from '../helpers/rawApi.js';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

const arnOf = (name: string, where = 'us-east-1'): string => `arn:aws:dynamodb:${where}:000000000000:table/${name}`;
const tagsOf = async (name: string) => (await region.client.send(new ListTagsOfResourceCommand({ ResourceArn: arnOf(name) }))).Tags;
const raw = (body: object) => rawCall(region.region.endpoint, 'UntagResource', body);

describe('UntagResource', () => {
  it('removes the keys given; a key the table lacks is no error', async () => {
    const name = await createTable(region.client);
    await region.client.send(new TagResourceCommand({ ResourceArn: arnOf(name), Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }, { Key: 'c', Value: '3' }] }));
    await region.client.send(new UntagResourceCommand({ ResourceArn: arnOf(name), TagKeys: ['a', 'c', 'not-there'] }));
    expect(await tagsOf(name)).toEqual([{ Key: 'b', Value: '2' }]);
    await region.client.send(new UntagResourceCommand({ ResourceArn: arnOf(name), TagKeys: ['b'] }));
    expect(await tagsOf(name)).toEqual([]);
  });

  it('answers the ResourceArn checks DynamoDB makes, in its order', async () => {
    expect(await raw({})).toMatchObject({ error: 'ValidationException', json: { message: 'Invalid TableArn' } });
    for (const [arn, shown] of [['', '*'], ['abcd', 'abcd'], ['a:b:c:d:e:f', 'a:b:c:d:e:f'], ['a:b:c:d:e/f', 'a:b:c:d:e/f']]) {
      const answer = await raw({ ResourceArn: arn });
      expect(answer.error).toBe('AccessDeniedException');
      expect(answer.json.Message).toBe(`User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:UntagResource on resource: ${shown}`);
    }
    expect((await raw({ ResourceArn: 'a:b:c:d:e:f/g' })).json.message)
      .toBe("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
    expect((await raw({ ResourceArn: 'a:b:c:d:e:f/g', TagKeys: [] })).json.message).toBe('Invalid TableArn: Invalid ResourceArn provided as input a:b:c:d:e:f/g');
    expect((await raw({ ResourceArn: arnOf('ab'), TagKeys: [] })).json.message).toBe(`Invalid TableArn: Invalid ResourceArn provided as input ${arnOf('ab')}`);
    expect((await raw({ ResourceArn: arnOf('no-such-table'), TagKeys: [] })).json.message).toBe('Atleast one Tag Key needs to be provided as Input.');
  });

  it('answers ResourceNotFoundException for a missing table or another region, with no ARN in the message', async () => {
    const name = await createTable(region.client);
    for (const arn of [arnOf('no-such-table'), arnOf(name, 'eu-west-1')]) {
      const error = await failure(region.client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] })));
      expect(error).toMatchObject({ name: 'ResourceNotFoundException', message: 'Requested resource not found' });
    }
  });
});
