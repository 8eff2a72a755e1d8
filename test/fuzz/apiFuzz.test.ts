/**
 * The API fuzzer: malformed and adversarial requests for every operation a region serves, sent
 * over raw HTTP to a real region. For each: an answer within the timeout, never a 5xx, the region
 * still answering afterwards, and a refused request leaving every table (digest) and the change
 * log (last lsn) as they were.
 *
 * Seeded and bounded: FUZZ_API_SEED (default pinned; "random" for a fresh one) and FUZZ_API_RUNS.
 * `npm run fuzz:api` runs longer with a random seed. FRONT_DOOR_CASES are drawn too (FUZZ_API_FRONT_DOOR=0 leaves them out).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../src/dynamo/ops/index.js';
import { streamOperations } from '../../src/streams/ops/index.js';
import { encodeBody, FRONT_DOOR_CASES, headers, nonJsonBody, SIGNED, SIGNED_DATE, targetHeader } from './envelopes.js';
import { mutated } from './mutations.js';
import { HangError, sendRaw, type RawRequest, type RawResponse } from './rawHttp.js';
import { validRequests } from './validRequests.js';
import { startFuzzWorld, type FuzzWorld } from './world.js';

const PINNED_SEED = 20261207;
const seed = process.env.FUZZ_API_SEED === 'random' ? Date.now() % 2_147_483_647 : Number(process.env.FUZZ_API_SEED ?? PINNED_SEED);
const numRuns = Number(process.env.FUZZ_API_RUNS ?? 2500);
const frontDoor = process.env.FUZZ_API_FRONT_DOOR !== '0';
const REQUEST_TIMEOUT_MS = 10_000;
const replay = `FUZZ_API_SEED=${seed} FUZZ_API_RUNS=${numRuns}${frontDoor ? '' : ' FUZZ_API_FRONT_DOOR=0'} npx vitest run test/fuzz/apiFuzz.test.ts`;

interface Case {
  label: string;
  raw: RawRequest;
  /** The request as JSON, when the body is exactly its JSON text (for the read-back check). */
  sent?: unknown;
  /** A request the server may end without answering (its body never arrived whole). */
  mayGoUnanswered?: boolean;
}

let world: FuzzWorld;
/** FUZZ_API_STATS=1: how the requests were answered, by operation, status and error type. */
const stats = new Map<string, number>();

beforeAll(async () => {
  world = await startFuzzWorld();
  console.log(`[api fuzz] seed=${seed} runs=${numRuns} frontDoor=${frontDoor} (replay: ${replay})`);
});

