/**
 * What an AWS Backup restore request must look like, per `ResourceType`, in one table, and the pure
 * function that builds a request's `Metadata` from the recovery point's own restore metadata
 * (`GetRecoveryPointRestoreMetadata`) with the plan's values as overrides — the order the
 * `StartRestoreJob` reference gives ("You can get configuration metadata about a resource at the time
 * it was backed up by calling GetRecoveryPointRestoreMetadata. However, values in addition to those
 * ... might be required").
 *
 * Each entry cites the AWS Backup developer guide page of its type (the "restore metadata" sections
 * that the StartRestoreJob reference links) and the restore-testing page "Restore testing inferred
 * metadata", which lists, per type, the keys AWS Backup itself fills and the ones a caller may override.
 *
 * A disaster-recovery restore runs in another region than the one the resource was backed up in.
 * The point's metadata then still names things of the source region (subnets, security groups,
 * Availability Zones, KMS keys, subnet groups); sent as they are, the restore is refused. Those keys
 * are `regional`: dropped from the point's metadata on a cross-region restore, and, where the restore
 * cannot do without them, required from the plan.
 *
 * `required` holds the keys AWS refuses a restore without, and — Standby's own rule — the network a
 * restore lands in (subnets, subnet groups, security groups): without them AWS restores into the
 * recovery region's default VPC, if there is one ("if the default is not present ... the restore
 * will not be successful"), where the application cannot reach it either.
 */

/** Work after the restore job that the restore is not complete without. */
export type AfterRestore = 'cluster-instances';

/** How one `ResourceType` is restored. */
export interface AwsRestoreRule {
  /** The developer guide page of the type's restore metadata. */
  readonly doc: string;
  /** Keys the request must carry, from the point's metadata or the plan. */
  readonly required: readonly string[];
  /**
   * Keys naming resources of the region the point was made in: dropped from the point's metadata
   * when the restore runs in another region. Those also in `required` must then come from the plan.
   */
  readonly regional: readonly string[];
  /** Keys the plan may not set: they must describe the backed-up resource, as the point says. */
  readonly fromPointOnly: readonly string[];
  /** Keys whose value is a `"true"`/`"false"` string. */
  readonly booleans: readonly string[];
  /** The key naming the resource the restore creates, when the type has one. */
  readonly nameKey?: string;
  /** Work after the restore job (Aurora, DocumentDB, Neptune clusters get no instance from AWS Backup). */
  readonly afterRestore?: AfterRestore;
  /** Rules across keys, each returning a problem or undefined; `crossRegion` as in {@link buildAwsRestoreMetadata}. */
  readonly checks?: readonly ((
    metadata: Readonly<Record<string, string>>,
    crossRegion: boolean,
  ) => string | undefined)[];
}

const GUIDE = 'https://docs.aws.amazon.com/aws-backup/latest/devguide';

/** The RDS-API cluster engines: the same restore metadata (RestoreDBClusterFromSnapshot), the same missing instances. */
const dbCluster = (doc: string): AwsRestoreRule => ({
  doc,
  required: ['DBClusterIdentifier', 'Engine', 'DBSubnetGroupName'],
  regional: ['AvailabilityZones', 'DBSubnetGroupName', 'VpcSecurityGroupIds', 'KmsKeyId'],
  // Stryker disable next-line ArrayDeclaration: a filler entry names no restore metadata key.
  fromPointOnly: [],
  booleans: ['DeletionProtection', 'CopyTagsToSnapshot', 'EnableIAMDatabaseAuthentication'],
  nameKey: 'DBClusterIdentifier',
  // "AWS Backup restores your Aurora cluster; it does not create or attach an Amazon RDS instance to
  // your cluster." (restoring-aur.html; the same holds for DocumentDB and Neptune).
  afterRestore: 'cluster-instances',
});

const isTrue = (v: string | undefined) => v?.toLowerCase() === 'true';

