/** `globaltables up`: every region file as its own process, each told where its peers are, and the console, until Ctrl-C. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ADMIN_TOKEN_ENV } from '../config/adminToken.js';
import { credentialsOf, CredentialsFileError, type Credentials } from '../config/credentials.js';
import { ConfigError, loadRegionConfig, type RegionConfig } from '../config/regionConfig.js';
import { startConsole, type RunningConsole } from '../console/server.js';
import { adminTokenOption, UsageError } from './region.js';
import { describeExit, PACKAGE_ROOT, RegionProcess } from './regionProcess.js';
import { UpRegions } from './upRegions.js';
import { StatusConsole, startStatusLine } from './upStatus.js';

export { endpointOf, regionArgs, RegionStartError } from './regionProcess.js';

const STOP_GRACE_MS = 10_000;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export const DEFAULT_CONSOLE_PORT = 8000;

interface UpOptions { files: string[]; status: boolean; dataRoot?: string; adminToken?: string; consolePort?: number }

function parse(argv: string[]): UpOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      'no-status': { type: 'boolean', default: false },
      'data-root': { type: 'string' },
      'admin-token': { type: 'string' },
      'console-port': { type: 'string' },
      'no-console': { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values['data-root'] === '') throw new UsageError('--data-root must name a directory');
  const consolePort = values['no-console'] ? undefined : portOption(values['console-port'], DEFAULT_CONSOLE_PORT);
  return { files: positionals, status: !values['no-status'], dataRoot: values['data-root'], adminToken: values['admin-token'], consolePort };
}

/** A port flag's value: an integer from 0 (any free port) to 65535. */
export function portOption(value: string | undefined, fallback: number, flag = '--console-port'): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new UsageError(`${flag} must be a port number (0 to 65535), got ${value}`);
  return port;
}

/**
 * The cluster's admin token: the flag, else GLOBALTABLES_ADMIN_TOKEN, else the one the region files
 * name. Regions send theirs to each other, so files that name different tokens are refused.
 */
export function clusterAdminToken(flag: string | undefined, configs: RegionConfig[], files: string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  // The flag or the environment overrides every file, as it does for one region.
  if (flag !== undefined || env[ADMIN_TOKEN_ENV] !== undefined) return adminTokenOption(flag, undefined, env);
  const differs = configs.findIndex((config) => config.adminToken !== configs[0].adminToken);
  if (differs >= 0) throw new UsageError(`${files[0]} and ${files[differs]} name different admin tokens (or only one names one): the regions of a cluster share one`);
  return adminTokenOption(undefined, configs[0]?.adminToken, env);
}

/**
 * The keys the cluster's regions check signatures with (undefined: they check none). Each region
 * reads its own file's, and the console signs for all of them with one key: files that name
 * different keys (or only some of them any) are refused.
 */
export function clusterCredentials(configs: RegionConfig[], files: string[]): Credentials[] | undefined {
  try {
    const each = configs.map((config, i) => credentialsOf(config.auth, files[i]));
    const text = (keys: Credentials[] | undefined): string => JSON.stringify(keys?.map((k) => [k.accessKeyId, k.secretAccessKey]).sort() ?? null);
    const differs = each.findIndex((keys) => text(keys) !== text(each[0]));
    if (differs >= 0) throw new UsageError(`${files[0]} and ${files[differs]} name different auth keys (or only one checks signatures): the regions of a cluster share theirs`);
    return each[0];
  } catch (error) {
    if (error instanceof CredentialsFileError) throw new UsageError(error.message);
    throw error;
  }
}

/** regions/*.yaml of the cwd if it has one, else the regions shipped with the package. */
function defaultFiles(): string[] {
  const dir = existsSync('regions') ? 'regions' : join(PACKAGE_ROOT, 'regions');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f)) : [];
  if (!files.length) throw new UsageError(`no region files in ${dir}/ (name them: globaltables up regions/a.yaml regions/b.yaml)`);
  return files;
}

export function loadConfigs(files: string[], dataRoot?: string): RegionConfig[] {
  const configs = files.map((file) => {
    try {
      const config = loadRegionConfig(file);
      return dataRoot === undefined ? config : { ...config, dataDir: join(dataRoot, config.name) };
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message);
      throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
    }
  });
  configs.forEach((config, i) => {
    // Peers are told each other's port up front, so a region cannot pick a free one at start.
    if (config.port === 0) throw new UsageError(`${files[i]}: port: up needs a fixed port for every region`);
    const twin = configs.findIndex((other, j) => j < i && (other.name === config.name || other.port === config.port));
    if (twin >= 0) throw new UsageError(`${files[i]} and ${files[twin]} name the same region or port (${config.name}, ${config.port})`);
  });
  return configs;
}

