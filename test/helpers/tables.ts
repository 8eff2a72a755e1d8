/** Table fixtures shared by the operation tests. */
import { CreateTableCommand, type DynamoDBClient, type ScalarAttributeType } from '@aws-sdk/client-dynamodb';
import { uniqueTableName } from './region.js';

/** A PAY_PER_REQUEST table keyed by pk (and sk when a sort key type is given). */
export async function createTable(client: DynamoDBClient, hashType: ScalarAttributeType = 'S', rangeType?: ScalarAttributeType): Promise<string> {
  const name = uniqueTableName();
  await client.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: hashType },
      ...(rangeType ? [{ AttributeName: 'sk', AttributeType: rangeType }] : []),
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      ...(rangeType ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : []),
    ],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  return name;
}
