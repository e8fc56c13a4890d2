/**
 * What an Azure restore request must hold, per data source type (Data Protection) and per request
 * type (Recovery Services), in one table each, read against Microsoft.DataProtection 2025-07-01 and
 * Microsoft.RecoveryServices 2025-02-01. Used by the restore services' `prepare` (the preflight), so
 * a request the service would refuse is named before an outage, not during it.
 */

import { InvalidInputError } from '#shared/domain/errors.ts';
import { normalizeRegion } from '#shared/domain/freshness.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import { REGION } from './data-protection-handles.ts';

type Body = Readonly<Record<string, unknown>>;

const objectTypeOf = (value: unknown): string | undefined =>
  value && typeof value === 'object' ? ((value as { objectType?: unknown }).objectType as string) : undefined;

/** How one Data Protection data source type is restored. */
interface DataProtectionRule {
  /** `restoreTargetInfo.objectType` values the type restores with. */
  readonly targets: readonly string[];
  /** `sourceDataStoreType` values the type has (a type without `VaultStore` has no cross-region copy). */
  readonly stores: readonly string[];
  /** Further checks of the whole request body. */
  readonly checks?: readonly ((body: Body) => string | undefined)[];
}

/** The data source types the plans restore. */
export const DATA_PROTECTION_RESTORE_RULES: Readonly<Record<string, DataProtectionRule>> = {
  // AKS: item-level restore into a target cluster; from the vault tier the criteria must be the
  // vault-tier ones (KubernetesClusterVaultTierRestoreCriteria, with its staging resource group and
  // storage account), since the backup is rehydrated through them.
  'Microsoft.ContainerService/managedClusters': {
    targets: ['ItemLevelRestoreTargetInfo'],
    stores: ['OperationalStore', 'VaultStore'],
    checks: [
      (body) => {
        const criteria = (body['restoreTargetInfo'] as { restoreCriteria?: unknown } | undefined)
          ?.restoreCriteria;
        const types = Array.isArray(criteria) ? criteria.map(objectTypeOf) : [];
        const wanted =
          body['sourceDataStoreType'] === 'VaultStore'
            ? 'KubernetesClusterVaultTierRestoreCriteria'
            : 'KubernetesClusterRestoreCriteria';
        return types.includes(wanted)
          ? undefined
          : `restoreTargetInfo.restoreCriteria needs a ${wanted} (includeClusterScopeResources${wanted.includes('Vault') ? ', stagingResourceGroupId, stagingStorageAccountId' : ''}) to restore an AKS backup from the ${String(body['sourceDataStoreType'])}`;
      },
    ],
  },
  // Managed disks are backed up as operational-tier snapshots only: no vault copy, no cross-region restore.
  'Microsoft.Compute/disks': { targets: ['RestoreTargetInfo'], stores: ['OperationalStore'] },
  'Microsoft.Storage/storageAccounts/blobServices': {
    targets: ['RestoreTargetInfo', 'ItemLevelRestoreTargetInfo', 'RestoreFilesTargetInfo'],
    stores: ['OperationalStore', 'VaultStore'],
  },
  // PostgreSQL flexible server backups restore as files into a blob container.
  'Microsoft.DBforPostgreSQL/flexibleServers': {
    targets: ['RestoreFilesTargetInfo'],
    stores: ['VaultStore'],
  },
};

