import {
  BackupClient,
  DescribeRestoreJobCommand,
  type DescribeRestoreJobOutput,
  GetRecoveryPointRestoreMetadataCommand,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsBackupRestoreService, toRestoreJobStatus } from '#functions/adapters/aws-backup-restore.ts';
import { ErrorCode, InvalidInputError, ProviderError } from '#shared/domain/errors.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import { createSimulatedAwsClientConfig } from '#sim/aws/request-handler.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/aws/${name}`, import.meta.url), 'utf8'));

const VAULT = 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault';
const POINT = 'arn:aws:backup:eu-central-1:111122223333:recovery-point:rp-1';
const DB = 'arn:aws:rds:eu-west-1:111122223333:db:case-db';
const ROLE = 'arn:aws:iam::111122223333:role/standby-restore';

const resource = (
  restore: Partial<
    NonNullable<Extract<ProtectedResource['source'], { kind: 'aws-backup' }>['restore']>
  > | null = {},
): ProtectedResource => ({
  app: 'case-management',
  name: 'case-db',
  rpoSeconds: 300,
  dependsOn: [],
  source: {
    kind: 'aws-backup',
    resourceArn: DB,
    vaultArn: VAULT,
    ...(restore === null
      ? {}
      : {
          restore: {
            iamRoleArn: ROLE,
            metadata: { DBInstanceIdentifier: 'case-db-dr', DBSubnetGroupName: 'case-dr-private' },
            ...restore,
          },
        }),
  },
});

const fast = { retries: 3, minTimeoutMs: 1 };

