import {
  BackupClient,
  DescribeRecoveryPointCommand,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRecoveryPointsByResourceCommand,
  paginateListRecoveryPointsByBackupVault,
} from '@aws-sdk/client-backup';
import { describe, expect, it } from 'vitest';
import { createSimulatedAwsClientConfig } from '#sim/aws/request-handler.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const ACCOUNT = '111122223333';
const drVault = `arn:aws:backup:eu-central-1:${ACCOUNT}:backup-vault:dr-vault`;
const db = (n: number) => `arn:aws:rds:eu-west-1:${ACCOUNT}:db:db-${n}`;
const clock = new Date('2026-11-21T12:00:00Z');
const minutesAgo = (m: number) => new Date(clock.getTime() - m * 60_000);

/** A world of `count` points in the DR vault (one per minute of age), plus a same-named vault in eu-west-1. */
function world(count: number, extra: Record<string, unknown> = {}) {
  const recoveryPoints = Array.from({ length: count }, (_, i) => ({
    RecoveryPointArn: `arn:aws:backup:eu-central-1:${ACCOUNT}:recovery-point:rp-${i}`,
    BackupVaultArn: drVault,
    BackupVaultName: 'dr-vault',
    SourceBackupVaultArn: `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-vault:primary`,
    ResourceArn: db(i % 3),
    ResourceType: 'RDS',
    Status: 'COMPLETED',
    CreationDate: `-${i + 1}m`,
    CalculatedLifecycle: { DeleteAt: '+30d' },
  }));
  recoveryPoints.push({
    ...recoveryPoints[0]!,
    RecoveryPointArn: `arn:aws:backup:eu-west-1:${ACCOUNT}:recovery-point:other-region`,
    BackupVaultArn: `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-vault:dr-vault`,
  });
  const backupJobs = [
    {
      BackupJobId: 'j-failed',
      ResourceArn: db(0),
      State: 'FAILED',
      CreationDate: '-50m',
      CompletionDate: '-40m',
    },
    {
      BackupJobId: 'j-old',
      ResourceArn: db(0),
      State: 'COMPLETED',
      CreationDate: '-5h',
      CompletionDate: '-4h',
    },
    {
      BackupJobId: 'j-db1',
      ResourceArn: db(1),
      State: 'COMPLETED',
      CreationDate: '-30m',
      CompletionDate: '-20m',
    },
    { BackupJobId: 'j-running', ResourceArn: db(0), State: 'RUNNING', CreationDate: '-5m' },
  ].map((j) => ({ ...j, BackupVaultArn: `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-vault:primary` }));
  return new SimulatedCloud(
    parseWorld(
      'world.yaml',
      JSON.stringify({ clock: clock.toISOString(), aws: { recoveryPoints, backupJobs }, ...extra }),
    ),
  );
}

const client = (cloud: SimulatedCloud, region = 'eu-central-1') =>
  new BackupClient(createSimulatedAwsClientConfig(cloud, region));

