/**
 * The largest valid items of every shape, put, overwritten and deleted in turn from different
 * regions, reach every region exactly, at item and at attribute granularity: each change fits
 * the bus, and no region's publisher gets stuck.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue as SdkValue } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, Item } from '../../src/core/types.js';
import { normalizeItem } from '../../src/core/values.js';
import { createGlobalTable, eventually, startCluster, waitConverged, type TestCluster } from '../helpers/cluster.js';
import { LARGE_ITEM_SHAPES as SHAPES, largestItem } from '../helpers/largeItems.js';

function toSdk(value: AttributeValue): SdkValue {
  if ('B' in value) return { B: Buffer.from(value.B, 'base64') };
  if ('BS' in value) return { BS: value.BS.map((b) => Buffer.from(b, 'base64')) };
  if ('L' in value) return { L: value.L.map(toSdk) };
  if ('M' in value) return { M: sdkItem(value.M) };
  return value as SdkValue;
}

function fromSdk(value: SdkValue): AttributeValue {
  if (value.B) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.L) return { L: value.L.map(fromSdk) };
  if (value.M) return { M: plainItem(value.M) };
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as AttributeValue;
}

const sdkItem = (item: Item): Record<string, SdkValue> => Object.fromEntries(Object.entries(item).map(([name, value]) => [name, toSdk(value)]));
const plainItem = (item: Record<string, SdkValue>): Item => Object.fromEntries(Object.entries(item).map(([name, value]) => [name, fromSdk(value)]));

function scenario(names: string[], granularity: 'item' | 'attribute', shapes: string[]): void {
  describe(`the largest items, ${granularity} granularity, ${names.length} regions`, () => {
    const table = 'large';
    let cluster: TestCluster;
    const logs: string[] = [];
    // Built before the regions start: seconds of building between two requests would outlast the
    // server's keep-alive, and the client would send the next request on a closed connection.
    const items = new Map<string, [Item, Item]>();
    beforeAll(async () => {
      shapes.forEach((shape) => { const i = SHAPES.indexOf(shape); items.set(shape, [largestItem(shape, `item-${i}`, 1), largestItem(shape, `item-${i}`, 2)]); });
      cluster = await startCluster(names, { granularity, log: (message) => logs.push(message) });
      await createGlobalTable(cluster, table);
    }, 90_000);
    afterAll(async () => {
      for (const each of clients.values()) each.destroy();
      await cluster?.stop();
    });

    /**
     * Requests retry, as SDK clients do by default: the regions and this test share one thread, and
     * seconds spent on one such item (a region applying it, the test reading a 19 MB response) can
     * outlast a connection's keep-alive, which the next request on it then meets as a reset.
     */
    const clients = new Map<string, DynamoDBClient>();
    const client = (region: string): DynamoDBClient => {
      if (!clients.has(region)) {
        clients.set(region, new DynamoDBClient({ endpoint: cluster.byName(region).region.endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 3 }));
      }
      return clients.get(region)!;
    };
    const get = async (region: string, key: string): Promise<Item | undefined> => {
      const { Item: found } = await client(region).send(new GetItemCommand({ TableName: table, Key: { pk: { S: key } }, ConsistentRead: true }));
      return found ? plainItem(found) : undefined;
    };
    /**
     * Waits until every other region has applied the writer's last change (its checkpoint for the
     * writer reaches the writer's lsn), then checks that each holds `expected` (undefined: nothing).
     * Polling the items themselves would have the regions serialize megabytes many times a second.
     */
    const everywhere = async (writerRegion: string, key: string, expected: Item | undefined, what: string): Promise<void> => {
      const lsn = cluster.byName(writerRegion).region.ctx.store.lastLsn();
      for (const name of names.filter((n) => n !== writerRegion)) {
        await eventually(async () => {
          const status = await cluster.admin<{ replication: { source: string; checkpoint: number }[] }>(name, '/admin/status');
          return status.replication.find((pair) => pair.source === writerRegion)!.checkpoint >= lsn;
        }, 60_000, `${what}: ${name} applied ${writerRegion}'s change ${lsn}`);
      }
      // The writer's own copy was checked against what it was sent; the others must hold exactly
      // what it holds. The table's digest covers every item and tombstone with its version, and is
      // far cheaper than reading back an item that is megabytes as JSON from every region.
      const digest = async (name: string) => (await cluster.admin<{ digest: string }>(name, `/admin/digest?table=${table}`)).digest;
      const writers = await digest(writerRegion);
      for (const name of names.filter((n) => n !== writerRegion)) {
        expect(await digest(name), `${what}: ${name}'s table is the writer's`).toBe(writers);
      }
      expect(isDeepStrictEqual(await get(writerRegion, key), expected), `${what}: the item in ${writerRegion}`).toBe(true);
    };
    /** Under attribute granularity, every region's stored bookkeeping is the same too. */
    const sameRecords = async (key: string): Promise<void> => {
      if (granularity !== 'attribute') return;
      const path = `/admin/item?table=${table}&key=${encodeURIComponent(JSON.stringify({ pk: { S: key } }))}`;
      const records = await eventually(() => Promise.all(names.map((name) => cluster.admin<{ record: { attributes?: unknown; version: unknown } }>(name, path))), 30_000, `${key}'s records`);
      expect(records[0].record.attributes).toBeDefined();
      for (const { record } of records.slice(1)) expect({ version: record.version, attributes: record.attributes }).toEqual({ version: records[0].record.version, attributes: records[0].record.attributes });
    };

    it.each(shapes.map((shape) => [shape, SHAPES.indexOf(shape)]))('%s: put, overwritten and deleted, from different regions', async (shape, i) => {
      const key = `item-${i}`;
      const region = (step: number): string => names[(i + step) % names.length];
      const [first, second] = items.get(shape as string)!;

      await client(region(0)).send(new PutItemCommand({ TableName: table, Item: sdkItem(first) }));
      const stored = await get(region(0), key);
      expect(stored).toEqual(normalizeItem(first));
      await everywhere(region(0), key, stored, `${shape} put in ${region(0)}`);
      await sameRecords(key);

      await client(region(1)).send(new PutItemCommand({ TableName: table, Item: sdkItem(second) }));
      const overwritten = await get(region(1), key);
      expect(overwritten).toEqual(normalizeItem(second));
      await everywhere(region(1), key, overwritten, `${shape} overwritten in ${region(1)}`);
      await sameRecords(key);

      if (granularity === 'attribute') {
        // An update gives what it sets and removes versions of their own: messages then carry
        // several, and a removed attribute keeps its version. The item stays within the limit.
        const gone = Object.keys(second).find((name) => name !== 'pk')!;
        await client(region(2)).send(new UpdateItemCommand({
          TableName: table, Key: { pk: { S: key } }, UpdateExpression: 'REMOVE #gone SET x = :v', ExpressionAttributeNames: { '#gone': gone }, ExpressionAttributeValues: { ':v': { B: Buffer.from([1]) } },
        }));
        const updated: Item = { ...overwritten, x: { B: Buffer.from([1]).toString('base64') } };
        delete updated[gone];
        expect(isDeepStrictEqual(await get(region(2), key), updated), `${shape} updated in ${region(2)}`).toBe(true);
        await everywhere(region(2), key, updated, `${shape} updated in ${region(2)}`);
        await sameRecords(key);
      }

      await client(region(2)).send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: key } } }));
      expect(await get(region(2), key)).toBeUndefined();
      await everywhere(region(2), key, undefined, `${shape} deleted in ${region(2)}`);
    }, 120_000);

    it('left every region converged, no publisher stuck and nothing reported', async () => {
      await waitConverged(cluster.regions.map((r) => ({ name: r.name, admin: <T>(path: string) => cluster.admin<T>(r.name, path) })), table, 60_000);
      for (const name of names) {
        const status = await cluster.admin<{ publisher: { stuck: unknown; publishedLsn: number; committedLsn: number } }>(name, '/admin/status');
        expect(status.publisher.stuck).toBeNull();
      }
      expect(logs.filter((line) => /stuck|max_payload/.test(line))).toEqual([]);
    });
  });
}

/**
 * A set or a list is one top-level attribute: at attribute granularity its message carries one
 * version more than at item granularity, so those shapes (the slowest to build, send and read
 * back) are played at item granularity only, unless LARGE_ITEMS=all. The shapes with many
 * attributes, where attribute granularity changes the message most, are played at both.
 */
const SINGLE_ATTRIBUTE_SHAPES = ['string set', 'number set', 'binary set', 'list of tiny numbers', 'list of small values'];
const attributeShapes = process.env.LARGE_ITEMS === 'all' ? SHAPES : SHAPES.filter((shape) => !SINGLE_ATTRIBUTE_SHAPES.includes(shape));

scenario(['us-east-1', 'eu-west-1', 'ap-southeast-2'], 'item', SHAPES);
scenario(['us-east-1', 'eu-west-1'], 'attribute', attributeShapes);
