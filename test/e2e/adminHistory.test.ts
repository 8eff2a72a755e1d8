/**
 * GET /admin/history: one key's change-log records (oldest first) and conflicts as a region holds
 * them, across both regions of a global table, and what keyTimeline makes of them; its refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { keyTimeline } from '../../src/core/keyHistory.js';
import type { KeyHistory } from '../../src/region/keyHistoryScan.js';
import { createGlobalTable, eventually, startCluster, type TestCluster } from '../helpers/cluster.js';
import { uniqueTableName } from '../helpers/region.js';

const A = 'us-east-1';
const B = 'eu-west-1';

let cluster: TestCluster;
let table: string;

const keyParam = (key: unknown): string => encodeURIComponent(JSON.stringify(key));
const history = (region: string, pk: string) => cluster.admin<KeyHistory>(region, `/admin/history?table=${table}&key=${keyParam({ pk: { S: pk } })}`);

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${cluster.byName(A).region.endpoint}${path}`);
  return { status: response.status, body: await response.json() as Record<string, unknown> };
}

beforeAll(async () => {
  cluster = await startCluster([A, B]);
  table = uniqueTableName('history');
  await createGlobalTable(cluster, table);
}, 90_000);
afterAll(async () => { await cluster?.stop(); });

describe('GET /admin/history', () => {
  it('gives the key\'s changes oldest first in each region, and only that key\'s', async () => {
    const client = cluster.byName(A).client;
    await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'h' }, v: { N: '1' } } }));
    await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'other' }, v: { N: '1' } } }));
    await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'h' }, v: { N: '2' } } }));
    await client.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'h' } } }));
    const there = await eventually(async () => {
      const answer = await history(B, 'h');
      return answer.changes.length === 3 ? answer : undefined;
    }, 15_000, 'three changes in B');
    const here = await history(A, 'h');
    expect(here).toMatchObject({ region: A, table, truncated: false, conflicts: [] });
    expect(here.scanned).toBeGreaterThanOrEqual(4);
    expect(here.changes.map((c) => c.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(here.changes.map((c) => c.origin)).toEqual([A, A, A]);
    expect(here.changes[1].newImage).toEqual({ pk: { S: 'h' }, v: { N: '2' } });
    expect(there.changes.map((c) => c.version)).toEqual(here.changes.map((c) => c.version));
    expect(there.changes.every((c, i) => c.region === B && c.atMs >= here.changes[i].atMs)).toBe(true);

    const timeline = keyTimeline([here, there]);
    expect(timeline.filter((e) => e.kind === 'written')).toHaveLength(3);
    const arrived = timeline.filter((e) => e.kind === 'arrived');
    expect(arrived).toHaveLength(3);
    expect(arrived.every((e) => e.region === B && typeof e.lagMs === 'number' && e.lagMs >= 0)).toBe(true);
    expect(timeline.filter((e) => e.kind === 'overwritten')).toHaveLength(4);
  });

  it('gives the key\'s conflicts with their explanations', async () => {
    await cluster.admin(A, `/admin/links/${B}`, { method: 'PUT', body: { stalled: true } });
    await cluster.admin(B, `/admin/links/${A}`, { method: 'PUT', body: { stalled: true } });
    await cluster.byName(A).client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'c' }, v: { S: 'a' } } }));
    await cluster.byName(B).client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'c' }, v: { S: 'b' } } }));
    await cluster.admin(A, '/admin/links/heal', { method: 'POST' });
    await cluster.admin(B, '/admin/links/heal', { method: 'POST' });
    const withConflict = await eventually(async () => {
      const answers = await Promise.all([history(A, 'c'), history(B, 'c')]);
      return answers.some((a) => a.conflicts.length) ? answers : undefined;
    }, 20_000, 'a conflict of c');
    const conflict = withConflict.flatMap((a) => a.conflicts)[0];
    expect(conflict).toMatchObject({ table, keys: { pk: { S: 'c' } } });
    expect(conflict.explanation).toMatch(/write won|equal timestamps/);
    const lost = keyTimeline(withConflict).filter((e) => e.kind === 'lost');
    expect(lost[0]).toMatchObject({ version: conflict.loser.version, by: conflict.winner.version, explanation: conflict.explanation });
  });

  it('gives an empty history for a key never written', async () => {
    expect((await get(`/admin/history?table=${table}&key=${keyParam({ pk: { S: 'nothing' } })}`)).body).toMatchObject({ changes: [], conflicts: [] });
  });

  it('answers 404 for a table the region does not have, and 400 for a bad table, key or parameter', async () => {
    const key = keyParam({ pk: { S: 'h' } });
    expect((await get(`/admin/history?table=no-such-table&key=${key}`)).status).toBe(404);
    const refused = async (path: string, field: string): Promise<void> => {
      const answer = await get(path);
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(answer.body.field).toBe(field);
    };
    await refused(`/admin/history?key=${key}`, 'table');
    await refused(`/admin/history?table=x&key=${key}`, 'table');
    await refused(`/admin/history?table=${table}`, 'key');
    await refused(`/admin/history?table=${table}&key=not-json`, 'key');
    await refused(`/admin/history?table=${table}&key=${keyParam({ pk: { N: '1' } })}`, 'key');
    await refused(`/admin/history?table=${table}&key=${keyParam({ pk: { S: 'h' }, sk: { S: 'x' } })}`, 'key');
    await refused(`/admin/history?table=${table}&key=${key}&limit=5`, 'limit');
  });
});
