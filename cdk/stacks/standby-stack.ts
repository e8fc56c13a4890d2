/**
 * The Standby controller of one region: the state table (a global table), the events, audit and
 * advance functions, the EventBridge rules and schedules that invoke them, the SNS topics, the
 * approval-key secret and a dead-letter queue for everything that could not be delivered.
 *
 * Deploy one stack per recovery region (docs/deploy.md). Its permissions are derived from the plans at
 * synth time: the functions may restore only from the plans' vaults with the plans' restore roles,
 * and change only the plans' hosted zones.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  Annotations,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { stateTableDefinition } from '#functions/adapters/dynamodb-state-store.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { readPlans } from '#shared/domain/plan-file.ts';
import { ApprovalEndpoint } from '../constructs/approval-endpoint.ts';
import { grantNotifications, notificationTargets } from '../constructs/notification-grants.ts';
import { StandbyFunction } from '../constructs/standby-function.ts';

/** Properties of {@link StandbyStack}. */
export interface StandbyStackProps extends StackProps {
  /** Plan files or directories (every `*.yaml`, `*.yml`, `*.json` in them), read and checked at synth. */
  readonly planPaths: readonly string[];
  /**
   * Regions that get a replica of the state table, besides the stack's own.
   * @default [] (a single-region table)
   */
  readonly replicaRegions?: readonly string[];
  /**
   * Log retention of the functions.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /**
   * The project root (package.json, package-lock.json, the handler files).
   * @default the directory two levels above this file
   */
  readonly projectRoot?: string;
}

/** EventBridge `detail-type`s of AWS Backup that concern freshness or a failover's restores. */
export const BACKUP_DETAIL_TYPES = [
  'Backup Job State Change',
  'Copy Job State Change',
  'Restore Job State Change',
  'Recovery Point State Change',
  'Backup Vault State Change',
] as const;

/** Where the plan files go inside each function bundle (and so under `/var/task`). */
const PLANS_DIRECTORY = 'plans';
const PLAN_FILE = /\.(ya?ml|json)$/i;

/** The plan files named by `paths`, directories expanded, sorted by name within a directory. */
export function planFilesOf(paths: readonly string[]): string[] {
  return paths.flatMap((p) => {
    const path = resolve(p);
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path)
      .filter((name) => PLAN_FILE.test(name))
      .sort()
      .map((name) => join(path, name));
  });
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** What the stack grants, read from the plans this region recovers. */
export function planPermissions(plans: readonly RecoveryPlan[]) {
  const aws = plans.flatMap((p) => p.resources.map((r) => r.source)).filter((s) => s.kind === 'aws-backup');
  const route53 = plans.flatMap((p) => (p.routing?.kind === 'route53' ? [p.routing] : []));
  return {
    alarmArns: unique(plans.flatMap((p) => p.triggers.flatMap((t) => ('awsAlarm' in t ? [t.awsAlarm] : [])))),
    vaultArns: unique(aws.map((s) => s.vaultArn)),
    restoreRoleArns: unique(aws.flatMap((s) => (s.restore ? [s.restore.iamRoleArn] : []))),
    hostedZoneIds: unique(route53.map((r) => r.hostedZoneId)),
    routingControlArns: unique(
      route53.flatMap((r) =>
        r.arc ? [r.arc.routingControlArns.primary, r.arc.routingControlArns.recovery] : [],
      ),
    ),
  };
}

/** The Standby controller of one recovery region. */
export class StandbyStack extends Stack {
  /** The state table. */
  readonly table: TableV2;
  /** The dead-letter queue of the events function and of every rule target. */
  readonly deadLetterQueue: Queue;
  readonly eventsFunction: StandbyFunction;
  readonly auditFunction: StandbyFunction;
  readonly advanceFunction: StandbyFunction;
  /** The approval links' HTTP API and function. */
  readonly approvalEndpoint: ApprovalEndpoint;

  constructor(scope: Construct, id: string, props: StandbyStackProps) {
    super(scope, id, props);
    if (Token.isUnresolved(this.region))
      throw new InvalidInputError(`${id}: give the stack an explicit env.region; the controller is regional`);
    const projectRoot = props.projectRoot ?? resolve(import.meta.dirname, '../..');
    const planFiles = planFilesOf(props.planPaths);
    const plans = readPlans(planFiles.map((file) => ({ file, text: readFileSync(file, 'utf8') }))).map(
      (l) => l.plan,
    );
    const own = plans.filter((p) => p.recovery.cloud === 'aws' && p.recovery.region === this.region);
    if (own.length === 0)
      throw new InvalidInputError(
        `${id}: no plan recovers into AWS ${this.region}; the plans recover into ${unique(plans.map((p) => `${p.recovery.cloud} ${p.recovery.region}`)).join(', ')}`,
      );
    const perms = planPermissions(own);
    const notifies = notificationTargets(own);
    for (const ref of notifies.unreadableWebhooks)
      Annotations.of(this).addWarningV2(
        'standby:teams-webhook-reference',
        `Teams webhook ${ref} cannot be read by the AWS controller; keep the URL in Secrets Manager and write secretsmanager:NAME`,
      );

    this.table = new TableV2(this, 'StateTable', {
      partitionKey: { name: stateTableDefinition.partitionKey.name, type: AttributeType.STRING },
      sortKey: { name: stateTableDefinition.sortKey.name, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute: stateTableDefinition.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      replicas: (props.replicaRegions ?? []).filter((r) => r !== this.region).map((region) => ({ region })),
    });

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      // SSE-SQS: EventBridge and Lambda can deliver to it without a key policy to maintain.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the functions and the EventBridge targets.',
    });

