import {
  BadRequest,
  DeleteFileSystemCommand,
  type DeleteFileSystemRequest,
  type DeleteFileSystemResponse,
  DeleteVolumeCommand,
  DescribeFileSystemsCommand,
  DescribeVolumesCommand,
  FileSystemNotFound,
  FSxClient,
  VolumeNotFound,
} from '@aws-sdk/client-fsx';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { fsxDeletes } from '#functions/cleanup/fsx.ts';
import { ProviderError } from '#shared/domain/errors.ts';
import { arn, drillResource, example, withoutRestore } from './drill-resources.ts';

const fsx = mockClient(FSxClient);
const regions: string[] = [];
const deletes = fsxDeletes((region) => {
  regions.push(region);
  return new FSxClient({ region });
}).fsx!;
const removeFileSystem = deletes['file-system/']!;
const removeVolume = deletes['volume/']!;

// The official DeleteFileSystem example: its file system id, and its answer (Lifecycle DELETING).
const official = example<DeleteFileSystemResponse>('fsx-delete-file-system');
const FS = official.response.FileSystemId!;
const FILE_SYSTEM = arn(`arn:aws:fsx:eu-central-1:111122223333:file-system/${FS}`);
const VOLUME = arn('arn:aws:fsx:eu-central-1:111122223333:volume/fs-0ontap/fsvol-0restored');
const restored = drillResource('arn:aws:fsx:eu-west-1:111122223333:file-system/fs-0prod', {
  SubnetIds: '["subnet-1"]',
});
const fault = { $metadata: {} };
const fileSystem = (FileSystemType: string, Lifecycle = 'AVAILABLE') =>
  fsx.on(DescribeFileSystemsCommand).resolves({
    FileSystems: [
      { FileSystemId: FS, FileSystemType: FileSystemType as 'LUSTRE', Lifecycle: Lifecycle as 'AVAILABLE' },
    ],
  });
const volume = (VolumeType: string, extra: object = {}) =>
  fsx.on(DescribeVolumesCommand).resolves({
    Volumes: [
      { VolumeId: 'fsvol-0restored', VolumeType: VolumeType as 'ONTAP', Lifecycle: 'AVAILABLE', ...extra },
    ],
  });

beforeEach(() => {
  fsx.reset();
  regions.length = 0;
});