describe('simulated AWS Backup', () => {
  it('pages ListRecoveryPointsByBackupVault by MaxResults with an opaque NextToken, newest first', async () => {
    const cloud = world(7);
    const pages = [];
    for await (const page of paginateListRecoveryPointsByBackupVault(
      { client: client(cloud), pageSize: 3 },
      { BackupVaultName: 'dr-vault' },
    ))
      pages.push(page);

    expect(pages.map((p) => p.RecoveryPoints?.length)).toEqual([3, 3, 1]);
    expect(pages[0]!.NextToken).toMatch(/^[A-Za-z0-9_-]+$/);
    const times = pages.flatMap((p) => p.RecoveryPoints!.map((r) => r.CreationDate));
    expect(times).toEqual(Array.from({ length: 7 }, (_, i) => minutesAgo(i + 1)));
    expect(cloud.stats()).toEqual({ 'backup:ListRecoveryPointsByBackupVault': 3 });
  });

  it('answers only the vault of the region asked, with the recorded fields deserialized', async () => {
    const out = await client(world(1)).send(
      new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'dr-vault' }),
    );

    expect(out.RecoveryPoints).toEqual([
      {
        RecoveryPointArn: `arn:aws:backup:eu-central-1:${ACCOUNT}:recovery-point:rp-0`,
        BackupVaultArn: drVault,
        BackupVaultName: 'dr-vault',
        SourceBackupVaultArn: `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-vault:primary`,
        ResourceArn: db(0),
        ResourceType: 'RDS',
        Status: 'COMPLETED',
        CreationDate: minutesAgo(1),
        CalculatedLifecycle: { DeleteAt: new Date(clock.getTime() + 30 * 86_400_000) },
      },
    ]);
  });

  it.each([
    [{ ByResourceArn: db(1) }, [1, 4]],
    [{ ByCreatedAfter: minutesAgo(3.5) }, [0, 1, 2]],
    [{ ByCreatedBefore: minutesAgo(4.5), ByResourceArn: db(2) }, [5]],
  ])('filters the vault listing by %o', async (filter, indexes) => {
    const out = await client(world(6)).send(
      new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'dr-vault', ...filter }),
    );
    expect(out.RecoveryPoints?.map((p) => p.RecoveryPointArn?.split(':rp-')[1])).toEqual(indexes.map(String));
  });

  it('refuses a vault that does not exist, a NextToken it did not issue, and MaxResults out of range', async () => {
    const c = client(world(2));
    await expect(
      c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'nope' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      c.send(
        new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'dr-vault', NextToken: 'made-up' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(
      c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'dr-vault', MaxResults: 1001 })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('maxResults'),
    });
  });

  it('knows an empty vault listed in backupVaults', async () => {
    const cloud = world(0, {});
    cloud.world.aws.backupVaults.push({
      BackupVaultName: 'empty',
      BackupVaultArn: `arn:aws:backup:eu-central-1:${ACCOUNT}:backup-vault:empty`,
    });
    const out = await client(cloud).send(
      new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'empty' }),
    );
    expect(out.RecoveryPoints).toEqual([]);
    expect(out.NextToken).toBeUndefined();
  });

  it('lists the backup jobs of the region asked, filtered by completion time, state and resource', async () => {
    const cloud = world(1);
    const west = client(cloud, 'eu-west-1');
    const recent = await west.send(new ListBackupJobsCommand({ ByCompleteAfter: minutesAgo(60) }));
    const failed = await west.send(new ListBackupJobsCommand({ ByState: 'FAILED', ByResourceArn: db(0) }));
    const central = await client(cloud).send(new ListBackupJobsCommand({}));

    expect(recent.BackupJobs?.map((j) => j.BackupJobId)).toEqual(['j-db1', 'j-failed']);
    expect(recent.BackupJobs?.[1]).toMatchObject({ State: 'FAILED', CompletionDate: minutesAgo(40) });
    expect(failed.BackupJobs?.map((j) => j.BackupJobId)).toEqual(['j-failed']);
    expect(central.BackupJobs).toEqual([]);
  });

  it('pages ListBackupJobs', async () => {
    const west = client(world(1), 'eu-west-1');
    const first = await west.send(new ListBackupJobsCommand({ MaxResults: 3 }));
    const second = await west.send(new ListBackupJobsCommand({ MaxResults: 3, NextToken: first.NextToken }));

    expect(first.BackupJobs?.map((j) => j.BackupJobId)).toEqual(['j-running', 'j-db1', 'j-failed']);
    expect(second.BackupJobs?.map((j) => j.BackupJobId)).toEqual(['j-old']);
    expect(second.NextToken).toBeUndefined();
  });

  it('lists copy jobs in the region they copy from', async () => {
    const cloud = world(1);
    cloud.world.aws.copyJobs.push({
      CopyJobId: 'c-1',
      ResourceArn: db(0),
      SourceBackupVaultArn: `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-vault:primary`,
      DestinationBackupVaultArn: drVault,
      State: 'COMPLETED',
      CreationDate: clock.getTime() / 1000 - 600,
      CompletionDate: clock.getTime() / 1000 - 60,
    });
    const west = await client(cloud, 'eu-west-1').send(
      new ListCopyJobsCommand({ ByDestinationVaultArn: drVault }),
    );
    const central = await client(cloud).send(new ListCopyJobsCommand({}));

    expect(west.CopyJobs?.map((j) => [j.CopyJobId, j.CompletionDate])).toEqual([['c-1', minutesAgo(1)]]);
    expect(central.CopyJobs).toEqual([]);
  });

  it('lists the points of a resource in the region asked, in the by-resource shape', async () => {
    const out = await client(world(4)).send(new ListRecoveryPointsByResourceCommand({ ResourceArn: db(0) }));
    expect(
      out.RecoveryPoints?.map((p) => [p.RecoveryPointArn?.split(':').at(-1), p.BackupVaultName]),
    ).toEqual([
      ['rp-0', 'dr-vault'],
      ['rp-3', 'dr-vault'],
    ]);
  });

  it('describes one recovery point, and refuses one it does not hold', async () => {
    const c = client(world(2));
    const arn = `arn:aws:backup:eu-central-1:${ACCOUNT}:recovery-point:rp-1`;
    const out = await c.send(
      new DescribeRecoveryPointCommand({ BackupVaultName: 'dr-vault', RecoveryPointArn: arn }),
    );
    expect(out).toMatchObject({ RecoveryPointArn: arn, Status: 'COMPLETED', CreationDate: minutesAgo(2) });
    await expect(
      c.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'dr-vault', RecoveryPointArn: `${arn}-x` })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('answers an operation it does not simulate with a clean SDK error, uncounted', async () => {
    const cloud = world(1);
    const { ListBackupVaultsCommand } = await import('@aws-sdk/client-backup');
    await expect(client(cloud).send(new ListBackupVaultsCommand({}))).rejects.toMatchObject({
      name: 'UnknownOperationException',
      $metadata: { httpStatusCode: 404 },
      message: expect.stringContaining('GET /backup-vaults'),
    });
    expect(cloud.stats()).toEqual({});
  });

  it('turns injected faults and tps limits into the errors the SDK raises', async () => {
    const cloud = world(1, {
      faults: [{ api: 'backup:ListRecoveryPointsByBackupVault', error: 'ThrottlingException', times: 1 }],
      limits: { 'backup:ListBackupJobs': { tps: 1 } },
    });
    const c = client(cloud);
    await expect(
      c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'dr-vault' })),
    ).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'dr-vault' })),
    ).resolves.toBeDefined();
    await c.send(new ListBackupJobsCommand({}));
    await expect(c.send(new ListBackupJobsCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    expect(cloud.stats()).toEqual({
      'backup:ListBackupJobs': 2,
      'backup:ListRecoveryPointsByBackupVault': 2,
    });
  });
});
