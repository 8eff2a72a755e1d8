/** `globaltables region`: one region in the foreground until SIGTERM or SIGINT. */
import { parseArgs } from 'node:util';
import { startRegion } from '../region/region.js';

/** A command line the tool cannot act on; printed without a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export async function runRegionCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string', default: 'us-east-1' },
      port: { type: 'string', default: '8001' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string' },
      'clock-mode': { type: 'string', default: 'hlc' },
      'skew-ms': { type: 'string', default: '0' },
      'create-table-ms': { type: 'string' },
      'delete-table-ms': { type: 'string' },
      'ttl-sweep-interval-ms': { type: 'string' },
      durability: { type: 'string', default: 'process' },
      'nats-url': { type: 'string' },
      'nats-port': { type: 'string' },
      'no-change-stream': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const name = values.name!;
  for (const [option, allowed] of [['clock-mode', ['hlc', 'wall']], ['durability', ['process', 'fsync']]] as const) {
    const value = values[option] as string;
    if (!(allowed as readonly string[]).includes(value)) {
      throw new UsageError(`--${option} must be one of ${allowed.join(', ')} (got ${value})`);
    }
  }
  for (const option of ['port', 'nats-port', 'skew-ms', 'create-table-ms', 'delete-table-ms', 'ttl-sweep-interval-ms'] as const) {
    const value = values[option];
    if (value !== undefined && !Number.isFinite(Number(value))) throw new UsageError(`--${option} must be a number (got ${value})`);
  }
  const numberOption = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value));
  const region = await startRegion({
    name,
    port: Number(values.port),
    host: values.host,
    dataDir: values.data ?? `.data/${name}`,
    clockMode: values['clock-mode'] === 'wall' ? 'wall' : 'hlc',
    durability: values.durability === 'fsync' ? 'fsync' : 'process',
    changeStream: values['no-change-stream'] ? undefined : {
      natsUrl: values['nats-url'],
      natsPort: numberOption(values['nats-port']),
    },
    settings: Object.fromEntries(Object.entries({
      createTableMs: numberOption(values['create-table-ms']),
      deleteTableMs: numberOption(values['delete-table-ms']),
      ttlSweepIntervalMs: numberOption(values['ttl-sweep-interval-ms']),
    }).filter(([, v]) => v !== undefined)),
  });
  region.ctx.clock.skewMs = Number(values['skew-ms']);
  const stream = region.changeStream ? `, change stream on ${region.changeStream.natsUrl}` : '';
  process.stdout.write(`region ${name} listening on ${region.endpoint} (data: ${values.data ?? `.data/${name}`}${stream})\n`);
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    process.stdout.write(`region ${name}: ${signal}, closing\n`);
    region.close().then(() => process.exit(0), (error) => {
      console.error(error);
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
