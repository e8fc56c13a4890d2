/**
 * The adapter through the real SDK: real BackupClients (serialization, endpoint, signing, error
 * parsing) whose HTTP handler is the simulated cloud.
 */
import { readFileSync } from 'node:fs';
import { BackupClient } from '@aws-sdk/client-backup';
import { describe, expect, it } from 'vitest';
import { AwsBackupInventory } from '#functions/adapters/aws-backup-inventory.ts';
import type { ResourceObservation } from '#shared/domain/recovery-point.ts';
import type { InventoryRequest } from '#shared/ports/backup-inventory.ts';
import { createSimulatedAwsClientConfig } from '#sim/aws/request-handler.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const recorded = JSON.parse(
  readFileSync(
    new URL('../../fixtures/aws/backup-list-recovery-points-by-backup-vault-response.json', import.meta.url),
    'utf8',
  ),
) as { RecoveryPoints: Record<string, unknown>[] };
const template = recorded.RecoveryPoints[0]!;

const ACCOUNT = '111122223333';
const clock = new Date('2026-11-21T12:00:00Z');
const minutesAgo = (m: number) => new Date(clock.getTime() - m * 60_000);
const vaultArn = (name: string) => `arn:aws:backup:eu-central-1:${ACCOUNT}:backup-vault:${name}`;
const primaryVault = `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-vault:primary`;
const db = (name: string) => `arn:aws:rds:eu-west-1:${ACCOUNT}:db:${name}`;

/** A copy in `vault` of the recorded shape, for `resource`, created `age` ago (world time syntax). */
function copyPoint(
  vault: string,
  resource: string,
  id: string,
  age: string,
  extra: Record<string, unknown> = {},
) {
  return {
    ...template,
    RecoveryPointArn: `arn:aws:backup:eu-central-1:${ACCOUNT}:recovery-point:${id}`,
    BackupVaultName: vault,
    BackupVaultArn: vaultArn(vault),
    SourceBackupVaultArn: primaryVault,
    ResourceArn: db(resource),
    CreationDate: age,
    InitiationDate: age,
    CompletionDate: age,
    CalculatedLifecycle: { DeleteAt: '+30d' },
    LastRestoreTime: '-30d',
    AggregatedScanResult: { FailedScan: false, Findings: [] },
    ...extra,
  };
}

function cloudOf(world: Record<string, unknown>): SimulatedCloud {
  return new SimulatedCloud(
    parseWorld('world.yaml', JSON.stringify({ clock: clock.toISOString(), ...world })),
  );
}

function inventoryOn(
  cloud: SimulatedCloud,
  options: { maxAttempts?: number; maxCallsPerSecond?: number } = {},
) {
  const clients = new Map<string, BackupClient>();
  return new AwsBackupInventory({
    clientFor: (region) => {
      const existing = clients.get(region);
      if (existing) return existing;
      const made = new BackupClient(createSimulatedAwsClientConfig(cloud, region));
      clients.set(region, made);
      return made;
    },
    retryBaseDelayMs: 20,
    ...options,
  });
}

const request = (name: string, vault = 'dr-vault'): InventoryRequest => ({
  key: `case-management/${name}`,
  source: { kind: 'aws-backup', resourceArn: db(name), vaultArn: vaultArn(vault) },
  recoveryRegion: 'eu-central-1',
  jobsSince: minutesAgo(60),
});

const okOf = (o: ResourceObservation | undefined) => {
  if (!o?.ok) throw new Error(`expected an ok observation, got ${JSON.stringify(o)}`);
  return o;
};

