import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTableCommand, UpdateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, uniqueTableName, type TestRegion } from '../helpers/region.js';

let plain: TestRegion;
let encrypted: TestRegion;
beforeAll(async () => {
  plain = await startTestRegion();
  encrypted = await startTestRegion({ encryptionKey: randomBytes(32) });
});
afterAll(async () => {
  await plain?.stop();
  await encrypted?.stop();
});

const table = (TableName: string, extra: Partial<CreateTableCommandInput> = {}): CreateTableCommand => new CreateTableCommand({
  TableName,
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  ...extra,
});

const PREFIX = 'One or more parameter values were invalid: ';
const KMS_REFUSED = `${PREFIX}KMS encryption is not emulated by globaltables: leave SSESpecification out, or set Enabled to false. ` +
  "Tables are encrypted at rest with the region's own key when it is started with --encryption-key-file";

describe('SSESpecification on CreateTable', () => {
  it('accepts the default encryption, with no SSEDescription in a region without a key (as DynamoDB for its own key)', async () => {
    for (const spec of [undefined, { Enabled: false }]) {
      const name = uniqueTableName();
      const created = await plain.client.send(table(name, spec ? { SSESpecification: spec } : {}));
      expect(created.TableDescription?.SSEDescription).toBeUndefined();
      expect((await plain.client.send(new DescribeTableCommand({ TableName: name }))).Table?.SSEDescription).toBeUndefined();
    }
  });

  it('describes every table of a region with a key as encrypted with a key the service holds', async () => {
    const name = uniqueTableName();
    const created = await encrypted.client.send(table(name, { SSESpecification: { Enabled: false } }));
    expect(created.TableDescription?.SSEDescription).toEqual({ Status: 'ENABLED', SSEType: 'AES256' });
    const other = uniqueTableName();
    await encrypted.client.send(table(other));
    expect((await encrypted.client.send(new DescribeTableCommand({ TableName: other }))).Table?.SSEDescription).toEqual({ Status: 'ENABLED', SSEType: 'AES256' });
  });

  it.each([
    [{ Enabled: false, SSEType: 'KMS' }, `${PREFIX}SSEType can not be specified if Enabled is false`],
    [{ SSEType: 'KMS' }, `${PREFIX}SSEType can not be specified if Enabled is false`],
    [{ Enabled: false, KMSMasterKeyId: 'alias/mine' }, `${PREFIX}KMSMasterKeyId can not be specified if Enabled is false`],
    [{ Enabled: true, SSEType: 'AES256' }, `${PREFIX}SSEType AES256 is not supported`],
    [{ Enabled: true, KMSMasterKeyId: 'alias/mine' }, `${PREFIX}SSEType KMS is required if KMSMasterKeyId is specified`],
    [{ Enabled: true, SSEType: 'AES-256' }, "1 validation error detected: Value 'AES-256' at 'sSESpecification.sSEType' failed to satisfy constraint: Member must satisfy enum value set: [AES256, KMS]"],
    [{ Enabled: true }, KMS_REFUSED],
    [{ Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/mine' }, KMS_REFUSED],
  ] as const)('refuses %j', async (spec, message) => {
    const name = uniqueTableName();
    const error = await failure(plain.client.send(table(name, { SSESpecification: spec as CreateTableCommandInput['SSESpecification'] })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
    expect((await failure(plain.client.send(new DescribeTableCommand({ TableName: name })))).name).toBe('ResourceNotFoundException');
  });
});

describe('SSESpecification on UpdateTable', () => {
  it('is an update on its own: the table has the default encryption already, and KMS is refused', async () => {
    const name = uniqueTableName();
    await encrypted.client.send(table(name));
    const update = (SSESpecification: object) => failure(encrypted.client.send(new UpdateTableCommand({ TableName: name, SSESpecification })));
    expect((await update({ Enabled: false })).message).toBe(`${PREFIX}Table is already encrypted by default`);
    expect((await update({ Enabled: true, SSEType: 'KMS' })).message).toBe(KMS_REFUSED);
    expect((await update({ Enabled: false, SSEType: 'KMS' })).message).toBe(`${PREFIX}SSEType can not be specified if Enabled is false`);
    const combined = await failure(encrypted.client.send(new UpdateTableCommand({ TableName: name, SSESpecification: { Enabled: false }, DeletionProtectionEnabled: true })));
    expect(combined.message).toBe(`${PREFIX}Server-Side Encryption modification must be the only operation in the request`);
    expect((await encrypted.client.send(new DescribeTableCommand({ TableName: name }))).Table).toMatchObject({
      DeletionProtectionEnabled: false,
      SSEDescription: { Status: 'ENABLED', SSEType: 'AES256' },
    });
  });

  it('finds a missing table before anything else about its encryption', async () => {
    const error = await failure(plain.client.send(new UpdateTableCommand({ TableName: uniqueTableName(), SSESpecification: { Enabled: false } })));
    expect(error.name).toBe('ResourceNotFoundException');
  });
});