describe('fsxDeletes: file systems', () => {
  it.each<[string, Omit<DeleteFileSystemRequest, 'FileSystemId'>]>([
    ['WINDOWS', { WindowsConfiguration: { SkipFinalBackup: true } }],
    ['LUSTRE', { LustreConfiguration: { SkipFinalBackup: true } }],
    [
      'OPENZFS',
      { OpenZFSConfiguration: { SkipFinalBackup: true, Options: ['DELETE_CHILD_VOLUMES_AND_SNAPSHOTS'] } },
    ],
  ])(
    'deletes a restored %s file system without a final backup (the official example answer)',
    async (type, options) => {
      fileSystem(type);
      fsx.on(DeleteFileSystemCommand).resolves(official.response);
      expect(await removeFileSystem(FILE_SYSTEM, restored)).toEqual({
        state: 'deleting',
        detail: `fsx:DeleteFileSystem ${FS} (${type}, no final backup); waiting for it to be deleted`,
      });
      expect(fsx).toHaveReceivedCommandWith(DeleteFileSystemCommand, { ...official.input, ...options });
      expect(regions).toEqual(['eu-central-1']);
    },
  );

  it.each([
    [
      'is deleting',
      () => fileSystem('LUSTRE', 'DELETING'),
      { state: 'deleting', detail: `FSx file system ${FS} is deleting` },
    ],
    [
      'is not found (gone)',
      () => fsx.on(DescribeFileSystemsCommand).rejects(new FileSystemNotFound({ message: 'gone', ...fault })),
      { state: 'deleted', detail: `FSx file system ${FS} is deleted` },
    ],
  ])('calls nothing more when the file system %s', async (_case, answer, outcome) => {
    answer();
    expect(await removeFileSystem(FILE_SYSTEM, restored)).toEqual(outcome);
    expect(fsx).not.toHaveReceivedCommand(DeleteFileSystemCommand);
  });

  it('counts a file system gone between describe and delete as deleted', async () => {
    fileSystem('WINDOWS');
    fsx.on(DeleteFileSystemCommand).rejects(new FileSystemNotFound({ message: 'gone', ...fault }));
    expect(await removeFileSystem(FILE_SYSTEM, restored)).toEqual({
      state: 'deleted',
      detail: `FSx file system ${FS} is deleted`,
    });
  });

  it('refuses an ONTAP file system, naming the calls deleting one would take', async () => {
    fileSystem('ONTAP');
    await expect(removeFileSystem(FILE_SYSTEM, restored)).rejects.toThrow(
      'AWS Backup restores ONTAP per volume into an existing file system, so no restore created it (deleting one takes fsx:DeleteVolume of each non-root volume, fsx:DeleteStorageVirtualMachine of each SVM, then fsx:DeleteFileSystem); delete it by hand',
    );
    expect(fsx).not.toHaveReceivedCommand(DeleteFileSystemCommand);
  });

  it.each([
    [
      'the file system is the backed-up one',
      drillResource(`arn:aws:fsx:eu-central-1:111122223333:file-system/${FS}`, {}),
      'it is the backed-up resource of files',
    ],
    [
      'the resource has no restore metadata',
      withoutRestore(restored),
      'files has no AWS Backup restore metadata',
    ],
  ])('refuses, calling nothing, when %s', async (_case, resource, reason) => {
    const refusal = removeFileSystem(FILE_SYSTEM, resource);
    await expect(refusal).rejects.toThrow(ProviderError);
    await expect(refusal).rejects.toThrow(reason);
    expect(fsx.calls()).toHaveLength(0);
  });

  it('names the call and the service message when the service refuses', async () => {
    fileSystem('LUSTRE');
    fsx
      .on(DeleteFileSystemCommand)
      .rejects(new BadRequest({ message: 'a data repository task is executing', ...fault }));
    await expect(removeFileSystem(FILE_SYSTEM, restored)).rejects.toThrow(
      `fsx:DeleteFileSystem: arn:aws:fsx:eu-central-1:111122223333:file-system/${FS}: BadRequest: a data repository task is executing`,
    );
  });
});

describe('fsxDeletes: volumes', () => {
  it('deletes a restored ONTAP volume without a final backup', async () => {
    volume('ONTAP', { OntapConfiguration: { StorageVirtualMachineRoot: false } });
    fsx.on(DeleteVolumeCommand).resolves({ VolumeId: 'fsvol-0restored', Lifecycle: 'DELETING' });
    expect(await removeVolume(VOLUME, restored)).toEqual({
      state: 'deleting',
      detail: 'fsx:DeleteVolume fsvol-0restored (ONTAP, no final backup); waiting for it to be deleted',
    });
    expect(fsx).toHaveReceivedCommandWith(DeleteVolumeCommand, {
      VolumeId: 'fsvol-0restored',
      OntapConfiguration: { SkipFinalBackup: true },
    });
  });

  it.each([
    [
      'is deleting',
      () => volume('ONTAP', { Lifecycle: 'DELETING' }),
      { state: 'deleting', detail: 'FSx volume fsvol-0restored is deleting' },
    ],
    [
      'is not found (gone)',
      () => fsx.on(DescribeVolumesCommand).rejects(new VolumeNotFound({ message: 'gone', ...fault })),
      { state: 'deleted', detail: 'FSx volume fsvol-0restored is deleted' },
    ],
  ])('calls nothing more when the volume %s', async (_case, answer, outcome) => {
    answer();
    expect(await removeVolume(VOLUME, restored)).toEqual(outcome);
    expect(fsx).not.toHaveReceivedCommand(DeleteVolumeCommand);
  });

  it.each([
    [
      'an SVM root volume',
      () => volume('ONTAP', { OntapConfiguration: { StorageVirtualMachineRoot: true } }),
      'it is the root volume of a storage virtual machine',
    ],
    [
      'an OpenZFS volume',
      () => volume('OPENZFS'),
      'it is an OPENZFS volume; AWS Backup restores FSx volumes only for ONTAP',
    ],
  ])('refuses %s', async (_case, answer, reason) => {
    answer();
    await expect(removeVolume(VOLUME, restored)).rejects.toThrow(reason);
    expect(fsx).not.toHaveReceivedCommand(DeleteVolumeCommand);
  });
});
