/**
 * What every PeerTransport must do, called from one region (the caller) on another (the target):
 * report the target, its tables and snapshots (undefined when it has none), create a replica that
 * backfills from the caller, store memberships, drop a replica, refuse a replica over a regional
 * table, and fail with PeerRequestError when nothing answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeerRequestError, type PeerTransport } from '../../src/replication/peerTransport.js';
import { ReplicaConflictError, type ReplicaSchema } from '../../src/replication/replicas.js';

export interface PeerHarness {
  caller: string;
  target: string;
  /** From the caller to the target; both replicate and are peers of each other. */
  transport: PeerTransport;
  /** From the caller to a region that never answers. */
  unreachable: PeerTransport;
  /** A regional table keyed by pk (a string) in one of the two regions, holding these keys. */
  createTable(region: string, table: string, keys: string[]): Promise<void>;
  /** Awaits a call while time passes (real time, or the simulated clock). */
  settle<T>(call: Promise<T>): Promise<T>;
  close(): Promise<void>;
}

let tables = 0;
const tableName = (what: string): string => `contract-${what}-${(tables += 1)}`;

/** The schema of the tables createTable makes. */
const schemaOf = (name: string): ReplicaSchema => ({
  name,
  keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  billingMode: 'PAY_PER_REQUEST',
  throughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
});

export function runPeerTransportContract(name: string, open: () => Promise<PeerHarness>): void {
  describe(`PeerTransport contract: ${name}`, () => {
    let h: PeerHarness;
    beforeAll(async () => { h = await open(); }, 60_000);
    afterAll(async () => { await h?.close(); });

    it('reports the target region and its last lsn, which a write there moves on', async () => {
      const before = await h.settle(h.transport.info());
      expect(h.transport.name).toBe(h.target);
      expect(before.region).toBe(h.target);
      await h.createTable(h.target, tableName('info'), ['a']);
      const after = await h.settle(h.transport.info());
      expect(after.lastLsn).toBeGreaterThan(before.lastLsn);
    });

    it("shows a table as a joining region checks it, and undefined for one it does not have", async () => {
      const table = tableName('view');
      await h.createTable(h.target, table, ['a', 'b']);
      expect(await h.settle(h.transport.table(table))).toMatchObject({
        name: table, itemCount: 2,
        keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      });
      expect(await h.settle(h.transport.table(tableName('absent')))).toBeUndefined();
    });

    it('sends a snapshot of every item with its version, and undefined for a table it does not have', async () => {
      const table = tableName('snapshot');
      await h.createTable(h.target, table, ['a', 'b', 'c']);
      const snapshot = (await h.settle(h.transport.snapshot(table)))!;
      expect(snapshot).toMatchObject({ table, region: h.target });
      expect(snapshot.positions[h.target]).toBeGreaterThan(0);
      expect(snapshot.entries.map((e) => (e.keys.pk as { S: string }).S).sort()).toEqual(['a', 'b', 'c']);
      for (const entry of snapshot.entries) expect(entry.state.version.region).toBe(h.target);
      expect(await h.settle(h.transport.snapshot(tableName('absent')))).toBeUndefined();
    });

    it('creates a replica backfilled from the caller, stores memberships (legacy ones too), and drops the replica', async () => {
      const table = tableName('replica');
      await h.createTable(h.caller, table, ['x', 'y', 'z']);
      await h.settle(h.transport.createReplica({ schema: schemaOf(table), members: { [h.caller]: 'ACTIVE', [h.target]: 'CREATING' }, coordinator: h.caller }));
      expect(await h.settle(h.transport.table(table))).toMatchObject({ itemCount: 3, replicas: { [h.caller]: 'ACTIVE', [h.target]: 'ACTIVE' } });
      // The same request again (a coordinator retrying) is no conflict.
      await h.settle(h.transport.createReplica({ schema: schemaOf(table), members: { [h.caller]: 'ACTIVE', [h.target]: 'CREATING' }, coordinator: h.caller }));

      // The caller left: the target's table is regional again.
      await h.settle(h.transport.membership({ table, members: { [h.target]: 'ACTIVE' } }));
      expect((await h.settle(h.transport.table(table)))?.replicas).toBeUndefined();
      await h.settle(h.transport.membership({ table, members: { [h.caller]: 'ACTIVE', [h.target]: 'ACTIVE' }, globalTableVersion: '2017.11.29' }));
      expect(await h.settle(h.transport.table(table))).toMatchObject({ globalTableVersion: '2017.11.29', replicas: { [h.caller]: 'ACTIVE', [h.target]: 'ACTIVE' } });

      await h.settle(h.transport.deleteReplica(table));
      expect(await h.settle(h.transport.table(table))).toBeUndefined();
      expect(await h.settle(h.transport.snapshot(table))).toBeUndefined();
    });

    it('creates a replica with the table\'s indexes, and creates and deletes a global index there when told', async () => {
      const table = tableName('indexes');
      await h.createTable(h.caller, table, ['x']);
      const byPk = { name: 'byPk', kind: 'global' as const, keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }], projection: { ProjectionType: 'KEYS_ONLY' as const } };
      await h.settle(h.transport.createReplica({ schema: { ...schemaOf(table), indexes: [byPk] }, members: { [h.caller]: 'ACTIVE', [h.target]: 'CREATING' }, coordinator: h.caller }));
      expect(await h.settle(h.transport.table(table))).toMatchObject({ itemCount: 1, indexes: ['byPk'] });
      await h.settle(h.transport.indexChange({ table, delete: 'byPk' }));
      expect((await h.settle(h.transport.table(table)))?.indexes).toBeUndefined();
      const created = { table, attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }], create: { ...byPk, name: 'again' } };
      await h.settle(h.transport.indexChange(created));
      // Told twice (a retry): still one index.
      await h.settle(h.transport.indexChange(created));
      expect((await h.settle(h.transport.table(table)))?.indexes).toEqual(['again']);
      await h.settle(h.transport.deleteReplica(table));
    });

    it('refuses a replica over a regional table of that name with ReplicaConflictError, leaving the table as it was', async () => {
      const table = tableName('regional');
      await h.createTable(h.target, table, ['kept']);
      const creating = h.transport.createReplica({ schema: schemaOf(table), members: { [h.caller]: 'ACTIVE', [h.target]: 'CREATING' }, coordinator: h.caller });
      await expect(h.settle(creating)).rejects.toBeInstanceOf(ReplicaConflictError);
      const view = await h.settle(h.transport.table(table));
      expect(view).toMatchObject({ itemCount: 1 });
      expect(view?.replicas).toBeUndefined();
    });

    it('refuses a coordinator the target does not know as a peer (a 400), creating nothing', async () => {
      const table = tableName('stranger');
      const creating = h.transport.createReplica({ schema: schemaOf(table), members: { 'sa-east-1': 'ACTIVE', [h.target]: 'CREATING' }, coordinator: 'sa-east-1' });
      const error = await h.settle(creating).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PeerRequestError);
      expect((error as PeerRequestError).status).toBe(400);
      expect(await h.settle(h.transport.table(table))).toBeUndefined();
    });

    it('fails with PeerRequestError when nothing answers', async () => {
      await expect(h.settle(h.unreachable.info())).rejects.toBeInstanceOf(PeerRequestError);
      await expect(h.settle(h.unreachable.table('anything'))).rejects.toBeInstanceOf(PeerRequestError);
      await expect(h.settle(h.unreachable.membership({ table: 'anything', members: { [h.caller]: 'ACTIVE' } }))).rejects.toBeInstanceOf(PeerRequestError);
    });
  });
}
