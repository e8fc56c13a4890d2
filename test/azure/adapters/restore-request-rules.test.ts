import { describe, expect, it } from 'vitest';
import {
  dataProtectionRequestProblems,
  recoveryServicesRequestProblems,
} from '#azure/adapters/restore-request-rules.ts';

const aks = (store: string, criteria: unknown[] | undefined) => ({
  objectType: 'AzureBackupRecoveryPointBasedRestoreRequest',
  sourceDataStoreType: store,
  recoveryPointId: 'rp',
  restoreTargetInfo: {
    objectType: 'ItemLevelRestoreTargetInfo',
    datasourceInfo: { datasourceType: 'Microsoft.ContainerService/managedClusters' },
    ...(criteria ? { restoreCriteria: criteria } : {}),
  },
});

describe('dataProtectionRequestProblems', () => {
  it.each([
    {
      case: 'AKS from the vault with vault-tier criteria',
      body: aks('VaultStore', [{ objectType: 'KubernetesClusterVaultTierRestoreCriteria' }]),
      problems: 0,
    },
    { case: 'AKS from the vault without criteria', body: aks('VaultStore', undefined), problems: 1 },
    {
      case: 'AKS from the vault with operational-tier criteria',
      body: aks('VaultStore', [{ objectType: 'KubernetesClusterRestoreCriteria' }]),
      problems: 1,
    },
    {
      case: 'AKS from snapshots with operational criteria',
      body: aks('OperationalStore', [{ objectType: 'KubernetesClusterRestoreCriteria' }]),
      problems: 0,
    },
    {
      case: 'a disk from the vault, which disks do not have',
      body: {
        sourceDataStoreType: 'VaultStore',
        restoreTargetInfo: {
          objectType: 'RestoreTargetInfo',
          datasourceInfo: { datasourceType: 'Microsoft.Compute/disks' },
        },
      },
      problems: 1,
    },
    {
      case: 'PostgreSQL flexible restored other than as files',
      body: {
        sourceDataStoreType: 'VaultStore',
        restoreTargetInfo: {
          objectType: 'RestoreTargetInfo',
          datasourceInfo: { datasourceType: 'Microsoft.DBforPostgreSQL/flexibleServers' },
        },
      },
      problems: 1,
    },
    {
      case: 'files without a target',
      body: {
        sourceDataStoreType: 'VaultStore',
        restoreTargetInfo: { objectType: 'RestoreFilesTargetInfo' },
      },
      problems: 1,
    },
  ])('$case: $problems problem(s)', ({ body, problems }) => {
    expect(dataProtectionRequestProblems(body)).toHaveLength(problems);
  });

  it('says what an AKS vault restore needs', () => {
    expect(dataProtectionRequestProblems(aks('VaultStore', undefined))).toEqual([
      'restoreTargetInfo.restoreCriteria needs a KubernetesClusterVaultTierRestoreCriteria (includeClusterScopeResources, stagingResourceGroupId, stagingStorageAccountId) to restore an AKS backup from the VaultStore',
    ]);
  });
});

describe('recoveryServicesRequestProblems', () => {
  const vm = {
    objectType: 'IaasVMRestoreRequest',
    recoveryType: 'AlternateLocation',
    sourceResourceId: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/vm',
    region: 'northeurope',
    storageAccountId: '/subscriptions/s/.../storageAccounts/st',
    targetResourceGroupId: '/subscriptions/s/resourceGroups/dr',
    virtualNetworkId: '/subscriptions/s/.../virtualNetworks/v',
    subnetId: '/subscriptions/s/.../subnets/web',
  };

  it.each([
    { case: 'a complete alternate-location VM restore', properties: vm, problems: [] },
    {
      case: 'an alternate-location VM restore without network',
      properties: { ...vm, virtualNetworkId: undefined, subnetId: '' },
      problems: [
        'properties.virtualNetworkId is required to restore a VM to an alternate location',
        'properties.subnetId is required to restore a VM to an alternate location',
      ],
    },
    {
      case: 'a SQL restore without a target',
      properties: {
        objectType: 'AzureWorkloadSQLRestoreRequest',
        recoveryType: 'AlternateLocation',
        sourceResourceId: 'x',
      },
      problems: ['properties.targetInfo is required for AzureWorkloadSQLRestoreRequest'],
    },
    {
      case: 'no objectType',
      properties: {},
      problems: [expect.stringMatching(/^properties.objectType is required/)],
    },
  ])('$case', ({ properties, problems }) => {
    expect(recoveryServicesRequestProblems(properties)).toEqual(problems);
  });
});
