/**
 * What the plans let the controller do, per AWS account, as IAM statements: read the plans' vaults,
 * restore from them with the plans' restore roles, create a restored cluster's instances, change the
 * plans' hosted zones and routing controls. The recovery stack grants the controller account's part
 * to the function roles; a member stack grants a member account's part to the role the controller
 * assumes there. Statements never use `*` actions; the few `*` resources are APIs without resource
 * scope, each named in its acknowledgement.
 */
import { Validations } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { accountOfArn, accountOfRouting } from '#shared/domain/plan-accounts.ts';

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** What the plans name, in one account. */
export interface PlanPermissions {
  readonly alarmArns: readonly string[];
  readonly vaultArns: readonly string[];
  readonly restoreRoleArns: readonly string[];
  readonly hostedZoneIds: readonly string[];
  readonly routingControlArns: readonly string[];
  readonly approvalTopicArns: readonly string[];
}

/**
 * What the plans name. With `account`, only what lives in that account: vaults and restore roles by
 * their ARNs, hosted zones by `route53.account` (none: `ownAccount`), routing controls by their ARNs.
 */
export function planPermissions(
  plans: readonly RecoveryPlan[],
  scope?: { readonly account: string; readonly ownAccount: string },
): PlanPermissions {
  const inScope = (account: string | undefined) => !scope || (account ?? scope.ownAccount) === scope.account;
  const aws = plans
    .flatMap((p) => p.resources.map((r) => r.source))
    .flatMap((s) => (s.kind === 'aws-backup' ? [s] : []));
  const route53 = plans.flatMap((p) =>
    p.routing?.kind === 'route53' && inScope(accountOfRouting(p.routing)) ? [p.routing] : [],
  );
  return {
    alarmArns: unique(plans.flatMap((p) => p.triggers.flatMap((t) => ('awsAlarm' in t ? [t.awsAlarm] : [])))),
    vaultArns: unique(aws.map((s) => s.vaultArn).filter((arn) => inScope(accountOfArn(arn)))),
    restoreRoleArns: unique(
      aws
        .flatMap((s) => (s.restore ? [s.restore.iamRoleArn] : []))
        .filter((arn) => inScope(accountOfArn(arn))),
    ),
    hostedZoneIds: unique(route53.map((r) => r.hostedZoneId.replace(/^\/hostedzone\//, ''))),
    routingControlArns: unique(
      route53.flatMap((r) =>
        r.arc ? [r.arc.routingControlArns.primary, r.arc.routingControlArns.recovery] : [],
      ),
    ),
    approvalTopicArns: unique(
      plans.flatMap((p) => (p.failover.approval?.notify ?? []).flatMap((n) => ('sns' in n ? [n.sns] : []))),
    ),
  };
}

/** AWS Backup APIs without resource-level permissions, which the inventory and restores call. */
export const UNSCOPED_BACKUP_ACTIONS = [
  'backup:ListBackupJobs',
  'backup:ListCopyJobs',
  'backup:DescribeRestoreJob',
] as const;

/**
 * Reading recovery points of the vaults and whether each is locked (Vault Lock, for the evidence
 * report), and the job listings (which have no resource scope).
 */
export function grantBackupReads(role: IRole, perms: PlanPermissions): void {
  if (perms.vaultArns.length > 0)
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['backup:ListRecoveryPointsByBackupVault', 'backup:DescribeBackupVault'],
        resources: [...perms.vaultArns],
      }),
    );
  role.addToPrincipalPolicy(new PolicyStatement({ actions: [...UNSCOPED_BACKUP_ACTIONS], resources: ['*'] }));
}

const scopeOf = (arn: string) => {
  const [, partition, , region, account] = arn.split(':');
  return { partition: partition!, region: region!, account: account! };
};

/**
 * Restores from the vaults with the restore roles, a restored cluster's instances, and the traffic
 * switches. `acknowledgeOn` gets the cdk-nag acknowledgements of the wildcards that remain.
 */
export function grantFailoverActions(
  role: IRole,
  perms: PlanPermissions,
  partition: string,
  acknowledgeOn: IConstruct,
): void {
  // StartRestoreJob is authorised on the recovery point's ARN as AWS Backup names it: a backup ARN
  // (recovery-point:*) for most types, but the service's own ARN for RDS and Aurora snapshots, EC2
  // AMIs and DynamoDB backups (as the example vault's points show). Both forms, per plan vault.
  const recoveryPoints = unique(
    perms.vaultArns.flatMap((arn) => {
      const { partition: p, region, account } = scopeOf(arn);
      return [
        `arn:${p}:backup:${region}:${account}:recovery-point:*`,
        `arn:${p}:rds:${region}:${account}:snapshot:awsbackup:*`,
        `arn:${p}:rds:${region}:${account}:cluster-snapshot:awsbackup:*`,
        `arn:${p}:ec2:${region}::image/*`,
        `arn:${p}:dynamodb:${region}:${account}:table/*/backup/*`,
      ];
    }),
  );
  if (recoveryPoints.length > 0)
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['backup:StartRestoreJob'], resources: recoveryPoints }),
    );
  // A restore starts from the point's own restore metadata, read in its vault.
  if (perms.vaultArns.length > 0)
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['backup:GetRecoveryPointRestoreMetadata'],
        resources: [...perms.vaultArns],
      }),
    );
  // Restored Aurora / DocumentDB / Neptune clusters get their instances (CreateDBInstance needs
  // the new instance and the cluster it joins), in the plan vaults' regions and accounts.
  const rdsResources = unique(
    perms.vaultArns.map((arn) => {
      const { partition: p, region, account } = scopeOf(arn);
      return `arn:${p}:rds:${region}:${account}`;
    }),
  ).flatMap((scope) => [`${scope}:db:*`, `${scope}:cluster:*`]);
  if (rdsResources.length > 0)
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['rds:CreateDBInstance', 'rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
        resources: rdsResources,
      }),
    );
  const v = Validations.of(acknowledgeOn);
  for (const arn of rdsResources)
    v.acknowledge({
      id: `AwsSolutions-IAM5[Resource::${arn}]`,
      reason:
        'The instances of a restored cluster are named after the cluster, which the restore creates; the grant is limited to the account and region of a plan vault.',
    });
  for (const arn of recoveryPoints)
    v.acknowledge({
      id: `AwsSolutions-IAM5[Resource::${arn}]`,
      reason:
        'Recovery point ids are minted by every backup and copy; the grant is limited to the account and region of a plan vault, and restores also need a plan restore role.',
    });
  if (perms.restoreRoleArns.length > 0)
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [...perms.restoreRoleArns],
        conditions: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } },
      }),
    );
  if (perms.hostedZoneIds.length > 0)
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
        resources: perms.hostedZoneIds.map((id) => `arn:${partition}:route53:::hostedzone/${id}`),
      }),
    );
  if (perms.routingControlArns.length > 0)
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          'route53-recovery-cluster:GetRoutingControlState',
          'route53-recovery-cluster:UpdateRoutingControlStates',
        ],
        resources: [...perms.routingControlArns],
      }),
    );
}

/** The acknowledgement of the unscoped Backup listings (and X-Ray, for functions). */
export function acknowledgeUnscopedReads(on: IConstruct, withXray: boolean): void {
  Validations.of(on).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `${withXray ? 'X-Ray PutTraceSegments/PutTelemetryRecords and ' : ''}AWS Backup ListBackupJobs, ListCopyJobs and DescribeRestoreJob support no resource-level permissions.`,
  });
}
