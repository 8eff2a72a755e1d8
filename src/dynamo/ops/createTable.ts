/** CreateTable: validates the schema, stores the table and reports it CREATING. */
import type { AttributeDefinition, KeySchemaElement } from '../../core/types.js';
import { invalid, LimitExceededException, ResourceInUseException } from '../errors.js';
import { describe, type StreamSpecification, type TableMeta } from '../tables.js';
import { list, str, struct, long, newTableNameRule, bool, type FieldRule } from '../validation/shape.js';
import { defineOperation } from './operation.js';
import { checkStreamSpecification, streamSpecificationRule } from './streamSpecification.js';
import { checkSseSpecification, sseSpecificationRule, type SSESpecification } from './sseSpecification.js';
import { openStream } from '../../streams/registry.js';
import { checkTags, mergeTags, tagListRule, type Tag } from '../tags.js';
import { checkCreateIndexes, globalIndexesRule, indexMetaOf, localIndexesRule, type IndexRequest } from '../indexes/indexRequests.js';
import type { IndexMeta } from '../indexes/indexMeta.js';
import type { StoreTxn } from '../../storage/store.js';

interface CreateTableRequest {
  TableName: string;
  AttributeDefinitions: AttributeDefinition[];
  KeySchema: KeySchemaElement[];
  BillingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST';
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  StreamSpecification?: StreamSpecification;
  DeletionProtectionEnabled?: boolean;
  LocalSecondaryIndexes?: IndexRequest[];
  GlobalSecondaryIndexes?: IndexRequest[];
  Tags?: Tag[];
  SSESpecification?: SSESpecification;
}

const MAX_TABLES = 2500;
const MAX_CAPACITY_UNITS = 1_000_000_000_000;

export const throughputRule = (): FieldRule => struct('ProvisionedThroughput', {
  WriteCapacityUnits: long({ notNull: true, min: 1 }),
  ReadCapacityUnits: long({ notNull: true, min: 1 }),
});

const keySchemaRule = (keyTypeEnum: boolean): FieldRule => list(struct('KeySchemaElement', {
  AttributeName: str({ notNull: true, lengthMin: 1, lengthMax: 255 }),
  KeyType: str({ notNull: true, ...(keyTypeEnum ? { enum: ['HASH', 'RANGE'] } : {}) }),
}, { notNull: true }), { notNull: true, lengthMin: 1, lengthMax: 2 });