/** The restore rule of each AWS Backup `ResourceType` Standby restores. */
export const AWS_RESTORE_RULES = {
  RDS: {
    doc: `${GUIDE}/restoring-rds.html#rds-restore-cli`,
    required: ['DBInstanceIdentifier', 'DBSubnetGroupName'],
    regional: ['AvailabilityZone', 'DBSubnetGroupName', 'VpcSecurityGroupIds', 'OptionGroupName', 'KmsKeyId'],
    fromPointOnly: [],
    booleans: ['MultiAZ', 'PubliclyAccessible', 'DeletionProtection', 'CopyTagsToSnapshot'],
    nameKey: 'DBInstanceIdentifier',
    checks: [
      (m) =>
        isTrue(m['MultiAZ']) && m['AvailabilityZone']
          ? 'MultiAZ "true" cannot be combined with an AvailabilityZone; drop one of them'
          : undefined,
    ],
  },
  Aurora: dbCluster(`${GUIDE}/restoring-aur.html#aur-restore-cli`),
  DocumentDB: dbCluster(`${GUIDE}/restoring-docdb.html#docdb-restore-cli`),
  Neptune: dbCluster(`${GUIDE}/restoring-nep.html#nep-restore-cli`),
  DynamoDB: {
    doc: `${GUIDE}/restoring-dynamodb.html#ddb-restore-cli`,
    required: ['targetTableName'],
    regional: ['kmsMasterKeyArn'],
    fromPointOnly: [],
    booleans: ['deletionProtection'],
    nameKey: 'targetTableName',
    checks: [
      (m) =>
        m['kmsMasterKeyArn'] && m['encryptionType'] !== 'KMS'
          ? 'kmsMasterKeyArn is only used with encryptionType "KMS"'
          : undefined,
    ],
  },
  EBS: {
    doc: `${GUIDE}/restoring-ebs.html#ebs-restore-cli`,
    required: ['availabilityZone'],
    regional: ['availabilityZone', 'kmsKeyId'],
    fromPointOnly: [],
    booleans: ['encrypted'],
  },
  EC2: {
    doc: `${GUIDE}/restoring-ec2.html#restoring-ec2-cli`,
    required: ['InstanceType', 'SubnetId', 'SecurityGroupIds'],
    // NetworkInterfaces and Placement of the source name its subnets and Availability Zone; RunInstances
    // refuses NetworkInterfaces next to SubnetId / SecurityGroupIds.
    regional: ['SubnetId', 'SecurityGroupIds', 'NetworkInterfaces', 'Placement', 'IamInstanceProfileName'],
    fromPointOnly: [],
    booleans: ['DisableApiTermination', 'RequireIMDSv2', 'EbsOptimized'],
  },
  EFS: {
    doc: `${GUIDE}/restoring-efs.html#efs-restore-cli`,
    required: ['file-system-id', 'newFileSystem', 'Encrypted', 'PerformanceMode', 'CreationToken'],
    regional: ['KmsKeyId'],
    // "file-system-id: The ID of the Amazon EFS file system that is backed up by AWS Backup. Returned
    // in GetRecoveryPointRestoreMetadata."
    fromPointOnly: ['file-system-id'],
    booleans: ['newFileSystem', 'Encrypted'],
    nameKey: 'CreationToken',
    checks: [
      (m) =>
        m['KmsKeyId'] && !isTrue(m['Encrypted'])
          ? 'KmsKeyId is set, so Encrypted must be "true" ("If KmsKeyId is specified, Encrypted must be set to true")'
          : undefined,
      (m, crossRegion) =>
        crossRegion && !isTrue(m['newFileSystem'])
          ? 'newFileSystem must be "true": the backed-up file system is in another region, so the restore cannot go into it'
          : undefined,
    ],
  },
  FSx: {
    doc: `${GUIDE}/restoring-fsx.html#fsx-restore-cli`,
    required: ['SubnetIds'],
    regional: ['SubnetIds', 'SecurityGroupIds', 'KmsKeyId'],
    fromPointOnly: [],
    booleans: [],
  },
  S3: {
    doc: `${GUIDE}/restoring-s3.html#s3-restore-cli`,
    required: ['DestinationBucketName'],
    regional: ['KMSKey'],
    fromPointOnly: [],
    booleans: ['NewBucket', 'Encrypted'],
    nameKey: 'DestinationBucketName',
    checks: [
      (m) =>
        m['KMSKey'] && m['EncryptionType'] !== 'SSE-KMS'
          ? 'KMSKey is only used with EncryptionType "SSE-KMS"'
          : undefined,
    ],
  },
  EKS: {
    doc: `${GUIDE}/restoring-eks.html#eks-restore-backup-section`,
    required: ['clusterName'],
    regional: ['eksClusterRoleArn', 'subnetIds', 'securityGroupIds', 'kmsKeyArn'],
    fromPointOnly: [],
    booleans: ['newCluster'],
    nameKey: 'clusterName',
  },
  Redshift: {
    doc: `${GUIDE}/redshift-restores.html#redshift-restore-api`,
    required: ['ClusterIdentifier', 'ClusterSubnetGroupName'],
    regional: ['ClusterSubnetGroupName', 'VpcSecurityGroupIds', 'AvailabilityZone', 'KmsKeyId'],
    fromPointOnly: [],
    booleans: ['PubliclyAccessible', 'Encrypted'],
    nameKey: 'ClusterIdentifier',
  },
} as const satisfies Record<string, AwsRestoreRule>;

/** An AWS Backup `ResourceType` with a restore rule. */
export type AwsRestoreResourceType = keyof typeof AWS_RESTORE_RULES;

