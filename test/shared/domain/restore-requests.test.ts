import { describe, expect, it } from 'vitest';
import {
  AWS_RESTORE_RULES,
  awsRestoreRuleOf,
  buildAwsRestoreMetadata,
  clusterInstanceName,
} from '#shared/domain/restore-requests.ts';

const build = (
  resourceType: string | undefined,
  pointMetadata: Record<string, string>,
  planMetadata: Record<string, string>,
  crossRegion = true,
) => buildAwsRestoreMetadata({ resourceType, pointMetadata, planMetadata, crossRegion });

describe('AWS_RESTORE_RULES', () => {
  it('covers the resource types plans restore', () => {
    expect(Object.keys(AWS_RESTORE_RULES).sort()).toEqual(
      [
        'Aurora',
        'DocumentDB',
        'DynamoDB',
        'EBS',
        'EC2',
        'EFS',
        'EKS',
        'FSx',
        'Neptune',
        'RDS',
        'Redshift',
        'S3',
      ].sort(),
    );
  });

  it.each(Object.entries(AWS_RESTORE_RULES))('%s cites its developer guide page', (_, rule) => {
    expect(rule.doc).toMatch(
      /^https:\/\/docs\.aws\.amazon\.com\/aws-backup\/latest\/devguide\/[a-z0-9-]+\.html#/,
    );
  });

  it.each(['Aurora', 'DocumentDB', 'Neptune'])('%s clusters are followed by their instances', (type) => {
    expect(awsRestoreRuleOf(type)?.afterRestore).toBe('cluster-instances');
  });

  it('has no rule for a type it does not know, nor for inherited property names', () => {
    expect(awsRestoreRuleOf('Timestream')).toBeUndefined();
    expect(awsRestoreRuleOf('toString')).toBeUndefined();
    expect(awsRestoreRuleOf(undefined)).toBeUndefined();
  });
});

interface Case {
  case: string;
  type: string;
  point: Record<string, string>;
  plan: Record<string, string>;
  crossRegion?: boolean;
  metadata: Record<string, string>;
  problems: string[];
}

