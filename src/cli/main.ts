/** The `globaltables` command line. */
import { runRegionCommand } from './region.js';

const USAGE = `usage: globaltables <command> [options]

commands:
  region --name <region> --port <port> --data <dir>   run one region (DynamoDB API on that port)
`;

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'region':
      await runRegionCommand(rest);
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
