/**
 * The AWS composition root: the one place that reads `process.env`, builds SDK clients and adapters,
 * and wires them into the use cases. Everything here is built once per Lambda cold start (the first
 * invocation awaits {@link awsRuntime}; later ones reuse it), so connections and the plans survive
 * between invocations of a warm container.
 *
 * Environment (set by `cdk/stacks/standby-stack.ts`):
 * - `STANDBY_PLANS_PATH`   plan file or directory bundled with the function (read and checked once);
 * - `STATE_TABLE`          the DynamoDB state table (a global table; this region's replica is used);
 * - `AWS_REGION`           set by Lambda: the region this controller runs in and activates;
 * - `APPROVAL_KEY_SECRET_ARN` Secrets Manager secret holding the approval-token HMAC key (never logged);
 * - `ALERT_TOPIC_ARN`      SNS topic for freshness alerts (audit function only);
 * - `EVENT_BUS_NAME`       bus for `Standby Freshness Alert` events; default `default`;
 * - `APPROVAL_BASE_URL`    the approval endpoint (`https://…`): approval requests and refusals carry links
 *                          to it; without it they name the CLI commands. Teams webhooks that plans name
 *                          `secretsmanager:NAME` are read from Secrets Manager on first use (never logged).
 */
import { randomUUID } from 'node:crypto';
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Logger, pino } from 'pino';
import { ChannelNotifier } from '#platform/channel-notifier.ts';
import { HttpProber } from '#platform/http-prober.ts';
import { builtOnce } from '#platform/lazy.ts';
import { loadPlanSet } from '#platform/plan-files.ts';
import { WebhookTeamsNotifier } from '#platform/teams/teams-notifier.ts';
import { CompositeRestoreService, CompositeTrafficSwitch } from '#shared/application/composite-actions.ts';
import { CompositeInventory } from '#shared/application/composite-inventory.ts';
import { type Controller, createController } from '#shared/application/controller.ts';
import type { AuditReport } from '#shared/application/run-audit.ts';
import { type Keyring, keyring } from '#shared/domain/approval-token.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { BackupInventory } from '#shared/ports/backup-inventory.ts';
import { type Clock, systemClock } from '#shared/ports/clock.ts';
import type { Notifier } from '#shared/ports/notifier.ts';
import { AwsBackupInventory } from './adapters/aws-backup-inventory.ts';
import { AwsBackupRestoreService } from './adapters/aws-backup-restore.ts';
import { DynamoDbStateStore } from './adapters/dynamodb-state-store.ts';
import { Route53TrafficSwitch } from './adapters/route53-traffic-switch.ts';
import { secretsManagerWebhooks } from './adapters/secrets-manager-webhooks.ts';
import { SnsNotifier } from './adapters/sns-notifier.ts';

/** The pino redaction of every Standby log: approval tokens, at the top level or one object down. */
export const LOG_REDACTION = {
  paths: ['token', 'approveToken', 'rejectToken', '*.token', '*.approveToken', '*.rejectToken'],
  censor: '[redacted]',
};

/** Structured JSON logs. Tokens are redacted wherever {@link LOG_REDACTION} finds them. */
export const logger: Logger = pino({ base: { service: 'standby' }, redact: LOG_REDACTION });

/** The settings the composition root reads from the environment. */
export interface AwsEnvironment {
  readonly plansPath: string;
  readonly stateTable: string;
  readonly region: string;
  readonly approvalKeySecretArn: string;
  readonly alertTopicArn?: string;
  readonly eventBusName: string;
  /** The approval endpoint's base URL, when deployed. */
  readonly approvalBaseUrl?: string;
  /** SNS topics subscribed to the events function (`TRUSTED_SNS_TOPICS`, comma-separated); others are refused. */
  readonly trustedTopics: readonly string[];
}

