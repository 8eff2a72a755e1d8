/** Worker threads running this project's TypeScript modules, through one boot file (workerBoot.mjs). */
import { Worker, type WorkerOptions } from 'node:worker_threads';

const BOOT = new URL('./workerBoot.mjs', import.meta.url);

/** A worker running `module` (a URL, usually `new URL('./x.ts', import.meta.url)`). */
export function startWorker(module: URL, options: Omit<WorkerOptions, 'argv'> = {}): Worker {
  return new Worker(BOOT, { ...options, argv: [module.href] });
}
