/**
 * Deletes an EFS file system a drill's restore created (`elasticfilesystem` `file-system/fs-…`).
 *
 * Course of action, one move per call (the engine calls again every 30 s while it answers `deleting`):
 * 0. refuse unless the drill's restore metadata says `newFileSystem` "true" and the file system is not
 *    the backed-up one: AWS Backup also restores into an existing file system (a directory
 *    `aws-backup-restore_<time>` in it) and reports that file system as the created resource;
 * 1. `DescribeFileSystems`: not found or `deleted` → deleted; `deleting` → deleting; a file system that
 *    is the destination of a replication (`REPLICATING`) is refused;
 * 2. `DescribeMountTargets`: any left → `DeleteMountTarget` each not already deleting → deleting
 *    ("You can't delete a file system that is in use. That is, if the file system has any mount
 *    targets, you must first delete them");
 * 3. `DescribeReplicationConfigurations`: a replication from it is refused ("You cannot delete a file
 *    system that is part of an EFS replication configuration"): its destination is not the drill's;
 * 4. `DeleteFileSystem` → deleting ("The DeleteFileSystem call returns while the file system state is
 *    still deleting"); `FileSystemInUse` (a mount target not yet gone) → deleting.
 */
import {
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DescribeFileSystemsCommand,
  DescribeMountTargetsCommand,
  DescribeReplicationConfigurationsCommand,
  type EFSClient,
  type MountTargetDescription,
} from '@aws-sdk/client-efs';
import type { Arn } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { DeleteOutcome } from '#shared/ports/recovery-actions.ts';
import { errorName } from './outcomes.ts';
import { failed, refuse, requireNew } from './restore-proof.ts';
import type { ServiceDeletes } from './service-delete.ts';

const PREFIX = 'file-system/';
const DELETE = 'elasticfilesystem:DeleteFileSystem';

/** The EFS deletes, by ARN service and resource-type prefix; `clientFor` gives the client of a region. */
export function efsDeletes(clientFor: (region: string) => EFSClient): ServiceDeletes {
  return {
    elasticfilesystem: {
      [PREFIX]: (arn, resource) => deleteFileSystem(clientFor(arn.region), arn, resource),
    },
  };
}

async function deleteFileSystem(
  efs: EFSClient,
  arn: Arn,
  resource: ProtectedResource,
): Promise<DeleteOutcome> {
  const id = arn.resource.slice(PREFIX.length);
  requireNew(DELETE, arn, resource, 'newFileSystem', 'file system');
  const gone: DeleteOutcome = { state: 'deleted', detail: `EFS file system ${id} is deleted` };

  let state: string | undefined;
  let protection: string | undefined;
  try {
    const found = (await efs.send(new DescribeFileSystemsCommand({ FileSystemId: id }))).FileSystems?.[0];
    state = found?.LifeCycleState;
    protection = found?.FileSystemProtection?.ReplicationOverwriteProtection;
    if (!found || state === 'deleted') return gone;
  } catch (error) {
    if (errorName(error) === 'FileSystemNotFound') return gone;
    throw failed('elasticfilesystem:DescribeFileSystems', arn, error);
  }
  if (state === 'deleting') return { state: 'deleting', detail: `EFS file system ${id} is deleting` };
  if (protection === 'REPLICATING')
    throw refuse(
      DELETE,
      arn,
      "it is the destination of an EFS replication from another file system (ReplicationOverwriteProtection REPLICATING); that replication is not the drill's to delete (elasticfilesystem:DeleteReplicationConfiguration on its source)",
    );

  const targets = (await mountTargets(efs, arn, id)).filter((t) => t.LifeCycleState !== 'deleted');
  if (targets.length) {
    const asked: string[] = [];
    for (const t of targets.filter((t) => t.LifeCycleState !== 'deleting')) {
      try {
        await efs.send(new DeleteMountTargetCommand({ MountTargetId: t.MountTargetId }));
        asked.push(t.MountTargetId);
      } catch (error) {
        if (errorName(error) !== 'MountTargetNotFound')
          throw failed('elasticfilesystem:DeleteMountTarget', arn, error);
      }
    }
    return {
      state: 'deleting',
      detail: `${asked.length ? `elasticfilesystem:DeleteMountTarget ${asked.join(', ')}; ` : ''}waiting for ${targets.length} mount target(s) of ${id} to be deleted`,
    };
  }

  const replications = await replicationsOf(efs, arn, id);
  if (replications.length)
    throw refuse(
      DELETE,
      arn,
      `it is part of an EFS replication configuration (to ${replications.join(', ')}); delete that replication first (elasticfilesystem:DeleteReplicationConfiguration), then the file system`,
    );

  try {
    await efs.send(new DeleteFileSystemCommand({ FileSystemId: id }));
  } catch (error) {
    const name = errorName(error);
    if (name === 'FileSystemNotFound') return gone;
    if (name === 'FileSystemInUse')
      return { state: 'deleting', detail: `EFS file system ${id} still has mount targets being deleted` };
    throw failed(DELETE, arn, error);
  }
  return { state: 'deleting', detail: `${DELETE} ${id}; waiting for it to be deleted` };
}

/** Every mount target of the file system (all pages). */
async function mountTargets(efs: EFSClient, arn: Arn, id: string) {
  const all: (MountTargetDescription & { MountTargetId: string })[] = [];
  let marker: string | undefined;
  do {
    try {
      const page = await efs.send(new DescribeMountTargetsCommand({ FileSystemId: id, Marker: marker }));
      all.push(
        ...(page.MountTargets ?? []).filter(
          (t): t is typeof t & { MountTargetId: string } => !!t.MountTargetId,
        ),
      );
      marker = page.NextMarker;
    } catch (error) {
      throw failed('elasticfilesystem:DescribeMountTargets', arn, error);
    }
  } while (marker);
  return all;
}

/** The file systems the file system replicates to, or from (empty when it is in no replication). */
async function replicationsOf(efs: EFSClient, arn: Arn, id: string): Promise<string[]> {
  try {
    const { Replications = [] } = await efs.send(
      new DescribeReplicationConfigurationsCommand({ FileSystemId: id }),
    );
    return Replications.flatMap((r) =>
      r.SourceFileSystemId === id
        ? (r.Destinations ?? []).map((d) => d.FileSystemId ?? '(unknown)')
        : [`from ${r.SourceFileSystemId}`],
    );
  } catch (error) {
    if (errorName(error) === 'ReplicationNotFound') return [];
    throw failed('elasticfilesystem:DescribeReplicationConfigurations', arn, error);
  }
}
