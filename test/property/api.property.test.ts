import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { normalizeNumber } from '../../src/core/decimal.js';
import { propertyParameters } from '../helpers/seed.js';
import { startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

const number = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 38n - 1n }), fc.integer({ min: -100, max: 80 }))
  .map(([negative, coefficient, exponent]) => normalizeNumber(`${negative ? '-' : ''}${coefficient}e${exponent}`));
const bytes = fc.uint8Array({ maxLength: 24 });

const { value } = fc.letrec<{ value: AttributeValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ unit: 'grapheme', maxLength: 20 }).map((S) => ({ S })),
    number.map((N) => ({ N })),
    bytes.map((B) => ({ B })),
    fc.boolean().map((BOOL) => ({ BOOL })),
    fc.constant({ NULL: true }),
    fc.uniqueArray(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 5 }).map((SS) => ({ SS })),
    fc.uniqueArray(number, { minLength: 1, maxLength: 5 }).map((NS) => ({ NS })),
    fc.uniqueArray(bytes, { minLength: 1, maxLength: 4, selector: (b) => Array.from(b).join(',') }).map((BS) => ({ BS })),
    fc.array(tie('value'), { maxLength: 4 }).map((L) => ({ L })),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie('value'), { maxKeys: 4 }).map((M) => ({ M })),
  ),
}));

/** Sets come back in any order, as in DynamoDB; compare them sorted. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v instanceof Uint8Array) return Array.from(v);
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).map(([k, child]) => {
      const c = canonical(child);
      return [k, (k === 'SS' || k === 'NS' || k === 'BS') ? (c as unknown[]).map((x) => JSON.stringify(x)).sort() : c];
    });
    return Object.fromEntries(entries.sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)));
  }
  return v;
}

describe('API properties', () => {
  it('any item round-trips exactly through PutItem and GetItem', async () => {
    const table = await createTable(region.client);
    let n = 0;
    await fc.assert(fc.asyncProperty(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== 'pk'), value, { maxKeys: 6 }), async (attributes) => {
      n += 1;
      const item = { ...attributes, pk: { S: `item-${n}` } };
      await region.client.send(new PutItemCommand({ TableName: table, Item: item }));
      const got = await region.client.send(new GetItemCommand({ TableName: table, Key: { pk: item.pk } }));
      expect(canonical(got.Item)).toEqual(canonical(item));
    }), propertyParameters('put/get round trip', 150));
  });

  it.each(['S', 'N', 'B'] as const)('Query order equals a reference sort for %s sort keys', async (type) => {
    const table = await createTable(region.client, 'S', type);
    let partition = 0;
    const keyArb: fc.Arbitrary<unknown> = type === 'S' ? fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }) : type === 'N' ? number : bytes.filter((b) => b.length > 0);
    const keyId = (k: unknown): string => (k instanceof Uint8Array ? Array.from(k).join(',') : type === 'N' ? normalizeNumber(String(k)) : String(k));
    await fc.assert(fc.asyncProperty(fc.uniqueArray(keyArb, { minLength: 1, maxLength: 25, selector: keyId }), fc.boolean(), async (keys, forward) => {
      partition += 1;
      const pk = `p${partition}`;
      await region.client.send(new BatchWriteItemCommand({
        RequestItems: { [table]: keys.map((k) => ({ PutRequest: { Item: { pk: { S: pk }, sk: { [type]: k } as unknown as AttributeValue } } })) },
      }));
      const result = await region.client.send(new QueryCommand({
        TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: pk } }, ScanIndexForward: forward,
      }));
      const reference = [...keys].sort((a, b) => compareReference(type, a, b));
      if (!forward) reference.reverse();
      expect(result.Items!.map((item) => keyId((item.sk as unknown as Record<string, unknown>)[type]))).toEqual(reference.map(keyId));
    }), propertyParameters(`query order ${type}`, 60));
  });
});

function compareReference(type: 'S' | 'N' | 'B', a: unknown, b: unknown): number {
  if (type === 'N') {
    const big = (s: string): bigint => { const [i, f = ''] = normalizeNumber(s).split('.'); return BigInt(i + f.padEnd(140, '0')); };
    const [x, y] = [big(String(a)), big(String(b))];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const [x, y] = type === 'S' ? [Buffer.from(String(a)), Buffer.from(String(b))] : [Buffer.from(a as Uint8Array), Buffer.from(b as Uint8Array)];
  return Buffer.compare(x, y);
}
