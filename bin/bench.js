#!/usr/bin/env node
/** Benchmark entry point: `npm run bench -- <target>`. */
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../bench/main.ts');
await main(process.argv.slice(2));
process.exit(process.exitCode ?? 0);
