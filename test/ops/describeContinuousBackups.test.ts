import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeContinuousBackupsCommand, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { startRegion, type RunningRegion } from '../../src/region/region.js';
import { clientFor, failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

describe('DescribeContinuousBackups', () => {
  it('reports continuous backups ENABLED and point-in-time recovery DISABLED for a new table', async () => {
    const name = await createTable(region.client);
    const answer = await region.client.send(new DescribeContinuousBackupsCommand({ TableName: name }));
    expect(answer.ContinuousBackupsDescription).toEqual({ ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } });
  });

  it('answers TableNotFoundException for a missing table', async () => {
    const error = await failure(region.client.send(new DescribeContinuousBackupsCommand({ TableName: 'no-such-table' })));
    expect(error).toMatchObject({ name: 'TableNotFoundException', message: 'Table not found: no-such-table' });
  });
});

describe('the point-in-time recovery setting across a restart', () => {
  let restarted: RunningRegion | undefined;
  afterAll(async () => { await restarted?.close(); });

  it('is kept with the table', async () => {
    const name = await createTable(region.client);
    await region.client.send(new UpdateContinuousBackupsCommand({ TableName: name, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 3 } }));
    await region.region.close();
    restarted = await startRegion({ name: 'us-east-1', port: 0, dataDir: region.dataDir });
    const client = clientFor(restarted.endpoint);
    const answer = await client.send(new DescribeContinuousBackupsCommand({ TableName: name }));
    expect(answer.ContinuousBackupsDescription?.PointInTimeRecoveryDescription).toMatchObject({ PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 3 });
    client.destroy();
    // region.stop() closes the first region again; it is closed already.
    region.region.close = async () => undefined;
  });
});
