/**
 * The Standby controller of one recovery region: the state table (a global table, with replicas),
 * the events, audit and advance functions, the EventBridge rules and schedules that invoke them, the
 * SNS topics, the approval-key secret, a dead-letter queue for everything that could not be
 * delivered, the alarms that watch all of it (SelfMonitoring), and the resource policy that lets the
 * forwarders of other accounts put their events on this region's default bus.
 *
 * Deploy one stack per recovery region (docs/deploy-aws.md). Its permissions are derived from the
 * plans at synth time: the functions may restore only from the plans' vaults in this account with
 * the plans' restore roles, change only the plans' hosted zones, and assume only the roles the plans
 * name for other accounts; synth refuses a plan that acts in another account without naming a role.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  Annotations,
  CfnOutput,
  CfnResource,
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
import { AccountPrincipal, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { stateTableDefinition } from '#functions/adapters/dynamodb-state-store.ts';
import type { CleanupFunction } from '#functions/cleanup/groups.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { readPlans } from '#shared/domain/plan-file.ts';
import { PLAN_SET_FILE } from '#shared/domain/plan-json.ts';
import { ApprovalEndpoint } from '../constructs/approval-endpoint.ts';
import { CleanupFunctions } from '../constructs/cleanup-functions.ts';
import {
  grantNotifications,
  type NotificationTargets,
  notificationTargets,
} from '../constructs/notification-grants.ts';
import { auditIntervalOf, SelfMonitoring } from '../constructs/self-monitoring.ts';
import { StandbyFunction } from '../constructs/standby-function.ts';
import {
  acknowledgeUnscopedReads,
  grantBackupReads,
  grantFailoverActions,
  planPermissions,
} from '../plan-grants.ts';
import { forwardingAccounts, type Topology, topologyOf } from '../topology.ts';

/** The short name of each clean-up function in its alarms' ids. */
const CLEANUP_ALARM_NAMES: Readonly<Record<CleanupFunction, string>> = {
  cleanup: 'Cleanup',
  'cleanup-ec2': 'CleanupEc2',
};

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
  /**
   * How often the freshness audit runs.
   * @default a third of the plans' smallest RPO, between 1 and 15 minutes (auditIntervalOf)
   */
  readonly auditInterval?: Duration;
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

/** The plan files' documents as one JSON array: the plan set the functions read (plan-json.ts). */
export function planSetJson(files: readonly string[]): string {
  return JSON.stringify(
    files.flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8')).flatMap((d) => [d.toJS()])),
  );
}

/** The Standby controller of one recovery region. */
export class StandbyStack extends Stack {
  /** The state table. */
  readonly table: TableV2;
  /** The dead-letter queue of the functions and of every rule target. */
  readonly deadLetterQueue: Queue;
  readonly eventsFunction: StandbyFunction;
  readonly auditFunction: StandbyFunction;
  readonly advanceFunction: StandbyFunction;
  /** The forwarders and member accounts this controller needs (cdk/topology.ts). */
  readonly topology: Topology;
  /** The approval links' HTTP API and function. */
  readonly approvalEndpoint: ApprovalEndpoint;
  /** The functions that delete what drills restored, invoked by the events and advance functions. */
  readonly cleanup: CleanupFunctions;

