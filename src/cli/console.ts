/** `globaltables console`: the console alone, against regions running anywhere (it cannot crash or restart them). */
import { parseArgs } from 'node:util';
import { CredentialsFileError, loadCredentialsFile, type Credentials } from '../config/credentials.js';
import { startConsole } from '../console/server.js';
import { adminTokenOption, parsePeers, UsageError } from './region.js';
import { DEFAULT_CONSOLE_PORT, portOption } from './up.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The key the console signs DynamoDB calls with: the file's [default] profile's, else its first. */
function consoleCredentials(file: string): Credentials {
  try {
    return loadCredentialsFile(file)[0];
  } catch (error) {
    if (error instanceof CredentialsFileError) throw new UsageError(error.message);
    throw error;
  }
}

export async function runConsoleCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      peer: { type: 'string', multiple: true }, port: { type: 'string' }, host: { type: 'string' }, 'admin-token': { type: 'string' }, 'credentials-file': { type: 'string' },
    },
    strict: true,
  });
  const regions = parsePeers(values.peer);
  if (!regions.length) throw new UsageError('name the regions to show: --peer us-east-1=http://127.0.0.1:8001 --peer eu-west-1=http://127.0.0.1:8002');
  const twin = regions.findIndex((r, i) => regions.findIndex((o) => o.name === r.name) !== i);
  if (twin >= 0) throw new UsageError(`--peer names ${regions[twin].name} twice`);
  const running = await startConsole({
    regions,
    adminToken: adminTokenOption(values['admin-token'], undefined),
    ...(values['credentials-file'] === undefined ? {} : { credentials: consoleCredentials(values['credentials-file']) }),
    port: portOption(values.port, DEFAULT_CONSOLE_PORT, '--port'),
    ...(values.host !== undefined ? { host: values.host } : {}),
  });
  process.stdout.write(`console: ${running.url}  (${regions.map((r) => `${r.name} ${r.endpoint}`).join(', ')}); Ctrl-C stops it\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      SIGNALS.forEach((s) => process.off(s, stop));
      void running.close().then(resolve);
    };
    SIGNALS.forEach((s) => process.on(s, stop));
  });
}
