/** A table with secondary indexes, shared by the index tests. */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { uniqueTableName } from './region.js';

/**
 * pk/sk (S/S) with a local index byScore (pk, score N; KEYS_ONLY), a global index byCity
 * (city, name; INCLUDE age) and a global index byAge (age N, hash only; ALL).
 */
export async function createIndexedTable(client: DynamoDBClient, name = uniqueTableName()): Promise<string> {
  await client.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'score', AttributeType: 'N' },
      { AttributeName: 'city', AttributeType: 'S' },
      { AttributeName: 'name', AttributeType: 'S' },
      { AttributeName: 'age', AttributeType: 'N' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    LocalSecondaryIndexes: [{
      IndexName: 'byScore',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'score', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    }],
    GlobalSecondaryIndexes: [{
      IndexName: 'byCity',
      KeySchema: [{ AttributeName: 'city', KeyType: 'HASH' }, { AttributeName: 'name', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['age'] },
    }, {
      IndexName: 'byAge',
      KeySchema: [{ AttributeName: 'age', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
    }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  return name;
}
