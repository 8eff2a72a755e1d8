import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion({ settings: { ttlSweepIntervalMs: 100 } }); });
afterAll(async () => { await region.stop(); });

const table = (): Promise<string> => createTable(region.client);

describe('UpdateTimeToLive', () => {
  it('enables expiry once, and refuses to enable it twice or disable it when off', async () => {
    const name = await table();
    const updated = await region.client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
    expect(updated.TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: 'expiresAt' });
    const twice = await failure(region.client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } })));
    expect(twice.name).toBe('ValidationException');
    expect(twice.message).toBe('TimeToLive is already enabled');
    await region.client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: false, AttributeName: 'expiresAt' } }));
    const off = await failure(region.client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: false, AttributeName: 'expiresAt' } })));
    expect(off.message).toBe('TimeToLive is already disabled');
  });

  it('deletes expired items as service deletes and keeps the rest', async () => {
    const name = await table();
    await region.client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }));
    const nowS = Math.floor(Date.now() / 1000);
    await region.doc.send(new PutCommand({ TableName: name, Item: { pk: 'expired', ttl: nowS - 10 } }));
    await region.doc.send(new PutCommand({ TableName: name, Item: { pk: 'future', ttl: nowS + 3600 } }));
    await region.doc.send(new PutCommand({ TableName: name, Item: { pk: 'ancient', ttl: nowS - 6 * 365 * 86400 } }));
    await region.doc.send(new PutCommand({ TableName: name, Item: { pk: 'text', ttl: 'soon' } }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const get = async (pk: string) => (await region.doc.send(new GetCommand({ TableName: name, Key: { pk } }))).Item;
    expect(await get('expired')).toBeUndefined();
    expect(await get('future')).toBeDefined();
    expect(await get('ancient')).toBeDefined();
    expect(await get('text')).toBeDefined();
    const changes = region.region.ctx.store.changesAfter(0, 1000).filter((c) => c.table === name && c.eventName === 'REMOVE');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ service: true, keys: { pk: { S: 'expired' } } });
  });

  it('answers ResourceNotFoundException for a missing table', async () => {
    const error = await failure(region.client.send(new UpdateTimeToLiveCommand({ TableName: 'no-such-table', TimeToLiveSpecification: { Enabled: true, AttributeName: 'x' } })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('Requested resource not found: Table: no-such-table not found');
  });
});
