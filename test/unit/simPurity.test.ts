/**
 * Everything the simulator runs must be deterministic: time and timers from the Clock, randomness
 * from seeded sources, no threads, sockets, NATS or LMDB. This walks the run-time import graph
 * from the simulator's entry files and fails with `file:line` for anything else it reaches.
 * Edit SIM_ENTRIES as the simulated path grows, and ALLOWED only with a reason.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathTo, walkImports, type ImportGraph } from '../helpers/importGraph.js';
import { importsOf, lineAt, scanSource } from '../helpers/sourceScan.js';

const ROOT = join(__dirname, '../..');

function sourcesUnder(dir: string): string[] {
  if (!existsSync(join(ROOT, dir))) return [];
  return readdirSync(join(ROOT, dir)).sort().flatMap((name) => {
    const path = `${dir}/${name}`;
    return statSync(join(ROOT, path)).isDirectory() ? sourcesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Where the simulated path starts: every file of src/sim, and the production code it runs. */
export const SIM_ENTRIES: string[] = [
  ...sourcesUnder('src/sim'),
  'src/region/regionCore.ts',
  'src/replication/replication.ts',
  'src/replication/replicator.ts',
  'src/dynamo/dispatch.ts',
  'src/storage/memory.ts',
  'src/bus/memoryBus.ts',
  'src/bus/publisher.ts',
];

/** What may not run on virtual time, as it appears in code (comments and strings do not count). */
const FORBIDDEN_CODE: { what: string; pattern: RegExp }[] = [
  { what: 'Date.now', pattern: /\bDate\s*\.\s*now\b/g },
  { what: 'performance.now', pattern: /\bperformance\s*\.\s*now\b/g },
  { what: 'process.hrtime', pattern: /\bprocess\s*\.\s*hrtime\b/g },
  // `new Date` or `new Date()`: now. `new Date(ms)` is only a calendar and allowed.
  { what: 'new Date()', pattern: /\bnew\s+Date\b(?!\s*\(\s*[^\s)])/g },
  { what: 'Math.random', pattern: /\bMath\s*\.\s*random\b/g },
  { what: 'randomUUID', pattern: /\brandomUUID\b/g },
  { what: 'randomBytes', pattern: /\b(randomBytes|randomInt|getRandomValues)\b/g },
  { what: 'setTimeout', pattern: /\bsetTimeout\b/g },
  { what: 'setInterval', pattern: /\bsetInterval\b/g },
  { what: 'setImmediate', pattern: /\bsetImmediate\b/g },
];

