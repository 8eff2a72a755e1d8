import { describe, expect, it } from 'vitest';
import {
  differingCells, directedLinks, emptyState, keyId, lagChartData, loadCluster, loadTable, reduce, reduceAll, regionPairs, sortedRows, tableRegions, writeId,
  type ConsoleEvent,
} from '../../src/console/ui/state/index.js';
import { change, conflict, linkFault, status, v } from '../helpers/consoleEvents.js';

const A = 'eu-west-1';
const B = 'us-east-1';
const race = { id: { S: 'race' } };
const fromA = { ...race, text: { S: 'from eu-west-1' } };
const fromB = { ...race, text: { S: 'from us-east-1' } };

const fold = (events: ConsoleEvent[]) => reduceAll(emptyState(), events);

describe('the console state: regions and links', () => {
  it('takes the cluster order and controllability before any event, and adds regions named later', () => {
    const state = reduce(loadCluster(emptyState(), {
      regions: [{ name: B, endpoint: 'http://b', controllable: true }, { name: A, endpoint: 'http://a', controllable: false }], tables: ['demo'],
    }), status('ap-southeast-2', 1000));
    expect(state.regionOrder).toEqual([B, A, 'ap-southeast-2']);
    expect(state.regions[B].controllable).toBe(true);
    expect(state.regions[A].up).toBeNull();
    expect(state.regions['ap-southeast-2'].up).toBe(true);
    expect(state.tableNames).toEqual(['demo']);
  });

  it('reads each directed link from its target and names its state', () => {
    const state = fold([
      status(A, 1000, { peers: [B, 'c'], stalled: [B], lagMs: { [B]: 1200 } }),
      status(B, 1000, { peers: [A, 'c'], stalled: [A], latencyMs: { c: 500 } }),
      status('c', 1000, { peers: [A, B], stalled: [A] }),
    ]);
    const byId = Object.fromEntries(directedLinks(state).map((l) => [l.id, l]));
    expect(byId[`${B}→${A}`]).toMatchObject({ state: 'partitioned', lagMs: 1200 });
    expect(byId[`${A}→${B}`].state).toBe('partitioned');
    expect(byId[`c→${B}`].state).toBe('latency');
    expect(byId[`${A}→c`].state).toBe('stalled');
    expect(byId[`c→${A}`].state).toBe('healthy');
    expect(regionPairs(state)).toEqual([[A, B], [A, 'c'], [B, 'c']]);
  });

  it('applies a link fault at once, before the next status', () => {
    const state = fold([status(A, 1000, { peers: [B] }), status(B, 1000, { peers: [A] }), linkFault(B, 1500, A, { stalled: true })]);
    expect(directedLinks(state).find((l) => l.id === `${A}→${B}`)?.state).toBe('stalled');
    expect(state.faults[0]).toMatchObject({ region: B, text: `link from ${A} stalled` });
  });

  it('marks a region down and up again from the console events', () => {
    const down = fold([status(A, 1000, { peers: [B] }), status(B, 1000, { peers: [A] }), { type: 'region', region: A, up: false, atMs: 2000 }]);
    expect(down.regions[A].up).toBe(false);
    expect(directedLinks(down).map((l) => l.regionDown)).toEqual([true, true]);
    expect(reduce(down, { type: 'hello', region: A, atMs: 3000, lsn: 4 }).regions[A].up).toBe(true);
  });

  it('ignores events it does not fold (a recording holds steps too) and leaves the given state unchanged', () => {
    const before = fold([status(A, 1000)]);
    const after = reduce(before, { type: 'step', atMs: 5000 } as unknown as ConsoleEvent);
    expect(after.regions).toBe(before.regions);
    const changed = reduce(before, status(A, 2000, { skewMs: 2000 }));
    expect(before.regions[A].clock?.skewMs).toBe(0);
    expect(changed.regions[A].clock?.skewMs).toBe(2000);
  });
});

