/**
 * The restore rule of every AWS Backup `ResourceType`, stated here key by key (from the developer
 * guide pages the rules cite) and checked through `buildAwsRestoreMetadata`: what a request cannot go
 * without, what is dropped on a cross-region restore, which values are booleans, what names the
 * restored resource and what follows the restore.
 */
import { describe, expect, it } from 'vitest';
import { buildAwsRestoreMetadata, clusterInstanceName } from '#shared/domain/restore-requests.ts';

interface Expected {
  readonly required: readonly string[];
  readonly regional: readonly string[];
  readonly booleans: readonly string[];
  readonly nameKey?: string;
  readonly cluster?: true;
}

const dbCluster: Expected = {
  required: ['DBClusterIdentifier', 'Engine', 'DBSubnetGroupName'],
  regional: ['AvailabilityZones', 'DBSubnetGroupName', 'VpcSecurityGroupIds', 'KmsKeyId'],
  booleans: ['DeletionProtection', 'CopyTagsToSnapshot', 'EnableIAMDatabaseAuthentication'],
  nameKey: 'DBClusterIdentifier',
  cluster: true,
};

const EXPECTED: Record<string, Expected> = {
  RDS: {
    required: ['DBInstanceIdentifier', 'DBSubnetGroupName'],
    regional: ['AvailabilityZone', 'DBSubnetGroupName', 'VpcSecurityGroupIds', 'OptionGroupName', 'KmsKeyId'],
    booleans: ['MultiAZ', 'PubliclyAccessible', 'DeletionProtection', 'CopyTagsToSnapshot'],
    nameKey: 'DBInstanceIdentifier',
  },
  Aurora: dbCluster,
  DocumentDB: dbCluster,
  Neptune: dbCluster,
  DynamoDB: {
    required: ['targetTableName'],
    regional: ['kmsMasterKeyArn'],
    booleans: ['deletionProtection'],
    nameKey: 'targetTableName',
  },
  EBS: {
    required: ['availabilityZone'],
    regional: ['availabilityZone', 'kmsKeyId'],
    booleans: ['encrypted'],
  },
  EC2: {
    required: ['InstanceType', 'SubnetId', 'SecurityGroupIds'],
    regional: ['SubnetId', 'SecurityGroupIds', 'NetworkInterfaces', 'Placement', 'IamInstanceProfileName'],
    booleans: ['DisableApiTermination', 'RequireIMDSv2', 'EbsOptimized'],
  },
  EFS: {
    required: ['file-system-id', 'newFileSystem', 'Encrypted', 'PerformanceMode', 'CreationToken'],
    regional: ['KmsKeyId'],
    booleans: ['newFileSystem', 'Encrypted'],
    nameKey: 'CreationToken',
  },
  FSx: { required: ['SubnetIds'], regional: ['SubnetIds', 'SecurityGroupIds', 'KmsKeyId'], booleans: [] },
  S3: {
    required: ['DestinationBucketName'],
    regional: ['KMSKey'],
    booleans: ['NewBucket', 'Encrypted'],
    nameKey: 'DestinationBucketName',
  },
  EKS: {
    required: ['clusterName'],
    regional: ['eksClusterRoleArn', 'subnetIds', 'securityGroupIds', 'kmsKeyArn'],
    booleans: ['newCluster'],
    nameKey: 'clusterName',
  },
  Redshift: {
    required: ['ClusterIdentifier', 'ClusterSubnetGroupName'],
    regional: ['ClusterSubnetGroupName', 'VpcSecurityGroupIds', 'AvailabilityZone', 'KmsKeyId'],
    booleans: ['PubliclyAccessible', 'Encrypted'],
    nameKey: 'ClusterIdentifier',
  },
};

const build = (
  resourceType: string,
  pointMetadata: Record<string, string>,
  planMetadata: Record<string, string>,
  crossRegion: boolean,
) => buildAwsRestoreMetadata({ resourceType, pointMetadata, planMetadata, crossRegion });
const fill = (keys: readonly string[], value: string) => Object.fromEntries(keys.map((k) => [k, value]));
const TYPES = Object.entries(EXPECTED);

