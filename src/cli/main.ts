/** The `globaltables` command line. */
import { PortInUseError, runRegionCommand, UsageError } from './region.js';
import { PORT_IN_USE_EXIT_CODE } from './exitCodes.js';
import { runSchemaCommand } from './schema.js';
import { runFuzzCommand } from './fuzz.js';
import { runScenarioCommand } from './run.js';
import { runUpCommand } from './up.js';
import { runConsoleCommand } from './console.js';

const USAGE = `usage: globaltables <command> [options]

commands:
  up [regions/<region>.yaml …] [--no-status] [--data-root <dir>] [--console-port 8000] [--no-console]
         run every region (default: regions/*.yaml), each its own process and told where the others
         are, and the console (a web page: regions, links, conflicts explained, faults at a click) on
         http://127.0.0.1:8000; prints the endpoints and a live status line; Ctrl-C stops them all
  console --peer <region>=http://host:port … [--port 8000] [--host 127.0.0.1] [--admin-token <token>]
         [--credentials-file <path>]
         the console alone, for regions started elsewhere (it cannot crash or restart those);
         with a credentials file, its DynamoDB calls are signed with its [default] key
  region [--config regions/<region>.yaml] [--name <region>] [--port <port>] [--data <dir>]
         run one region (DynamoDB and DynamoDB Streams APIs on that port); flags override the file
         [--host 127.0.0.1] [--clock-mode hlc|wall] [--skew-ms N] [--durability process|fsync]
         [--nats-url nats://…] [--nats-port N] [--no-change-stream]
         [--create-table-ms N] [--delete-table-ms N] [--ttl-sweep-interval-ms N]
         [--tombstone-retention-ms N]
         [--peer <region>=http://host:port …] [--granularity item|attribute]
         [--admin-token <token>]  (or GLOBALTABLES_ADMIN_TOKEN): admin routes that change something
         then need "Authorization: Bearer <token>"; without one they answer on loopback only
         [--auth none|sigv4] [--credentials-file <path>]: verify every DynamoDB request's SigV4
         signature against the keys of that file (AWS credentials format; --auth sigv4 alone: the
         region file's keys, else ~/.aws/credentials); none by default, as DynamoDB Local
  run <scenario.yaml> [--sim] [--seed N] [--json out.json] [--html report.html]
         play a scenario: start its regions, run its steps, check its expectations, print the report;
         exit code 0 when every expectation holds, 1 when one does not, 2 when the file is invalid;
         --sim plays it simulated in one process on virtual time, replayable exactly by its seed;
         --html also writes the run as one self-contained page: its timeline, stepped through in time
  fuzz [--seed N] [--runs R] [--regions K] [--ops M] [--granularity item|attribute] [--clock hlc|wall] [--out DIR]
         play R random histories of writes and faults (partitions, latency, crashes, clock skew) on
         the simulated cluster; each must converge after its final heal, with no value nobody wrote.
         A failure is written (shrunk) as fuzz-failure-<seed>.yaml, replayable with run --sim; the last
         line is seed=N runs=R failures=F hash=<hex>; exit 1 when a run failed (defaults: random
         seed, 100 runs, 3 regions, 50 steps, item, hlc)
  schema print the JSON Schema of scenario files, for editors (scenarios/scenario.schema.json is a copy)
`;

export async function main(argv: string[]): Promise<void> {
  try {
    await run(argv);
  } catch (error) {
    if (error instanceof PortInUseError) {
      process.stderr.write(`globaltables: ${error.message}\n`);
      process.exitCode = PORT_IN_USE_EXIT_CODE;
      return;
    }
    // Unknown or malformed options are the user's to fix: say what is wrong, not where.
    const { code } = error as { code?: unknown };
    if (!(error instanceof UsageError) && !(typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) throw error;
    process.stderr.write(`globaltables: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up':
      await runUpCommand(rest);
      return;
    case 'console':
      await runConsoleCommand(rest);
      return;
    case 'region':
      await runRegionCommand(rest);
      return;
    case 'run':
      await runScenarioCommand(rest);
      return;
    case 'fuzz':
      process.exitCode = await runFuzzCommand(rest);
      return;
    case 'schema':
      runSchemaCommand(rest);
      return;
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`unknown command: ${command}\n${USAGE}`);
      process.exitCode = 2;
  }
}
