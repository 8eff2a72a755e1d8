/**
 * Writes whose outcome is kept: each key gets its rounds one after another (so a region's later
 * write to a key is its newer one), keys side by side. A write that failed is not acknowledged but
 * may still have happened: finalsAllowed() admits it, never requires it.
 */
import { type DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

export interface WritePlan {
  /** The region written to (the item says so). */
  region: string;
  table: string;
  keys: string[];
  rounds: number;
  /** Tells this burst's writes from others' in their tags. */
  label: string;
  /** Keys written at once. */
  concurrency: number;
}

export interface WriteOutcome {
  region: string;
  pk: string;
  round: number;
  tag: string;
  acknowledged: boolean;
}

export async function writeKeys(doc: DynamoDBDocumentClient, plan: WritePlan): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = [];
  const queue = [...plan.keys];
  const writeKey = async (pk: string): Promise<void> => {
    for (let round = 0; round < plan.rounds; round += 1) {
      const tag = `${plan.label}:${plan.region}:${pk}:${round}`;
      const acknowledged = await doc.send(new PutCommand({ TableName: plan.table, Item: { pk, tag, region: plan.region, round } })).then(() => true, () => false);
      outcomes.push({ region: plan.region, pk, round, tag, acknowledged });
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, async () => {
    for (let pk = queue.shift(); pk !== undefined; pk = queue.shift()) await writeKey(pk);
  }));
  return outcomes;
}

/** Stands for "no item" among a key's allowed finals. */
export const ABSENT = '(absent)';

/**
 * The tags each key may end with: per region that wrote it, its last acknowledged write or a later
 * one whose outcome is unknown (nothing acknowledged: also no item). Across regions any of them: the
 * others' are lost to last-writer-wins.
 */
export function finalsAllowed(outcomes: WriteOutcome[]): Map<string, Set<string>> {
  const byWriter = new Map<string, WriteOutcome[]>();
  for (const outcome of outcomes) {
    const writer = `${outcome.pk}\u0000${outcome.region}`;
    byWriter.set(writer, [...(byWriter.get(writer) ?? []), outcome]);
  }
  const allowed = new Map<string, Set<string>>();
  for (const writes of byWriter.values()) {
    writes.sort((a, b) => a.round - b.round);
    let lastAcknowledged = -1;
    writes.forEach((w, i) => { if (w.acknowledged) lastAcknowledged = i; });
    // From the last acknowledged write on, every later one is unacknowledged.
    const tags = lastAcknowledged < 0 ? [ABSENT, ...writes.map((w) => w.tag)] : writes.slice(lastAcknowledged).map((w) => w.tag);
    const set = allowed.get(writes[0].pk) ?? new Set<string>();
    for (const tag of tags) set.add(tag);
    allowed.set(writes[0].pk, set);
  }
  // A key some region acknowledged must not end absent, whatever another's unknown outcomes allow.
  for (const [pk, set] of allowed) {
    if (outcomes.some((o) => o.pk === pk && o.acknowledged)) set.delete(ABSENT);
  }
  return allowed;
}

/** Every item's tag by key, read with paginated Scans. */
export async function tagsByKey(doc: DynamoDBDocumentClient, table: string): Promise<Map<string, string>> {
  const tags = new Map<string, string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) tags.set(String(item.pk), String(item.tag));
    start = page.LastEvaluatedKey;
  } while (start);
  return tags;
}

/** The keys whose tag (or absence) is not among those allowed; empty when every write is where it should be. */
export function misplaced(tags: Map<string, string>, allowed: Map<string, Set<string>>): string[] {
  return [...allowed].filter(([pk, set]) => !set.has(tags.get(pk) ?? ABSENT)).map(([pk, set]) => `${pk}: ${tags.get(pk) ?? ABSENT}, expected one of ${[...set].join(' | ')}`);
}