    const topicKey = new Key(this, 'TopicKey', {
      enableKeyRotation: true,
      description: 'Encrypts the Standby alert and approval topics',
    });
    const alertTopic = new Topic(this, 'AlertTopic', { masterKey: topicKey, enforceSSL: true });
    const approvalTopic = new Topic(this, 'ApprovalTopic', { masterKey: topicKey, enforceSSL: true });

    const approvalKey = new Secret(this, 'ApprovalKey', {
      description: 'HMAC key of Standby approval tokens',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(approvalKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the approval key invalidates every approval request in flight; it is rotated by hand between failovers (docs/deploy.md).',
    });

    const controllerEnvironment = {
      STANDBY_PLANS_PATH: `/var/task/${PLANS_DIRECTORY}`,
      STATE_TABLE: this.table.tableName,
      APPROVAL_KEY_SECRET_ARN: approvalKey.secretArn,
    };
    const common = {
      projectRoot,
      logRetention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      bundledFiles: { directory: PLANS_DIRECTORY, files: planFiles },
    };
    // Approval requests and refusal notices link to the endpoint (the endpoint's own override POST too).
    this.approvalEndpoint = new ApprovalEndpoint(this, 'ApprovalEndpoint', {
      ...common,
      environment: controllerEnvironment,
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
    const environment = { ...controllerEnvironment, APPROVAL_BASE_URL: this.approvalEndpoint.url };
    this.approvalEndpoint.handler.function.addEnvironment('APPROVAL_BASE_URL', this.approvalEndpoint.url);
    const approvalFunction = this.approvalEndpoint.handler;
    this.eventsFunction = new StandbyFunction(this, 'EventsFunction', {
      ...common,
      entry: 'functions/handlers/events.ts',
      description: 'Standby: alarms, AWS Backup events and approvals',
      environment,
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
    this.auditFunction = new StandbyFunction(this, 'AuditFunction', {
      ...common,
      entry: 'functions/handlers/audit.ts',
      description: 'Standby: scheduled freshness audit',
      environment: { ...environment, ALERT_TOPIC_ARN: alertTopic.topicArn },
      timeout: Duration.minutes(5),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
    this.advanceFunction = new StandbyFunction(this, 'AdvanceFunction', {
      ...common,
      entry: 'functions/handlers/advance.ts',
      description: 'Standby: carries failovers on (restore polling, approval timeouts)',
      environment,
      timeout: Duration.minutes(5),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });

    const target = (fn: StandbyFunction) =>
      new LambdaFunction(fn.function, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 4,
        maxEventAge: Duration.hours(2),
      });
    if (perms.alarmArns.length > 0)
      new Rule(this, 'AlarmRule', {
        description: 'Alarm state changes of the plans’ triggers',
        eventPattern: {
          source: ['aws.cloudwatch'],
          detailType: ['CloudWatch Alarm State Change'],
          resources: perms.alarmArns,
        },
        targets: [target(this.eventsFunction)],
      });
    new Rule(this, 'BackupRule', {
      description: 'AWS Backup job, copy, restore, recovery point and vault events',
      eventPattern: { source: ['aws.backup'], detailType: [...BACKUP_DETAIL_TYPES] },
      targets: [target(this.eventsFunction)],
    });
    new Rule(this, 'AuditSchedule', {
      description: 'Freshness audit every 15 minutes',
      schedule: Schedule.rate(Duration.minutes(15)),
      targets: [target(this.auditFunction)],
    });
    new Rule(this, 'AdvanceSchedule', {
      description: 'Failover polling fallback every minute',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [target(this.advanceFunction)],
    });

    const controllers = [this.eventsFunction, this.advanceFunction];
    for (const fn of [...controllers, this.auditFunction, approvalFunction]) {
      approvalKey.grantRead(fn.role);
      this.grantBackupReads(fn, perms.vaultArns);
    }
    // The approval function decides and, for a fail-over-anyway link, claims a failover and notifies;
    // restores and switches stay with the events and advance functions.
    for (const fn of [...controllers, approvalFunction]) {
      this.table.grantReadWriteData(fn.role);
      approvalTopic.grantPublish(fn.role);
      grantNotifications(fn, notifies);
    }
    for (const fn of controllers) this.grantFailoverActions(fn, perms);
    alertTopic.grantPublish(this.auditFunction.role);
    this.auditFunction.role.addToPolicy(
      new PolicyStatement({
        actions: ['events:PutEvents'],
        resources: [this.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' })],
      }),
    );

    for (const fn of [this.eventsFunction, this.auditFunction, this.advanceFunction, approvalFunction])
      this.acknowledgeFunctionFindings(fn);

    new CfnOutput(this, 'StateTableName', { value: this.table.tableName });
    new CfnOutput(this, 'AlertTopicArn', { value: alertTopic.topicArn });
    new CfnOutput(this, 'ApprovalTopicArn', { value: approvalTopic.topicArn });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'ApprovalEndpointUrl', { value: this.approvalEndpoint.url });
    new CfnOutput(this, 'ApprovalKeySecretArn', { value: approvalKey.secretArn });
  }

  /** Reading recovery points of the plans' vaults, and the job listings (which have no resource scope). */
  private grantBackupReads(fn: StandbyFunction, vaultArns: readonly string[]): void {
    if (vaultArns.length > 0)
      fn.role.addToPolicy(
        new PolicyStatement({
          actions: ['backup:ListRecoveryPointsByBackupVault'],
          resources: [...vaultArns],
        }),
      );
    fn.role.addToPolicy(
      new PolicyStatement({
        actions: ['backup:ListBackupJobs', 'backup:ListCopyJobs', 'backup:DescribeRestoreJob'],
        resources: ['*'],
      }),
    );
  }

  /** Restores from the plans' vaults with the plans' roles, and the plans' traffic switches. */
  private grantFailoverActions(fn: StandbyFunction, perms: ReturnType<typeof planPermissions>): void {
    const policy = fn.role;
    // StartRestoreJob is authorised on the recovery point's ARN as AWS Backup names it: a backup ARN
    // (recovery-point:*) for most types, but the service's own ARN for RDS and Aurora snapshots, EC2
    // AMIs and DynamoDB backups (as the example vault's points show). Both forms, per plan vault.
    const recoveryPoints = unique(
      perms.vaultArns.flatMap((arn) => {
        const [, partition, , region, account] = arn.split(':');
        return [
          `arn:${partition}:backup:${region}:${account}:recovery-point:*`,
          `arn:${partition}:rds:${region}:${account}:snapshot:awsbackup:*`,
          `arn:${partition}:rds:${region}:${account}:cluster-snapshot:awsbackup:*`,
          `arn:${partition}:ec2:${region}::image/*`,
          `arn:${partition}:dynamodb:${region}:${account}:table/*/backup/*`,
        ];
      }),
    );
    if (recoveryPoints.length > 0)
      policy.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['backup:StartRestoreJob'], resources: recoveryPoints }),
      );
    // A restore starts from the point's own restore metadata, read in its vault.
    if (perms.vaultArns.length > 0)
      policy.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['backup:GetRecoveryPointRestoreMetadata'],
          resources: [...perms.vaultArns],
        }),
      );
    // Restored Aurora / DocumentDB / Neptune clusters get their instances (CreateDBInstance needs
    // the new instance and the cluster it joins), in the plan vaults' regions and accounts.
    const rdsScopes = unique(
      perms.vaultArns.map((arn) => {
        const [, partition, , region, account] = arn.split(':');
        return `arn:${partition}:rds:${region}:${account}`;
      }),
    );
    if (rdsScopes.length > 0)
      policy.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['rds:CreateDBInstance', 'rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
          resources: rdsScopes.flatMap((scope) => [`${scope}:db:*`, `${scope}:cluster:*`]),
        }),
      );
    for (const arn of rdsScopes.flatMap((scope) => [`${scope}:db:*`, `${scope}:cluster:*`]))
      Validations.of(fn).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${arn}]`,
        reason:
          'The instances of a restored cluster are named after the cluster, which the restore creates; the grant is limited to the account and region of a plan vault.',
      });
    for (const arn of recoveryPoints)
      Validations.of(fn).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${arn}]`,
        reason:
          'Recovery point ids are minted by every backup and copy; the grant is limited to the account and region of a plan vault, and restores also need a plan restore role.',
      });
    if (perms.restoreRoleArns.length > 0)
      policy.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['iam:PassRole'],
          resources: perms.restoreRoleArns,
          conditions: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } },
        }),
      );
    if (perms.hostedZoneIds.length > 0)
      policy.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
          resources: perms.hostedZoneIds.map((id) => `arn:${this.partition}:route53:::hostedzone/${id}`),
        }),
      );
    if (perms.routingControlArns.length > 0)
      policy.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [
            'route53-recovery-cluster:GetRoutingControlState',
            'route53-recovery-cluster:UpdateRoutingControlStates',
          ],
          resources: perms.routingControlArns,
        }),
      );
  }

  /** The wildcards that remain are ones AWS gives no narrower form of; each is named with its reason. */
  private acknowledgeFunctionFindings(fn: StandbyFunction): void {
    const v = Validations.of(fn);
    v.acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node 22 is the runtime the bundle targets and is tested on; moving to Node 24 is a deliberate upgrade.',
    });
    v.acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments/PutTelemetryRecords and AWS Backup ListBackupJobs, ListCopyJobs and DescribeRestoreJob support no resource-level permissions.',
    });
    v.acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'Granted by Topic.grantPublish on the one key of the Standby topics: SNS needs a data key per message (GenerateDataKey, GenerateDataKeyWithoutPlaintext).',
    });
  }
}