describe('the console state: tables', () => {
  it('keeps a row per key with a cell per region, the newer version whatever arrived first', () => {
    const loaded = loadTable(fold([change(A, 1100, 'demo', race, fromA, v(1000, A))]), {
      table: 'demo',
      regions: {
        [A]: { entries: [{ keys: race, item: fromB, version: v(900, B), origin: B, writtenAtMs: 900 }], truncated: false },
        [B]: { entries: [{ keys: race, item: fromB, version: v(900, B), origin: B, writtenAtMs: 900 }], truncated: false },
        'c': { missing: true },
      },
    });
    const row = loaded.tables.demo.rows[keyId(race)];
    expect(row.cells[A].item).toEqual(fromA);
    expect(row.cells[B].item).toEqual(fromB);
    expect(loaded.tables.demo.absent.c).toBe('missing');
    expect(differingCells(row, [A, B])).toEqual([A, B]);
    expect(differingCells(row, [A, B, 'c'])).toEqual([A, B, 'c']);
  });

  it('marks the cells that differ from what most regions hold', () => {
    const state = fold([
      change(A, 1000, 'demo', race, fromA, v(1000, A)),
      change(B, 1050, 'demo', race, fromA, v(1000, A)),
      change('c', 1050, 'demo', race, fromB, v(900, B)),
    ]);
    expect(differingCells(state.tables.demo.rows[keyId(race)], [A, B, 'c'])).toEqual(['c']);
  });

  it('shows a delete as a tombstone, and the cells agree once every region holds the same version', () => {
    const state = fold([
      status(A, 900, { peers: [B], tables: ['demo'] }),
      status(B, 900, { peers: [A], tables: ['demo'] }),
      change(A, 1000, 'demo', race, fromA, v(1000, A)),
      change(B, 1050, 'demo', race, fromA, v(1000, A)),
      change(A, 2000, 'demo', race, null, v(2000, A)),
    ]);
    expect(tableRegions(state, 'demo')).toEqual([A, B]);
    const [row] = sortedRows(state, 'demo');
    expect(row.cells[A].item).toBeNull();
    expect(differingCells(row, [A, B])).toEqual([A, B]);
    const later = reduce(state, change(B, 2100, 'demo', race, null, v(2000, A)));
    expect(differingCells(later.tables.demo.rows[row.id], [A, B])).toEqual([]);
  });

  it('copies a table once per batch and remembers the values written, for conflict cards', () => {
    const events = Array.from({ length: 50 }, (_, i) => change(A, 1000 + i, 'demo', { id: { S: `k${i}` } }, { id: { S: `k${i}` } }, v(1000 + i, A)));
    const state = fold(events);
    expect(Object.keys(state.tables.demo.rows)).toHaveLength(50);
    expect(state.writes[writeId('demo', keyId({ id: { S: 'k3' } }), v(1003, A))]).toEqual({ id: { S: 'k3' } });
  });
});

describe('the console state: conflicts, lag and convergence', () => {
  it('groups one conflict detected in several regions into one card, newest first', () => {
    const state = fold([
      conflict(A, 3000, 'demo', race, v(2000, A), v(1900, B)),
      conflict(B, 3100, 'demo', race, v(2000, A), v(1900, B)),
      conflict(B, 3100, 'demo', race, v(2000, A), v(1900, B)),
      conflict(B, 4000, 'demo', { id: { S: 'other' } }, v(3500, B), v(3400, A)),
    ]);
    expect(state.conflicts).toHaveLength(2);
    expect(state.conflicts[1].detected.map((d) => d.region)).toEqual([A, B]);
    expect(state.conflicts[1].explanation).toContain(`${A}'s write won`);
    expect(state.conflicts[0].keys).toEqual({ id: { S: 'other' } });
  });

  it('keeps lag per directed pair and aligns it by second for the chart', () => {
    const state = fold([
      status(A, 1000, { peers: [B], lagMs: { [B]: 0 } }),
      status(B, 1400, { peers: [A], lagMs: { [A]: 30 } }),
      status(A, 2000, { peers: [B], lagMs: { [B]: 700 } }),
    ]);
    const chart = lagChartData(state, 60_000);
    expect(chart.times).toEqual([1, 2]);
    expect(chart.series).toEqual([
      { pair: `${A}→${B}`, values: [30, null] },
      { pair: `${B}→${A}`, values: [0, 700] },
    ]);
  });

  it('keeps the latest convergence of each table', () => {
    const state = fold([
      { type: 'convergence', atMs: 1000, tables: [{ table: 'demo', regions: [A, B], agree: false, sinceMs: 500, pending: 3 }] },
      { type: 'convergence', atMs: 2000, tables: [{ table: 'demo', regions: [A, B], agree: true, sinceMs: 1900, pending: 0 }] },
    ]);
    expect(state.convergence.demo).toMatchObject({ agree: true, sinceMs: 1900, atMs: 2000 });
    expect(state.nowMs).toBe(2000);
  });
});
