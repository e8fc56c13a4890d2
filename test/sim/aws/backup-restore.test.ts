import { BackupClient, DescribeRestoreJobCommand, StartRestoreJobCommand } from '@aws-sdk/client-backup';
import { describe, expect, it } from 'vitest';
import { describeRestoreJob, nextRestoreCompletion, startRestoreJob } from '#sim/aws/backup-restore.ts';
import { createSimulatedAwsClientConfig } from '#sim/aws/request-handler.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const REGION = 'eu-central-1';
const VAULT = 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault';
const point = (n: number) => `arn:aws:backup:eu-central-1:111122223333:recovery-point:rp-${n}`;
const db = (n: number) => `arn:aws:rds:eu-west-1:111122223333:db:db-${n}`;
const START = { IamRoleArn: 'arn:aws:iam::111122223333:role/r', Metadata: { DBInstanceIdentifier: 'db-dr' } };

function cloudWith(
  extra: { restoreJobs?: unknown[]; fail?: string[]; durationSeconds?: number } = {},
): SimulatedCloud {
  return new SimulatedCloud(
    parseWorld(
      'world.yaml',
      JSON.stringify({
        clock: '2026-11-21T12:00:00Z',
        aws: {
          recoveryPoints: [1, 2].map((n) => ({
            RecoveryPointArn: point(n),
            BackupVaultArn: VAULT,
            ResourceArn: db(n),
            ResourceType: 'RDS',
            Status: 'COMPLETED',
            CreationDate: '-10m',
          })),
          restoreJobs: extra.restoreJobs ?? [],
          restore: { durationSeconds: extra.durationSeconds ?? 600, fail: extra.fail ?? [] },
        },
      }),
    ),
  );
}