/** The rule of `resourceType`, or `undefined` for a type Standby has no rule for. */
export function awsRestoreRuleOf(resourceType: string | undefined): AwsRestoreRule | undefined {
  // Stryker disable next-line ConditionalExpression: Object.hasOwn reads undefined as the key "undefined", which no type has.
  return resourceType !== undefined && Object.hasOwn(AWS_RESTORE_RULES, resourceType)
    ? AWS_RESTORE_RULES[resourceType as AwsRestoreResourceType]
    : undefined;
}

/** What {@link buildAwsRestoreMetadata} merges. */
export interface AwsRestoreMetadataInput {
  /** The point's `ResourceType` (or the plan's `resourceType`). */
  readonly resourceType: string | undefined;
  /** `RestoreMetadata` of `GetRecoveryPointRestoreMetadata` for the chosen point. */
  readonly pointMetadata: Readonly<Record<string, string>>;
  /** The plan's `awsBackup.restore.metadata`: overrides. */
  readonly planMetadata: Readonly<Record<string, string>>;
  /** True when the restore runs in another region than the backed-up resource (or that region is unknown). */
  readonly crossRegion: boolean;
}

/** A request's metadata as it would be sent, and why it would be refused, if it would. */
export interface AwsRestoreMetadata {
  readonly metadata: Readonly<Record<string, string>>;
  /** Sentences, one per problem; empty when the request is complete as far as Standby knows. */
  readonly problems: readonly string[];
  /** Keys of the point's metadata left out because they name the source region. */
  readonly dropped: readonly string[];
  /** The name of the resource the restore creates (the rule's `nameKey` value), when known. */
  readonly targetName?: string;
  readonly afterRestore?: AfterRestore;
  /** False when Standby has no rule for the type: the merge is done, nothing is checked. */
  readonly known: boolean;
}

/**
 * Builds a restore's `Metadata`:
 * 1. start from the point's restore metadata, leaving out the type's `regional` keys when the restore
 *    runs in another region;
 * 2. apply the plan's values over it, refusing keys the plan may not set;
 * 3. check that every required key is there, booleans are `"true"`/`"false"`, and the type's
 *    cross-key rules hold.
 */
export function buildAwsRestoreMetadata(input: AwsRestoreMetadataInput): AwsRestoreMetadata {
  const rule = awsRestoreRuleOf(input.resourceType);
  if (!rule)
    return {
      metadata: { ...input.pointMetadata, ...input.planMetadata },
      problems: [],
      dropped: [],
      known: false,
    };
  const dropped = input.crossRegion ? rule.regional.filter((k) => k in input.pointMetadata) : [];
  const base = Object.fromEntries(Object.entries(input.pointMetadata).filter(([k]) => !dropped.includes(k)));
  const metadata: Record<string, string> = { ...base, ...input.planMetadata };
  const problems: string[] = [];
  for (const key of rule.fromPointOnly)
    if (key in input.planMetadata) {
      problems.push(`${key} comes from the recovery point's restore metadata; the plan may not set it`);
      if (key in input.pointMetadata) metadata[key] = input.pointMetadata[key]!;
      else delete metadata[key];
    }
  for (const key of rule.required)
    if (metadata[key] === undefined || metadata[key] === '')
      problems.push(
        dropped.includes(key)
          ? `${key} is required and the recovery point's value names the source region; set it in awsBackup.restore.metadata`
          : rule.fromPointOnly.includes(key)
            ? `${key} is required and the recovery point's restore metadata does not give it`
            : `${key} is required; set it in awsBackup.restore.metadata`,
      );
  for (const key of rule.booleans) {
    const value = metadata[key];
    if (value !== undefined && value !== 'true' && value !== 'false')
      problems.push(`${key} must be "true" or "false", got "${value}"`);
  }
  for (const check of rule.checks ?? []) {
    const problem = check(metadata, input.crossRegion);
    if (problem) problems.push(problem);
  }
  const targetName = rule.nameKey ? metadata[rule.nameKey] : undefined;
  return {
    metadata,
    problems,
    dropped,
    known: true,
    ...(targetName ? { targetName } : {}),
    ...(rule.afterRestore ? { afterRestore: rule.afterRestore } : {}),
  };
}

/** The identifier of the `index`-th instance (from 1) Standby creates in a restored cluster: idempotent by name. */
export function clusterInstanceName(clusterIdentifier: string, index: number): string {
  // DB instance identifiers: 1-63 letters, digits or hyphens; no two hyphens in a row, no hyphen last.
  const suffix = `-${index}`;
  return `${clusterIdentifier.slice(0, 63 - suffix.length).replace(/-+$/, '')}${suffix}`;
}
