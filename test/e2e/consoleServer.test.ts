/** The console's server against two real regions: the page, the merged event stream, the table and history reads, and the calls the page makes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type RunningConsole } from '../../src/console/server.js';
import type { ConsoleEvent } from '../../src/console/consoleEvents.js';
import { createGlobalTable, eventually, startCluster, type TestCluster } from '../helpers/cluster.js';
import { uniqueTableName } from '../helpers/region.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
let cluster: TestCluster;
let consoleServer: RunningConsole;
let table: string;

beforeAll(async () => {
  cluster = await startCluster(REGIONS);
  table = uniqueTableName('console');
  await createGlobalTable(cluster, table);
  consoleServer = await startConsole({ regions: cluster.regions.map((r) => ({ name: r.name, endpoint: r.region.endpoint })), port: 0 });
}, 60_000);

afterAll(async () => {
  await consoleServer?.close();
  await cluster?.stop();
});

const api = async (path: string, init?: { method?: string; body?: unknown }) => {
  const response = await fetch(`${consoleServer.url}${path}`, {
    method: init?.method ?? 'GET',
    ...(init?.body !== undefined ? { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } } : {}),
  });
  return { status: response.status, body: await response.json() as Record<string, any> };
};

/** Reads /api/events into `events` until stopped. */
function listen(): { events: ConsoleEvent[]; stop(): void } {
  const events: ConsoleEvent[] = [];
  const abort = new AbortController();
  void (async () => {
    const response = await fetch(`${consoleServer.url}/api/events`, { signal: abort.signal });
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of response.body!) {
      buffered += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const data = buffered.slice(0, end).split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('\n');
        buffered = buffered.slice(end + 2);
        if (data) events.push(JSON.parse(data) as ConsoleEvent);
      }
    }
  })().catch(() => undefined);
  return { events, stop: () => abort.abort() };
}

const put = (region: string, id: string, text: string) => api(`/api/regions/${region}/dynamodb`, { method: 'POST', body: { operation: 'PutItem', input: { TableName: table, Item: { pk: { S: id }, text: { S: text } } } } });

describe('console server', () => {
  it('serves the page with its script and styles, all from itself', async () => {
    const page = await (await fetch(consoleServer.url)).text();
    expect(page).toContain('<div id="app">');
    expect(page).not.toMatch(/(src|href)="https?:/);
    const script = await fetch(`${consoleServer.url}/console.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect((await script.text()).length).toBeGreaterThan(1000);
    expect((await fetch(`${consoleServer.url}/console.css`)).status).toBe(200);
  });

  it('lists the regions, none of them controllable when the console did not start them', async () => {
    const { body } = await api('/api/cluster');
    expect(body.regions.map((r: { name: string }) => r.name)).toEqual(REGIONS);
    expect(body.regions.every((r: { controllable: boolean }) => !r.controllable)).toBe(true);
    expect(await api('/api/regions/us-east-1/crash', { method: 'POST' })).toMatchObject({ status: 409, body: { error: 'us-east-1 was not started by this console: it cannot crash it' } });
  });

  it('streams both regions\' changes, in the region that took the write and where it arrived, and the replicas\' agreement', async () => {
    const feed = listen();
    try {
      await eventually(async () => REGIONS.every((name) => feed.events.some((e) => e.type === 'region' && e.region === name && e.up)), 15_000, 'both feeds up');
      expect(await put('us-east-1', 'a', 'hello')).toMatchObject({ status: 200, body: { status: 200 } });
      const changes = await eventually(async () => {
        const seen = feed.events.filter((e) => e.type === 'change' && e.table === table && (e.keys.pk as { S?: string })?.S === 'a');
        return seen.length >= 2 ? seen : undefined;
      }, 15_000, 'the change in both regions');
      expect(changes.map((e) => [e.type === 'change' && e.region, e.type === 'change' && e.origin]).sort()).toEqual([['eu-west-1', 'us-east-1'], ['us-east-1', 'us-east-1']]);
      const agreed = await eventually(async () => feed.events.find((e) => e.type === 'convergence' && e.tables.some((t) => t.table === table && t.agree)), 15_000, 'convergence');
      expect(agreed.type === 'convergence' && agreed.tables.find((t) => t.table === table)).toMatchObject({ regions: REGIONS.slice().sort(), pending: 0 });
    } finally {
      feed.stop();
    }
  });

  it('replays a backlog to a page opened late', async () => {
    const late = listen();
    try {
      await eventually(async () => late.events.some((e) => e.type === 'change' && e.table === table), 10_000, 'backlog changes');
      expect(late.events.some((e) => e.type === 'status')).toBe(true);
    } finally {
      late.stop();
    }
  });

  it('shows a table as each region holds it, with versions, and a key\'s history across regions', async () => {
    await put('eu-west-1', 'b', 'from eu');
    const view = await eventually(async () => {
      const { body } = await api(`/api/table?table=${table}`);
      return REGIONS.every((r) => body.regions[r].entries?.some((e: { keys: { pk: { S: string } } }) => e.keys.pk.S === 'b')) ? body : undefined;
    }, 15_000, 'item b everywhere');
    const entry = view.regions['us-east-1'].entries.find((e: { keys: { pk: { S: string } } }) => e.keys.pk.S === 'b');
    expect(entry).toMatchObject({ item: { pk: { S: 'b' }, text: { S: 'from eu' } }, origin: 'eu-west-1', version: { region: 'eu-west-1' } });
    expect((await api('/api/table?table=nothing-here')).body.regions['us-east-1']).toEqual({ missing: true });

    const history = await api(`/api/history?table=${table}&key=${encodeURIComponent(JSON.stringify({ pk: { S: 'b' } }))}`);
    expect(history.status).toBe(200);
    const kinds = history.body.timeline.map((e: { region: string; kind: string }) => `${e.region}:${e.kind}`);
    expect(kinds).toEqual(['eu-west-1:written', 'us-east-1:arrived']);
    expect(history.body.timeline[1].lagMs).toBeGreaterThanOrEqual(0);
  });

  it('passes admin calls on with the token and refuses what is malformed', async () => {
    const stalled = await api(`/api/regions/us-east-1/admin/links/eu-west-1`, { method: 'PUT', body: { stalled: true } });
    expect(stalled).toMatchObject({ status: 200, body: { source: 'eu-west-1', stalled: true } });
    expect((await api('/api/regions/us-east-1/admin/links/heal', { method: 'POST' })).status).toBe(200);
    expect((await api('/api/regions/us-east-1/admin/links/nowhere', { method: 'PUT', body: { stalled: true } })).status).toBe(404);
    expect(await api('/api/regions/mars-1/dynamodb', { method: 'POST', body: { operation: 'ListTables', input: {} } })).toMatchObject({ status: 404 });
    expect(await api('/api/regions/us-east-1/dynamodb', { method: 'POST', body: { operation: 'rm -rf', input: {} } })).toMatchObject({ status: 400 });
    expect(await api('/api/history?table=x&key=notjson')).toMatchObject({ status: 400, body: { error: 'key: must be a JSON object of AttributeValues' } });
    // A DynamoDB error is the region's answer, passed on as it is.
    const missing = await api('/api/regions/us-east-1/dynamodb', { method: 'POST', body: { operation: 'GetItem', input: { TableName: 'absent', Key: { pk: { S: 'x' } } } } });
    expect(missing.body).toMatchObject({ status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException' } });
  });
});
