/**
 * The EFS, S3, EKS and FSx deletes side by side, as the clean-up dispatcher receives them: their
 * services and prefixes do not clash, each created-resource ARN AWS Backup reports for those types
 * finds exactly one delete, and the example plan's drills pass their proofs.
 */
import { DescribeFileSystemsCommand, EFSClient, FileSystemNotFound } from '@aws-sdk/client-efs';
import { DescribeClusterCommand, EKSClient, ResourceNotFoundException } from '@aws-sdk/client-eks';
import { FSxClient } from '@aws-sdk/client-fsx';
import { GetObjectLockConfigurationCommand, NoSuchBucket, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { efsDeletes } from '#functions/cleanup/efs.ts';
import { eksDeletes } from '#functions/cleanup/eks.ts';
import { fsxDeletes } from '#functions/cleanup/fsx.ts';
import { s3Deletes } from '#functions/cleanup/s3.ts';
import type { ServiceDeletes } from '#functions/cleanup/service-delete.ts';
import { loadPlans } from '#platform/plan-files.ts';
import { drillPlan } from '#shared/domain/drill.ts';
import { arn } from './drill-resources.ts';

const parts: ServiceDeletes[] = [
  efsDeletes((region) => new EFSClient({ region })),
  s3Deletes((region) => new S3Client({ region })),
  eksDeletes((region) => new EKSClient({ region })),
  fsxDeletes((region) => new FSxClient({ region })),
];
const all: ServiceDeletes = Object.assign({}, ...parts);

/** The (service, prefix) pairs whose delete would take `text`, as a dispatcher by prefix picks them. */
const matches = (text: string) => {
  const a = arn(text);
  return Object.keys(all[a.service] ?? {})
    .filter((prefix) => a.resource.startsWith(prefix))
    .map((prefix) => `${a.service} ${prefix}`);
};

describe('the EFS, S3, EKS and FSx deletes', () => {
  it('take one ARN service each, so one map holds them all', () => {
    expect(parts.flatMap((p) => Object.keys(p)).sort()).toEqual(['eks', 'elasticfilesystem', 'fsx', 's3']);
    expect(Object.keys(all)).toHaveLength(4);
  });

  it.each([
    [
      'arn:aws:elasticfilesystem:eu-central-1:111122223333:file-system/fs-01234567',
      'elasticfilesystem file-system/',
    ],
    ['arn:aws:s3:::case-files-drill', 's3 '],
    ['arn:aws:eks:eu-central-1:111122223333:cluster/case-drill', 'eks cluster/'],
    ['arn:aws:fsx:eu-central-1:111122223333:file-system/fs-0498eed5fe91001ec', 'fsx file-system/'],
    ['arn:aws:fsx:eu-central-1:111122223333:volume/fs-0ontap/fsvol-0restored', 'fsx volume/'],
  ])('find exactly one delete for %s', (text, found) => {
    expect(matches(text)).toEqual([found]);
  });

  it.each([
    'arn:aws:elasticfilesystem:eu-central-1:111122223333:access-point/fsap-1',
    'arn:aws:eks:eu-central-1:111122223333:nodegroup/case-drill/ng/1',
    'arn:aws:fsx:eu-central-1:111122223333:backup/backup-1',
  ])('find none for %s', (text) => {
    expect(matches(text)).toEqual([]);
  });
});

/** The example plan's resource `name` as its drill restores it (drill names applied). */
async function drillCopy(name: string) {
  const [loaded] = await loadPlans(['examples/plans/case-management.yaml']);
  const derived = drillPlan(loaded!.plan);
  if (!('plan' in derived)) throw new Error(derived.problems.join('; '));
  return derived.plan.resources.find((r) => r.name === name)!;
}

/** The one delete a dispatcher by prefix picks for `text`. */
function deleteFor(text: string) {
  const a = arn(text);
  return Object.entries(all[a.service]!).find(([prefix]) => a.resource.startsWith(prefix))![1];
}

describe('the example plan (examples/plans/case-management.yaml)', () => {
  // Each copy is gone already: the answer shows the proof passed and the service was asked.
  mockClient(EFSClient)
    .on(DescribeFileSystemsCommand)
    .rejects(new FileSystemNotFound({ message: 'gone', ErrorCode: 'FileSystemNotFound', $metadata: {} }));
  mockClient(S3Client)
    .on(GetObjectLockConfigurationCommand)
    .rejects(new NoSuchBucket({ message: 'gone', $metadata: {} }));
  mockClient(EKSClient)
    .on(DescribeClusterCommand)
    .rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));

  it.each([
    [
      'case-files',
      'arn:aws:elasticfilesystem:eu-central-1:111122223333:file-system/fs-0drill',
      'EFS file system fs-0drill',
    ],
    [
      'case-documents',
      'arn:aws:s3:::case-documents-drill-111122223333',
      'S3 bucket case-documents-drill-111122223333',
    ],
    [
      'case-cluster',
      'arn:aws:eks:eu-central-1:111122223333:cluster/case-cluster-drill',
      'EKS cluster case-cluster-drill',
    ],
  ])(
    "proves its drill copy of %s is the restore's own, so its tear-down runs",
    async (name, created, what) => {
      expect(await deleteFor(created)(arn(created), await drillCopy(name))).toEqual({
        state: 'deleted',
        detail: `${what} is deleted`,
      });
    },
  );

  it.each([
    ['case-documents', 'arn:aws:s3:::case-documents-dr-111122223333', 'DestinationBucketName'],
    ['case-cluster', 'arn:aws:eks:eu-central-1:111122223333:cluster/case-cluster-dr', 'clusterName'],
  ])(
    "refuses the failover's copy of %s (its production restore name), which no drill made",
    async (name, created, key) => {
      await expect(deleteFor(created)(arn(created), await drillCopy(name))).rejects.toThrow(
        `is not the ${key} the drill restored ${name} under`,
      );
    },
  );
});
