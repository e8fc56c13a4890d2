import {
  BadRequest,
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DescribeFileSystemsCommand,
  DescribeMountTargetsCommand,
  type DescribeMountTargetsResponse,
  DescribeReplicationConfigurationsCommand,
  EFSClient,
  FileSystemInUse,
  FileSystemNotFound,
  ReplicationNotFound,
} from '@aws-sdk/client-efs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { efsDeletes } from '#functions/cleanup/efs.ts';
import { ProviderError } from '#shared/domain/errors.ts';
import { arn, drillResource, example, withoutRestore } from './drill-resources.ts';

const efs = mockClient(EFSClient);
const regions: string[] = [];
const remove = efsDeletes((region) => {
  regions.push(region);
  return new EFSClient({ region });
}).elasticfilesystem!['file-system/']!;

const CREATED_TEXT = 'arn:aws:elasticfilesystem:eu-central-1:111122223333:file-system/fs-01234567';
const CREATED = arn(CREATED_TEXT);
const SOURCE = 'arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-0prod';
const restored = drillResource(SOURCE, { newFileSystem: 'true', CreationToken: 'case-files-drill' });
const fault = { $metadata: {} };
const describes = (LifeCycleState: string, extra: object = {}) =>
  efs.on(DescribeFileSystemsCommand).resolves({
    FileSystems: [
      {
        FileSystemId: 'fs-01234567',
        OwnerId: '111122223333',
        CreationToken: 'case-files-drill',
        CreationTime: new Date(0),
        LifeCycleState: LifeCycleState as 'available',
        NumberOfMountTargets: 0,
        SizeInBytes: { Value: 0 },
        PerformanceMode: 'generalPurpose',
        Tags: [],
        ...extra,
      },
    ],
  });
const noReplication = () =>
  efs
    .on(DescribeReplicationConfigurationsCommand)
    .rejects(new ReplicationNotFound({ message: 'none', ...fault }));

beforeEach(() => {
  efs.reset();
  regions.length = 0;
});

