/**
 * The restored disk and VM the Azure tear-down tests delete: the Compute API's official examples
 * (test/fixtures/azure), placed at the ids a drill's restore request names as the new resources.
 */
import { readFileSync } from 'node:fs';
import type { ProtectedResource } from '#shared/domain/plan.ts';

export const SUB = '00000000-0000-0000-0000-000000000000';
export const RG = `/subscriptions/${SUB}/resourceGroups/rg-drill`;
export const DISK = `${RG}/providers/Microsoft.Compute/disks/case-disk-drill`;

export const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../../fixtures/azure/${name}`, import.meta.url), 'utf8')) as T;

export type Example = {
  responses: Record<string, { body?: Record<string, unknown>; headers?: Record<string, string> }>;
};
export const errors = fixture<Record<string, { status: number; body: unknown }>>('arm-errors.json');
export const diskDelete = fixture<Example>('compute-delete-disk.example.json');
export const vmDelete = fixture<Example>('compute-delete-vm.example.json');
/** The official Disk_Get body, as an unattached restored disk (no `managedBy`) with the drill's id. */
export const { managedBy: diskManagedBy, ...diskGet } = fixture<Example>('compute-get-disk.example.json')
  .responses['200']!.body!;
export const restoredDisk: Record<string, unknown> = { ...diskGet, id: DISK, name: 'case-disk-drill' };
export const attachedDisk = { ...restoredDisk, managedBy: diskManagedBy };

/** The official ALR restore request: a new VM, `targetVirtualMachineId`. */
export const alr = fixture<{ parameters: { parameters: { properties: Record<string, unknown> } } }>(
  'recoveryservices-trigger-restore-iaasvm-alr.example.json',
).parameters.parameters.properties;
export const VM = alr['targetVirtualMachineId'] as string;
export const VM_RG = VM.split('/providers/')[0]!;
/** The official VirtualMachine_Get body, placed at the restored VM's id (its group, a real subscription id). */
const vmExample = JSON.parse(
  JSON.stringify(fixture<Example>('compute-get-vm.example.json').responses['200']!.body).replaceAll(
    '/subscriptions/{subscription-id}/resourceGroups/myResourceGroup',
    VM_RG,
  ),
) as Record<string, unknown> & { properties: Record<string, unknown> };
export const { managedBy: vmssManagedBy, ...publishedVm } = vmExample;
export const restoredVm = { ...publishedVm, id: VM, name: VM.split('/').pop() };
export const OS_DISK = `${VM_RG}/providers/Microsoft.Compute/disks/myOsDisk`;
export const NIC = `${VM_RG}/providers/Microsoft.Network/networkInterfaces/{myNIC}`;

export function diskResource(target: string = DISK): ProtectedResource {
  return {
    app: 'case',
    name: 'case-disk',
    rpoSeconds: 3600,
    dependsOn: [],
    source: {
      kind: 'azure-backup',
      backupInstanceId: `/subscriptions/${SUB}/resourceGroups/rg-dr/providers/Microsoft.DataProtection/backupVaults/v/backupInstances/case-disk`,
      restore: {
        request: {
          objectType: 'AzureBackupRecoveryPointBasedRestoreRequest',
          sourceDataStoreType: 'OperationalStore',
          restoreTargetInfo: {
            objectType: 'RestoreTargetInfo',
            recoveryOption: 'FailIfExists',
            datasourceInfo: {
              objectType: 'Datasource',
              datasourceType: 'Microsoft.Compute/disks',
              resourceID: target,
            },
          },
        },
      },
    },
  };
}

export const vmResource: ProtectedResource = {
  app: 'case',
  name: 'case-vm',
  rpoSeconds: 3600,
  dependsOn: [],
  source: {
    kind: 'azure-recovery-services',
    protectedItemId: `/subscriptions/${SUB}/resourceGroups/netsdktestrg/providers/Microsoft.RecoveryServices/vaults/testVault/backupFabrics/Azure/protectionContainers/c/protectedItems/i`,
    restore: { request: { properties: alr } },
  },
};