/** Reads the settings; throws {@link InvalidInputError} naming every missing variable. */
export function readAwsEnvironment(env: NodeJS.ProcessEnv = process.env): AwsEnvironment {
  const required = ['STANDBY_PLANS_PATH', 'STATE_TABLE', 'AWS_REGION', 'APPROVAL_KEY_SECRET_ARN'] as const;
  const missing = required.filter((name) => !env[name]);
  if (missing.length > 0)
    throw new InvalidInputError(
      `the Standby function is missing environment variable(s) ${missing.join(', ')}; the CDK stack sets them`,
    );
  return {
    plansPath: env['STANDBY_PLANS_PATH']!,
    stateTable: env['STATE_TABLE']!,
    region: env['AWS_REGION']!,
    approvalKeySecretArn: env['APPROVAL_KEY_SECRET_ARN']!,
    ...(env['ALERT_TOPIC_ARN'] ? { alertTopicArn: env['ALERT_TOPIC_ARN'] } : {}),
    eventBusName: env['EVENT_BUS_NAME'] || 'default',
    ...(env['APPROVAL_BASE_URL'] ? { approvalBaseUrl: env['APPROVAL_BASE_URL'] } : {}),
    trustedTopics: (env['TRUSTED_SNS_TOPICS'] ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  };
}

/**
 * Fetches the approval keys: the secret's `AWSCURRENT` version signs and verifies, its `AWSPREVIOUS`
 * version (present after a rotation) still verifies the tokens already sent. Each must be ≥ 32 bytes.
 */
export async function fetchApprovalKeys(client: SecretsManagerClient, secretArn: string): Promise<Keyring> {
  const current = await fetchApprovalKey(client, secretArn, 'AWSCURRENT');
  const previous = await fetchApprovalKey(client, secretArn, 'AWSPREVIOUS').catch((error: unknown) => {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined; // never rotated
    throw error;
  });
  return keyring(current, previous && !previous.equals(current) ? previous : undefined);
}

/** Fetches one version of the approval-token HMAC key; it must be at least 32 bytes (the token format's minimum). */
export async function fetchApprovalKey(
  client: SecretsManagerClient,
  secretArn: string,
  versionStage = 'AWSCURRENT',
): Promise<Buffer> {
  const out = await client.send(
    new GetSecretValueCommand({ SecretId: secretArn, VersionStage: versionStage }),
  );
  const key = out.SecretString
    ? Buffer.from(out.SecretString, 'utf8')
    : out.SecretBinary
      ? Buffer.from(out.SecretBinary)
      : undefined;
  if (!key || key.length < 32)
    throw new InvalidInputError(
      `approval key secret ${secretArn} holds ${key?.length ?? 0} bytes; at least 32 are required`,
    );
  return key;
}

/** One client per region, made on first use. */
function perRegion<T>(make: (region: string) => T): (region: string) => T {
  const clients = new Map<string, T>();
  return (region) => {
    let client = clients.get(region);
    if (client === undefined) {
      client = make(region);
      clients.set(region, client);
    }
    return client;
  };
}

/** `detail-type` of the event the audit emits when a resource needs attention. */
export const FRESHNESS_ALERT_DETAIL_TYPE = 'Standby Freshness Alert';

/** Entries one PutEvents request may carry (the API's limit). */
const PUT_EVENTS_MAX_ENTRIES = 10;

/** What {@link FreshnessAlertPublisher} is built from. */
export interface FreshnessAlertPublisherOptions {
  readonly notifier: Notifier;
  readonly events: EventBridgeClient;
  readonly topicArn?: string;
  readonly eventBusName: string;
}

/** Tells people (SNS) and machines (EventBridge) about the resources an audit found wanting. */
export class FreshnessAlertPublisher {
  constructor(private readonly options: FreshnessAlertPublisherOptions) {}

  /**
   * Publishes one SNS message and one EventBridge event per application with alerts. A failed
   * EventBridge entry throws (the scheduled run is retried); an SNS failure is reported in the result.
   */
  async publish(report: AuditReport): Promise<{ apps: number; snsDelivered: boolean }> {
    const apps = report.apps
      .map((a) => ({ name: a.name, alerts: a.freshness.filter((f) => f.alert) }))
      .filter((a) => a.alerts.length > 0);
    if (apps.length === 0) return { apps: 0, snsDelivered: true };
    const entries = apps.map((a) => ({
      Source: 'standby',
      DetailType: FRESHNESS_ALERT_DETAIL_TYPE,
      EventBusName: this.options.eventBusName,
      Time: new Date(report.generatedAt),
      Detail: JSON.stringify({ app: a.name, generatedAt: report.generatedAt, freshness: a.alerts }),
    }));
    let failed = 0;
    let errorCode: string | undefined;
    // PutEvents takes at most 10 entries; one call for eleven apps would fail the whole audit, every run.
    for (let i = 0; i < entries.length; i += PUT_EVENTS_MAX_ENTRIES) {
      const out = await this.options.events.send(
        new PutEventsCommand({ Entries: entries.slice(i, i + PUT_EVENTS_MAX_ENTRIES) }),
      );
      failed += out.FailedEntryCount ?? 0;
      errorCode ??= out.Entries?.find((e) => e.ErrorCode)?.ErrorCode;
    }
    if (failed > 0)
      throw new Error(
        `events:PutEvents rejected ${failed} of ${apps.length} freshness alert(s): ${errorCode ?? 'unknown'}`,
      );
    let snsDelivered = true;
    if (this.options.topicArn)
      for (const a of apps) {
        const sent = await this.options.notifier.send({
          app: a.name,
          channel: 'sns',
          target: this.options.topicArn,
          kind: 'freshness-alert',
          at: report.generatedAt,
          text: [
            `Backups of ${a.name} need attention (audit at ${report.generatedAt}):`,
            ...a.alerts.map((f) => `- ${f.resource}: ${f.status}: ${f.reason}`),
          ].join('\n'),
        });
        snsDelivered &&= sent.delivered;
      }
    return { apps: apps.length, snsDelivered };
  }
}

/** Everything the Lambda handlers use, built once per cold start. */
export interface AwsRuntime {
  /** Every plan in the bundled plan set. */
  readonly plans: readonly RecoveryPlan[];
  /** The plans this controller owns: those whose recovery site is AWS in this region. */
  readonly ownPlans: readonly RecoveryPlan[];
  /** The region this controller runs in. */
  readonly region: string;
  /** SNS topics whose deliveries the events function trusts. */
  readonly trustedTopics: readonly string[];
  readonly controller: Controller;
  readonly inventory: BackupInventory;
  readonly clock: Clock;
  readonly alerts: FreshnessAlertPublisher;
  readonly logger: Logger;
}

/** Builds the runtime from the environment and real SDK clients. */
export async function createAwsRuntime(env: AwsEnvironment): Promise<AwsRuntime> {
  const plans = await loadPlanSet([env.plansPath], 'STANDBY_PLANS_PATH');
  const region = env.region;
  // Fetched on first use: functions that never sign or verify a token (the audit) never read the secret.
  const secrets = new SecretsManagerClient({ region });
  const approvalKey = () => fetchApprovalKeys(secrets, env.approvalKeySecretArn);
  // The Backup and Route 53 adapters pace and retry with their own policy (functions/adapters/aws-retry.ts),
  // so their clients make one attempt each: SDK retries would multiply the attempts, and would repeat a
  // Route 53 change batch after a 5xx, which the traffic switch deliberately does not.
  const backupClientFor = perRegion((r) => new BackupClient({ region: r, maxAttempts: 1 }));
  const inventory = new CompositeInventory({
    'aws-backup': new AwsBackupInventory({ clientFor: backupClientFor }),
  });
  const approvalBaseUrl = env.approvalBaseUrl;
  const notifier = new ChannelNotifier({
    sns: new SnsNotifier({
      client: new SNSClient({ region }),
      ...(approvalBaseUrl ? { approvalBaseUrl } : {}),
    }),
    teams: new WebhookTeamsNotifier({
      resolveWebhook: secretsManagerWebhooks(secrets),
      ...(approvalBaseUrl ? { approvalBaseUrl } : {}),
    }),
  });
  const controller = createController({
    store: new DynamoDbStateStore({
      client: DynamoDBDocumentClient.from(new DynamoDBClient({ region })),
      tableName: env.stateTable,
    }),
    inventory,
    restores: new CompositeRestoreService({
      'aws-backup': new AwsBackupRestoreService({
        clientFor: backupClientFor,
        rdsClientFor: perRegion((r) => new RDSClient({ region: r, maxAttempts: 1 })),
      }),
    }),
    prober: new HttpProber(),
    // Route 53's control plane is global; its API lives in us-east-1.
    traffic: new CompositeTrafficSwitch({
      route53: new Route53TrafficSwitch({
        route53: new Route53Client({ region: 'us-east-1', maxAttempts: 1 }),
      }),
    }),
    notifier,
    clock: systemClock,
    approvalKey,
    newId: randomUUID,
    // One lease owner per container: a container runs one invocation at a time.
    owner: `lambda:${process.env['AWS_LAMBDA_LOG_STREAM_NAME'] ?? randomUUID()}`,
  });
  return {
    plans,
    ownPlans: plans.filter((p) => p.recovery.cloud === 'aws' && p.recovery.region === region),
    region,
    trustedTopics: env.trustedTopics,
    controller,
    inventory,
    clock: systemClock,
    alerts: new FreshnessAlertPublisher({
      notifier,
      events: new EventBridgeClient({ region }),
      ...(env.alertTopicArn ? { topicArn: env.alertTopicArn } : {}),
      eventBusName: env.eventBusName,
    }),
    logger,
  };
}

/**
 * The runtime of this container, built on first use. A failed build (a throttled secret read, say) is
 * not cached, so the next invocation tries again instead of failing until the container is recycled.
 */
export const awsRuntime = builtOnce(() => createAwsRuntime(readAwsEnvironment()));
