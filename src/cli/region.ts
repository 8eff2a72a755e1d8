/** `globaltables region`: one region in the foreground until SIGTERM or SIGINT. */
import { parseArgs } from 'node:util';
import { startRegion } from '../region/region.js';

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
    },
    strict: true,
  });
  const name = values.name!;
  const numberOption = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value));
  const region = await startRegion({
    name,
    port: Number(values.port),
    host: values.host,
    dataDir: values.data ?? `.data/${name}`,
    clockMode: values['clock-mode'] === 'wall' ? 'wall' : 'hlc',
    settings: Object.fromEntries(Object.entries({
      createTableMs: numberOption(values['create-table-ms']),
      deleteTableMs: numberOption(values['delete-table-ms']),
      ttlSweepIntervalMs: numberOption(values['ttl-sweep-interval-ms']),
    }).filter(([, v]) => v !== undefined)),
  });
  region.ctx.clock.skewMs = Number(values['skew-ms']);
  process.stdout.write(`region ${name} listening on ${region.endpoint} (data: ${values.data ?? `.data/${name}`})\n`);
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
