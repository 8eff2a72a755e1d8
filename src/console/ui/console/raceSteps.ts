/** The guided race's calls: a global table `demo` in two regions, a cut, two writes, a heal. */
import { healPair, partition, type ConsoleActions, type DynamoAnswer } from '../components/actions.js';

export const DEMO_TABLE = 'demo';
export const RACE_KEY = { id: { S: 'race' } };

/** A DynamoDB call that did not succeed, in DynamoDB's words. */
export class DemoStepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoStepError';
  }
}

const POLL_MS = 300;
const READY_WITHIN_MS = 60_000;

const errorType = (answer: DynamoAnswer): string => String(answer.body.__type ?? '').split('#').pop() ?? '';

async function ok(actions: ConsoleActions, region: string, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const answer = await actions.dynamodb(region, operation, input);
  if (answer.status !== 200) throw new DemoStepError(`${operation} in ${region}: ${errorType(answer)} ${String(answer.body.message ?? answer.body.Message ?? '')}`.trim());
  return answer.body;
}

interface TableDescription { TableStatus?: string; Replicas?: { RegionName: string; ReplicaStatus?: string }[] }

async function describe(actions: ConsoleActions, region: string): Promise<TableDescription | null> {
  const answer = await actions.dynamodb(region, 'DescribeTable', { TableName: DEMO_TABLE });
  if (answer.status === 200) return (answer.body as { Table: TableDescription }).Table;
  if (errorType(answer) === 'ResourceNotFoundException') return null;
  throw new DemoStepError(`DescribeTable in ${region}: ${String(answer.body.message ?? answer.status)}`);
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new DemoStepError(`${what} did not happen within ${READY_WITHIN_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Creates `demo` in `a` if it is not there, adds `b` as a replica if it is not one, and waits until both are ACTIVE. */
export async function prepareDemoTable(actions: ConsoleActions, a: string, b: string, say: (text: string) => void): Promise<void> {
  if (!(await describe(actions, a))) {
    say(`Creating table ${DEMO_TABLE} (key id, a string) in ${a}…`);
    await ok(actions, a, 'CreateTable', {
      TableName: DEMO_TABLE, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    });
    await until(`${DEMO_TABLE} ACTIVE in ${a}`, async () => (await describe(actions, a))?.TableStatus === 'ACTIVE');
  }
  const replica = async () => (await describe(actions, a))?.Replicas?.find((r) => r.RegionName === b);
  if (!(await replica())) {
    say(`Adding ${b} as a replica of ${DEMO_TABLE} (UpdateTable ReplicaUpdates in ${a})…`);
    await ok(actions, a, 'UpdateTable', { TableName: DEMO_TABLE, ReplicaUpdates: [{ Create: { RegionName: b } }] });
  }
  say(`Waiting until ${DEMO_TABLE} is active in ${a} and ${b}…`);
  await until(`the replica in ${b} ACTIVE`, async () => (await replica())?.ReplicaStatus === 'ACTIVE' && (await describe(actions, b))?.TableStatus === 'ACTIVE');
}

export const cutLink = (actions: ConsoleActions, a: string, b: string): Promise<void> => partition(actions, a, b);

export async function writeInBoth(actions: ConsoleActions, a: string, b: string): Promise<void> {
  for (const region of [a, b]) {
    await ok(actions, region, 'PutItem', { TableName: DEMO_TABLE, Item: { ...RACE_KEY, text: { S: `from ${region}` } } });
  }
}

export const heal = (actions: ConsoleActions, a: string, b: string): Promise<void> => healPair(actions, a, b);
