/**
 * Writes from inside a region's namespace, where a client on that side of a partition still
 * reaches its region: reads {endpoint, plan} as JSON on stdin, answers the outcomes as JSON.
 * Run as: ip netns exec <ns> node --import tsx scripts/netns/writer.ts
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientFor } from '../../test/helpers/region.js';
import { writeKeys, type WritePlan } from './writes.js';

export interface WriterInput {
  endpoint: string;
  plan: WritePlan;
}

let input = '';
process.stdin.setEncoding('utf8').on('data', (chunk: string) => { input += chunk; }).on('end', () => {
  const { endpoint, plan } = JSON.parse(input) as WriterInput;
  const client = clientFor(endpoint, plan.region);
  writeKeys(DynamoDBDocumentClient.from(client), plan).then((outcomes) => {
    client.destroy();
    process.stdout.write(JSON.stringify(outcomes));
  }, (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
});