describe('buildAwsRestoreMetadata', () => {
  it.each<Case>([
    {
      case: 'EFS as the example plan writes it: file-system-id comes from the point',
      type: 'EFS',
      point: {
        'file-system-id': 'fs-1',
        Encrypted: 'true',
        KmsKeyId: 'arn:aws:kms:eu-west-1:1:key/k',
        PerformanceMode: 'generalPurpose',
        newFileSystem: 'false',
        CreationToken: 'x',
      },
      plan: {
        newFileSystem: 'true',
        PerformanceMode: 'generalPurpose',
        Encrypted: 'true',
        CreationToken: 'case-files-dr',
      },
      metadata: {
        'file-system-id': 'fs-1',
        Encrypted: 'true',
        PerformanceMode: 'generalPurpose',
        newFileSystem: 'true',
        CreationToken: 'case-files-dr',
      },
      problems: [],
    },
    {
      case: 'EFS without the point: file-system-id missing',
      type: 'EFS',
      point: {},
      plan: {
        newFileSystem: 'true',
        PerformanceMode: 'generalPurpose',
        Encrypted: 'true',
        CreationToken: 't',
      },
      metadata: {
        newFileSystem: 'true',
        PerformanceMode: 'generalPurpose',
        Encrypted: 'true',
        CreationToken: 't',
      },
      problems: ["file-system-id is required and the recovery point's restore metadata does not give it"],
    },
    {
      case: 'EFS into the source file system from another region',
      type: 'EFS',
      point: {
        'file-system-id': 'fs-1',
        Encrypted: 'false',
        PerformanceMode: 'generalPurpose',
        newFileSystem: 'false',
        CreationToken: 'x',
      },
      plan: {},
      metadata: {
        'file-system-id': 'fs-1',
        Encrypted: 'false',
        PerformanceMode: 'generalPurpose',
        newFileSystem: 'false',
        CreationToken: 'x',
      },
      problems: [
        'newFileSystem must be "true": the backed-up file system is in another region, so the restore cannot go into it',
      ],
    },
    {
      case: 'EFS: a plan may not point the restore at another file system',
      type: 'EFS',
      point: {
        'file-system-id': 'fs-1',
        Encrypted: 'false',
        PerformanceMode: 'generalPurpose',
        newFileSystem: 'true',
        CreationToken: 'x',
      },
      plan: { 'file-system-id': 'fs-2' },
      metadata: {
        'file-system-id': 'fs-1',
        Encrypted: 'false',
        PerformanceMode: 'generalPurpose',
        newFileSystem: 'true',
        CreationToken: 'x',
      },
      problems: ["file-system-id comes from the recovery point's restore metadata; the plan may not set it"],
    },
    {
      case: 'EC2 as the example plan writes it, the point naming the source VPC',
      type: 'EC2',
      point: {
        InstanceType: 'm5.large',
        SubnetId: 'subnet-src',
        SecurityGroupIds: '["sg-src"]',
        RequireIMDSv2: 'true',
      },
      plan: { InstanceType: 'm6i.large', SubnetId: 'subnet-dr' },
      metadata: { InstanceType: 'm6i.large', SubnetId: 'subnet-dr', RequireIMDSv2: 'true' },
      problems: [
        "SecurityGroupIds is required and the recovery point's value names the source region; set it in awsBackup.restore.metadata",
      ],
    },
    {
      case: 'EC2 in the same region keeps the point network',
      type: 'EC2',
      point: { InstanceType: 'm5.large', SubnetId: 'subnet-src', SecurityGroupIds: '["sg-src"]' },
      plan: {},
      crossRegion: false,
      metadata: { InstanceType: 'm5.large', SubnetId: 'subnet-src', SecurityGroupIds: '["sg-src"]' },
      problems: [],
    },
    {
      case: 'RDS: booleans are strings, MultiAZ excludes an Availability Zone',
      type: 'RDS',
      point: { DBInstanceIdentifier: 'db', DBSubnetGroupName: 'g' },
      plan: { MultiAZ: 'true', AvailabilityZone: 'eu-central-1a', PubliclyAccessible: 'no' },
      crossRegion: false,
      metadata: {
        DBInstanceIdentifier: 'db',
        DBSubnetGroupName: 'g',
        MultiAZ: 'true',
        AvailabilityZone: 'eu-central-1a',
        PubliclyAccessible: 'no',
      },
      problems: [
        'PubliclyAccessible must be "true" or "false", got "no"',
        'MultiAZ "true" cannot be combined with an AvailabilityZone; drop one of them',
      ],
    },
    {
      case: 'DynamoDB needs a table name',
      type: 'DynamoDB',
      point: {},
      plan: {},
      metadata: {},
      problems: ['targetTableName is required; set it in awsBackup.restore.metadata'],
    },
    {
      case: 'a type without a rule is merged, not checked',
      type: 'Timestream',
      point: { a: '1', b: '2' },
      plan: { b: '3' },
      metadata: { a: '1', b: '3' },
      problems: [],
    },
  ])('$case', ({ type, point, plan, crossRegion, metadata, problems }) => {
    const built = build(type, point, plan, crossRegion ?? true);
    expect(built.metadata).toEqual(metadata);
    expect(built.problems).toEqual(problems);
  });

  it('names what the restore creates and what follows it', () => {
    const built = build(
      'Aurora',
      {
        DBClusterIdentifier: 'pay',
        Engine: 'aurora-postgresql',
        AvailabilityZones: '["eu-west-1a"]',
        DBSubnetGroupName: 'src',
      },
      { DBClusterIdentifier: 'pay-dr', DBSubnetGroupName: 'dr' },
    );
    expect(built).toEqual({
      metadata: { DBClusterIdentifier: 'pay-dr', Engine: 'aurora-postgresql', DBSubnetGroupName: 'dr' },
      problems: [],
      dropped: ['AvailabilityZones', 'DBSubnetGroupName'],
      known: true,
      targetName: 'pay-dr',
      afterRestore: 'cluster-instances',
    });
  });
});

describe('clusterInstanceName', () => {
  it.each([
    ['payments-aurora-dr', 1, 'payments-aurora-dr-1'],
    ['payments-aurora-dr', 12, 'payments-aurora-dr-12'],
    [`${'a'.repeat(61)}-b`, 2, `${'a'.repeat(61)}-2`],
  ])('names instance %i of %s', (cluster, index, name) => {
    expect(clusterInstanceName(cluster, index)).toBe(name);
    expect(name.length).toBeLessThanOrEqual(63);
  });
});
