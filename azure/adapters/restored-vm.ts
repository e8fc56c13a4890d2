/**
 * The tear-down of a VM a Recovery Services restore created (AlternateLocation: a new VM with new OS
 * and data disks and a new NIC). Deleting a VM leaves its disks and NICs behind unless each says
 * `deleteOption: Delete` (the default is `Detach`: Compute API, `OSDisk.deleteOption`,
 * `DataDisk.deleteOption`, `NetworkInterfaceReferenceProperties.deleteOption`), and the option can be
 * changed on an existing VM (`VirtualMachines_Update`). So, resumable and without state of its own:
 * 1. GET the VM: gone → deleted; `Deleting` or `Updating` → deleting (nothing sent);
 * 2. the managed disks and NICs attached to it that do not say `Delete` and belong only to it (a disk
 *    with `managedByExtended` is shared with other VMs: it keeps `Detach` and is left) get
 *    `deleteOption: Delete` in one PATCH → deleting (the next call finds them so);
 * 3. then DELETE the VM, which deletes them with it.
 * The GET of the VM after the delete is the proof: the VM's delete operation includes its disks and NICs.
 */
import type { DeleteOutcome } from '#shared/ports/recovery-actions.ts';
import { DELETABLE_TYPES, type DeletableType } from './restored-resource-types.ts';

/** The ARM calls the tear-down makes, each by id with the type's api-version; GET answers `undefined` when gone. */
export interface ResourceCalls {
  get(id: string, type: DeletableType): Promise<ArmResourceBody | undefined>;
  /** DELETE; resolves to the status (200, 202, 204, or 404 when already gone). */
  delete(id: string, type: DeletableType): Promise<number>;
  patch(id: string, type: DeletableType, operation: string, body: unknown): Promise<number>;
}

/** The parts of an ARM resource GET the tear-down reads. */
export interface ArmResourceBody {
  readonly id?: string;
  readonly managedBy?: string | null;
  readonly managedByExtended?: readonly string[] | null;
  readonly properties?: Record<string, unknown> & { readonly provisioningState?: string };
}

/** A disk or NIC attached to a VM, and what happens to it when the VM is deleted. */
export interface Attachment {
  readonly kind: 'osDisk' | 'dataDisk' | 'nic';
  readonly id: string;
  readonly deleteOption: string | undefined;
}

type Wire = Record<string, unknown>;
const DISK: DeletableType = DELETABLE_TYPES['microsoft.compute/disks'];

/** The VM's provisioning state, lower-case (`deleting`, `updating`, `succeeded`, …). */
export const stateOf = (body: ArmResourceBody): string =>
  String(body.properties?.provisioningState ?? '').toLowerCase();

const storageOf = (vm: ArmResourceBody): Wire => (vm.properties?.['storageProfile'] ?? {}) as Wire;
const nicsOf = (vm: ArmResourceBody): Wire[] =>
  (((vm.properties?.['networkProfile'] ?? {}) as Wire)['networkInterfaces'] ?? []) as Wire[];
const managedIdOf = (disk: Wire | undefined): string | undefined => {
  const id = (disk?.['managedDisk'] as Wire | undefined)?.['id'];
  return typeof id === 'string' && id.length > 0 ? id : undefined;
};

/** The managed disks and NICs of a VM, from its GET (unmanaged VHDs have no id and are not listed). */
export function attachmentsOf(vm: ArmResourceBody): Attachment[] {
  const storage = storageOf(vm);
  const os = storage['osDisk'] as Wire | undefined;
  const osId = managedIdOf(os);
  const data = (storage['dataDisks'] ?? []) as Wire[];
  return [
    ...(osId ? [{ kind: 'osDisk' as const, id: osId, deleteOption: os?.['deleteOption'] as string }] : []),
    ...data.flatMap((d) => {
      const id = managedIdOf(d);
      return id ? [{ kind: 'dataDisk' as const, id, deleteOption: d['deleteOption'] as string }] : [];
    }),
    ...nicsOf(vm).flatMap((n) =>
      typeof n['id'] === 'string'
        ? [
            {
              kind: 'nic' as const,
              id: n['id'],
              deleteOption: ((n['properties'] ?? {}) as Wire)['deleteOption'] as string,
            },
          ]
        : [],
    ),
  ];
}

const deletesWithVm = (a: Attachment): boolean => (a.deleteOption ?? '').toLowerCase() === 'delete';

/**
 * The `VirtualMachines_Update` body that sets `deleteOption: Delete` on the attachments in `ids`
 * (lower-case). Arrays are replaced by a PATCH, so every data disk and NIC the VM has is sent as its
 * GET showed it, only the option changed; only the profiles that change are sent.
 */
export function deleteOptionPatch(vm: ArmResourceBody, ids: ReadonlySet<string>): Wire {
  const storage = storageOf(vm);
  const mark = (entry: Wire, id: string | undefined): Wire =>
    id && ids.has(id.toLowerCase()) ? { ...entry, deleteOption: 'Delete' } : entry;
  const os = storage['osDisk'] as Wire | undefined;
  const data = (storage['dataDisks'] ?? []) as Wire[];
  const nics = nicsOf(vm);
  const touches = (entries: (string | undefined)[]) => entries.some((id) => id && ids.has(id.toLowerCase()));
  const storageProfile: Wire = {
    ...(os && touches([managedIdOf(os)]) ? { osDisk: mark(os, managedIdOf(os)) } : {}),
    ...(touches(data.map(managedIdOf)) ? { dataDisks: data.map((d) => mark(d, managedIdOf(d))) } : {}),
  };
  const networkChanges = touches(nics.map((n) => n['id'] as string | undefined));
  return {
    properties: {
      ...(Object.keys(storageProfile).length > 0 ? { storageProfile } : {}),
      ...(networkChanges
        ? {
            networkProfile: {
              networkInterfaces: nics.map((n) =>
                typeof n['id'] === 'string' && ids.has(n['id'].toLowerCase())
                  ? { ...n, properties: { ...((n['properties'] ?? {}) as Wire), deleteOption: 'Delete' } }
                  : n,
              ),
            },
          }
        : {}),
    },
  };
}

/** Steps 2 and 3 for a VM found and not already deleting or updating (see the module comment). */
export async function deleteVm(
  calls: ResourceCalls,
  id: string,
  type: DeletableType,
  vm: ArmResourceBody,
): Promise<DeleteOutcome | { readonly send: 'delete'; readonly detail: string }> {
  const attachments = attachmentsOf(vm);
  const shared: string[] = [];
  const change = new Set<string>();
  for (const a of attachments.filter((x) => !deletesWithVm(x))) {
    if (a.kind !== 'nic') {
      const disk = await calls.get(a.id, DISK);
      if (!disk) continue;
      if ((disk.managedByExtended ?? []).length > 0) {
        shared.push(a.id);
        continue;
      }
    }
    change.add(a.id.toLowerCase());
  }
  if (change.size > 0) {
    await calls.patch(id, type, 'compute:VirtualMachines_Update', deleteOptionPatch(vm, change));
    return {
      state: 'deleting',
      detail: `compute:VirtualMachines_Update set deleteOption Delete on ${[...change].length} disk(s)/NIC(s) of ${id}, so they go with it; the VM is deleted next`,
    };
  }
  const going = attachments.filter((a) => !shared.includes(a.id)).map((a) => a.id.split('/').pop());
  return {
    send: 'delete',
    detail: `${going.length > 0 ? `with ${going.join(', ')}` : 'with no managed disk or NIC'}${shared.length > 0 ? `; left shared disk(s) ${shared.join(', ')}` : ''}`,
  };
}