  constructor(scope: Construct, id: string, props: StandbyStackProps) {
    super(scope, id, props);
    if (Token.isUnresolved(this.region) || Token.isUnresolved(this.account))
      throw new InvalidInputError(
        `${id}: give the stack an explicit env.account and env.region (cdk.json context "account" and "region"); the controller is regional and its grants are per account`,
      );
    const projectRoot = props.projectRoot ?? resolve(import.meta.dirname, '../..');
    const planFiles = planFilesOf(props.planPaths);
    const plans = readPlans(planFiles.map((file) => ({ file, text: readFileSync(file, 'utf8') }))).map(
      (l) => l.plan,
    );
    this.topology = topologyOf(plans, this.account, this.region);
    const own = this.topology.plans;
    if (own.length === 0)
      throw new InvalidInputError(
        `${id}: no plan recovers into AWS ${this.region}; the plans recover into ${[...new Set(plans.map((p) => `${p.recovery.cloud} ${p.recovery.region}`))].join(', ')}`,
      );
    const perms = planPermissions(own, { account: this.account, ownAccount: this.account });
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
    // CloudWatch publishes the self-monitoring alarms to the encrypted alert topic.
    topicKey.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');

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
      STANDBY_PLANS_PATH: `/var/task/${PLANS_DIRECTORY}/${PLAN_SET_FILE}`,
      STATE_TABLE: this.table.tableName,
      APPROVAL_KEY_SECRET_ARN: approvalKey.secretArn,
    };
    const common = {
      projectRoot,
      logRetention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      bundledFiles: { directory: PLANS_DIRECTORY, files: { [PLAN_SET_FILE]: planSetJson(planFiles) } },
      onFailure: new SqsDestination(this.deadLetterQueue),
    };
    // Approval requests and refusal notices link to the endpoint (the endpoint's own override POST too).
    this.approvalEndpoint = new ApprovalEndpoint(this, 'ApprovalEndpoint', {
      ...common,
      environment: controllerEnvironment,
    });
    this.cleanup = new CleanupFunctions(this, 'Cleanup', {
      plans: own,
      account: this.account,
      projectRoot,
      logRetention: common.logRetention,
    });
    const environment = { ...controllerEnvironment, APPROVAL_BASE_URL: this.approvalEndpoint.url };
    // Only the functions that run a drill's tear-down invoke the clean-up (not the audit or approval).
    const cleanupRoutes = this.cleanup.routes;
    const controllerOnly: Record<string, string> = cleanupRoutes ? { CLEANUP_FUNCTIONS: cleanupRoutes } : {};
    this.approvalEndpoint.handler.function.addEnvironment('APPROVAL_BASE_URL', this.approvalEndpoint.url);
    this.eventsFunction = new StandbyFunction(this, 'EventsFunction', {
      ...common,
      entry: 'functions/handlers/events.ts',
      description: 'Standby: alarms, AWS Backup events and approvals',
      environment: { ...environment, ...controllerOnly },
    });
    this.auditFunction = new StandbyFunction(this, 'AuditFunction', {
      ...common,
      entry: 'functions/handlers/audit.ts',
      description: 'Standby: scheduled freshness audit',
      environment: { ...environment, ALERT_TOPIC_ARN: alertTopic.topicArn },
      timeout: Duration.minutes(5),
    });
    this.advanceFunction = new StandbyFunction(this, 'AdvanceFunction', {
      ...common,
      entry: 'functions/handlers/advance.ts',
      description:
        'Standby: carries failovers on (restore polling, approval timeouts) and publishes evidence events',
      environment: { ...environment, ...controllerOnly },
      timeout: Duration.minutes(5),
    });

