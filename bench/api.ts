/**
 * `npm run bench -- api`: PutItem and GetItem throughput and latency of a region with its change
 * stream on and off, and of dynalite in memory and on disk, all driven by the same load generator;
 * each round measures every server back to back; medians and the median of per-round ratios.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { prepareTable, runPhase, type LoadOptions } from './apiLoad.js';
import { markdownTable, ratios, SERVER_LABELS, summarize, type RoundsByServer, type ServerKey, type ServerRound, type ServerSummary } from './apiTable.js';
import { waitForPublisherDrain } from './publisherDrain.js';
import { startDynaliteServer, startRegionServer, type Server } from './servers.js';
import { machine } from './stats.js';

interface Options extends LoadOptions { rounds: number; servers: ServerKey[] }

const STARTERS: Record<ServerKey, () => Promise<Server>> = {
  on: () => startRegionServer(true),
  off: () => startRegionServer(false),
  mem: () => startDynaliteServer(false),
  disk: () => startDynaliteServer(true),
};
const ALL_SERVERS = Object.keys(SERVER_LABELS) as ServerKey[];

function parseServers(list: string): ServerKey[] {
  const keys = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = keys.filter((k) => !(k in SERVER_LABELS));
  if (unknown.length || !keys.length) throw new Error(`--servers takes a comma-separated subset of ${ALL_SERVERS.join(',')}; got '${list}'`);
  // Always in the same order, so every round runs them alike whatever the option's order.
  return ALL_SERVERS.filter((k) => keys.includes(k));
}

function parseOptions(argv: string[]): Options {
  // A long warm-up lets every server reach steady state (JIT, caches) before anything is counted.
  const options: Options = { rounds: 3, seconds: 10, warmupSeconds: 5, connections: 32, keys: 10_000, valueBytes: 100, servers: ALL_SERVERS };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${argv[i]} needs a value`);
    if (name === 'servers') options.servers = parseServers(value);
    else if (name in options) (options as unknown as Record<string, number>)[name] = Number(value);
    else throw new Error(`unknown option ${argv[i]}; known: ${Object.keys(options).map((k) => `--${k}`).join(' ')}`);
  }
  return options;
}

async function measureServer(key: ServerKey, options: Options): Promise<ServerRound> {
  const server = await STARTERS[key]();
  try {
    await prepareTable(server, options);
    // The preload's changes are published before PutItem starts, so its backlog is not counted against it.
    if (key === 'on') await waitForPublisherDrain(server.endpoint, Date.now());
    const put = await runPhase(server, 'PutItem', options);
    const drain = key === 'on' ? await waitForPublisherDrain(server.endpoint, put.windowEndMs) : undefined;
    const get = await runPhase(server, 'GetItem', options);
    const errors = put.errors + get.errors;
    console.log(`  ${SERVER_LABELS[key].padEnd(32)} put ${Math.round(put.ops)}/s p99 ${put.p99Ms.toFixed(1)} ms | get ${Math.round(get.ops)}/s p99 ${get.p99Ms.toFixed(1)} ms`
      + `${drain ? ` | backlog ${drain.backlogAtEnd} at +${drain.lookedAfterLoadMs} ms, drained in ${drain.drainedInMs} ms` : ''}${errors ? ` | errors ${errors}` : ''}`);
    return { put, get, ...(drain ? { drain } : {}) };
  } finally {
    await server.stop();
  }
}

export async function apiBenchmark(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  console.log(`api benchmark: ${options.rounds} rounds × ${options.servers.join(', ')} × (${options.warmupSeconds} s warm-up + ${options.seconds} s) per phase, ${options.connections} connections, ${options.keys} keys, ${options.valueBytes}-byte values`);
  const rounds: RoundsByServer = {};
  for (let i = 0; i < options.rounds; i += 1) {
    console.log(`round ${i + 1}/${options.rounds}`);
    for (const key of options.servers) (rounds[key] ??= []).push(await measureServer(key, options));
  }
  const summaries: Partial<Record<ServerKey, ServerSummary & { label: string }>> = {};
  for (const key of options.servers) summaries[key] = { label: SERVER_LABELS[key], ...summarize(rounds[key]!) };
  const dynaliteVersion = (JSON.parse(readFileSync('node_modules/dynalite/package.json', 'utf8')) as { version: string }).version;
  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    dynaliteVersion,
    config: options,
    servers: summaries,
    ratios: ratios(rounds),
    rounds,
  };
  const table = markdownTable({ date: result.date, cores: result.machine.cores, node: result.machine.node, dynaliteVersion, rounds: options.rounds, seconds: options.seconds, warmupSeconds: options.warmupSeconds }, summaries, result.ratios);
  writeFileSync('bench/results/api.json', `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync('bench/results/api.md', `${table}\n`);
  console.log(`\n${table}`);
}
