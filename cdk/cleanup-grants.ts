/**
 * What the clean-up functions may delete, derived from the plans at synth (one statement list per ARN
 * service; the stack gives each clean-up function the lists of the services it carries,
 * `functions/cleanup/groups.ts`). Only what a drill of a plan in this account can restore:
 *
 * - by name, where the ARN carries the name the drill gives it (`drill.metadata`): RDS DB instances
 *   (`DBInstanceIdentifier`), clusters (`DBClusterIdentifier`) and the instances Standby creates in
 *   them (`<cluster>-1` … `-<count>`, `clusterInstanceName`), DynamoDB tables (`targetTableName`);
 * - by account, region and type only, where AWS mints the id: EC2 instances and EBS volumes
 *   (`i-…`, `vol-…`). `Describe*` of EC2 has no resource-level permissions (`*`).
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
  if (!vault || !protectedArn || vault.account !== account) return [];
  // The restore runs where the vault is; the partition is the vault's (as the restore grants take it).
  const scope = `arn:${vault.partition}:${protectedArn.service}:${vault.region}:${account}`;
  const name = (key: string) => r.drill?.metadata?.[key];
  const type = `${protectedArn.service} ${protectedArn.resource.replace(/[:/].*$/, '')}`;
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
    default:
      // Merge point (issue 12, helper DA2): EFS, S3, EKS and FSx grants.
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

/**
 * The cdk-nag acknowledgements of a clean-up function's wildcards, each with its reason: X-Ray (every
 * function traces), the EC2 reads, and the EC2 ids no name can scope.
 */
export function acknowledgeCleanupWildcards(on: IConstruct, statements: readonly PolicyStatement[]): void {
  const v = Validations.of(on);
  const resources = unique(statements.flatMap((s) => s.resources));
  v.acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `X-Ray PutTraceSegments/PutTelemetryRecords${resources.includes('*') ? ` and ${EC2_UNSCOPED_READS.join(', ')}` : ''} support no resource-level permissions.`,
  });
  for (const resource of resources.filter((r) => /:(instance|volume)\/\*$/.test(r)))
    v.acknowledge({
      id: `AwsSolutions-IAM5[Resource::${resource}]`,
      reason:
        'EC2 instance and volume ids are minted by the restore, so no name can scope them; the grant is limited to the account and region of a plan vault and to the types the plans restore, and the clean-up deletes only the ARN a restore job reported (docs/deploy-aws.md).',
    });
}