function endpointTable(regions: readonly RegionProcess[], consoleUrl: string | undefined): string {
  const rows = [['region', 'DynamoDB endpoint', 'data', 'pid'], ...regions.map((r) => [r.name, r.endpoint, r.config.dataDir, String(r.child.pid)])];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('   ').trimEnd());
  const consoleLine = consoleUrl ? [`console:  ${consoleUrl}  (regions, links, conflicts, live: open it in a browser)`] : [];
  return [...lines, '', ...consoleLine, `try:  aws dynamodb list-tables --endpoint-url ${regions[0].endpoint}`, 'Ctrl-C stops every region.'].join('\n');
}

/** SIGTERM every region, SIGKILL whatever is left after the grace period, then clear crashed regions' nats-servers. */
async function stopAll(regions: RegionProcess[], out: StatusConsole): Promise<void> {
  regions.forEach((r) => r.terminate());
  const timer = setTimeout(() => {
    out.log(`globaltables up: still running after ${STOP_GRACE_MS / 1000} s: ${regions.filter((r) => r.alive).map((r) => r.name).join(', ')}; killing`);
    regions.forEach((r) => r.kill());
  }, STOP_GRACE_MS);
  await Promise.all(regions.map((r) => r.exit));
  clearTimeout(timer);
  await Promise.all(regions.map((r) => r.reapOrphanNats().catch(() => undefined)));
}

/**
 * Runs the regions (and the console) until a signal, a failed start or — without a console, from
 * which a crashed region can be restarted — the exit of every region; resolves to the exit code.
 */
function supervise(first: RegionProcess[], out: StatusConsole, options: UpOptions, adminToken: string | undefined, credentials: Credentials[] | undefined): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    let stopStatus = (): void => undefined;
    let consoleServer: RunningConsole | undefined;
    // A region that dies may be a crash the user is testing: the others keep running.
    const watch = (region: RegionProcess): void => void region.exit.then((exit) => {
      if (stopping) return;
      out.log(`[${region.name}] ${describeExit(exit)}`, 'stderr');
      if (!consoleServer && regions.all.every((r) => !r.alive)) stop('every region has exited', 1);
    });
    const regions = new UpRegions(first, watch);
    const stop = (reason: string, code: number): void => {
      if (stopping) return;
      stopping = true;
      stopStatus();
      const alive = regions.all.filter((r) => r.alive).length;
      out.log(`globaltables up: ${reason}${alive ? `, stopping ${alive} region(s)` : ''}`);
      void Promise.all([consoleServer?.close(), stopAll([...regions.all], out)]).then(() => {
        SIGNALS.forEach((s) => process.off(s, onSignal));
        resolve(code);
      });
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      if (!stopping) return stop(signal, 0);
      out.log(`globaltables up: ${signal} again, killing every region now`);
      regions.all.forEach((r) => r.kill());
    };
    SIGNALS.forEach((s) => process.on(s, onSignal));
    Promise.all(first.map((r) => r.ready)).then(async () => {
      if (stopping) return;
      if (options.consolePort !== undefined) {
        consoleServer = await startConsole({
          regions: first.map((r) => ({ name: r.name, endpoint: r.endpoint })), adminToken, control: regions, port: options.consolePort,
          ...(credentials ? { credentials: credentials[0] } : {}),
        });
        if (stopping) return void consoleServer.close();
      }
      out.log(endpointTable(first, consoleServer?.url));
      const current = (name: string): RegionProcess => regions.all.find((r) => r.name === name)!;
      if (options.status) stopStatus = startStatusLine(first.map((r) => ({ name: r.name, endpoint: r.endpoint, adminToken, exited: () => !current(r.name).alive })), out);
      first.forEach(watch);
    }).catch((error: Error) => {
      if (stopping) return; // a region stopped by Ctrl-C during start-up is no failure
      out.log(`globaltables up: ${error.message}`, 'stderr');
      stop((error as { code?: string }).code === 'EADDRINUSE' ? `the console's port ${options.consolePort} is in use (--console-port N, or --no-console)` : 'a region failed to start', 1);
    });
  });
}

export async function runUpCommand(argv: string[]): Promise<void> {
  const options = parse(argv);
  const files = options.files.length ? options.files : defaultFiles();
  const configs = loadConfigs(files, options.dataRoot);
  const adminToken = clusterAdminToken(options.adminToken, configs, files);
  const credentials = clusterCredentials(configs, files);
  const out = new StatusConsole();
  const regions = configs.map((config, i) => new RegionProcess(config, files[i], configs, out, adminToken));
  // Should `up` itself fail, its children must not outlive it. A restart replaces its region's
  // entry in this same array (UpRegions), so this kills what runs now.
  const killAll = (): void => regions.forEach((r) => r.kill());
  process.on('exit', killAll);
  const code = await supervise(regions, out, options, adminToken, credentials);
  process.off('exit', killAll);
  process.exitCode = code;
}
