import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EFSClient } from '@aws-sdk/client-efs';
import { EKSClient } from '@aws-sdk/client-eks';
import { FSxClient } from '@aws-sdk/client-fsx';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsServiceDeletes } from '#functions/cleanup/all-deletes.ts';
import { AwsRestoredResourceCleaner, mergeDeletes } from '#functions/cleanup/cleaner.ts';
import type { ServiceDelete } from '#functions/cleanup/service-delete.ts';
import { ProviderError } from '#shared/domain/errors.ts';
import { loadPlan } from '../../support/plans.ts';

const rds = mockClient(RDSClient);
/** The clients these tests do not call. */
const others = {
  ec2: (region: string) => new EC2Client({ region }),
  efs: (region: string) => new EFSClient({ region }),
  s3: (region: string) => new S3Client({ region }),
  eks: (region: string) => new EKSClient({ region }),
  fsx: (region: string) => new FSxClient({ region }),
};
const dynamodb = mockClient(DynamoDBClient);
const resource = loadPlan().resources[0]!;
const regions: string[] = [];
const cleaner = new AwsRestoredResourceCleaner({
  deletes: awsServiceDeletes({
    rds: (region) => {
      regions.push(region);
      return new RDSClient({ region });
    },
    dynamodb: (region) => new DynamoDBClient({ region }),
    ...others,
  }),
  account: async () => '111122223333',
});

beforeEach(() => {
  rds.reset();
  dynamodb.reset();
  regions.length = 0;
});

describe('AwsRestoredResourceCleaner', () => {
  it.each([
    [
      'an RDS instance',
      'arn:aws:rds:eu-central-1:111122223333:db:case-db-drill',
      'DB instance case-db-drill',
    ],
    [
      'an Aurora cluster',
      'arn:aws:rds:eu-central-1:111122223333:cluster:payments-drill',
      'DB cluster payments-drill',
    ],
  ])('dispatches %s to its delete, in its region', async (_what, arn, named) => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceStatus: 'deleting' }] });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ Status: 'deleting' }] });
    expect(await cleaner.delete(resource, arn)).toEqual({
      state: 'deleting',
      detail: `${named} is deleting`,
    });
    expect(regions).toEqual(['eu-central-1']);
  });

  it('dispatches a DynamoDB table to its delete', async () => {
    dynamodb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
    dynamodb.on(DeleteTableCommand).resolves({});
    await cleaner.delete(resource, 'arn:aws:dynamodb:eu-central-1:111122223333:table/case-sessions-drill');
    expect(dynamodb).toHaveReceivedCommandWith(DeleteTableCommand, { TableName: 'case-sessions-drill' });
  });

  it.each([
    [
      'a service with no delete',
      'arn:aws:lightsail:eu-central-1:111122223333:Instance/x',
      'standby:DeleteRestored: cannot delete arn:aws:lightsail:eu-central-1:111122223333:Instance/x: no delete is known for this resource type (lightsail has none); delete it by hand',
    ],
    [
      'a resource type of a known service with no delete',
      'arn:aws:rds:eu-central-1:111122223333:snapshot:awsbackup:job-1',
      'standby:DeleteRestored: cannot delete arn:aws:rds:eu-central-1:111122223333:snapshot:awsbackup:job-1: no delete is known for this resource type (rds deletes db:, cluster: only); delete it by hand',
    ],
    [
      'text that is no ARN',
      'case-db-drill',
      'standby:DeleteRestored: cannot delete "case-db-drill": it is not an ARN',
    ],
    [
      'a resource of another account (a delete by name there would find nothing and count as done)',
      'arn:aws:rds:eu-central-1:444455556666:db:case-db-drill',
      'standby:DeleteRestored: cannot delete arn:aws:rds:eu-central-1:444455556666:db:case-db-drill: it is in account 444455556666, and this clean-up acts in 111122223333 only; delete it by hand',
    ],
  ])('refuses %s, naming why, and calls nothing', async (_what, arn, message) => {
    const error = await cleaner.delete(resource, arn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toBe(message);
    expect(rds.calls()).toEqual([]);
  });

  it('checks the account only for ARNs that carry one (S3 buckets do not)', async () => {
    const seen: string[] = [];
    const s3: ServiceDelete = async (arn) => {
      seen.push(arn.resource);
      return { state: 'deleted', detail: 'gone' };
    };
    const withS3 = new AwsRestoredResourceCleaner({
      deletes: { s3: { '': s3 } },
      account: async () => '111122223333',
    });
    await withS3.delete(resource, 'arn:aws:s3:::case-files-drill');
    expect(seen).toEqual(['case-files-drill']);
  });
});

describe('mergeDeletes', () => {
  const one: ServiceDelete = async () => ({ state: 'deleted', detail: '' });

  it('joins the prefixes of one service from several maps', () => {
    expect(mergeDeletes({ ec2: { 'instance/': one } }, { ec2: { 'volume/': one } })).toEqual({
      ec2: { 'instance/': one, 'volume/': one },
    });
  });

  it('refuses two deletes for one service and prefix', () => {
    expect(() => mergeDeletes({ rds: { 'db:': one } }, { rds: { 'db:': one } })).toThrow(
      'two deletes for rds db:',
    );
  });

  it('holds every delete Standby has, without clashes', () => {
    const all = awsServiceDeletes({
      rds: (region) => new RDSClient({ region }),
      dynamodb: (region) => new DynamoDBClient({ region }),
      ...others,
    });
    expect(Object.fromEntries(Object.entries(all).map(([s, p]) => [s, Object.keys(p).sort()]))).toEqual({
      dynamodb: ['table/'],
      ec2: ['instance/', 'volume/'],
      eks: ['cluster/'],
      elasticfilesystem: ['file-system/'],
      fsx: ['file-system/', 'volume/'],
      rds: ['cluster:', 'db:'],
      s3: [''],
    });
  });
});