/** Problems of a Data Protection restore request body; the data source type comes from the body when it names one. */
export function dataProtectionRequestProblems(body: Body): string[] {
  const target = body['restoreTargetInfo'] as
    | { objectType?: unknown; datasourceInfo?: { datasourceType?: unknown }; targetDetails?: unknown }
    | undefined;
  const problems: string[] = [];
  const targetType = objectTypeOf(target);
  if (targetType === 'RestoreFilesTargetInfo' && !target?.targetDetails)
    problems.push('restoreTargetInfo.targetDetails is required for a RestoreFilesTargetInfo');
  if (
    (targetType === 'RestoreTargetInfo' || targetType === 'ItemLevelRestoreTargetInfo') &&
    !target?.datasourceInfo
  )
    problems.push(`restoreTargetInfo.datasourceInfo is required for a ${targetType}`);
  const type = target?.datasourceInfo?.datasourceType;
  const rule = typeof type === 'string' ? DATA_PROTECTION_RESTORE_RULES[type] : undefined;
  if (!rule) return problems;
  if (targetType && !rule.targets.includes(targetType))
    problems.push(`a ${String(type)} backup restores with ${rule.targets.join(' or ')}, not ${targetType}`);
  const store = String(body['sourceDataStoreType']);
  if (!rule.stores.includes(store))
    problems.push(`a ${String(type)} backup has no ${store}; it has ${rule.stores.join(', ')}`);
  for (const check of rule.checks ?? []) {
    const problem = check(body);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** The `properties` each Recovery Services restore request type needs (Microsoft.RecoveryServices 2025-02-01). */
export const RECOVERY_SERVICES_RESTORE_RULES: Readonly<Record<string, readonly string[]>> = {
  // AlternateLocation / RestoreDisks of a VM into another resource group, staging through a storage account.
  IaasVMRestoreRequest: ['recoveryType', 'sourceResourceId', 'region', 'storageAccountId'],
  // SQL in an Azure VM: where to restore and how.
  AzureWorkloadSQLRestoreRequest: ['recoveryType', 'sourceResourceId', 'targetInfo'],
  AzureWorkloadSQLPointInTimeRestoreRequest: [
    'recoveryType',
    'sourceResourceId',
    'targetInfo',
    'pointInTime',
  ],
};

/** Problems of a Recovery Services restore request's `properties`. */
export function recoveryServicesRequestProblems(properties: Body): string[] {
  const type = properties['objectType'];
  if (typeof type !== 'string')
    return ['properties.objectType is required (IaasVMRestoreRequest, AzureWorkloadSQLRestoreRequest, ...)'];
  const required = RECOVERY_SERVICES_RESTORE_RULES[type];
  if (!required) return [];
  const problems = required
    .filter((k) => properties[k] === undefined || properties[k] === '')
    .map((k) => `properties.${k} is required for ${type}`);
  if (type === 'IaasVMRestoreRequest' && properties['recoveryType'] === 'AlternateLocation')
    for (const key of ['targetResourceGroupId', 'virtualNetworkId', 'subnetId'])
      if (!properties[key])
        problems.push(`properties.${key} is required to restore a VM to an alternate location`);
  return problems;
}

/** Request object types that restore from one recovery point, named by `recoveryPointId`. */
const POINT_BASED = new Set([
  'AzureBackupRecoveryPointBasedRestoreRequest',
  'AzureBackupRestoreWithRehydrationRequest',
]);

/** The `AzureBackupRestoreRequest`: the plan's template with the point filled in and defaults made explicit. */
export function restoreRequestBody(
  resource: ProtectedResource,
  template: Record<string, unknown>,
  pointName: string,
): Record<string, unknown> {
  const where = `resource "${resource.name}" azureBackup.restore.request`;
  const objectType = template['objectType'] ?? 'AzureBackupRecoveryPointBasedRestoreRequest';
  if (typeof objectType !== 'string' || !POINT_BASED.has(objectType))
    throw new InvalidInputError(
      `${where}: objectType "${String(objectType)}" does not restore from a recovery point; use one of ${[...POINT_BASED].join(', ')}`,
    );
  const target = template['restoreTargetInfo'];
  if (
    !target ||
    typeof target !== 'object' ||
    typeof (target as { objectType?: unknown }).objectType !== 'string'
  )
    throw new InvalidInputError(
      `${where}: restoreTargetInfo (with its objectType: RestoreTargetInfo, ItemLevelRestoreTargetInfo or RestoreFilesTargetInfo) is required`,
    );
  const store = template['sourceDataStoreType'] ?? 'VaultStore';
  if (
    store !== 'VaultStore' &&
    store !== 'ArchiveStore' &&
    store !== 'OperationalStore' &&
    store !== 'SnapshotStore'
  )
    throw new InvalidInputError(
      `${where}: sourceDataStoreType "${String(store)}" is not one of VaultStore, ArchiveStore, OperationalStore, SnapshotStore`,
    );
  if (!pointName) throw new InvalidInputError(`resource "${resource.name}": the recovery point id is empty`);
  return { ...template, objectType, sourceDataStoreType: store, recoveryPointId: pointName };
}

/**
 * Where the template restores to (`restoreTargetInfo.restoreLocation`), normalised; `undefined` when
 * it does not say, which restores in the vault's region as the service does by default.
 */
export function restoreLocationOf(
  resource: ProtectedResource,
  template: Record<string, unknown>,
): string | undefined {
  const location = (template['restoreTargetInfo'] as { restoreLocation?: unknown } | undefined)
    ?.restoreLocation;
  if (location === undefined || location === null || location === '') return undefined;
  const region = typeof location === 'string' ? normalizeRegion(location) : '';
  if (!REGION.test(region))
    throw new InvalidInputError(
      `resource "${resource.name}" azureBackup.restore.request.restoreTargetInfo.restoreLocation: ${JSON.stringify(location)} is not an Azure region such as northeurope`,
    );
  return region;
}

/** The resource a template restores into (`restoreTargetInfo.datasourceInfo.resourceID`), when it names one. */
export function targetResourceOf(template: Record<string, unknown>): string | undefined {
  const info = (template['restoreTargetInfo'] as { datasourceInfo?: { resourceID?: unknown } } | undefined)
    ?.datasourceInfo?.resourceID;
  return typeof info === 'string' && info.length > 0 ? info : undefined;
}
