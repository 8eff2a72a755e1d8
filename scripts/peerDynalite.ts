/**
 * Runs dynalite's mocha suite, unmodified, in its REMOTE mode against a real region of ours:
 *   npm run peer:dynalite -- <dynalite checkout> [--failures <file>] [test files of the checkout…]
 * The suite was written from real DynamoDB's responses, so its failures measure where a region
 * still answers differently. Prints passed/failed/pending; --failures writes the failing titles.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRegion } from '../src/region/region.js';

const REGION = 'us-east-1';
const HERE = dirname(fileURLToPath(import.meta.url));
/** Preloads: the suite's requests go to the region; a late assertion error does not end the run. */
const PRELOADS = ['dynaliteRedirect.cjs', 'dynaliteLateFailures.cjs'].map((file) => join(HERE, file));
/**
 * Tables stay CREATING, UPDATING and DELETING briefly, as DynamoDB's do: the suite checks what
 * those states refuse, and its helpers poll each second until a table is ACTIVE (or gone).
 */
const TABLE_STATE_SETTINGS = { createTableMs: 500, updateTableMs: 500, deleteTableMs: 500 };
/** How much of a failure's message the failures file keeps. */
const MESSAGE_CHARS = 800;
/** What the suite's own `npm test` allows a test in REMOTE mode. */
const TEST_TIMEOUT = '30s';

interface MochaTest { fullTitle: string; err?: { message?: string } }
interface MochaReport {
  stats: { passes: number; failures: number; pending: number; tests: number };
  failures: MochaTest[];
}

function parseArgs(argv: string[]): { checkout: string; failuresFile?: string; files: string[] } {
  const positional: string[] = [];
  let failuresFile: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--failures') failuresFile = argv[++i];
    else positional.push(argv[i]);
  }
  const [checkout, ...files] = positional;
  if (!checkout) throw new Error('usage: npm run peer:dynalite -- <dynalite checkout> [--failures <file>] [test files…]');
  return { checkout: resolve(checkout), failuresFile, files };
}

function runMocha(checkout: string, port: number, reportFile: string, files: string[]): Promise<number | null> {
  const mocha = join(checkout, 'node_modules', 'mocha', 'bin', 'mocha.js');
  if (!existsSync(mocha)) throw new Error(`${mocha} not found: run npm install in the checkout first`);
  const args = [
    mocha, '--require', 'should', ...PRELOADS.flatMap((file) => ['--require', file]), '--timeout', TEST_TIMEOUT,
    '--reporter', 'json', '--reporter-option', `output=${reportFile}`, ...files,
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REMOTE: '1',
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'dynalite-suite',
    AWS_SECRET_ACCESS_KEY: 'dynalite-suite',
    DYNALITE_PEER_PORT: String(port),
  };
  delete env.AWS_SESSION_TOKEN;
  delete env.AWS_PROFILE;
  const child = spawn(process.execPath, args, { cwd: checkout, env, stdio: 'inherit' });
  return new Promise((resolveExit, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolveExit(code));
  });
}

async function main(): Promise<void> {
  const { checkout, failuresFile, files } = parseArgs(process.argv.slice(2));
  const workDir = await mkdtemp(join(tmpdir(), 'peer-dynalite-'));
  const reportFile = join(workDir, 'report.json');
  const region = await startRegion({ name: REGION, port: 0, dataDir: join(workDir, 'data'), settings: TABLE_STATE_SETTINGS, log: () => {} });
  try {
    console.log(`region ${REGION} at ${region.endpoint}; running the dynalite suite in ${checkout}`);
    await runMocha(checkout, region.port, reportFile, files);
    if (!existsSync(reportFile)) throw new Error('mocha wrote no report');
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as MochaReport;
    const { passes, failures, pending, tests } = report.stats;
    console.log(`passed ${passes}, failed ${failures}, pending ${pending} (of ${tests})`);
    if (failuresFile) {
      const lines = report.failures.map((test) => `${test.fullTitle}\n    ${(test.err?.message ?? '').slice(0, MESSAGE_CHARS).replaceAll('\n', '\n    ')}`);
      await writeFile(failuresFile, lines.join('\n') + (lines.length ? '\n' : ''));
      console.log(`failing tests written to ${failuresFile}`);
    }
  } finally {
    await region.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