describe('efsDeletes', () => {
  it('first deletes the mount targets (the official DescribeMountTargets example), in the ARN region', async () => {
    describes('available');
    efs
      .on(DescribeMountTargetsCommand)
      .resolves(example<DescribeMountTargetsResponse>('efs-describe-mount-targets').response);
    efs.on(DeleteMountTargetCommand).resolves({});
    expect(await remove(CREATED, restored)).toEqual({
      state: 'deleting',
      detail:
        'elasticfilesystem:DeleteMountTarget fsmt-12340abc; waiting for 1 mount target(s) of fs-01234567 to be deleted',
    });
    expect(efs).toHaveReceivedCommandWith(DeleteMountTargetCommand, { MountTargetId: 'fsmt-12340abc' });
    expect(efs).not.toHaveReceivedCommand(DeleteFileSystemCommand);
    expect(regions).toEqual(['eu-central-1']);
  });

  it('waits for mount targets already deleting without asking again', async () => {
    describes('available');
    efs.on(DescribeMountTargetsCommand).resolves({
      MountTargets: [
        { MountTargetId: 'fsmt-1', FileSystemId: 'fs-01234567', SubnetId: 's', LifeCycleState: 'deleting' },
        { MountTargetId: 'fsmt-2', FileSystemId: 'fs-01234567', SubnetId: 's', LifeCycleState: 'deleted' },
      ],
    });
    expect(await remove(CREATED, restored)).toEqual({
      state: 'deleting',
      detail: 'waiting for 1 mount target(s) of fs-01234567 to be deleted',
    });
    expect(efs).not.toHaveReceivedCommand(DeleteMountTargetCommand);
  });

  it.each([
    [
      'accepted',
      () => efs.on(DeleteFileSystemCommand).resolves({}),
      'deleting',
      'elasticfilesystem:DeleteFileSystem fs-01234567; waiting for it to be deleted',
    ],
    [
      'refused while a mount target is still going (FileSystemInUse)',
      () =>
        efs
          .on(DeleteFileSystemCommand)
          .rejects(new FileSystemInUse({ message: 'in use', ErrorCode: 'FileSystemInUse', ...fault })),
      'deleting',
      'EFS file system fs-01234567 still has mount targets being deleted',
    ],
    [
      'answered FileSystemNotFound (gone meanwhile)',
      () =>
        efs
          .on(DeleteFileSystemCommand)
          .rejects(new FileSystemNotFound({ message: 'gone', ErrorCode: 'FileSystemNotFound', ...fault })),
      'deleted',
      'EFS file system fs-01234567 is deleted',
    ],
  ])('with no mount target left, deletes the file system: %s', async (_case, answer, state, detail) => {
    describes('available');
    efs.on(DescribeMountTargetsCommand).resolves({ MountTargets: [] });
    noReplication();
    answer();
    expect(await remove(CREATED, restored)).toEqual({ state, detail });
    expect(efs).toHaveReceivedCommandWith(DeleteFileSystemCommand, { FileSystemId: 'fs-01234567' });
  });

  it.each([
    [
      'is deleting',
      () => describes('deleting'),
      { state: 'deleting', detail: 'EFS file system fs-01234567 is deleting' },
    ],
    [
      'is deleted',
      () => describes('deleted'),
      { state: 'deleted', detail: 'EFS file system fs-01234567 is deleted' },
    ],
    [
      'is not found (already gone)',
      () =>
        efs
          .on(DescribeFileSystemsCommand)
          .rejects(new FileSystemNotFound({ message: 'gone', ErrorCode: 'FileSystemNotFound', ...fault })),
      { state: 'deleted', detail: 'EFS file system fs-01234567 is deleted' },
    ],
  ])('calls nothing more when the file system %s', async (_case, answer, outcome) => {
    answer();
    expect(await remove(CREATED, restored)).toEqual(outcome);
    expect(efs).toHaveReceivedCommandTimes(DescribeFileSystemsCommand, 1);
    expect(efs).not.toHaveReceivedCommand(DescribeMountTargetsCommand);
    expect(efs).not.toHaveReceivedCommand(DeleteFileSystemCommand);
  });

  it.each([
    [
      'the restore may have gone into an existing file system (newFileSystem "false")',
      drillResource(SOURCE, { newFileSystem: 'false', CreationToken: 'x' }),
      'does not set newFileSystem "true" (it is "false"), so the restore may have gone into an existing file system',
    ],
    [
      'newFileSystem is unset',
      drillResource(SOURCE, { CreationToken: 'x' }),
      'does not set newFileSystem "true" (it is unset)',
    ],
    [
      'the created file system is the backed-up one',
      drillResource(CREATED_TEXT, { newFileSystem: 'TRUE' }),
      'it is the backed-up resource of files, not a copy the drill restored',
    ],
    [
      'the resource has no restore metadata',
      withoutRestore(restored),
      'files has no AWS Backup restore metadata',
    ],
  ])('refuses, calling nothing, when %s', async (_case, resource, reason) => {
    const refusal = remove(CREATED, resource);
    await expect(refusal).rejects.toThrow(ProviderError);
    await expect(refusal).rejects.toThrow(reason);
    await expect(refusal).rejects.toThrow(
      /^elasticfilesystem:DeleteFileSystem: refused to delete arn:aws:elasticfilesystem:eu-central-1:111122223333:file-system\/fs-01234567: .*; delete it by hand$/,
    );
    expect(efs.calls()).toHaveLength(0);
  });

  it('refuses a file system that is the destination of a replication', async () => {
    describes('available', { FileSystemProtection: { ReplicationOverwriteProtection: 'REPLICATING' } });
    await expect(remove(CREATED, restored)).rejects.toThrow('it is the destination of an EFS replication');
    expect(efs).not.toHaveReceivedCommand(DeleteMountTargetCommand);
  });

  it('refuses a file system that replicates to another, naming the call that must go first', async () => {
    describes('available');
    efs.on(DescribeMountTargetsCommand).resolves({ MountTargets: [] });
    efs.on(DescribeReplicationConfigurationsCommand).resolves({
      Replications: [
        {
          SourceFileSystemId: 'fs-01234567',
          SourceFileSystemRegion: 'eu-central-1',
          SourceFileSystemArn: CREATED_TEXT,
          OriginalSourceFileSystemArn: CREATED_TEXT,
          CreationTime: new Date(0),
          Destinations: [{ Status: 'ENABLED', FileSystemId: 'fs-0copy', Region: 'eu-west-1' }],
        },
      ],
    });
    await expect(remove(CREATED, restored)).rejects.toThrow(
      'it is part of an EFS replication configuration (to fs-0copy); delete that replication first (elasticfilesystem:DeleteReplicationConfiguration)',
    );
    expect(efs).not.toHaveReceivedCommand(DeleteFileSystemCommand);
  });

  it('names the call and the service message when the service refuses', async () => {
    describes('available');
    efs.on(DescribeMountTargetsCommand).resolves({ MountTargets: [] });
    noReplication();
    efs
      .on(DeleteFileSystemCommand)
      .rejects(new BadRequest({ message: 'bad', ErrorCode: 'BadRequest', ...fault }));
    await expect(remove(CREATED, restored)).rejects.toThrow(
      'elasticfilesystem:DeleteFileSystem: arn:aws:elasticfilesystem:eu-central-1:111122223333:file-system/fs-01234567: BadRequest: bad',
    );
  });
});
