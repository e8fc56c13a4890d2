/**
 * What each Azure restore creates, and which of it a drill's tear-down may delete — one table, read
 * against the restore APIs (Microsoft.DataProtection 2025-07-01, Microsoft.RecoveryServices
 * 2025-02-01) and the delete APIs of the created types:
 *
 * | restored | what the restore creates | tear-down |
 * |---|---|---|
 * | managed disk (`azureBackup`, `RestoreTargetInfo`) | a new disk, `restoreTargetInfo.datasourceInfo.resourceID` | `Disks_Delete` |
 * | VM (`azureRecoveryServices`, `IaasVMRestoreRequest` AlternateLocation) | a new VM, `targetVirtualMachineId`, with new OS/data disks and a NIC | `VirtualMachines_Delete`, its disks and NICs with it (`deleteOption: Delete`) |
 * | VM disks only (`RestoreDisks`) | disks in `targetResourceGroupId`, named by the service | refused: the job names a resource group |
 * | blobs (`Microsoft.Storage/storageAccounts/blobServices`) | blobs or containers in an existing storage account | refused: the account is not the restore's |
 * | PostgreSQL flexible server | backup files in a blob container (`RestoreFilesTargetInfo`): no server | refused |
 * | AKS (`ItemLevelRestoreTargetInfo`) | namespaces and volumes in an existing cluster | refused: the cluster is not the restore's |
 *
 * Only a type in {@link DELETABLE_TYPES} is ever deleted, with the api-version of that provider
 * type's own API (`Resources_DeleteById` needs it); any other type is refused, named.
 */
import { normalizeAzureId, parseAzureId } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import { targetResourceOf } from './restore-request-rules.ts';

/** How a deletable type is deleted. */
export interface DeletableType {
  /** The type as ARM writes it. */
  readonly type: string;
  /** The api-version of the provider type's own GET and DELETE. */
  readonly apiVersion: string;
  /** The delete operation of the type's own REST API, for messages (`compute:Disks_Delete`). */
  readonly operation: string;
  /** The spec file the api-version and its answers come from (azure-rest-api-specs). */
  readonly spec: string;
  /** A VM: its disks and NICs are deleted with it, by `deleteOption` (see restored-vm.ts). */
  readonly vm?: true;
}

/** The types a drill's tear-down deletes, by lower-case type (ARM types are case-insensitive). */
export const DELETABLE_TYPES = {
  // DiskRP 2024-03-02, examples/diskExamples/Disk_Delete.json: 200, 202 (Location), 204.
  'microsoft.compute/disks': {
    type: 'Microsoft.Compute/disks',
    apiVersion: '2024-03-02',
    operation: 'compute:Disks_Delete',
    spec: 'specification/compute/resource-manager/Microsoft.Compute/DiskRP/stable/2024-03-02',
  },
  // ComputeRP 2024-11-01, examples/virtualMachineExamples/VirtualMachine_Delete_Force.json: 200, 202, 204.
  'microsoft.compute/virtualmachines': {
    type: 'Microsoft.Compute/virtualMachines',
    apiVersion: '2024-11-01',
    operation: 'compute:VirtualMachines_Delete',
    spec: 'specification/compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2024-11-01',
    vm: true,
  },
} as const satisfies Readonly<Record<string, DeletableType>>;

/** A key of {@link DELETABLE_TYPES}: a lower-case type the tear-down deletes. */
export type DeletableTypeKey = keyof typeof DELETABLE_TYPES;

/** The entry of {@link DELETABLE_TYPES} for an ARM type written in any case. */
export function deletableType(type: string): DeletableType | undefined {
  return (DELETABLE_TYPES as Readonly<Record<string, DeletableType>>)[type.toLowerCase()];
}

