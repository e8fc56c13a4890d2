import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectLockConfigurationCommand,
  ListObjectVersionsCommand,
  type ListObjectVersionsOutput,
  NoSuchBucket,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { PAGES, s3Deletes } from '#functions/cleanup/s3.ts';
import { ProviderError } from '#shared/domain/errors.ts';
import { arn, drillResource, example, withoutRestore } from './drill-resources.ts';

const s3 = mockClient(S3Client);
const regions: string[] = [];
const remove = s3Deletes((region) => {
  regions.push(region);
  return new S3Client({ region });
}).s3!['']!;

const CREATED = arn('arn:aws:s3:::case-files-drill');
const SOURCE = 'arn:aws:s3:::case-files';
const restored = drillResource(SOURCE, { DestinationBucketName: 'case-files-drill', NewBucket: 'true' });
const owner = { Bucket: 'case-files-drill', ExpectedBucketOwner: '111122223333' };
const s3Error = (name: string) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: {}, message: `${name} (test)` });
const noLock = () =>
  s3.on(GetObjectLockConfigurationCommand).rejects(s3Error('ObjectLockConfigurationNotFoundError'));
const officialVersions = example<ListObjectVersionsOutput>('s3-list-object-versions').response;
const thousand = (from: number) =>
  Array.from({ length: 1000 }, (_, i) => ({ Key: `k${from + i}`, VersionId: `v${from + i}` }));

beforeEach(() => {
  s3.reset();
  regions.length = 0;
});