/** Modules the simulated path may not load: real threads, sockets, timers, clocks, NATS, LMDB. */
const FORBIDDEN_MODULES: { what: string; pattern: RegExp }[] = [
  { what: 'worker_threads', pattern: /^(node:)?worker_threads$/ },
  { what: 'net', pattern: /^(node:)?(net|tls|dgram|dns)$/ },
  { what: 'http', pattern: /^(node:)?(http|https|http2)$/ },
  { what: 'child_process', pattern: /^(node:)?child_process$/ },
  { what: 'timers', pattern: /^(node:)?(timers|timers\/promises|perf_hooks)$/ },
  { what: '@nats-io', pattern: /^@nats-io\// },
  { what: 'lmdb', pattern: /^lmdb$/ },
];

/** Exceptions, each with its reason. `what` is a FORBIDDEN_CODE or FORBIDDEN_MODULES name. */
const ALLOWED: { file: string; what: string; reason: string }[] = [
  { file: 'src/clock/clock.ts', what: 'Date.now', reason: 'SystemClock is the real clock; the simulator passes its own Clock' },
  { file: 'src/clock/clock.ts', what: 'setTimeout', reason: 'SystemClock.schedule is the real timer behind the Clock seam' },
  { file: 'src/clock/clock.ts', what: 'setImmediate', reason: 'deferToNextTurn: group commit\'s default in a real region; the simulator passes its own defer' },
  { file: 'src/sim/scheduler.ts', what: 'setImmediate', reason: 'the scheduler\'s one real hop per step, letting promise chains settle; virtual time alone orders events' },
];

const isAllowed = (file: string, what: string): boolean => ALLOWED.some((a) => a.file === file && a.what === what);

interface Finding {
  file: string;
  line: number;
  what: string;
}

const describeFinding = (graph: ImportGraph, { file, line, what }: Finding): string => `${file}:${line} ${what} (reached: ${pathTo(graph, file).join(' → ')})`;

function codeFindings(graph: ImportGraph): Finding[] {
  const found: Finding[] = [];
  for (const { file, source } of graph.files.values()) {
    for (const { what, pattern } of FORBIDDEN_CODE) {
      for (const match of source.code.matchAll(pattern)) found.push({ file, line: lineAt(source.code, match.index), what });
    }
  }
  return found;
}

function moduleFindings(graph: ImportGraph): Finding[] {
  return graph.external.flatMap(({ file, line, specifier }) => FORBIDDEN_MODULES
    .filter(({ pattern }) => pattern.test(specifier))
    .map(({ what }) => ({ file, line, what: `import '${specifier}' (${what})` })));
}

const moduleName = (finding: Finding): string => /\((.*)\)$/.exec(finding.what)![1];

describe('the simulated path stays deterministic', () => {
  const present = SIM_ENTRIES.filter((entry) => existsSync(join(ROOT, entry)));
  const graph = walkImports(ROOT, present);

  // An entry not written yet shows as skipped, rather than failing every branch until it lands.
  for (const entry of SIM_ENTRIES) {
    it.skipIf(!present.includes(entry))(`walks from ${entry}`, () => {
      expect(graph.files.get(entry)?.importedBy).toBeUndefined();
    });
  }

  it('follows every relative import to a file', () => {
    expect(graph.unresolved.map(({ file, line, specifier }) => `${file}:${line} '${specifier}'`)).toEqual([]);
    expect(graph.files.size).toBeGreaterThan(present.length);
  });

  it('reads no wall clock, no unseeded randomness and starts no real timer', () => {
    const flagged = codeFindings(graph).filter((f) => !isAllowed(f.file, f.what));
    expect(flagged.map((f) => describeFinding(graph, f))).toEqual([]);
  });

  it('loads no threads, sockets, real timers, NATS client or LMDB', () => {
    const flagged = moduleFindings(graph).filter((f) => !isAllowed(f.file, moduleName(f)));
    expect(flagged.map((f) => describeFinding(graph, f))).toEqual([]);
  });

  it('allows nothing it no longer needs to, in the files it reaches', () => {
    const used = [...codeFindings(graph), ...moduleFindings(graph).map((f) => ({ ...f, what: moduleName(f) }))];
    const stale = ALLOWED.filter((a) => graph.files.has(a.file) && !used.some((f) => f.file === a.file && f.what === a.what));
    expect(stale).toEqual([]);
  });
});

describe('the source scanner the purity check relies on', () => {
  it('sees code, not comments, strings, templates\' text or regexes', () => {
    const text = [
      '// Date.now() in a comment',
      "const a = 'setTimeout // not a comment'; const b = Date.now();",
      '/* Math.random() */ const c = `${setImmediate}: Math.random() ${`${performance.now()}`}`;',
      'const d = /setInterval\\/["\']/.test(x) ? a / 2 / b : 0; new Date(5); new Date();',
    ].join('\n');
    const { code } = scanSource(text);
    const hits = FORBIDDEN_CODE.flatMap(({ what, pattern }) => [...code.matchAll(pattern)].map((m) => `${lineAt(code, m.index)}:${what}`));
    expect(hits.sort()).toEqual(['2:Date.now', '3:performance.now', '3:setImmediate', '4:new Date()']);
    expect(code.length).toBe(text.length);
  });

  it('finds imports and re-exports, telling type-only ones apart, and none inside strings', () => {
    const text = [
      "import type { Clock } from './clock.js';",
      "import { type A, type B } from './types.js';",
      "import { delay, type Clock as C } from './clock.js';",
      "import * as fs from 'node:fs';",
      "export { x } from './x.js';",
      "export type { Y } from './y.js';",
      "export * from './all.js';",
      "import './sideEffect.js';",
      "const later = await import('./lazy.js');",
      "const message = \"import z from './z.js'\";",
    ].join('\n');
    const refs = importsOf(scanSource(text)).map((r) => `${r.specifier}${r.typeOnly ? ' (type)' : ''}`);
    expect(refs).toEqual(['./clock.js (type)', './types.js (type)', './clock.js', 'node:fs', './x.js', './y.js (type)', './all.js', './sideEffect.js', './lazy.js']);
  });
});