describe('AwsBackupRestoreService (mocked client)', () => {
  // Mocks every BackupClient instance: restored after this block so the simulated tests use the real send.
  const backup = mockClient(BackupClient);
  afterAll(() => backup.restore());
  const regions: string[] = [];
  const service = (startsPerSecond?: number) =>
    new AwsBackupRestoreService({
      clientFor: (region) => {
        regions.push(region);
        return new BackupClient({ region });
      },
      retry: fast,
      ...(startsPerSecond ? { startsPerSecond } : {}),
    });

  const pointMetadata = fixture('backup-get-recovery-point-restore-metadata-rds-response.json');
  beforeEach(() => {
    backup.on(GetRecoveryPointRestoreMetadataCommand).resolves(pointMetadata);
  });
  afterEach(() => {
    backup.reset();
    regions.length = 0;
  });

  it("starts from the point's restore metadata, the plan's values over it, without the source region's values", async () => {
    backup.on(StartRestoreJobCommand).resolves(fixture('backup-start-restore-job-response.json'));

    const started = await service().start({
      resource: resource({ resourceType: 'RDS', copySourceTags: true }),
      recoveryPointId: POINT,
      idempotencyToken: 'failover-42:case-db',
    });

    expect(started).toEqual({ jobId: 'AB123456-78C9-0123-456D-789012E34567' });
    expect(backup).toHaveReceivedCommandExactlyOnceWith(GetRecoveryPointRestoreMetadataCommand, {
      BackupVaultName: 'dr-vault',
      RecoveryPointArn: POINT,
      BackupVaultAccountId: '111122223333',
    });
    expect(backup).toHaveReceivedCommandExactlyOnceWith(StartRestoreJobCommand, {
      RecoveryPointArn: POINT,
      IamRoleArn: ROLE,
      // AvailabilityZone and VpcSecurityGroupIds name eu-west-1, where the database was: left out.
      Metadata: {
        DBInstanceIdentifier: 'case-db-dr',
        DBInstanceClass: 'db.r6g.large',
        Engine: 'postgres',
        EngineVersion: '16.4',
        MultiAZ: 'false',
        DBSubnetGroupName: 'case-dr-private',
        Port: '5432',
        StorageType: 'gp3',
        CopyTagsToSnapshot: 'true',
      },
      ResourceType: 'RDS',
      CopySourceTagsToRestoredResource: true,
      IdempotencyToken: 'failover-42:case-db',
    });
    expect(regions).toEqual(['eu-central-1', 'eu-central-1']);
  });

  it("takes ResourceType from the point's restore metadata when the plan gives none, and sends no tag copy unasked", async () => {
    backup.on(StartRestoreJobCommand).resolves({ RestoreJobId: 'job-1' });

    await service().start({ resource: resource(), recoveryPointId: POINT, idempotencyToken: 't' });

    const input = backup.commandCalls(StartRestoreJobCommand)[0]!.args[0].input;
    expect(input.ResourceType).toBe('RDS');
    expect(input).not.toHaveProperty('CopySourceTagsToRestoredResource');
  });

  it('refuses, before StartRestoreJob, a request the table says AWS would refuse, giving every reason', async () => {
    const error = await service()
      .start({
        resource: resource({ metadata: { DBInstanceIdentifier: 'case-db-dr', MultiAZ: 'yes' } }),
        recoveryPointId: POINT,
        idempotencyToken: 't',
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe(
      `restore of case-management/case-db from ${POINT} would be refused: DBSubnetGroupName is required and the recovery point's value names the source region; set it in awsBackup.restore.metadata; MultiAZ must be "true" or "false", got "yes"`,
    );
    expect(backup).toHaveReceivedCommandTimes(StartRestoreJobCommand, 0);
  });

  it('prepares the exact request without starting anything', async () => {
    const prepared = await service().prepare({ resource: resource(), recoveryPointId: POINT });

    expect(prepared).toMatchObject({
      request: {
        RecoveryPointArn: POINT,
        ResourceType: 'RDS',
        Metadata: { DBInstanceIdentifier: 'case-db-dr' },
      },
      targetName: 'case-db-dr',
      problems: [],
    });
    expect(prepared.request).not.toHaveProperty('IdempotencyToken');
    expect(backup).toHaveReceivedCommandTimes(StartRestoreJobCommand, 0);
  });

  it('retries a throttled start and returns the job of the call that went through', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    backup
      .on(StartRestoreJobCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolves({ RestoreJobId: 'job-after-throttling' });

    const started = await service().start({
      resource: resource(),
      recoveryPointId: POINT,
      idempotencyToken: 't',
    });

    expect(started.jobId).toBe('job-after-throttling');
    expect(backup).toHaveReceivedCommandTimes(StartRestoreJobCommand, 3);
    // Every retry carries the same token, so AWS answers the same job if an earlier one did start.
    const tokens = backup.commandCalls(StartRestoreJobCommand).map((c) => c.args[0].input.IdempotencyToken);
    expect(new Set(tokens)).toEqual(new Set(['t']));
  });

  it('gives up on throttling after its retries with a Throttled provider error', async () => {
    backup
      .on(StartRestoreJobCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));

    const error = await service()
      .start({ resource: resource(), recoveryPointId: POINT, idempotencyToken: 't' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: ErrorCode.Throttled, operation: 'backup:StartRestoreJob' });
    expect(backup).toHaveReceivedCommandTimes(StartRestoreJobCommand, 4);
  });

  it('does not retry an error that is not throttling, and names it', async () => {
    backup
      .on(StartRestoreJobCommand)
      .rejects(Object.assign(new Error('Invalid role'), { name: 'InvalidParameterValueException' }));

    const error = await service()
      .start({ resource: resource(), recoveryPointId: POINT, idempotencyToken: 't' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toContain('InvalidParameterValueException: Invalid role');
    expect(backup).toHaveReceivedCommandTimes(StartRestoreJobCommand, 1);
  });

  it('spaces starts to the configured rate', async () => {
    backup.on(StartRestoreJobCommand).resolves({ RestoreJobId: 'job' });
    const restore = service(10);
    const began = Date.now();

    await Promise.all(
      [1, 2, 3, 4].map((n) =>
        restore.start({ resource: resource(), recoveryPointId: POINT, idempotencyToken: `t${n}` }),
      ),
    );

    // Four starts at 10 per second: the last one at least 3 × 100 ms after the first.
    expect(Date.now() - began).toBeGreaterThanOrEqual(290);
  });

  it.each([
    ['a resource without a restore block', resource(null), POINT, /no awsBackup.restore block/],
    ['a recovery point id that is not an ARN', resource(), 'rp-1', /not a regional ARN/],
  ])('refuses %s before calling AWS', async (_, res, point, message) => {
    await expect(
      service().start({ resource: res, recoveryPointId: point, idempotencyToken: 't' }),
    ).rejects.toThrow(message);
    expect(backup).toHaveReceivedCommandTimes(StartRestoreJobCommand, 0);
  });

  it('refuses a resource backed up by Azure', async () => {
    const azure: ProtectedResource = {
      ...resource(),
      source: { kind: 'azure-backup', backupInstanceId: '/subscriptions/x' },
    };
    await expect(service().describe(azure, 'job')).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('describes the job in the region of the recovery vault', async () => {
    backup.on(DescribeRestoreJobCommand).resolves(fixture('backup-describe-restore-job-response.json'));

    const status = await service().describe(resource(), 'AB123456-78C9-0123-456D-789012E34567');

    expect(status).toEqual({
      state: 'succeeded',
      message: 'string',
      createdResource:
        'arn:aws:rds:us-west-2:1112233445566:db:testinginstance1a2bcd34-567e-8901-23f4-5g6hijkl7890',
    });
    expect(regions).toEqual(['eu-central-1']);
    expect(backup).toHaveReceivedCommandWith(DescribeRestoreJobCommand, {
      RestoreJobId: 'AB123456-78C9-0123-456D-789012E34567',
    });
  });

  it('turns a missing job into a NotFound provider error', async () => {
    backup
      .on(DescribeRestoreJobCommand)
      .rejects(Object.assign(new Error('no such job'), { name: 'ResourceNotFoundException' }));

    await expect(service().describe(resource(), 'nope')).rejects.toMatchObject({
      code: ErrorCode.NotFound,
      operation: 'backup:DescribeRestoreJob',
    });
  });
});

describe('toRestoreJobStatus', () => {
  it.each<[DescribeRestoreJobOutput, ReturnType<typeof toRestoreJobStatus>]>([
    [{ Status: 'PENDING' }, { state: 'running' }],
    [{ Status: 'RUNNING', PercentDone: '40.00%' }, { state: 'running' }],
    [{ Status: 'CREATED' as never }, { state: 'running' }],
    [
      { Status: 'COMPLETED', CreatedResourceArn: 'arn:new' },
      { state: 'succeeded', createdResource: 'arn:new' },
    ],
    [
      { Status: 'FAILED', StatusMessage: 'role cannot pass' },
      { state: 'failed', message: 'role cannot pass' },
    ],
    [{ Status: 'ABORTED' }, { state: 'failed', message: 'restore job aborted' }],
    [
      { Status: 'PAUSED' as never },
      { state: 'running', message: 'AWS Backup reports status "PAUSED", not known to Standby' },
    ],
  ])('maps %o to %o', (output, expected) => {
    expect(toRestoreJobStatus(output)).toEqual(expected);
  });
});

describe('AwsBackupRestoreService (simulated AWS Backup through the real SDK)', () => {
  const world = (extra: Record<string, unknown> = {}) =>
    new SimulatedCloud(
      parseWorld(
        'world.yaml',
        JSON.stringify({
          clock: '2026-11-21T12:00:00Z',
          aws: {
            recoveryPoints: [
              {
                RecoveryPointArn: POINT,
                BackupVaultArn: VAULT,
                BackupVaultName: 'dr-vault',
                ResourceArn: DB,
                ResourceType: 'RDS',
                Status: 'COMPLETED',
                CreationDate: '-8m',
              },
            ],
            restore: { durationSeconds: 600, fail: [] },
            ...extra,
          },
        }),
      ),
    );
  const serviceOn = (cloud: SimulatedCloud) =>
    new AwsBackupRestoreService({
      clientFor: (region) => new BackupClient(createSimulatedAwsClientConfig(cloud, region)),
      retry: fast,
    });

  it('starts a job that runs until the restore duration has passed, then succeeds', async () => {
    const cloud = world();
    const restore = serviceOn(cloud);

    const { jobId } = await restore.start({
      resource: resource(),
      recoveryPointId: POINT,
      idempotencyToken: 'f1',
    });
    cloud.clock.advance(60);
    const running = await restore.describe(resource(), jobId);
    cloud.clock.advance(540);
    const done = await restore.describe(resource(), jobId);

    expect(running).toEqual({ state: 'running' });
    expect(done).toEqual({
      state: 'succeeded',
      createdResource: 'arn:aws:rds:eu-central-1:111122223333:db:case-db-dr',
    });
    expect(cloud.world.aws.restoreJobs).toHaveLength(1);
  });

  it('fails the restore of a resource listed in world.aws.restore.fail', async () => {
    const cloud = world({ restore: { durationSeconds: 120, fail: [DB] } });
    const restore = serviceOn(cloud);

    const { jobId } = await restore.start({
      resource: resource(),
      recoveryPointId: POINT,
      idempotencyToken: 'f1',
    });
    cloud.clock.advance(120);

    expect(await restore.describe(resource(), jobId)).toEqual({
      state: 'failed',
      message: `Simulated failure: ${DB} is listed in world.aws.restore.fail`,
    });
  });

  it('answers a repeated start with the same token with the same job, counting both calls', async () => {
    const cloud = world();
    const restore = serviceOn(cloud);
    const request = { resource: resource(), recoveryPointId: POINT, idempotencyToken: 'failover-1:case-db' };

    const first = await restore.start(request);
    const second = await restore.start(request);

    expect(second).toEqual(first);
    expect(cloud.world.aws.restoreJobs).toHaveLength(1);
    expect(cloud.stats()['backup:StartRestoreJob']).toBe(2);
  });

  it('retries injected throttling through the SDK error path', async () => {
    const cloud = new SimulatedCloud({
      ...world().world,
      faults: [{ api: 'backup:StartRestoreJob', error: 'ThrottlingException', times: 2 }],
    });
    const restore = serviceOn(cloud);

    const { jobId } = await restore.start({
      resource: resource(),
      recoveryPointId: POINT,
      idempotencyToken: 'f1',
    });

    expect(jobId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-/);
    expect(cloud.stats()['backup:StartRestoreJob']).toBe(3);
  });

  it('reports a recovery point the vault does not hold as a NotFound provider error', async () => {
    const restore = serviceOn(world());

    await expect(
      restore.start({
        resource: resource(),
        recoveryPointId: 'arn:aws:backup:eu-central-1:111122223333:recovery-point:gone',
        idempotencyToken: 'f1',
      }),
    ).rejects.toMatchObject({
      code: ErrorCode.NotFound,
      operation: 'backup:GetRecoveryPointRestoreMetadata',
    });
  });
});