export const createTable = defineOperation<CreateTableRequest, unknown>({
  name: 'CreateTable',
  shape: {
    AttributeDefinitions: list(struct('AttributeDefinition', {
      AttributeName: str({ notNull: true, lengthMin: 1, lengthMax: 255 }),
      AttributeType: str({ notNull: true, enum: ['B', 'N', 'S'] }),
    }, { notNull: true }), { notNull: true }),
    TableName: newTableNameRule(),
    BillingMode: str({ enum: ['PROVISIONED', 'PAY_PER_REQUEST'] }),
    ProvisionedThroughput: throughputRule(),
    KeySchema: keySchemaRule(true),
    StreamSpecification: streamSpecificationRule(),
    DeletionProtectionEnabled: bool(),
    LocalSecondaryIndexes: localIndexesRule(),
    GlobalSecondaryIndexes: globalIndexesRule(),
    Tags: tagListRule(),
    SSESpecification: sseSpecificationRule(),
  },
  async run(ctx, request) {
    checkSchema(request);
    checkCreateIndexes(request);
    const stream = request.StreamSpecification ? checkStreamSpecification(request.StreamSpecification) : undefined;
    // Only the default encryption passes, which every table has: nothing to record.
    if (request.SSESpecification) checkSseSpecification(request.SSESpecification);
    if (request.Tags) checkTags(request.Tags);
    const tags = request.Tags?.length ? mergeTags([], request.Tags) : undefined;
    const nowMs = ctx.clock.trueNowMs();
    const meta = await ctx.store.write((txn) => {
      const names = txn.listTableNames();
      if (txn.getTable(request.TableName)) {
        throw new ResourceInUseException(`Table already exists: ${request.TableName}`);
      }
      if (names.length >= MAX_TABLES) {
        throw new LimitExceededException(`Subscriber limit exceeded: Table count for account ${ctx.accountId} exceeds the limit of ${MAX_TABLES}`);
      }
      const id = allocateStoreId(txn);
      const payPerRequest = request.BillingMode === 'PAY_PER_REQUEST';
      const indexes: IndexMeta[] = [
        ...(request.LocalSecondaryIndexes ?? []).map((index) => indexMetaOf(index, 'local', allocateStoreId(txn), payPerRequest)),
        ...(request.GlobalSecondaryIndexes ?? []).map((index) => indexMetaOf(index, 'global', allocateStoreId(txn), payPerRequest)),
      ];
      const created: TableMeta = {
        id,
        name: request.TableName,
        tableId: ctx.ids.uuid(),
        keySchema: request.KeySchema,
        attributeDefinitions: request.AttributeDefinitions,
        billingMode: payPerRequest ? 'PAY_PER_REQUEST' : 'PROVISIONED',
        throughput: {
          ReadCapacityUnits: payPerRequest ? 0 : request.ProvisionedThroughput!.ReadCapacityUnits,
          WriteCapacityUnits: payPerRequest ? 0 : request.ProvisionedThroughput!.WriteCapacityUnits,
          NumberOfDecreasesToday: 0,
        },
        createdAtMs: nowMs,
        busyUntilMs: nowMs + ctx.settings.createTableMs,
        busyStatus: 'CREATING',
        ...(stream ? { streamSpecification: stream } : {}),
        ...(request.DeletionProtectionEnabled ? { deletionProtection: true } : {}),
        ...(tags ? { tags } : {}),
        ...(indexes.length ? { indexes } : {}),
      };
      if (stream?.StreamViewType) {
        const opened = openStream(ctx, txn, created, stream.StreamViewType);
        created.latestStream = { arn: opened.arn, label: opened.label };
      }
      txn.putTable(created.name, created);
      return created;
    });
    return { TableDescription: describe(ctx, meta, { itemCount: 0, sizeBytes: 0 }, 'CREATING') };
  },
});

/** A fresh store id for a table or an index: one counter, so ids never collide. */
export function allocateStoreId(txn: StoreTxn): number {
  const id = txn.getMeta<number>('nextTableId') ?? 1;
  txn.putMeta('nextTableId', id + 1);
  return id;
}

function checkSchema(request: CreateTableRequest): void {
  const prefix = 'One or more parameter values were invalid: ';
  if (request.BillingMode === 'PAY_PER_REQUEST') {
    if (request.ProvisionedThroughput) {
      invalid(`${prefix}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`);
    }
  } else {
    const throughput = request.ProvisionedThroughput;
    if (!throughput || !throughput.ReadCapacityUnits || !throughput.WriteCapacityUnits) {
      invalid(`${prefix}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`);
    }
    if (throughput.ReadCapacityUnits > MAX_CAPACITY_UNITS) invalid(`Given value ${throughput.ReadCapacityUnits} for ReadCapacityUnits is out of bounds`);
    if (throughput.WriteCapacityUnits > MAX_CAPACITY_UNITS) invalid(`Given value ${throughput.WriteCapacityUnits} for WriteCapacityUnits is out of bounds`);
  }
  const definitions = request.AttributeDefinitions.map((d) => d.AttributeName);
  const keys = request.KeySchema.map((k) => k.AttributeName);
  if (keys.length > definitions.length) invalid('Invalid KeySchema: Some index key attribute have no definition');
  if (keys.some((key) => !definitions.includes(key))) {
    invalid(`${prefix}Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${definitions.join(', ')}]`);
  }
  if (keys[0] === keys[1]) invalid('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  if (request.KeySchema[0].KeyType !== 'HASH') invalid('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (request.KeySchema[1] && request.KeySchema[1].KeyType !== 'RANGE') {
    invalid('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  }
  if (new Set(definitions).size !== definitions.length) {
    invalid(`${prefix}Duplicate AttributeName in AttributeDefinitions`);
  }
  if (!request.LocalSecondaryIndexes && !request.GlobalSecondaryIndexes && keys.length !== definitions.length) {
    invalid(`${prefix}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`);
  }
}
