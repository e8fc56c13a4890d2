/**
 * Vault Lock through the real SDK: a BackupClient whose HTTP handler is the simulated cloud (the
 * service's restJson1 wire, LockDate as epoch seconds), and the SDK's own error for a missing vault.
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { describe, expect, it } from 'vitest';
import { readAwsVaultProtection } from '#functions/adapters/aws-vault-protection.ts';
import { createSimulatedAwsClientConfig } from '#sim/aws/request-handler.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const arn = (account: string, name: string) => `arn:aws:backup:eu-central-1:${account}:backup-vault:${name}`;
const world = {
  clock: '2026-11-21T12:00:00Z',
  aws: {
    backupVaults: [
      {
        BackupVaultName: 'locked',
        BackupVaultArn: arn('111122223333', 'locked'),
        Locked: true,
        LockDate: '-30d',
        MinRetentionDays: 35,
      },
      { BackupVaultName: 'governed', BackupVaultArn: arn('444455556666', 'governed'), Locked: true },
      { BackupVaultName: 'open', BackupVaultArn: arn('111122223333', 'open'), Locked: false },
    ],
  },
};

describe('readAwsVaultProtection', () => {
  it('reads Vault Lock with DescribeBackupVault in the vault region and account', async () => {
    const cloud = new SimulatedCloud(parseWorld('w.json', JSON.stringify(world)));
    const clients = new Map<string, BackupClient>();
    const clientFor = (region: string) => {
      const client = clients.get(region) ?? new BackupClient(createSimulatedAwsClientConfig(cloud, region));
      clients.set(region, client);
      return client;
    };
    const vaults = [
      arn('111122223333', 'locked'),
      arn('444455556666', 'governed'),
      arn('111122223333', 'open'),
      arn('111122223333', 'gone'),
      '/subscriptions/x/vault',
    ];
    const read = await readAwsVaultProtection(vaults, clientFor, new Date(world.clock));
    expect(read.map((p) => [p.vault.split(':').at(-1), p.immutability, p.minRetentionDays])).toEqual([
      ['locked', 'locked', 35],
      ['governed', 'removable', null],
      ['open', 'none', null],
      ['gone', 'unknown', null],
    ]);
    expect(read[0]!.detail).toBe(
      'Vault Lock in compliance mode since 2026-10-22T12:00:00.000Z, min retention 35d',
    );
    expect(read[3]!.detail).toMatch(
      /^backup:DescribeBackupVault failed: Backup vault gone does not exist in eu-central-1/,
    );
    expect(cloud.stats()['backup:DescribeBackupVault']).toBe(4);
  });
});
