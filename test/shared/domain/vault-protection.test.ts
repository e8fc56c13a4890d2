import { describe, expect, it } from 'vitest';
import {
  awsVaultProtection,
  azureVaultProtection,
  Immutability,
  recoveryVaults,
  vaultFinding,
} from '#shared/domain/vault-protection.ts';
import { awsPlanDoc, azurePlanDoc, ids, loadPlan, withPlan } from '../../support/plans.ts';

const VAULT = 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault';
const now = new Date('2026-11-30T12:00:00Z');

describe('vault protection', () => {
  it.each([
    {
      why: 'a logically air-gapped vault is always locked',
      answer: { VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT', MinRetentionDays: 7 },
      immutability: 'locked',
      detail: 'logically air-gapped vault, min retention 7d',
    },
    {
      why: 'no Vault Lock',
      answer: { VaultType: 'BACKUP_VAULT', Locked: false },
      immutability: 'none',
      detail: 'no Vault Lock',
    },
    { why: 'Locked absent', answer: {}, immutability: 'none', detail: 'no Vault Lock' },
    {
      why: 'a lock without a lock date is governance mode',
      answer: { Locked: true, MinRetentionDays: 35 },
      immutability: 'removable',
      detail: 'Vault Lock in governance mode, min retention 35d',
    },
    {
      why: 'a lock before its lock date can still be removed',
      answer: { Locked: true, LockDate: new Date('2026-12-03T00:00:00Z') },
      immutability: 'removable',
      detail: 'Vault Lock in compliance mode from 2026-12-03T00:00:00.000Z; until then it can be removed',
    },
    {
      why: 'a lock whose lock date is this very moment is compliance mode',
      answer: { Locked: true, LockDate: now },
      immutability: 'locked',
      detail: 'Vault Lock in compliance mode since 2026-11-30T12:00:00.000Z',
    },
    {
      why: 'a lock past its lock date is compliance mode',
      answer: { Locked: true, LockDate: new Date('2026-11-01T00:00:00Z'), MinRetentionDays: 35 },
      immutability: 'locked',
      detail: 'Vault Lock in compliance mode since 2026-11-01T00:00:00.000Z, min retention 35d',
    },
  ])('AWS: $why → $immutability', ({ answer, immutability, detail }) => {
    expect(awsVaultProtection(VAULT, answer, now)).toMatchObject({
      vault: VAULT,
      immutability,
      detail,
      softDelete: null,
    });
  });

  it.each([
    // Data Protection (state: Off | On | AlwaysOn) and Recovery Services (softDeleteState: Enabled | Disabled | AlwaysON).
    {
      settings: { immutabilitySettings: { state: 'Locked' }, softDeleteSettings: { state: 'AlwaysOn' } },
      immutability: 'locked',
      softDelete: 'always-on',
    },
    {
      settings: { immutabilitySettings: { state: 'Unlocked' }, softDeleteSettings: { state: 'On' } },
      immutability: 'removable',
      softDelete: 'on',
    },
    {
      settings: { immutabilitySettings: { state: 'Disabled' }, softDeleteSettings: { state: 'Off' } },
      immutability: 'none',
      softDelete: 'off',
    },
    {
      settings: { softDeleteSettings: { softDeleteState: 'AlwaysON' } },
      immutability: 'none',
      softDelete: 'always-on',
    },
    {
      settings: {
        immutabilitySettings: { state: 'Locked' },
        softDeleteSettings: { softDeleteState: 'Enabled' },
      },
      immutability: 'locked',
      softDelete: 'on',
    },
    { settings: {}, immutability: 'none', softDelete: 'off' },
  ])(
    'Azure: $settings → $immutability, soft delete $softDelete',
    ({ settings, immutability, softDelete }) => {
      expect(azureVaultProtection('/vault', settings)).toMatchObject({ immutability, softDelete });
    },
  );

  it.each([
    { immutability: Immutability.Locked, softDelete: null, finding: null },
    { immutability: Immutability.Locked, softDelete: 'always-on' as const, finding: null },
    { immutability: Immutability.Locked, softDelete: 'off' as const, finding: 'v: soft delete is off (d)' },
    {
      immutability: Immutability.Removable,
      softDelete: null,
      finding:
        'v: the lock can still be removed (d); lock it irreversibly to survive a compromised administrator',
    },
    {
      immutability: Immutability.None,
      softDelete: null,
      finding: 'v: not immutable (d); recovery points can be deleted — enable a vault lock',
    },
    {
      immutability: Immutability.Unknown,
      softDelete: null,
      finding: 'v: immutability could not be read (d)',
    },
  ])('finds $immutability (soft delete $softDelete): $finding', ({ immutability, softDelete, finding }) => {
    expect(vaultFinding({ vault: 'v', immutability, softDelete, minRetentionDays: null, detail: 'd' })).toBe(
      finding,
    );
  });

  it('lists the vaults a plan counts recovery points in, once each', () => {
    const aws = loadPlan(awsPlanDoc());
    expect(recoveryVaults(aws)).toEqual([ids.vault]);
    const azure = loadPlan(
      withPlan(azurePlanDoc(), (d) => {
        d.spec.resources = [
          { name: 'files', azureBackup: { backupInstanceId: ids.backupInstance } },
          {
            name: 'more-files',
            azureBackup: { backupInstanceId: ids.backupInstance.replace('case-files', 'more') },
          },
          { name: 'vm', azureRecoveryServices: { protectedItemId: ids.protectedItem } },
        ];
      }),
    );
    expect(recoveryVaults(azure)).toEqual([
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.DataProtection/backupVaults/dr-vault',
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.RecoveryServices/vaults/rsv',
    ]);
  });
});