/** Why a type Standby knows is never deleted by a tear-down: what to delete by hand instead. */
export const REFUSED_TYPES: Readonly<Record<string, string>> = {
  'microsoft.storage/storageaccounts':
    'a blob restore writes containers or blobs into an existing storage account, which the restore did not create; delete the restored containers (the drill request’s target container names) by hand',
  'microsoft.containerservice/managedclusters':
    'an AKS restore restores namespaces and volumes into an existing cluster, which the restore did not create; delete the restored namespaces (restoreCriteria.includedNamespaces, or their namespaceMappings) and their persistent volumes by hand',
  'microsoft.dbforpostgresql/flexibleservers':
    'a PostgreSQL flexible server backup restores as files into a blob container (RestoreFilesTargetInfo) and creates no server; delete the restored files in the target container by hand',
  'microsoft.network/virtualnetworks': 'a virtual network is shared, never created by a restore',
};

/** The type of an ARM resource id (`Microsoft.Compute/disks`, `Microsoft.Storage/storageAccounts/blobServices`). */
export function armTypeOf(id: string): string | undefined {
  const parsed = parseAzureId(id);
  return parsed ? [parsed.provider, ...parsed.segments.map(([type]) => type)].join('/') : undefined;
}

/**
 * The id the resource's restore request names as what the restore creates: a Data Protection
 * request's `restoreTargetInfo.datasourceInfo.resourceID`, a Recovery Services request's
 * `targetVirtualMachineId`. `undefined` when it names none (a restore into files, a disks-only restore).
 */
export function requestedTargetOf(resource: ProtectedResource): string | undefined {
  const source = resource.source;
  if (source.kind === 'azure-backup')
    return source.restore ? targetResourceOf(source.restore.request) : undefined;
  if (source.kind !== 'azure-recovery-services' || !source.restore) return undefined;
  const written = source.restore.request;
  const properties = (written['properties'] as Record<string, unknown> | undefined) ?? written;
  const target = properties['targetVirtualMachineId'];
  return typeof target === 'string' && target.length > 0 ? target : undefined;
}

/** What a tear-down of `createdResource` deletes, or why it must not (one sentence, naming what to do). */
export type DeletePlan =
  | { readonly kind: 'delete'; readonly id: string; readonly type: DeletableType }
  | { readonly kind: 'refuse'; readonly reason: string };

/**
 * Decides whether `createdResource` may be deleted, before any call:
 * 1. it must be an ARM resource id (a resource group or a URL is not a resource a restore created);
 * 2. it must be what the resource's restore request named as its new resource — so a job that
 *    reported anything else (the source, an existing target) is never deleted;
 * 3. its type must be in {@link DELETABLE_TYPES}; a type in {@link REFUSED_TYPES} says why not.
 */
export function deletePlanOf(resource: ProtectedResource, createdResource: string): DeletePlan {
  const type = armTypeOf(createdResource);
  if (type === undefined)
    return {
      kind: 'refuse',
      reason: /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/?$/i.test(createdResource)
        ? `${createdResource} is a resource group, which is shared and never deleted by Standby (a disks-only VM restore names only its group: delete the restored disks in it by hand)`
        : `${createdResource} is not an ARM resource id; delete what the restore created by hand`,
    };
  const refused = REFUSED_TYPES[type.toLowerCase()];
  if (refused) return { kind: 'refuse', reason: `${type} ${createdResource}: ${refused}` };
  const deletable = deletableType(type);
  if (!deletable)
    return {
      kind: 'refuse',
      reason: `${createdResource}: Standby deletes no ${type} (it deletes ${Object.values(DELETABLE_TYPES)
        .map((t) => t.type)
        .join(', ')}); delete it by hand`,
    };
  const requested = requestedTargetOf(resource);
  if (requested === undefined || normalizeAzureId(requested) !== normalizeAzureId(createdResource))
    return {
      kind: 'refuse',
      reason: `${createdResource} is not the new resource ${resource.name}'s restore request names (${requested ?? 'none'}), so Standby cannot prove the restore created it; delete it by hand if it did`,
    };
  return { kind: 'delete', id: createdResource, type: deletable };
}
