/**
 * Simulated scenario targets that, once the scenario's steps and report are done (still on the
 * cluster's virtual time), read every running region's table and check that each value in it was
 * written by some write of the history. The problems found go to `problems`. The check holds with
 * TTL deletes and removed replicas: both only take items away, and a replica added back is filled
 * from the others.
 */
import { DynamoCallError, unmarshalItem } from '../../scenario/client.js';
import type { StartTargets, ScenarioTargets } from '../../scenario/targets.js';
import { startSimTargets } from '../scenarioTargets.js';
import { FUZZ_TABLE, type History } from './history.js';
import { unwrittenValues, writtenValues } from './values.js';

interface ScanPage {
  Items?: Record<string, never>[];
  LastEvaluatedKey?: Record<string, unknown>;
}

async function scanAll(targets: ScenarioTargets, region: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page: ScanPage = await targets.region(region).call<ScanPage>('Scan', { TableName: FUZZ_TABLE, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) });
    items.push(...(page.Items ?? []).map((i) => unmarshalItem(i)));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

export function checkedSimTargets(history: History, problems: string[]): StartTargets {
  const ledger = writtenValues(history);
  return async (scenario, seed) => {
    const targets = await startSimTargets(scenario, seed);
    return {
      ...targets,
      drive: (work) => targets.drive(async () => {
        const result = await work();
        for (const region of targets.running()) {
          try {
            problems.push(...unwrittenValues(ledger, region.name, await scanAll(targets, region.name)));
          } catch (error) {
            // A region whose replica was removed (a history that stopped before its finale) holds nothing to check.
            if (error instanceof DynamoCallError && error.type === 'ResourceNotFoundException') continue;
            problems.push(`${region.name}: cannot read the final items: ${(error as Error).message}`);
          }
        }
        return result;
      }),
    };
  };
}