    const target = (fn: StandbyFunction) =>
      new LambdaFunction(fn.function, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 4,
        maxEventAge: Duration.hours(2),
      });
    if (perms.alarmArns.length > 0)
      new Rule(this, 'AlarmRule', {
        description: 'Alarm state changes of the plans’ triggers (here, or forwarded from their regions)',
        eventPattern: {
          source: ['aws.cloudwatch'],
          detailType: ['CloudWatch Alarm State Change'],
          resources: [...perms.alarmArns],
        },
        targets: [target(this.eventsFunction)],
      });
    new Rule(this, 'BackupRule', {
      description: 'AWS Backup job, copy, restore, recovery point and vault events (here, or forwarded)',
      eventPattern: { source: ['aws.backup'], detailType: [...BACKUP_DETAIL_TYPES] },
      targets: [target(this.eventsFunction)],
    });
    const auditInterval = props.auditInterval ?? auditIntervalOf(own);
    new Rule(this, 'AuditSchedule', {
      description: `Freshness audit every ${auditInterval.toMinutes()} minute(s)`,
      schedule: Schedule.rate(auditInterval),
      targets: [target(this.auditFunction)],
    });
    new Rule(this, 'AdvanceSchedule', {
      description: 'Failover polling fallback every minute',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [target(this.advanceFunction)],
    });

    this.grant(perms, notifies, { approvalKey, approvalTopic, alertTopic });
    this.allowForwarders();

    new SelfMonitoring(this, 'SelfMonitoring', {
      functions: {
        Events: this.eventsFunction,
        Audit: this.auditFunction,
        Advance: this.advanceFunction,
        Approval: this.approvalEndpoint.handler,
        // A failing clean-up leaves drill copies behind: its errors alarm like the others'.
        ...Object.fromEntries(
          [...this.cleanup.functions].map(([name, fn]) => [CLEANUP_ALARM_NAMES[name], fn]),
        ),
      },
      deadLetterQueue: this.deadLetterQueue,
      alertTopic,
      auditInterval,
      controllerRegion: this.region,
      plans: own,
    });

    new CfnOutput(this, 'StateTableName', { value: this.table.tableName });
    new CfnOutput(this, 'AlertTopicArn', { value: alertTopic.topicArn });
    new CfnOutput(this, 'ApprovalTopicArn', { value: approvalTopic.topicArn });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'AuditIntervalMinutes', { value: String(auditInterval.toMinutes()) });
    new CfnOutput(this, 'ApprovalEndpointUrl', { value: this.approvalEndpoint.url });
    new CfnOutput(this, 'ApprovalKeySecretArn', { value: approvalKey.secretArn });
  }

  /**
   * Each function's grants, from the plans and the stack's own resources. The approval function
   * decides and, for a fail-over-anyway link, claims a failover and notifies (it reads points for the
   * confirmation page); restores and switches stay with the events and advance functions.
   */
  private grant(
    perms: ReturnType<typeof planPermissions>,
    notifies: NotificationTargets,
    own: { approvalKey: Secret; approvalTopic: Topic; alertTopic: Topic },
  ): void {
    const approval = this.approvalEndpoint.handler;
    const all = [this.eventsFunction, this.auditFunction, this.advanceFunction, approval];
    const controllers = [this.eventsFunction, this.advanceFunction];
    for (const fn of [...controllers, approval]) {
      this.table.grantReadWriteData(fn.role);
      own.approvalTopic.grantPublish(fn.role);
      grantNotifications(fn, notifies);
    }
    const memberRoles = this.topology.members.map((m) => m.roleArn);
    const defaultBus = this.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' });
    for (const fn of all) {
      own.approvalKey.grantRead(fn.role);
      grantBackupReads(fn.role, perms);
      // Freshness alerts (audit) and the evidence outbox (events, advance) go to this region's bus.
      if (fn !== approval)
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({ actions: ['events:PutEvents'], resources: [defaultBus] }),
        );
      if (memberRoles.length > 0)
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({ actions: ['sts:AssumeRole'], resources: memberRoles }),
        );
      this.acknowledgeFunctionFindings(fn);
    }
    for (const fn of controllers) {
      grantFailoverActions(fn.role, perms, this.partition, fn);
      this.cleanup.grantInvoke(fn.role);
      // Topics of other accounts accept the publish only if their own policy allows this role.
      if (perms.approvalTopicArns.length > 0)
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({ actions: ['sns:Publish'], resources: [...perms.approvalTopicArns] }),
        );
    }
    own.alertTopic.grantPublish(this.auditFunction.role);
    // The audit appends to each application's evidence chain in the state table.
    this.table.grantReadWriteData(this.auditFunction.role);
  }

  /** Lets the forwarders of other accounts put events on this region's default bus. */
  private allowForwarders(): void {
    const bus = this.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' });
    // AWS::Events::EventBusPolicy with a Statement (CfnEventBusPolicy's L1 warns on its deprecated props).
    for (const account of forwardingAccounts(this.topology))
      new CfnResource(this, `ForwarderPolicy${account}`, {
        type: 'AWS::Events::EventBusPolicy',
        properties: {
          EventBusName: 'default',
          StatementId: `standby-forwarder-${account}`,
          Statement: new PolicyStatement({
            principals: [new AccountPrincipal(account)],
            actions: ['events:PutEvents'],
            resources: [bus],
          }).toStatementJson(),
        },
      });
  }

  /** The wildcards that remain are ones AWS gives no narrower form of; each is named with its reason. */
  private acknowledgeFunctionFindings(fn: StandbyFunction): void {
    const v = Validations.of(fn);
    v.acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node 22 is the runtime the bundle targets and is tested on; moving to Node 24 is a deliberate upgrade.',
    });
    acknowledgeUnscopedReads(fn, true);
    v.acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'Granted by Topic.grantPublish on the one key of the Standby topics: SNS needs a data key per message (GenerateDataKey, GenerateDataKeyWithoutPlaintext).',
    });
  }
}
