/** UpdateGlobalTable (2017.11.29): adds regions whose empty same-named tables join (nothing copied) and removes regions (their tables stay, regional). */
import { setOwn } from '../../core/plainData.js';
import { invalid, ReplicaAlreadyExistsException, ReplicaNotFoundException } from '../errors.js';
import { list, str, struct } from '../validation/shape.js';
import { candidates, checkCandidates, requirePeers, storeLocalMembership, type Members } from './createGlobalTable.js';
import { globalTableDescription, globalTableNameRule, requireLegacyGlobalTable } from './describeGlobalTable.js';
import { defineOperation } from './operation.js';
import type { RegionContext } from '../context.js';

interface ReplicaUpdate {
  Create?: { RegionName: string };
  Delete?: { RegionName: string };
}

interface UpdateGlobalTableRequest {
  GlobalTableName: string;
  ReplicaUpdates: ReplicaUpdate[];
}

interface Plan {
  members: Members;
  added: string[];
}

/** Applies the updates in order to the current membership; a region added twice or removed when absent fails the request. */
function plan(name: string, current: Members, updates: ReplicaUpdate[]): Plan {
  // DynamoDB answers an empty update list with this message and no detail.
  if (!updates.length) invalid('One or more parameter values were invalid');
  const members = { ...current };
  const added: string[] = [];
  for (const update of updates) {
    if (Boolean(update.Create) === Boolean(update.Delete)) {
      invalid('One or more parameter values were invalid: One and only one of Create or Delete must be specified in a ReplicaUpdate');
    }
    const region = (update.Create ?? update.Delete)!.RegionName;
    if (update.Create) {
      if (Object.hasOwn(members, region)) throw new ReplicaAlreadyExistsException(`Replica already exists: Replica in region: '${region}' already exists for global table: '${name}'.`);
      setOwn(members, region, 'ACTIVE');
      added.push(region);
    } else {
      if (!Object.hasOwn(members, region)) throw new ReplicaNotFoundException(`Replica not found: Replica in region: '${region}' not found for global table: '${name}'.`);
      delete members[region];
      const at = added.indexOf(region);
      if (at >= 0) added.splice(at, 1);
    }
  }
  return { members, added };
}

async function checkAdded(ctx: RegionContext, name: string, added: string[]): Promise<void> {
  if (!added.length) return;
  const [reference] = await candidates(ctx, name, [ctx.region]);
  checkCandidates(reference!, await candidates(ctx, name, added));
}

export const updateGlobalTable = defineOperation<UpdateGlobalTableRequest, unknown>({
  name: 'UpdateGlobalTable',
  shape: {
    GlobalTableName: globalTableNameRule(),
    ReplicaUpdates: list(struct('ReplicaUpdate', {
      Create: struct('CreateReplicaAction', { RegionName: str({ notNull: true }) }),
      Delete: struct('DeleteReplicaAction', { RegionName: str({ notNull: true }) }),
    }, { notNull: true }), { notNull: true }),
  },
  async run(ctx, request) {
    const name = request.GlobalTableName;
    const current = ctx.store.read((txn) => requireLegacyGlobalTable(txn, name).replicas);
    const { members, added } = plan(name, current, request.ReplicaUpdates);
    // Regions removed are told too: they leave, and their tables turn regional.
    const told = [...new Set([...Object.keys(current), ...added])];
    requirePeers(ctx, told);
    await checkAdded(ctx, name, added);
    await ctx.replication?.announceLegacyMembership(name, members, told);
    const meta = await storeLocalMembership(ctx, name, members, false);
    return { GlobalTableDescription: globalTableDescription(ctx, meta, members) };
  },
});