describe('the restore rule of each resource type', () => {
  it.each(TYPES)('%s: a request with no metadata names every required key', (type, rule) => {
    expect(build(type, {}, {}, false).problems).toEqual(
      rule.required.map((key) =>
        key === 'file-system-id'
          ? `${key} is required and the recovery point's restore metadata does not give it`
          : `${key} is required; set it in awsBackup.restore.metadata`,
      ),
    );
  });

  it.each(TYPES)('%s: an empty value of a required key counts as missing', (type, rule) => {
    const plan = { ...fill(rule.required, 'x'), ...fill(rule.booleans, 'true'), [rule.required[0]!]: '' };
    expect(build(type, fill(rule.required, 'x'), plan, false).problems).toEqual([
      rule.required[0] === 'file-system-id'
        ? "file-system-id comes from the recovery point's restore metadata; the plan may not set it"
        : `${rule.required[0]} is required; set it in awsBackup.restore.metadata`,
    ]);
  });

  it.each(TYPES)(
    '%s: a cross-region restore drops the regional keys of the point, and keeps the rest',
    (type, rule) => {
      const built = build(type, { ...fill(rule.regional, 'src'), Kept: 'k' }, {}, true);
      expect([...built.dropped].sort()).toEqual([...rule.regional].sort());
      expect(built.metadata).toEqual({ Kept: 'k' });
      expect(built.problems.filter((p) => p.includes('names the source region'))).toEqual(
        rule.required
          .filter((k) => rule.regional.includes(k))
          .map(
            (k) =>
              `${k} is required and the recovery point's value names the source region; set it in awsBackup.restore.metadata`,
          ),
      );
    },
  );

  it.each(TYPES)('%s: a restore in the same region keeps every key of the point', (type, rule) => {
    const built = build(type, { ...fill(rule.regional, 'src'), Kept: 'k' }, {}, false);
    expect(built.dropped).toEqual([]);
    expect(built.metadata).toEqual({ ...fill(rule.regional, 'src'), Kept: 'k' });
  });

  it.each(TYPES)('%s: boolean keys take "true" or "false" only', (type, rule) => {
    const problems = build(type, {}, { ...fill(rule.booleans, 'yes'), Other: 'yes' }, false).problems;
    expect(problems.filter((p) => p.includes('must be "true" or "false"'))).toEqual(
      rule.booleans.map((k) => `${k} must be "true" or "false", got "yes"`),
    );
    const fine = build(type, {}, fill(rule.booleans, 'false'), false).problems;
    expect(fine.filter((p) => p.includes('must be "true" or "false"'))).toEqual([]);
  });

  it.each(TYPES)('%s: names the resource it creates, and says what follows the restore', (type, rule) => {
    const built = build(
      type,
      {},
      { ...fill(rule.required, 'name-1'), ...fill(rule.booleans, 'true') },
      false,
    );
    expect(built.known).toBe(true);
    expect(built.targetName).toBe(rule.nameKey ? 'name-1' : undefined);
    expect(built.afterRestore).toBe(rule.cluster ? 'cluster-instances' : undefined);
  });
});

describe('the cross-key checks', () => {
  it.each([
    [
      'DynamoDB',
      { kmsMasterKeyArn: 'k', encryptionType: 'Default' },
      ['kmsMasterKeyArn is only used with encryptionType "KMS"'],
    ],
    ['DynamoDB', { kmsMasterKeyArn: 'k', encryptionType: 'KMS' }, []],
    ['S3', { KMSKey: 'k', EncryptionType: 'SSE-S3' }, ['KMSKey is only used with EncryptionType "SSE-KMS"']],
    ['S3', { KMSKey: 'k', EncryptionType: 'SSE-KMS' }, []],
    [
      'EFS',
      { KmsKeyId: 'k', Encrypted: 'false' },
      [
        'KmsKeyId is set, so Encrypted must be "true" ("If KmsKeyId is specified, Encrypted must be set to true")',
      ],
    ],
    ['EFS', { KmsKeyId: 'k', Encrypted: 'true' }, []],
    ['RDS', { MultiAZ: 'false', AvailabilityZone: 'eu-central-1a' }, []],
    ['RDS', { MultiAZ: 'true' }, []],
  ])('%s with %j: %j', (type, plan, expected) => {
    const required = fill(EXPECTED[type]!.required, 'x');
    const booleans = fill(EXPECTED[type]!.booleans, 'true');
    expect(build(type, required, { ...booleans, ...plan }, false).problems).toEqual(expected);
  });

  it('needs a new EFS file system only on a cross-region restore', () => {
    const plan: Record<string, string> = {
      ...fill(EXPECTED['EFS']!.required, 'x'),
      Encrypted: 'true',
      newFileSystem: 'false',
    };
    expect(
      build('EFS', { 'file-system-id': 'fs-1' }, { ...plan, 'file-system-id': 'fs-1' }, false).problems,
    ).toEqual(["file-system-id comes from the recovery point's restore metadata; the plan may not set it"]);
    const { 'file-system-id': _, ...fromPlan } = plan;
    expect(build('EFS', { 'file-system-id': 'fs-1' }, fromPlan, false).problems).toEqual([]);
    expect(build('EFS', { 'file-system-id': 'fs-1' }, fromPlan, true).problems).toEqual([
      'newFileSystem must be "true": the backed-up file system is in another region, so the restore cannot go into it',
    ]);
  });

  it('drops a file system id the plan sets when the point gives none', () => {
    const built = build('EFS', {}, { 'file-system-id': 'fs-2' }, false);
    expect(built.metadata).toStrictEqual({});
    expect(built.problems.slice(0, 2)).toEqual([
      "file-system-id comes from the recovery point's restore metadata; the plan may not set it",
      "file-system-id is required and the recovery point's restore metadata does not give it",
    ]);
  });

  it('merges an unknown type without checking, the plan over the point', () => {
    expect(build('Timestream', { a: '1' }, { a: '2', b: '' }, true)).toEqual({
      metadata: { a: '2', b: '' },
      problems: [],
      dropped: [],
      known: false,
    });
  });
});

describe('clusterInstanceName', () => {
  it.each([
    [`${'a'.repeat(60)}--b`, 2, `${'a'.repeat(60)}-2`],
    [`${'a'.repeat(59)}---b`, 2, `${'a'.repeat(59)}-2`],
    [`${'a'.repeat(58)}-b-c-d`, 10, `${'a'.repeat(58)}-b-10`],
  ])('cuts %s for instance %i to %s, no hyphen left before the suffix', (cluster, index, name) => {
    expect(clusterInstanceName(cluster, index)).toBe(name);
  });
});
