/**
 * The EFS, S3, EKS and FSx deletes side by side, as the clean-up dispatcher receives them: their
 * services and prefixes do not clash, and each created-resource ARN AWS Backup reports for those
 * types finds exactly one delete.
 */
import { EFSClient } from '@aws-sdk/client-efs';
import { EKSClient } from '@aws-sdk/client-eks';
import { FSxClient } from '@aws-sdk/client-fsx';
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { efsDeletes } from '#functions/cleanup/efs.ts';
import { eksDeletes } from '#functions/cleanup/eks.ts';
import { fsxDeletes } from '#functions/cleanup/fsx.ts';
import { s3Deletes } from '#functions/cleanup/s3.ts';
import type { ServiceDeletes } from '#functions/cleanup/service-delete.ts';
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