afterAll(async () => {
  if (process.env.FUZZ_API_STATS === '1') console.log([...stats].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}\t${k}`).join('\n'));
  await world?.close();
});

/** Counterexamples print as the request went out: headers, then the body as text. */
function printable(testCase: Case): Case {
  const text = (): string => `${testCase.label}\n${testCase.raw.headers.map(([k, v]) => `${k}: ${v.slice(0, 200)}`).join('\n')}\n\n${testCase.raw.body.toString('utf8', 0, 2000)}`;
  return Object.assign(testCase, { [fc.toStringMethod]: text });
}

function caseArbitrary(): fc.Arbitrary<Case> {
  const byService = validRequests(world);
  const perOperation = Object.entries(byService).flatMap(([prefix, ops]) => Object.entries(ops).map(([operation, valid]) => {
    const body = fc.oneof(
      { weight: 12, arbitrary: fc.tuple(fc.oneof({ weight: 1, arbitrary: valid }, { weight: 4, arbitrary: mutated(valid) }), fc.nat())
        .map(([json, n]) => ({ json, bytes: encodeBody(json, n) })) },
      { weight: 1, arbitrary: nonJsonBody.map((bytes) => ({ json: undefined, bytes })) },
    );
    return fc.tuple(targetHeader(prefix, operation), body).chain(([target, { json, bytes }]) => headers(target, bytes)
      .map((raw) => printable({
        label: `${target}`, raw, mayGoUnanswered: raw.sendBytes !== undefined,
        sent: bytes.equals(Buffer.from(JSON.stringify(json) ?? '')) ? json : undefined,
      })));
  }));
  const cases = frontDoor
    ? [...perOperation, fc.constantFrom(...Object.entries(FRONT_DOOR_CASES)).map(([label, make]) => {
      const raw = make('DynamoDB_20120810.PutItem');
      return printable({ label, raw, mayGoUnanswered: raw.sendBytes !== undefined && !raw.keepOpen });
    })]
    : perOperation;
  return fc.oneof(...cases);
}

async function health(): Promise<void> {
  const body = Buffer.from('{}');
  const response = await sendRaw(world.port, {
    headers: [['X-Amz-Target', 'DynamoDB_20120810.ListTables'], ['Content-Type', 'application/x-amz-json-1.0'], ['Authorization', SIGNED], ['X-Amz-Date', SIGNED_DATE], ['Content-Length', '2']],
    body,
  }, REQUEST_TIMEOUT_MS);
  expect(response.status, 'the region answers a health request after each fuzzed one').toBe(200);
}

/** Every attribute name of an item, nested map keys included, as paths. */
function namePaths(item: Record<string, unknown>, prefix = ''): string[] {
  return Object.keys(item).flatMap((name) => {
    const value = item[name] as Record<string, unknown>;
    const path = `${prefix}/${JSON.stringify(name)}`;
    const nested = value && typeof value.M === 'object' && value.M !== null ? namePaths(value.M as Record<string, unknown>, path) : [];
    return [path, ...nested];
  }).sort();
}

/** Escaped lone surrogates: not text DynamoDB can store, left to the front door's UTF-8 rules. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** An accepted PutItem stored every name it was given, tricky ones included. */
async function checkStored(sent: unknown): Promise<void> {
  const request = sent as { TableName?: unknown; Item?: Record<string, unknown> } | undefined;
  if (!request?.Item || typeof request.TableName !== 'string' || LONE_SURROGATE.test(JSON.stringify(request.Item))) return;
  const key = Object.fromEntries(['pk', 'sk'].filter((name) => Object.hasOwn(request.Item!, name)).map((name) => [name, request.Item![name]]));
  const body = Buffer.from(JSON.stringify({ TableName: request.TableName, Key: key, ConsistentRead: true }));
  const response = await sendRaw(world.port, {
    headers: [['X-Amz-Target', 'DynamoDB_20120810.GetItem'], ['Content-Type', 'application/x-amz-json-1.0'], ['Authorization', SIGNED], ['X-Amz-Date', SIGNED_DATE], ['Content-Length', String(body.length)]],
    body,
  }, REQUEST_TIMEOUT_MS);
  const stored = JSON.parse(response.body.toString('utf8')) as { Item?: Record<string, unknown> };
  expect(namePaths(stored.Item ?? {}), 'an accepted PutItem reads back with every attribute name it was given').toEqual(namePaths(request.Item));
}

async function check(testCase: Case): Promise<void> {
  const before = world.state();
  let response: RawResponse | undefined;
  try {
    response = await sendRaw(world.port, testCase.raw, REQUEST_TIMEOUT_MS);
  } catch (error) {
    if (error instanceof HangError || !testCase.mayGoUnanswered) throw error;
  }
  if (response) {
    const kind = `${testCase.label.split('.').pop()} ${response.status} ${/"__type":"[^"]*#(\w+)"/.exec(response.body.toString())?.[1] ?? ''}`;
    stats.set(kind, (stats.get(kind) ?? 0) + 1);
    expect(response.status, `${testCase.label} answered ${response.status}: ${response.body.toString('utf8', 0, 300)}`).toBeLessThan(500);
    if (response.status >= 400) expect(world.state(), `${testCase.label} was refused but changed data`).toBe(before);
    if (response.status === 200 && testCase.label === 'DynamoDB_20120810.PutItem') await checkStored(testCase.sent);
  }
  await health();
}

describe('API fuzzer', () => {
  it('every registered operation has a generator', () => {
    const covered = validRequests(world);
    expect(Object.keys(covered.DynamoDB_20120810).sort()).toEqual([...operations.keys()].sort());
    expect(Object.keys(covered.DynamoDBStreams_20120810).sort()).toEqual([...streamOperations.keys()].sort());
  });

  it('answers malformed and adversarial requests without 5xx, hangs or changes', async () => {
    try {
      await fc.assert(fc.asyncProperty(caseArbitrary(), check), { seed, numRuns, endOnFailure: true });
    } catch (error) {
      throw new Error(`${(error as Error).message}\nreplay: ${replay}`, { cause: error });
    }
  }, Math.max(60_000, numRuns * 100));
});
