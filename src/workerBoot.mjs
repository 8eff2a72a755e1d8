// A worker thread does not share the main thread's module hooks: tsx is registered here too, then
// the worker's own module is loaded (its URL is the worker's last argument: startWorker, workerBoot.ts).
import { register } from 'tsx/esm/api';

register();
await import(process.argv.at(-1));
