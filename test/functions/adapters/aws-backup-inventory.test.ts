import { readFileSync } from 'node:fs';
import {
  BackupClient,
  BackupServiceException,
  ListBackupJobsCommand,
  type ListBackupJobsCommandOutput,
  ListCopyJobsCommand,
  type ListCopyJobsCommandOutput,
  ListRecoveryPointsByBackupVaultCommand,
  type ListRecoveryPointsByBackupVaultCommandInput,
  type ListRecoveryPointsByBackupVaultCommandOutput,
  type RecoveryPointByBackupVault,
  type RecoveryPointStatus,
} from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import { toHaveReceivedCommandTimes, toHaveReceivedCommandWith } from 'aws-sdk-client-mock-vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsBackupInventory, recoveryPointState } from '#functions/adapters/aws-backup-inventory.ts';
import type { ResourceObservation } from '#shared/domain/recovery-point.ts';
import type { InventoryRequest } from '#shared/ports/backup-inventory.ts';

expect.extend({ toHaveReceivedCommandTimes, toHaveReceivedCommandWith });

/** The recorded response, its wire timestamps (epoch seconds) turned into the Dates the SDK hands out. */
const recorded = JSON.parse(
  readFileSync(
    new URL('../../fixtures/aws/backup-list-recovery-points-by-backup-vault-response.json', import.meta.url),
    'utf8',
  ),
  (key, value) =>
    /(Date|At|Time|LastComputed)$/.test(key) && typeof value === 'number' ? new Date(value * 1000) : value,
) as { NextToken: string; RecoveryPoints: RecoveryPointByBackupVault[] };
const template = recorded.RecoveryPoints[0]!;

const ACCOUNT = '123456789012';
const vaultArn = (name: string, region = 'us-east-1') =>
  `arn:aws:backup:${region}:${ACCOUNT}:backup-vault:${name}`;
const dbArn = (name: string) => `arn:aws:rds:us-west-2:${ACCOUNT}:db:${name}`;
const now = new Date('2026-11-21T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

/** A point of the recorded shape in `vault`, for `resource`, created `ageMinutes` ago. */
function point(
  vault: string,
  resource: string,
  ageMinutes: number,
  extra: Partial<RecoveryPointByBackupVault> = {},
) {
  return {
    ...template,
    RecoveryPointArn: `arn:aws:backup:us-east-1:${ACCOUNT}:recovery-point:${resource}-${ageMinutes}`,
    BackupVaultName: vault,
    BackupVaultArn: vaultArn(vault),
    ResourceArn: dbArn(resource),
    CreationDate: minutesAgo(ageMinutes),
    ...extra,
  } satisfies RecoveryPointByBackupVault;
}

function request(key: string, vault: string, resource: string): InventoryRequest {
  return {
    key,
    source: { kind: 'aws-backup', resourceArn: dbArn(resource), vaultArn: vaultArn(vault) },
    recoveryRegion: 'us-east-1',
    jobsSince: minutesAgo(60),
  };
}

const throttling = () =>
  new BackupServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'Rate exceeded',
  });

const backupMock = mockClient(BackupClient);
const clients = new Map<string, BackupClient>();
const inventory = (options: { maxAttempts?: number } = {}) =>
  new AwsBackupInventory({
    clientFor: (region) =>
      clients.get(region) ?? clients.set(region, new BackupClient({ region })).get(region)!,
    maxCallsPerSecond: 1000,
    retryBaseDelayMs: 1,
    ...options,
  });

/** Answers vault listings from `vaults` (name → pages), one page per NextToken. */
function serveVaults(vaults: Record<string, RecoveryPointByBackupVault[][]>) {
  backupMock
    .on(ListRecoveryPointsByBackupVaultCommand)
    .callsFake((input: ListRecoveryPointsByBackupVaultCommandInput) => {
      const pages = vaults[input.BackupVaultName!] ?? [[]];
      const index = input.NextToken ? Number(input.NextToken.replace('page-', '')) : 0;
      const items = pages[index]!.filter(
        (p) => !input.ByResourceArn || p.ResourceArn === input.ByResourceArn,
      );
      return {
        RecoveryPoints: items,
        ...(index + 1 < pages.length ? { NextToken: `page-${index + 1}` } : {}),
        $metadata: {},
      } satisfies ListRecoveryPointsByBackupVaultCommandOutput;
    });
}

const okOf = (o: ResourceObservation | undefined) => {
  if (!o?.ok) throw new Error(`expected an ok observation, got ${JSON.stringify(o)}`);
  return o;
};

