// A worker thread does not share the main thread's module hooks: tsx is registered here too.
import { register } from 'tsx/esm/api';

register();
await import('./publisherWorker.ts');