describe('AwsBackupInventory against the simulated AWS Backup', () => {
  it('reads points and jobs with one call per vault and per job listing, and finds copies their data time', async () => {
    const cloud = cloudOf({
      aws: {
        recoveryPoints: [
          copyPoint('dr-vault', 'case-db', 'copy-1', '-3m'),
          copyPoint('dr-vault', 'case-db', 'copy-0', '-63m'),
          copyPoint('dr-vault', 'ledger-db', 'copy-2', '-10m', { Status: 'PARTIAL' }),
          copyPoint('dr-vault', 'audit-db', 'copy-3', '-20m', { Status: 'EXPIRED' }),
          copyPoint('dr-vault', 'unplanned-db', 'copy-4', '-1m'),
        ],
        backupJobs: [
          {
            BackupJobId: 'b-case',
            ResourceArn: db('case-db'),
            BackupVaultArn: primaryVault,
            RecoveryPointArn: `arn:aws:backup:eu-west-1:${ACCOUNT}:recovery-point:src-1`,
            State: 'COMPLETED',
            CreationDate: '-15m',
            CompletionDate: '-12m',
          },
          {
            BackupJobId: 'b-ledger',
            ResourceArn: db('ledger-db'),
            BackupVaultArn: primaryVault,
            State: 'FAILED',
            StatusMessage: 'Insufficient privileges to perform the backup',
            CreationDate: '-9m',
            CompletionDate: '-8m',
          },
        ],
        copyJobs: [
          {
            CopyJobId: 'c-case',
            ResourceArn: db('case-db'),
            SourceBackupVaultArn: primaryVault,
            SourceRecoveryPointArn: `arn:aws:backup:eu-west-1:${ACCOUNT}:recovery-point:src-1`,
            DestinationBackupVaultArn: vaultArn('dr-vault'),
            DestinationRecoveryPointArn: `arn:aws:backup:eu-central-1:${ACCOUNT}:recovery-point:copy-1`,
            State: 'COMPLETED',
            CreationDate: '-11m',
            CompletionDate: '-3m',
          },
        ],
      },
    });
    const result = await inventoryOn(cloud).observe([
      request('case-db'),
      request('ledger-db'),
      request('audit-db'),
    ]);

    expect(cloud.stats()).toEqual({
      'backup:ListBackupJobs': 1,
      'backup:ListCopyJobs': 1,
      'backup:ListRecoveryPointsByBackupVault': 1,
    });
    expect(okOf(result.get('case-management/case-db'))).toEqual({
      ok: true,
      points: [
        {
          id: `arn:aws:backup:eu-central-1:${ACCOUNT}:recovery-point:copy-1`,
          location: { kind: 'aws-vault', vaultArn: vaultArn('dr-vault') },
          state: 'completed',
          providerStatus: 'COMPLETED',
          createdAt: minutesAgo(3),
          sourceDataTime: minutesAgo(15),
          isCopy: true,
          deleteAt: new Date(clock.getTime() + 30 * 86_400_000),
        },
        expect.objectContaining({ createdAt: minutesAgo(63), isCopy: true }),
      ],
      jobs: [
        { id: 'b-case', kind: 'backup', state: 'COMPLETED', at: minutesAgo(12) },
        { id: 'c-case', kind: 'copy', state: 'COMPLETED', at: minutesAgo(3) },
      ],
    });
    expect(okOf(result.get('case-management/ledger-db'))).toMatchObject({
      points: [{ state: 'partial', providerStatus: 'PARTIAL' }],
      jobs: [{ id: 'b-ledger', state: 'FAILED', message: 'Insufficient privileges to perform the backup' }],
    });
    expect(okOf(result.get('case-management/audit-db')).points).toMatchObject([{ state: 'expired' }]);
  });

  it('gives a vault that does not exist an error for its resources only', async () => {
    const cloud = cloudOf({ aws: { recoveryPoints: [copyPoint('dr-vault', 'case-db', 'copy-1', '-3m')] } });
    const result = await inventoryOn(cloud).observe([request('case-db'), request('ledger-db', 'typo-vault')]);

    expect(okOf(result.get('case-management/case-db')).points).toHaveLength(1);
    expect(result.get('case-management/ledger-db')).toEqual({
      ok: false,
      error: expect.stringMatching(/ResourceNotFoundException: Backup vault typo-vault does not exist/),
    });
  });

  it('retries injected ThrottlingExceptions and succeeds', async () => {
    const cloud = cloudOf({
      aws: { recoveryPoints: [copyPoint('dr-vault', 'case-db', 'copy-1', '-3m')] },
      faults: [{ api: 'backup:ListRecoveryPointsByBackupVault', error: 'ThrottlingException', times: 2 }],
    });
    const result = await inventoryOn(cloud).observe([request('case-db')]);

    expect(okOf(result.get('case-management/case-db')).points).toHaveLength(1);
    expect(cloud.stats()['backup:ListRecoveryPointsByBackupVault']).toBe(3);
  });

  it('is throttled by a 2 tps quota across many vaults and still reads every vault through retries', async () => {
    const vaults = ['v-a', 'v-b', 'v-c', 'v-d'];
    const cloud = cloudOf({
      aws: { recoveryPoints: vaults.map((v) => copyPoint(v, `db-${v}`, `copy-${v}`, '-5m')) },
      limits: { 'backup:ListRecoveryPointsByBackupVault': { tps: 2 } },
    });
    const result = await inventoryOn(cloud, { maxAttempts: 10 }).observe(
      vaults.map((v) => ({ ...request(`db-${v}`, v) })),
    );

    for (const v of vaults) expect(okOf(result.get(`case-management/db-${v}`)).points).toHaveLength(1);
    // Every vault is read once in the end; the calls beyond that were throttled and retried.
    expect(cloud.stats()['backup:ListRecoveryPointsByBackupVault']).toBeGreaterThan(vaults.length);
  });

  it('reports a vault throttled on every attempt as unreadable', async () => {
    const cloud = cloudOf({
      aws: { recoveryPoints: [copyPoint('dr-vault', 'case-db', 'copy-1', '-3m')] },
      faults: [{ api: 'backup:ListRecoveryPointsByBackupVault', error: 'ThrottlingException', times: 3 }],
    });
    const result = await inventoryOn(cloud, { maxAttempts: 3 }).observe([request('case-db')]);

    expect(result.get('case-management/case-db')).toEqual({
      ok: false,
      error: expect.stringContaining('ThrottlingException: Injected fault ThrottlingException'),
    });
    expect(cloud.stats()['backup:ListRecoveryPointsByBackupVault']).toBe(3);
  });
});