beforeEach(() => {
  backupMock.reset();
  clients.clear();
  backupMock.on(ListBackupJobsCommand).resolves({ BackupJobs: [], $metadata: {} });
  backupMock.on(ListCopyJobsCommand).resolves({ CopyJobs: [], $metadata: {} });
});
afterEach(() => backupMock.reset());

describe('AwsBackupInventory', () => {
  it('follows NextToken across three pages and keeps every point of the resource', async () => {
    serveVaults({
      ExampleVault: [
        [point('ExampleVault', 'a', 10), point('ExampleVault', 'b', 11)],
        [point('ExampleVault', 'a', 70)],
        [point('ExampleVault', 'a', 130), point('ExampleVault', 'b', 131)],
      ],
    });
    const result = await inventory().observe([
      request('app/a', 'ExampleVault', 'a'),
      request('app/b', 'ExampleVault', 'b'),
    ]);

    expect(backupMock).toHaveReceivedCommandTimes(ListRecoveryPointsByBackupVaultCommand, 3);
    expect(backupMock).toHaveReceivedCommandWith(ListRecoveryPointsByBackupVaultCommand, {
      BackupVaultName: 'ExampleVault',
      MaxResults: 1000,
      NextToken: 'page-2',
    });
    expect(okOf(result.get('app/a')).points.map((p) => p.createdAt)).toEqual([
      minutesAgo(10),
      minutesAgo(70),
      minutesAgo(130),
    ]);
    expect(okOf(result.get('app/b')).points).toHaveLength(2);
  });

  it('lists a vault once, unfiltered, for all the planned resources in it', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    serveVaults({ ExampleVault: [names.map((n, i) => point('ExampleVault', n, i + 1))] });
    const result = await inventory().observe(names.map((n) => request(`app/${n}`, 'ExampleVault', n)));

    expect(backupMock).toHaveReceivedCommandTimes(ListRecoveryPointsByBackupVaultCommand, 1);
    const input = backupMock.commandCalls(ListRecoveryPointsByBackupVaultCommand)[0]!.args[0].input;
    expect(input.ByResourceArn).toBeUndefined();
    for (const [i, n] of names.entries())
      expect(okOf(result.get(`app/${n}`)).points.map((p) => p.createdAt)).toEqual([minutesAgo(i + 1)]);
  });

  it('filters the listing by resource when a vault holds only one planned resource', async () => {
    serveVaults({
      Solo: [[point('Solo', 'a', 5), point('Solo', 'unplanned', 6)]],
      Pair: [[point('Pair', 'b', 7), point('Pair', 'c', 8)]],
    });
    const result = await inventory().observe([
      request('app/a', 'Solo', 'a'),
      request('app/b', 'Pair', 'b'),
      request('app/c', 'Pair', 'c'),
    ]);

    expect(backupMock).toHaveReceivedCommandTimes(ListRecoveryPointsByBackupVaultCommand, 2);
    expect(backupMock).toHaveReceivedCommandWith(ListRecoveryPointsByBackupVaultCommand, {
      BackupVaultName: 'Solo',
      ByResourceArn: dbArn('a'),
    });
    expect(okOf(result.get('app/a')).points).toHaveLength(1);
  });

  it('lists the vault in the region of its ARN', async () => {
    serveVaults({
      Frankfurt: [[point('Frankfurt', 'a', 5, { BackupVaultArn: vaultArn('Frankfurt', 'eu-central-1') })]],
    });
    const r = { ...request('app/a', 'Frankfurt', 'a'), recoveryRegion: 'eu-central-1' };
    const result = await inventory().observe([
      {
        ...r,
        source: {
          kind: 'aws-backup',
          resourceArn: dbArn('a'),
          vaultArn: vaultArn('Frankfurt', 'eu-central-1'),
        },
      },
    ]);

    expect(okOf(result.get('app/a')).points).toHaveLength(1);
    expect([...clients.keys()].sort()).toEqual(['eu-central-1', 'us-west-2']);
  });

  it('retries a throttled call and then succeeds', async () => {
    backupMock
      .on(ListRecoveryPointsByBackupVaultCommand)
      .rejectsOnce(throttling())
      .resolves({ RecoveryPoints: [point('ExampleVault', 'a', 3)], $metadata: {} });
    const result = await inventory().observe([request('app/a', 'ExampleVault', 'a')]);

    expect(backupMock).toHaveReceivedCommandTimes(ListRecoveryPointsByBackupVaultCommand, 2);
    expect(okOf(result.get('app/a')).points).toHaveLength(1);
  });

  it('reports a vault throttled out after all attempts as unreadable, for its resources only', async () => {
    serveVaults({ Healthy: [[point('Healthy', 'b', 3)]] });
    backupMock.on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'Busy' }).rejects(throttling());
    const result = await inventory({ maxAttempts: 3 }).observe([
      request('app/a', 'Busy', 'a'),
      request('app/b', 'Healthy', 'b'),
    ]);

    expect(result.get('app/a')).toEqual({
      ok: false,
      error: expect.stringMatching(/ThrottlingException: Rate exceeded \(after 3 attempts\).*Busy/),
    });
    expect(okOf(result.get('app/b')).points).toHaveLength(1);
    expect(backupMock).toHaveReceivedCommandWith(ListRecoveryPointsByBackupVaultCommand, {
      BackupVaultName: 'Busy',
    });
    expect(
      backupMock.commandCalls(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'Busy' }),
    ).toHaveLength(3);
  });

  it('does not retry an access denial', async () => {
    backupMock.on(ListRecoveryPointsByBackupVaultCommand).rejects(
      new BackupServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'User is not authorized to perform: backup:ListRecoveryPointsByBackupVault',
      }),
    );
    const result = await inventory().observe([request('app/a', 'ExampleVault', 'a')]);

    expect(backupMock).toHaveReceivedCommandTimes(ListRecoveryPointsByBackupVaultCommand, 1);
    expect(result.get('app/a')).toEqual({
      ok: false,
      error: expect.stringContaining('AccessDeniedException'),
    });
  });

  it.each([
    ['COMPLETED', 'completed'],
    ['AVAILABLE', 'completed'],
    ['PARTIAL', 'partial'],
    ['CREATING', 'creating'],
    ['EXPIRED', 'expired'],
    ['DELETING', 'deleting'],
    ['STOPPED', 'stopped'],
    // A status newer than this SDK's enum still arrives as a string.
    ['SOMETHING_NEW', 'unknown'],
  ] as const)('maps Status %s to %s and keeps the raw status', async (status, state) => {
    serveVaults({
      ExampleVault: [[point('ExampleVault', 'a', 3, { Status: status as RecoveryPointStatus })]],
    });
    const result = await inventory().observe([request('app/a', 'ExampleVault', 'a')]);

    expect(okOf(result.get('app/a')).points[0]).toMatchObject({ state, providerStatus: status });
    expect(recoveryPointState(status)).toBe(state);
  });

  it('maps the recorded point: location, copy flag, deletion time', async () => {
    serveVaults({ ExampleVault: [[{ ...template, ResourceArn: dbArn('a') }]] });
    const result = await inventory().observe([request('app/a', 'ExampleVault', 'a')]);

    expect(okOf(result.get('app/a')).points).toEqual([
      {
        id: template.RecoveryPointArn,
        location: { kind: 'aws-vault', vaultArn: template.BackupVaultArn },
        state: 'completed',
        providerStatus: 'COMPLETED',
        createdAt: new Date(1516925490087),
        isCopy: true,
        deleteAt: new Date(1532477490087),
      },
    ]);
  });

  it('tells a copy from a backup by its source vault', async () => {
    const { SourceBackupVaultArn: _, ...original } = point('ExampleVault', 'a', 5);
    serveVaults({ ExampleVault: [[original, point('ExampleVault', 'a', 6)]] });
    const result = await inventory().observe([request('app/a', 'ExampleVault', 'a')]);

    expect(okOf(result.get('app/a')).points.map((p) => p.isCopy)).toEqual([false, true]);
  });

  it("gives a copy its source's data time when the copy job and the source's backup job were listed", async () => {
    const copy = point('ExampleVault', 'a', 5);
    const sourcePoint = `arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:source-1`;
    serveVaults({ ExampleVault: [[copy]] });
    backupMock.on(ListBackupJobsCommand).resolves({
      BackupJobs: [
        {
          BackupJobId: 'backup-1',
          ResourceArn: dbArn('a'),
          RecoveryPointArn: sourcePoint,
          State: 'COMPLETED',
          CreationDate: minutesAgo(40),
          CompletionDate: minutesAgo(30),
        },
      ],
      $metadata: {},
    } satisfies ListBackupJobsCommandOutput);
    backupMock.on(ListCopyJobsCommand).resolves({
      CopyJobs: [
        {
          CopyJobId: 'copy-1',
          ResourceArn: dbArn('a'),
          SourceRecoveryPointArn: sourcePoint,
          DestinationRecoveryPointArn: copy.RecoveryPointArn,
          DestinationBackupVaultArn: vaultArn('ExampleVault'),
          State: 'COMPLETED',
          CreationDate: minutesAgo(20),
          CompletionDate: minutesAgo(5),
        },
      ],
      $metadata: {},
    } satisfies ListCopyJobsCommandOutput);
    const result = await inventory().observe([request('app/a', 'ExampleVault', 'a')]);

    expect(okOf(result.get('app/a')).points[0]).toMatchObject({
      isCopy: true,
      sourceDataTime: minutesAgo(40),
    });
  });

  it('reads jobs once per source region since the earliest jobsSince, and keeps those of each resource', async () => {
    serveVaults({ ExampleVault: [[point('ExampleVault', 'a', 3), point('ExampleVault', 'b', 3)]] });
    backupMock.on(ListBackupJobsCommand).resolves({
      BackupJobs: [
        {
          BackupJobId: 'job-a',
          ResourceArn: dbArn('a'),
          State: 'FAILED',
          StatusMessage: 'Insufficient privileges',
          CreationDate: minutesAgo(50),
          CompletionDate: minutesAgo(45),
        },
        { BackupJobId: 'job-b', ResourceArn: dbArn('b'), State: 'RUNNING', CreationDate: minutesAgo(2) },
      ],
      $metadata: {},
    });
    backupMock.on(ListCopyJobsCommand).resolves({
      CopyJobs: [
        {
          CopyJobId: 'copy-elsewhere',
          ResourceArn: dbArn('a'),
          DestinationBackupVaultArn: vaultArn('OtherVault', 'eu-north-1'),
          State: 'FAILED',
          CompletionDate: minutesAgo(4),
        },
        {
          CopyJobId: 'copy-here',
          ResourceArn: dbArn('a'),
          DestinationBackupVaultArn: vaultArn('ExampleVault'),
          State: 'FAILED',
          CompletionDate: minutesAgo(4),
        },
      ],
      $metadata: {},
    });
    const early = { ...request('app/b', 'ExampleVault', 'b'), jobsSince: minutesAgo(90) };
    const result = await inventory().observe([request('app/a', 'ExampleVault', 'a'), early]);

    expect(backupMock).toHaveReceivedCommandTimes(ListBackupJobsCommand, 1);
    expect(backupMock).toHaveReceivedCommandTimes(ListCopyJobsCommand, 1);
    expect(backupMock).toHaveReceivedCommandWith(ListBackupJobsCommand, { ByCompleteAfter: minutesAgo(90) });
    expect(await clients.get('us-west-2')!.config.region()).toBe('us-west-2');
    expect(okOf(result.get('app/a')).jobs).toEqual([
      {
        id: 'job-a',
        kind: 'backup',
        state: 'FAILED',
        at: minutesAgo(45),
        message: 'Insufficient privileges',
      },
      { id: 'copy-here', kind: 'copy', state: 'FAILED', at: minutesAgo(4) },
    ]);
    expect(okOf(result.get('app/b')).jobs).toEqual([
      { id: 'job-b', kind: 'backup', state: 'RUNNING', at: minutesAgo(2) },
    ]);
  });

  it('still reports the points when jobs cannot be read, and says so', async () => {
    serveVaults({ ExampleVault: [[point('ExampleVault', 'a', 3)]] });
    backupMock.on(ListBackupJobsCommand).rejects(throttling());
    const result = await inventory({ maxAttempts: 2 }).observe([request('app/a', 'ExampleVault', 'a')]);

    const observed = okOf(result.get('app/a'));
    expect(observed.points).toHaveLength(1);
    expect(observed.jobs).toEqual([]);
    expect(observed.jobsError).toMatch(/backup:ListBackupJobs: ThrottlingException.*us-west-2/);
  });

  it('answers a request of another source kind without calling AWS', async () => {
    const result = await inventory().observe([
      {
        key: 'app/files',
        source: { kind: 'azure-backup', backupInstanceId: '/subscriptions/x' },
        recoveryRegion: 'westeurope',
        jobsSince: now,
      },
    ]);

    expect(result.get('app/files')).toEqual({
      ok: false,
      error: expect.stringContaining('not an AWS Backup source'),
    });
    expect(backupMock.calls()).toHaveLength(0);
  });
});
