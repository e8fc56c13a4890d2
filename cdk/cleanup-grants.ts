/**
 * What the clean-up functions may delete, derived from the plans at synth (one statement list per ARN
 * service; the stack gives each clean-up function the lists of the services it carries,
 * `functions/cleanup/groups.ts`). Only what a drill of a plan in this account can restore:
 *
 * - by name, where the ARN carries the name the drill gives it (`drill.metadata`): RDS DB instances
 *   (`DBInstanceIdentifier`), clusters (`DBClusterIdentifier`) and the instances Standby creates in
 *   them (`<cluster>-1` … `-<count>`, `clusterInstanceName`), DynamoDB tables (`targetTableName`), S3
 *   buckets and their objects (`DestinationBucketName`), EKS clusters with their node groups and
 *   Fargate profiles (`clusterName`);
 * - by account, region and type only, where AWS mints the id: EC2 instances and EBS volumes
 *   (`i-…`, `vol-…`), EFS file systems (`fs-…`, and the network interfaces of their mount targets),
 *   FSx file systems and volumes. `Describe*` of EC2 has no resource-level permissions (`*`).
 *
 * Resources whose vault is in another account get nothing: the clean-up acts in its own account only.
 */
import { Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { parseArn } from '#shared/domain/identifiers.ts';
import type { ProtectedResource, RecoveryPlan } from '#shared/domain/plan.ts';
import { clusterInstanceName } from '#shared/domain/restore-requests.ts';

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** The ARNs a drill of `r` may create, by ARN service and the actions that delete them. */
interface Deletable {
  readonly service: string;
  readonly actions: readonly string[];
  readonly arns: readonly string[];
}

const RDS_INSTANCE = ['rds:DescribeDBInstances', 'rds:DeleteDBInstance', 'rds:ModifyDBInstance'];
const RDS_CLUSTER = ['rds:DescribeDBClusters', 'rds:DeleteDBCluster', 'rds:ModifyDBCluster'];
const DYNAMODB_TABLE = ['dynamodb:DescribeTable', 'dynamodb:DeleteTable', 'dynamodb:UpdateTable'];
const EC2_INSTANCE = ['ec2:TerminateInstances', 'ec2:ModifyInstanceAttribute'];
const EC2_VOLUME = ['ec2:DeleteVolume'];
const EFS_FILE_SYSTEM = [
  'elasticfilesystem:DescribeFileSystems',
  'elasticfilesystem:DescribeMountTargets',
  'elasticfilesystem:DeleteMountTarget',
  'elasticfilesystem:DescribeReplicationConfigurations',
  'elasticfilesystem:DeleteFileSystem',
];
/** `DeleteMountTarget` "also requires" it on the mount target's network interface. */
const EFS_MOUNT_TARGET_INTERFACE = ['ec2:DeleteNetworkInterface'];
const S3_BUCKET = ['s3:GetBucketObjectLockConfiguration', 's3:ListBucketVersions', 's3:DeleteBucket'];
const S3_OBJECTS = ['s3:DeleteObject', 's3:DeleteObjectVersion'];
const EKS_CLUSTER = [
  'eks:DescribeCluster',
  'eks:ListNodegroups',
  'eks:ListFargateProfiles',
  'eks:UpdateClusterConfig',
  'eks:DeleteCluster',
];
const EKS_NODEGROUP = ['eks:DescribeNodegroup', 'eks:DeleteNodegroup'];
const EKS_FARGATE_PROFILE = ['eks:DescribeFargateProfile', 'eks:DeleteFargateProfile'];
const FSX_FILE_SYSTEM = ['fsx:DescribeFileSystems', 'fsx:DeleteFileSystem'];
const FSX_VOLUME = ['fsx:DescribeVolumes', 'fsx:DeleteVolume'];
/** EC2 reads without resource-level permissions. */
export const EC2_UNSCOPED_READS = [
  'ec2:DescribeInstances',
  'ec2:DescribeInstanceAttribute',
  'ec2:DescribeVolumes',
] as const;

function deletableOf(r: ProtectedResource, account: string): Deletable[] {
  if (r.source.kind !== 'aws-backup') return [];
  const vault = parseArn(r.source.vaultArn);
  const protectedArn = parseArn(r.source.resourceArn);
  // Only what a drill can restore (a resource without a drill block is never drilled), in this account.
  if (!r.drill || !vault || !protectedArn || vault.account !== account) return [];
  // The restore runs where the vault is; the partition is the vault's (as the restore grants take it).
  const scope = `arn:${vault.partition}:${protectedArn.service}:${vault.region}:${account}`;
  const name = (key: string) => r.drill?.metadata?.[key];
  // S3 bucket ARNs carry only the name: the type is the service.
  const type =
    protectedArn.service === 's3'
      ? 's3'
      : `${protectedArn.service} ${protectedArn.resource.replace(/[:/].*$/, '')}`;
  switch (type) {
    case 'rds db': {
      const id = name('DBInstanceIdentifier');
      return id ? [{ service: 'rds', actions: RDS_INSTANCE, arns: [`${scope}:db:${id}`] }] : [];
    }
    case 'rds cluster': {
      const id = name('DBClusterIdentifier');
      if (!id) return [];
      const count = r.source.restore?.clusterInstances?.count ?? 0;
      const members = Array.from(
        { length: count },
        (_, i) => `${scope}:db:${clusterInstanceName(id, i + 1)}`,
      );
      return [
        { service: 'rds', actions: RDS_CLUSTER, arns: [`${scope}:cluster:${id}`] },
        ...(members.length > 0 ? [{ service: 'rds', actions: RDS_INSTANCE, arns: members }] : []),
      ];
    }
    case 'dynamodb table': {
      const table = name('targetTableName');
      return table
        ? [{ service: 'dynamodb', actions: DYNAMODB_TABLE, arns: [`${scope}:table/${table}`] }]
        : [];
    }
    case 'ec2 instance':
      return [{ service: 'ec2', actions: EC2_INSTANCE, arns: [`${scope}:instance/*`] }];
    case 'ec2 volume':
      return [{ service: 'ec2', actions: EC2_VOLUME, arns: [`${scope}:volume/*`] }];
    case 'elasticfilesystem file-system':
      return [
        { service: 'elasticfilesystem', actions: EFS_FILE_SYSTEM, arns: [`${scope}:file-system/*`] },
        {
          service: 'elasticfilesystem',
          actions: EFS_MOUNT_TARGET_INTERFACE,
          arns: [`arn:${vault.partition}:ec2:${vault.region}:${account}:network-interface/*`],
        },
      ];
    case 's3': {
      const bucket = name('DestinationBucketName');
      const arn = `arn:${vault.partition}:s3:::${bucket}`;
      return bucket
        ? [
            { service: 's3', actions: S3_BUCKET, arns: [arn] },
            { service: 's3', actions: S3_OBJECTS, arns: [`${arn}/*`] },
          ]
        : [];
    }
    case 'eks cluster': {
      const cluster = name('clusterName');
      return cluster
        ? [
            { service: 'eks', actions: EKS_CLUSTER, arns: [`${scope}:cluster/${cluster}`] },
            { service: 'eks', actions: EKS_NODEGROUP, arns: [`${scope}:nodegroup/${cluster}/*`] },
            { service: 'eks', actions: EKS_FARGATE_PROFILE, arns: [`${scope}:fargateprofile/${cluster}/*`] },
          ]
        : [];
    }
    case 'fsx file-system':
    case 'fsx volume':
      return [
        { service: 'fsx', actions: FSX_FILE_SYSTEM, arns: [`${scope}:file-system/*`] },
        { service: 'fsx', actions: FSX_VOLUME, arns: [`${scope}:volume/*/*`] },
      ];
    default:
      return [];
  }
}

/**
 * The statements each ARN service's deletes need for the plans' drills in `account`, one per set of
 * actions; services the plans do not drill are absent.
 */
export function cleanupStatements(
  plans: readonly RecoveryPlan[],
  account: string,
): ReadonlyMap<string, PolicyStatement[]> {
  const byActions = new Map<string, { service: string; actions: readonly string[]; arns: string[] }>();
  for (const d of plans.flatMap((p) => p.resources.flatMap((r) => deletableOf(r, account)))) {
    const key = d.actions.join(',');
    const entry = byActions.get(key) ?? { service: d.service, actions: d.actions, arns: [] };
    entry.arns.push(...d.arns);
    byActions.set(key, entry);
  }
  const statements = new Map<string, PolicyStatement[]>();
  for (const { service, actions, arns } of byActions.values())
    statements.set(service, [
      ...(statements.get(service) ?? []),
      new PolicyStatement({ actions: [...actions], resources: unique(arns).sort() }),
    ]);
  const ec2 = statements.get('ec2');
  if (ec2) ec2.push(new PolicyStatement({ actions: [...EC2_UNSCOPED_READS], resources: ['*'] }));
  return statements;
}

/** Why each wildcard ARN of the clean-up cannot be narrower. */
const WILDCARD_REASONS: readonly (readonly [RegExp, string])[] = [
  [
    /:ec2:.*:(instance|volume)\/\*$|:elasticfilesystem:.*:file-system\/\*$|:fsx:.*:(file-system\/\*|volume\/\*\/\*)$/,
    'The ids of restored EC2 instances, EBS volumes, EFS and FSx file systems and volumes are minted by the restore, so no name can scope them; the grant is limited to the account and region of a plan vault and to the types the plans drill, and the clean-up deletes only the ARN a restore job reported (docs/deploy-aws.md).',
  ],
  [
    /:ec2:.*:network-interface\/\*$/,
    "EFS DeleteMountTarget also needs ec2:DeleteNetworkInterface on the mount target's interface, whose id EFS mints; limited to the account and region of a plan vault.",
  ],
  [
    /:s3:::[^/]+\/\*$/,
    "The objects of the drill's own bucket (named in the plan), emptied before the bucket is deleted.",
  ],
  [
    /:eks:.*:(nodegroup|fargateprofile)\/[^/]+\/\*$/,
    "The node groups and Fargate profiles of the drill's own cluster (named in the plan), deleted before the cluster.",
  ],
];

/**
 * The cdk-nag acknowledgements of a clean-up function's wildcards, each with its reason: X-Ray (every
 * function traces), the EC2 reads, and the ids no name can scope.
 */
export function acknowledgeCleanupWildcards(on: IConstruct, statements: readonly PolicyStatement[]): void {
  const v = Validations.of(on);
  const resources = unique(statements.flatMap((s) => s.resources));
  v.acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `X-Ray PutTraceSegments/PutTelemetryRecords${resources.includes('*') ? ` and ${EC2_UNSCOPED_READS.join(', ')}` : ''} support no resource-level permissions.`,
  });
  for (const resource of resources) {
    const reason = WILDCARD_REASONS.find(([pattern]) => pattern.test(resource))?.[1];
    if (reason) v.acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
  }
}