describe('s3Deletes', () => {
  it('empties a restored bucket of every version (the official ListObjectVersions example), then deletes it', async () => {
    noLock();
    s3.on(ListObjectVersionsCommand).resolvesOnce(officialVersions).resolves({});
    s3.on(DeleteObjectsCommand).resolves({});
    s3.on(DeleteBucketCommand).resolves({});
    expect(await remove(CREATED, restored)).toEqual({
      state: 'deleted',
      detail:
        's3:DeleteObjects 2 version(s) and delete marker(s) of case-files-drill; s3:DeleteBucket case-files-drill',
    });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectsCommand, {
      ...owner,
      Delete: {
        Objects: [
          { Key: 'HappyFace.jpg', VersionId: 'null' },
          { Key: 'HappyFace.jpg', VersionId: 'PHtexPGjH2y.zBgT8LmB7wwLI2mpbz.k' },
        ],
        Quiet: true,
      },
    });
    expect(s3).toHaveReceivedCommandWith(DeleteBucketCommand, owner);
    expect(regions).toEqual(['eu-central-1']); // the vault's region: where the restore ran
  });

  it('deletes delete markers too', async () => {
    noLock();
    s3.on(ListObjectVersionsCommand).resolvesOnce({
      Versions: [{ Key: 'a', VersionId: '1' }],
      DeleteMarkers: [{ Key: 'b', VersionId: '2' }],
    });
    s3.on(DeleteObjectsCommand).resolves({});
    s3.on(DeleteBucketCommand).resolves({});
    await remove(CREATED, restored);
    expect(s3).toHaveReceivedCommandWith(DeleteObjectsCommand, {
      Delete: {
        Objects: [
          { Key: 'a', VersionId: '1' },
          { Key: 'b', VersionId: '2' },
        ],
        Quiet: true,
      },
    });
  });

  it(`deletes at most ${PAGES} pages of 1,000 per call and answers deleting while more remain`, async () => {
    noLock();
    let page = 0;
    s3.on(ListObjectVersionsCommand).callsFake(() => ({
      Versions: thousand(1000 * page++),
      IsTruncated: true,
    }));
    s3.on(DeleteObjectsCommand).resolves({});
    expect(await remove(CREATED, restored)).toEqual({
      state: 'deleting',
      detail: 's3:DeleteObjects 10000 version(s) and delete marker(s) of case-files-drill; more remain',
    });
    expect(s3).toHaveReceivedCommandTimes(DeleteObjectsCommand, PAGES);
    for (const call of s3.commandCalls(DeleteObjectsCommand))
      expect(call.args[0].input.Delete?.Objects).toHaveLength(1000);
    expect(s3).not.toHaveReceivedCommand(DeleteBucketCommand);
  });

  it.each([
    [
      'an empty bucket',
      () => s3.on(DeleteBucketCommand).resolves({}),
      { state: 'deleted', detail: 's3:DeleteBucket case-files-drill' },
    ],
    [
      'a bucket a write made non-empty again (BucketNotEmpty)',
      () => s3.on(DeleteBucketCommand).rejects(s3Error('BucketNotEmpty')),
      { state: 'deleting', detail: 'case-files-drill is not empty yet' },
    ],
    [
      'a bucket gone meanwhile (NoSuchBucket)',
      () => s3.on(DeleteBucketCommand).rejects(new NoSuchBucket({ message: 'gone', $metadata: {} })),
      { state: 'deleted', detail: 'S3 bucket case-files-drill is deleted' },
    ],
  ])('deletes %s', async (_case, answer, outcome) => {
    noLock();
    s3.on(ListObjectVersionsCommand).resolves({ Versions: [], DeleteMarkers: [] });
    answer();
    expect(await remove(CREATED, restored)).toEqual(outcome);
    expect(s3).not.toHaveReceivedCommand(DeleteObjectsCommand);
  });

  it('counts a bucket already gone as deleted, calling nothing more', async () => {
    s3.on(GetObjectLockConfigurationCommand).rejects(new NoSuchBucket({ message: 'gone', $metadata: {} }));
    expect(await remove(CREATED, restored)).toEqual({
      state: 'deleted',
      detail: 'S3 bucket case-files-drill is deleted',
    });
    expect(s3.calls()).toHaveLength(1);
  });

  it('fails naming the keys S3 would not delete, and does not delete the bucket', async () => {
    noLock();
    s3.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: 'a', VersionId: '1' }] });
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'a', VersionId: '1', Code: 'AccessDenied' }] });
    await expect(remove(CREATED, restored)).rejects.toThrow(
      's3:DeleteObjects: arn:aws:s3:::case-files-drill: 1 of 1 not deleted, e.g. a (AccessDenied)',
    );
    expect(s3).not.toHaveReceivedCommand(DeleteBucketCommand);
  });

  it.each([
    [
      'NewBucket is "false" (a restore into an existing bucket)',
      drillResource(SOURCE, { DestinationBucketName: 'case-files-drill', NewBucket: 'false' }),
      'does not set NewBucket "true" (it is "false"), so the restore may have gone into an existing bucket',
    ],
    [
      'NewBucket is unset',
      drillResource(SOURCE, { DestinationBucketName: 'case-files-drill' }),
      'does not set NewBucket "true" (it is unset)',
    ],
    [
      'the bucket is not the one the drill named',
      drillResource(SOURCE, { DestinationBucketName: 'other-drill', NewBucket: 'true' }),
      'its name "case-files-drill" is not the DestinationBucketName the drill restored files under ("other-drill")',
    ],
    [
      'the bucket is the backed-up one',
      drillResource('arn:aws:s3:::case-files-drill', {
        DestinationBucketName: 'case-files-drill',
        NewBucket: 'true',
      }),
      'it is the backed-up resource of files',
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
      /^s3:DeleteBucket: refused to delete arn:aws:s3:::case-files-drill: .*; delete it by hand$/,
    );
    expect(s3.calls()).toHaveLength(0);
  });

  it('refuses an object ARN', async () => {
    await expect(remove(arn('arn:aws:s3:::case-files-drill/key'), restored)).rejects.toThrow(
      'it names an object, not a bucket',
    );
    expect(s3.calls()).toHaveLength(0);
  });

  it('refuses a bucket with Object Lock, deleting no object', async () => {
    s3.on(GetObjectLockConfigurationCommand).resolves({
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
      },
    });
    await expect(remove(CREATED, restored)).rejects.toThrow(
      'Object Lock is enabled on it: its objects may be under retention, which a drill never bypasses; delete it by hand',
    );
    expect(s3).not.toHaveReceivedCommand(ListObjectVersionsCommand);
    expect(s3).not.toHaveReceivedCommand(DeleteObjectsCommand);
  });

  it('names the call and the service message when listing fails', async () => {
    noLock();
    s3.on(ListObjectVersionsCommand).rejects(s3Error('AccessDenied'));
    await expect(remove(CREATED, restored)).rejects.toThrow(
      's3:ListObjectVersions: arn:aws:s3:::case-files-drill: AccessDenied: AccessDenied (test)',
    );
  });
});
