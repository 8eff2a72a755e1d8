import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeContinuousBackupsCommand, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { rawCall } from '../helpers/rawApi.js';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

const update = (TableName: string, PointInTimeRecoveryEnabled: boolean, RecoveryPeriodInDays?: number) =>
  region.client.send(new UpdateContinuousBackupsCommand({ TableName, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled, RecoveryPeriodInDays } }));
const describeBackups = async (TableName: string) =>
  (await region.client.send(new DescribeContinuousBackupsCommand({ TableName }))).ContinuousBackupsDescription;

describe('UpdateContinuousBackups', () => {
  it('turns point-in-time recovery on with a 35-day period and a window starting now, then off', async () => {
    const name = await createTable(region.client);
    const before = Date.now();
    const enabled = (await update(name, true)).ContinuousBackupsDescription!;
    const after = Date.now();
    expect(enabled.ContinuousBackupsStatus).toBe('ENABLED');
    const pitr = enabled.PointInTimeRecoveryDescription!;
    expect(pitr).toMatchObject({ PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35 });
    expect(pitr.EarliestRestorableDateTime!.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(pitr.EarliestRestorableDateTime!.getTime()).toBeLessThanOrEqual(after + 1);
    expect(pitr.LatestRestorableDateTime!.getTime()).toBeGreaterThanOrEqual(pitr.EarliestRestorableDateTime!.getTime());
    expect(await describeBackups(name)).toMatchObject({ PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' } });

    const disabled = (await update(name, false)).ContinuousBackupsDescription;
    expect(disabled).toEqual({ ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } });
    expect(await describeBackups(name)).toEqual(disabled);
  });

  it('changes the recovery period of an enabled table and keeps its window', async () => {
    const name = await createTable(region.client);
    const first = (await update(name, true, 7)).ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
    expect(first.RecoveryPeriodInDays).toBe(7);
    const second = (await update(name, true, 20)).ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
    expect(second.RecoveryPeriodInDays).toBe(20);
    expect(second.EarliestRestorableDateTime).toEqual(first.EarliestRestorableDateTime);
  });

  it('validates the specification as DynamoDB does', async () => {
    const name = await createTable(region.client);
    expect((await failure(update(name, true, 36))).message).toBe(
      "1 validation error detected: Value '36' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 35");
    expect((await failure(update(name, true, 0))).message).toBe(
      "1 validation error detected: Value '0' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 1");
    const missing = await rawCall(region.region.endpoint, 'UpdateContinuousBackups', { TableName: name });
    expect(missing.json.message).toBe("1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to satisfy constraint: Member must not be null");
    expect(await describeBackups(name)).toMatchObject({ PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } });
  });

  it('answers TableNotFoundException for a missing table', async () => {
    expect(await failure(update('no-such-table', true))).toMatchObject({ name: 'TableNotFoundException', message: 'Table not found: no-such-table' });
  });
});

describe('UpdateContinuousBackups on a table still CREATING', () => {
  let slow: TestRegion;
  beforeAll(async () => { slow = await startTestRegion({ settings: { createTableMs: 60_000 } }); });
  afterAll(async () => { await slow.stop(); });

  it('answers ContinuousBackupsUnavailableException, as DynamoDB does while it sets backups up', async () => {
    const name = await createTable(slow.client);
    const error = await failure(slow.client.send(new UpdateContinuousBackupsCommand({ TableName: name, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })));
    expect(error).toMatchObject({ name: 'ContinuousBackupsUnavailableException', message: `Backups are being enabled for the table: ${name}. Please retry later` });
  });
});
