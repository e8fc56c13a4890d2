/**
 * Deletes an S3 bucket a drill's restore created (`arn:aws:s3:::bucket`: no region, no account).
 *
 * Safety first: an AWS Backup S3 restore can go into an existing bucket (`NewBucket` "false", or the
 * original bucket), and "AWS Backup does not delete objects ... from a bucket during a restore" — that
 * bucket holds other data. So it is refused, naming why, unless the drill's restore metadata sets
 * `NewBucket` "true", names this bucket as `DestinationBucketName`, and the bucket is not the backed-up
 * one. A bucket with Object Lock is refused too: its objects may be under retention, and a drill never
 * bypasses retention.
 *
 * The bucket is where its restore ran: "restore jobs only occur in the same Region in which the
 * original backup or copy is located", the vault's region (and the vault's account owns it,
 * `ExpectedBucketOwner`).
 *
 * Course of action, one bounded move per call (the engine calls again every 30 s while `deleting`):
 * 1. `GetObjectLockConfiguration`: `NoSuchBucket` → deleted; Object Lock enabled → refused;
 * 2. up to {@link PAGES} times: `ListObjectVersions` (1,000 at most) → `DeleteObjects` of those versions
 *    and delete markers (AWS Backup needs versioning on, so every version must go);
 * 3. versions left → deleting; none → `DeleteBucket` → deleted (`BucketNotEmpty`: a write raced → deleting).
 */
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  type DeleteObjectsCommandOutput,
  GetObjectLockConfigurationCommand,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type Arn, parseArn } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { DeleteOutcome } from '#shared/ports/recovery-actions.ts';
import { errorName } from './outcomes.ts';
import { failed, refuse, requireName, requireNew } from './restore-proof.ts';
import type { ServiceDeletes } from './service-delete.ts';

/** Pages of at most 1,000 versions emptied per call, so one call stays well inside a Lambda's time. */
export const PAGES = 10;
/** The most keys one ListObjectVersions page and one DeleteObjects request take. */
const MAX_KEYS = 1000;
const DELETE = 's3:DeleteBucket';

/** The S3 deletes: a bucket ARN's resource is the bare bucket name, so the prefix is empty. */
export function s3Deletes(clientFor: (region: string) => S3Client): ServiceDeletes {
  return { s3: { '': deleteBucket(clientFor) } };
}

const deleteBucket =
  (clientFor: (region: string) => S3Client) =>
  async (arn: Arn, resource: ProtectedResource): Promise<DeleteOutcome> => {
    const bucket = arn.resource;
    if (bucket.includes('/'))
      throw refuse(DELETE, arn, 'it names an object, not a bucket; a restore creates buckets');
    const metadata = requireNew(DELETE, arn, resource, 'NewBucket', 'bucket');
    requireName(DELETE, arn, resource, metadata, 'DestinationBucketName', bucket);
    const vault = resource.source.kind === 'aws-backup' ? parseArn(resource.source.vaultArn) : undefined;
    const region = arn.region || vault?.region || resource.recoveryRegion;
    if (!region) throw refuse(DELETE, arn, 'the region the restore created it in is not known');
    const s3 = clientFor(region);
    const owner = vault?.account ? { ExpectedBucketOwner: vault.account } : {};
    const gone: DeleteOutcome = { state: 'deleted', detail: `S3 bucket ${bucket} is deleted` };

    let locked: string | undefined;
    try {
      const { ObjectLockConfiguration } = await s3.send(
        new GetObjectLockConfigurationCommand({ Bucket: bucket, ...owner }),
      );
      locked = ObjectLockConfiguration?.ObjectLockEnabled;
    } catch (error) {
      const name = errorName(error);
      if (name === 'NoSuchBucket') return gone;
      if (name !== 'ObjectLockConfigurationNotFoundError')
        throw failed('s3:GetObjectLockConfiguration', arn, error);
    }
    if (locked === 'Enabled')
      throw refuse(
        DELETE,
        arn,
        'Object Lock is enabled on it: its objects may be under retention, which a drill never bypasses',
      );

    let deleted = 0;
    let left = true;
    for (let page = 0; page < PAGES && left; page++) {
      const listed = await versions(s3, arn, bucket, owner);
      if (listed === 'gone') return gone;
      if (listed.batch.length) deleted += await deleteVersions(s3, arn, bucket, owner, listed.batch);
      left = listed.more;
    }
    const emptied = deleted ? `s3:DeleteObjects ${deleted} version(s) and delete marker(s) of ${bucket}` : '';
    if (left) return { state: 'deleting', detail: `${emptied}; more remain` };

    try {
      await s3.send(new DeleteBucketCommand({ Bucket: bucket, ...owner }));
    } catch (error) {
      const name = errorName(error);
      if (name === 'NoSuchBucket') return gone;
      if (name === 'BucketNotEmpty')
        return { state: 'deleting', detail: `${emptied ? `${emptied}; ` : ''}${bucket} is not empty yet` };
      throw failed(DELETE, arn, error);
    }
    return { state: 'deleted', detail: `${emptied ? `${emptied}; ` : ''}${DELETE} ${bucket}` };
  };

/**
 * The next (up to) 1,000 object versions and delete markers, listed from the start (those of the pages
 * before are deleted), and whether more follow them.
 */
async function versions(
  s3: S3Client,
  arn: Arn,
  bucket: string,
  owner: { ExpectedBucketOwner?: string },
): Promise<{ batch: ObjectIdentifier[]; more: boolean } | 'gone'> {
  try {
    const page = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: MAX_KEYS, ...owner }),
    );
    const all = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
      .filter((v): v is typeof v & { Key: string } => v.Key !== undefined)
      .map((v) => ({ Key: v.Key, ...(v.VersionId ? { VersionId: v.VersionId } : {}) }));
    return { batch: all.slice(0, MAX_KEYS), more: page.IsTruncated === true || all.length > MAX_KEYS };
  } catch (error) {
    if (errorName(error) === 'NoSuchBucket') return 'gone';
    throw failed('s3:ListObjectVersions', arn, error);
  }
}

/** Deletes one batch (≤ 1,000 keys: the DeleteObjects limit); a key S3 would not delete fails the call, named. */
async function deleteVersions(
  s3: S3Client,
  arn: Arn,
  bucket: string,
  owner: { ExpectedBucketOwner?: string },
  batch: ObjectIdentifier[],
): Promise<number> {
  let answer: DeleteObjectsCommandOutput;
  try {
    answer = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true }, ...owner }),
    );
  } catch (error) {
    throw failed('s3:DeleteObjects', arn, error);
  }
  const errors = answer.Errors ?? [];
  if (errors.length)
    throw failed(
      's3:DeleteObjects',
      arn,
      `${errors.length} of ${batch.length} not deleted, e.g. ${errors
        .slice(0, 3)
        .map((e) => `${e.Key} (${e.Code})`)
        .join(', ')}`,
    );
  return batch.length;
}
