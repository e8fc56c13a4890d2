/**
 * Deletes what a drill's AWS Backup restore of Amazon FSx created.
 *
 * - `file-system/fs-…` (FSx for Windows File Server, Lustre, OpenZFS: their backups restore a new file
 *   system): `DescribeFileSystems` → not found → deleted, `DELETING` → deleting; otherwise
 *   `DeleteFileSystem` with its type's block and `SkipFinalBackup` (the drill copy is disposable; a
 *   Windows file system takes a final backup by default that "must be manually deleted"), OpenZFS with
 *   `DELETE_CHILD_VOLUMES_AND_SNAPSHOTS` → deleting. An ONTAP file system is refused: "FSx for ONTAP
 *   backups are per volume" and restore "to any existing FSx for ONTAP file system", so a whole ONTAP
 *   file system is never what a restore created.
 * - `volume/fs-…/fsvol-…` (an ONTAP volume restored into an existing file system's SVM):
 *   `DescribeVolumes` → not found → deleted, `DELETING` → deleting; an SVM root volume or an OpenZFS
 *   volume (OpenZFS backups are of whole file systems) is refused; otherwise `DeleteVolume` with
 *   `SkipFinalBackup` → deleting. SnapLock retention is never bypassed: such a delete fails, named.
 * Each refuses the backed-up resource itself.
 */
import {
  DeleteFileSystemCommand,
  type DeleteFileSystemRequest,
  DeleteVolumeCommand,
  DescribeFileSystemsCommand,
  DescribeVolumesCommand,
  type FileSystemType,
  type FSxClient,
} from '@aws-sdk/client-fsx';
import type { Arn } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { DeleteOutcome } from '#shared/ports/recovery-actions.ts';
import { errorName } from './outcomes.ts';
import { failed, refuse, requireNotSource, restoreMetadata } from './restore-proof.ts';
import type { ServiceDeletes } from './service-delete.ts';

const FILE_SYSTEM = 'file-system/';
const VOLUME = 'volume/';

/** The delete options of each file system type, or why that type is refused. */
const BY_TYPE = {
  WINDOWS: { WindowsConfiguration: { SkipFinalBackup: true } },
  LUSTRE: { LustreConfiguration: { SkipFinalBackup: true } },
  OPENZFS: {
    OpenZFSConfiguration: { SkipFinalBackup: true, Options: ['DELETE_CHILD_VOLUMES_AND_SNAPSHOTS'] },
  },
  ONTAP: {
    refused:
      'it is an FSx for ONTAP file system, and AWS Backup restores ONTAP per volume into an existing file system, so no restore created it (deleting one takes fsx:DeleteVolume of each non-root volume, fsx:DeleteStorageVirtualMachine of each SVM, then fsx:DeleteFileSystem)',
  },
} as const satisfies Record<
  FileSystemType,
  Omit<DeleteFileSystemRequest, 'FileSystemId' | 'ClientRequestToken'> | { readonly refused: string }
>;

/** The FSx deletes, by ARN service and resource-type prefix; `clientFor` gives the client of a region. */
export function fsxDeletes(clientFor: (region: string) => FSxClient): ServiceDeletes {
  return {
    fsx: {
      [FILE_SYSTEM]: (arn, resource) => deleteFileSystem(clientFor(arn.region), arn, resource),
      [VOLUME]: (arn, resource) => deleteVolume(clientFor(arn.region), arn, resource),
    },
  };
}

async function deleteFileSystem(
  fsx: FSxClient,
  arn: Arn,
  resource: ProtectedResource,
): Promise<DeleteOutcome> {
  const DELETE = 'fsx:DeleteFileSystem';
  const id = arn.resource.slice(FILE_SYSTEM.length);
  restoreMetadata(DELETE, arn, resource);
  requireNotSource(DELETE, arn, resource);
  const gone: DeleteOutcome = { state: 'deleted', detail: `FSx file system ${id} is deleted` };

  let type: FileSystemType | undefined;
  try {
    const found = (await fsx.send(new DescribeFileSystemsCommand({ FileSystemIds: [id] }))).FileSystems?.[0];
    if (!found) return gone;
    if (found.Lifecycle === 'DELETING')
      return { state: 'deleting', detail: `FSx file system ${id} is deleting` };
    type = found.FileSystemType;
  } catch (error) {
    if (errorName(error) === 'FileSystemNotFound') return gone;
    throw failed('fsx:DescribeFileSystems', arn, error);
  }
  const options = type && BY_TYPE[type];
  if (!options)
    throw refuse(DELETE, arn, `its file system type ${type ?? '(none)'} is not one Standby knows`);
  if ('refused' in options) throw refuse(DELETE, arn, options.refused);

  try {
    await fsx.send(
      new DeleteFileSystemCommand({
        FileSystemId: id,
        ...(options as Omit<DeleteFileSystemRequest, 'FileSystemId'>),
      }),
    );
  } catch (error) {
    if (errorName(error) === 'FileSystemNotFound') return gone;
    throw failed(DELETE, arn, error);
  }
  return {
    state: 'deleting',
    detail: `${DELETE} ${id} (${type}, no final backup); waiting for it to be deleted`,
  };
}

async function deleteVolume(fsx: FSxClient, arn: Arn, resource: ProtectedResource): Promise<DeleteOutcome> {
  const DELETE = 'fsx:DeleteVolume';
  const id = arn.resource.split('/').at(-1) ?? '';
  restoreMetadata(DELETE, arn, resource);
  requireNotSource(DELETE, arn, resource);
  const gone: DeleteOutcome = { state: 'deleted', detail: `FSx volume ${id} is deleted` };

  let volume: { type?: string; root?: boolean };
  try {
    const found = (await fsx.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes?.[0];
    if (!found) return gone;
    if (found.Lifecycle === 'DELETING') return { state: 'deleting', detail: `FSx volume ${id} is deleting` };
    volume = { type: found.VolumeType, root: found.OntapConfiguration?.StorageVirtualMachineRoot };
  } catch (error) {
    if (errorName(error) === 'VolumeNotFound') return gone;
    throw failed('fsx:DescribeVolumes', arn, error);
  }
  if (volume.type !== 'ONTAP')
    throw refuse(
      DELETE,
      arn,
      `it is an ${volume.type ?? 'unknown'} volume; AWS Backup restores FSx volumes only for ONTAP (OpenZFS backups restore whole file systems)`,
    );
  if (volume.root)
    throw refuse(DELETE, arn, 'it is the root volume of a storage virtual machine, which no restore creates');

  try {
    await fsx.send(new DeleteVolumeCommand({ VolumeId: id, OntapConfiguration: { SkipFinalBackup: true } }));
  } catch (error) {
    if (errorName(error) === 'VolumeNotFound') return gone;
    throw failed(DELETE, arn, error);
  }
  return {
    state: 'deleting',
    detail: `${DELETE} ${id} (ONTAP, no final backup); waiting for it to be deleted`,
  };
}