describe('simulated AWS Backup restores', () => {
  it.each([
    { type: 'RDS', metadata: {}, missing: 'DBInstanceIdentifier' },
    { type: 'EFS', metadata: { newFileSystem: 'true' }, missing: 'file-system-id' },
    { type: 'Aurora', metadata: { DBClusterIdentifier: 'c' }, missing: 'Engine' },
  ])('refuses a $type restore without $missing, as the service does', ({ type, metadata, missing }) => {
    const cloud = cloudWith();
    expect(() =>
      startRestoreJob(cloud, REGION, {
        ...START,
        RecoveryPointArn: point(1),
        ResourceType: type,
        Metadata: metadata,
      }),
    ).toThrow(`Restore metadata of a ${type} recovery point is missing ${missing}`);
    expect(cloud.world.aws.restoreJobs).toEqual([]);
  });

  it('records a started job in the world in DescribeRestoreJob shape with the simulated creation time', () => {
    const cloud = cloudWith();

    const { RestoreJobId } = startRestoreJob(cloud, REGION, {
      ...START,
      RecoveryPointArn: point(1),
      IdempotencyToken: 't',
    });

    expect(cloud.world.aws.restoreJobs).toEqual([
      expect.objectContaining({
        RestoreJobId,
        RecoveryPointArn: point(1),
        SourceResourceArn: db(1),
        BackupVaultArn: VAULT,
        CreationDate: Date.parse('2026-11-21T12:00:00Z') / 1000,
        ResourceType: 'RDS',
        IdempotencyToken: 't',
      }),
    ]);
  });

  it.each([
    [0, 'PENDING', undefined],
    [300, 'RUNNING', undefined],
    [599, 'RUNNING', undefined],
    [600, 'COMPLETED', 'arn:aws:rds:eu-central-1:111122223333:db:db-dr'],
    [3600, 'COMPLETED', 'arn:aws:rds:eu-central-1:111122223333:db:db-dr'],
  ])('derives the status %i s after the start as %s', (elapsed, status, created) => {
    const cloud = cloudWith();
    const { RestoreJobId } = startRestoreJob(cloud, REGION, { ...START, RecoveryPointArn: point(1) });
    cloud.clock.advance(elapsed);

    const job = describeRestoreJob(cloud, REGION, RestoreJobId);

    expect(job['Status']).toBe(status);
    expect(job['CreatedResourceArn']).toBe(created);
    expect(job).not.toHaveProperty('IdempotencyToken');
  });

  it.each([
    ['source resource', db(1)],
    ['recovery point', point(1)],
  ])('fails the job once due when its %s is listed in restore.fail', (_, listed) => {
    const cloud = cloudWith({ fail: [listed], durationSeconds: 60 });
    const { RestoreJobId } = startRestoreJob(cloud, REGION, { ...START, RecoveryPointArn: point(1) });
    cloud.clock.advance(60);

    expect(describeRestoreJob(cloud, REGION, RestoreJobId)).toMatchObject({
      Status: 'FAILED',
      StatusMessage: `Simulated failure: ${listed} is listed in world.aws.restore.fail`,
      CompletionDate: Date.parse('2026-11-21T12:01:00Z') / 1000,
    });
  });

  it('keeps the final status of a job written in the world', () => {
    const cloud = cloudWith({
      restoreJobs: [
        { RestoreJobId: 'old', RecoveryPointArn: point(1), CreationDate: '-2h', Status: 'ABORTED' },
      ],
    });

    expect(describeRestoreJob(cloud, REGION, 'old')['Status']).toBe('ABORTED');
  });

  it('answers the same job for the same idempotency token, and refuses the token for another point', () => {
    const cloud = cloudWith();
    const first = startRestoreJob(cloud, REGION, {
      ...START,
      RecoveryPointArn: point(1),
      IdempotencyToken: 't',
    });

    expect(
      startRestoreJob(cloud, REGION, { ...START, RecoveryPointArn: point(1), IdempotencyToken: 't' }),
    ).toEqual(first);
    expect(() =>
      startRestoreJob(cloud, REGION, { ...START, RecoveryPointArn: point(2), IdempotencyToken: 't' }),
    ).toThrow(/IdempotencyToken t was used for a restore of/);
    expect(cloud.world.aws.restoreJobs).toHaveLength(1);
  });

  it.each([
    ['a missing role', { RecoveryPointArn: point(1), Metadata: {} }, 'MissingParameterValueException'],
    ['missing metadata', { RecoveryPointArn: point(1), IamRoleArn: 'r' }, 'MissingParameterValueException'],
    ['an unknown recovery point', { ...START, RecoveryPointArn: point(9) }, 'ResourceNotFoundException'],
  ])('refuses a start with %s', (_, request, errorCode) => {
    expect(() => startRestoreJob(cloudWith(), REGION, request)).toThrow(
      expect.objectContaining({ errorCode }),
    );
  });

  it('does not find a recovery point or job of another region', () => {
    const cloud = cloudWith();
    const { RestoreJobId } = startRestoreJob(cloud, REGION, { ...START, RecoveryPointArn: point(1) });

    expect(() => startRestoreJob(cloud, 'eu-west-1', { ...START, RecoveryPointArn: point(1) })).toThrow(
      /not found in eu-west-1/,
    );
    expect(() => describeRestoreJob(cloud, 'eu-west-1', RestoreJobId)).toThrow(/not found in eu-west-1/);
  });

  it('tells when the next running restore completes', () => {
    const cloud = cloudWith({ durationSeconds: 600 });
    expect(nextRestoreCompletion(cloud)).toBeUndefined();

    startRestoreJob(cloud, REGION, { ...START, RecoveryPointArn: point(1) });
    cloud.clock.advance(120);
    startRestoreJob(cloud, REGION, { ...START, RecoveryPointArn: point(2) });

    expect(nextRestoreCompletion(cloud)).toEqual(new Date('2026-11-21T12:10:00Z'));
    cloud.clock.advanceTo(new Date('2026-11-21T12:10:00Z'));
    expect(nextRestoreCompletion(cloud)).toEqual(new Date('2026-11-21T12:12:00Z'));
    cloud.clock.advance(120);
    expect(nextRestoreCompletion(cloud)).toBeUndefined();
  });

  it('serves StartRestoreJob and DescribeRestoreJob to the real SDK client, with epoch dates parsed', async () => {
    const cloud = cloudWith();
    const backup = new BackupClient(createSimulatedAwsClientConfig(cloud, REGION));

    const { RestoreJobId } = await backup.send(
      new StartRestoreJobCommand({ ...START, RecoveryPointArn: point(1), IdempotencyToken: 'sdk' }),
    );
    const job = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId }));

    expect(job.CreationDate).toEqual(new Date('2026-11-21T12:00:00Z'));
    expect(job.Status).toBe('PENDING');
    expect(cloud.stats()).toEqual({ 'backup:DescribeRestoreJob': 1, 'backup:StartRestoreJob': 1 });
    await expect(backup.send(new DescribeRestoreJobCommand({ RestoreJobId: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
