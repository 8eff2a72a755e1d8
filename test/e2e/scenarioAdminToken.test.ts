/**
 * A scenario's regions share an admin token made for the run, passed in their environment: the
 * scenario's own admin calls carry it, anyone else's guarded calls are refused, even on loopback.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN_ENV } from '../../src/config/adminToken.js';
import { ScenarioCluster } from '../../src/scenario/cluster.js';
import { RealTargets } from '../../src/scenario/realTargets.js';

describe('a scenario cluster', () => {
  let cluster: ScenarioCluster;
  beforeAll(async () => {
    cluster = await ScenarioCluster.start({ regions: [{ name: 'us-east-1', clock: { mode: 'hlc', skewMs: 0 } }], granularity: 'item' });
  }, 40_000);
  afterAll(async () => { await cluster?.stop(); });

  it('calls its regions with their token, which no one else has', async () => {
    const region = cluster.region('us-east-1');
    expect(await region.admin('/admin/clock', 'PUT', { skewMs: 250 })).toMatchObject({ skewMs: 250 });
    const stranger = await fetch(`${region.endpoint}/admin/clock`, { method: 'PUT', body: '{"skewMs":0}' });
    expect(stranger.status).toBe(401);
    expect(await region.admin('/admin/clock')).toMatchObject({ skewMs: 250 });

    const pid = region.child!.pid!;
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const token = environ.find((entry) => entry.startsWith(`${ADMIN_TOKEN_ENV}=`))?.slice(ADMIN_TOKEN_ENV.length + 1);
    expect(token).toMatch(/^[\w-]{32}$/);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(token);
  });

  // Last: it leaves the region dead.
  it('says why a region is unreachable: how its process ended when nobody stopped it', async () => {
    const targets = new RealTargets(cluster);
    const region = cluster.region('us-east-1');
    const exited = new Promise((resolve) => region.child!.once('exit', resolve));
    region.child!.kill('SIGKILL'); // not through crash(): as if the region died by itself
    await exited;
    const call = targets.region('us-east-1').call('ListTables', {});
    await expect(call).rejects.toThrow(/is unreachable \(its process exited unasked \(SIGKILL\); last output: .*listening on/);
    await cluster.region('us-east-1').start();
    await cluster.region('us-east-1').crash();
    expect(cluster.region('us-east-1').unexpectedExit).toBeUndefined();
    await expect(targets.region('us-east-1').call('ListTables', {})).rejects.toThrow(/is unreachable \(ECONNREFUSED\)$/);
  }, 40_000);
});
