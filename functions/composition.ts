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
 * - `EVENT_BUS_NAME`       bus for `Standby Freshness Alert` events and the evidence outbox
 *                          (docs/events.md); default `default`.
 *
 * The plans' `spec.accounts` name a role per AWS account: clients of such an account (Backup, RDS,
 * Route 53, ARC) use that role's assumed credentials, one session per account, shared and refreshed.
 */
import { randomUUID } from 'node:crypto';
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { Route53RecoveryClusterClient } from '@aws-sdk/client-route53-recovery-cluster';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Logger, pino } from 'pino';
import { HttpProber } from '#platform/http-prober.ts';
import { builtOnce } from '#platform/lazy.ts';
import { loadPlanSet } from '#platform/plan-files.ts';
import { CompositeRestoreService, CompositeTrafficSwitch } from '#shared/application/composite-actions.ts';
import { CompositeInventory } from '#shared/application/composite-inventory.ts';
import { type Controller, createController } from '#shared/application/controller.ts';
import { type Keyring, keyring } from '#shared/domain/approval-token.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { BackupInventory } from '#shared/ports/backup-inventory.ts';
import { type Clock, systemClock } from '#shared/ports/clock.ts';
import { AssumedRoleCredentials } from './adapters/assumed-role-credentials.ts';
import { AwsBackupInventory } from './adapters/aws-backup-inventory.ts';
import { AwsBackupRestoreService } from './adapters/aws-backup-restore.ts';
import {
  ByAccountInventory,
  ByAccountRestoreService,
  ByAccountTrafficSwitch,
  perAccount,
} from './adapters/by-account.ts';
import { DynamoDbStateStore } from './adapters/dynamodb-state-store.ts';
import { EmfMetrics } from './adapters/emf-metrics.ts';
import { EventBridgePublisher } from './adapters/eventbridge-publisher.ts';
import { FreshnessAlertPublisher } from './adapters/freshness-alert-publisher.ts';
import { Route53TrafficSwitch } from './adapters/route53-traffic-switch.ts';
import { SnsNotifier } from './adapters/sns-notifier.ts';
import type { AuditRuntime } from './handlers/audit.ts';

export {
  FRESHNESS_ALERT_DETAIL_TYPE,
  FreshnessAlertPublisher,
  type FreshnessAlertPublisherOptions,
} from './adapters/freshness-alert-publisher.ts';

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

/** Every plan's role per account (`spec.accounts`); conflicts and missing roles are refused at synth. */
const namedRoles = (plans: readonly RecoveryPlan[]): Map<string, string> =>
  new Map(plans.flatMap((p) => (p.accounts ?? []).map((a) => [a.account, a.roleArn] as const)));

/**
 * The plans and the per-account credentials every function starts from. An account the plans name a
 * role for gets that role's credentials (assumed on first use, refreshed before expiry); any other
 * account is the controller's own (`undefined`).
 */
async function foundation(env: AwsEnvironment) {
  const plans = await loadPlanSet([env.plansPath], 'STANDBY_PLANS_PATH');
  const roles = new AssumedRoleCredentials({
    client: new STSClient({ region: env.region }),
    roles: namedRoles(plans),
    clock: systemClock,
    sessionName: `standby-${env.region}`,
  });
  const credentialsOf = (account: string | undefined) =>
    account && roles.has(account) ? { credentials: roles.providerFor(account) } : {};
  // The Backup and Route 53 adapters pace and retry with their own policy (functions/adapters/aws-retry.ts),
  // so their clients make one attempt each: SDK retries would multiply the attempts, and would repeat a
  // Route 53 change batch after a 5xx, which the traffic switch deliberately does not.
  const backupClients = perAccount((account) =>
    perRegion((r) => new BackupClient({ region: r, maxAttempts: 1, ...credentialsOf(account) })),
  );
  const inventory = new CompositeInventory({
    'aws-backup': new ByAccountInventory(
      perAccount((account) => new AwsBackupInventory({ clientFor: backupClients(account) })),
    ),
  });
  return {
    plans,
    ownPlans: plans.filter((p) => p.recovery.cloud === 'aws' && p.recovery.region === env.region),
    credentialsOf,
    backupClients,
    inventory,
    store: new DynamoDbStateStore({
      client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: env.region })),
      tableName: env.stateTable,
    }),
    notifier: new SnsNotifier({ client: new SNSClient({ region: env.region }) }),
    eventBridge: new EventBridgeClient({ region: env.region }),
  };
}

/** Everything the events and advance functions use, built once per cold start. */
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

/** Builds the controller's runtime from the environment and real SDK clients. */
export async function createAwsRuntime(env: AwsEnvironment): Promise<AwsRuntime> {
  const base = await foundation(env);
  const region = env.region;
  // Fetched on first use: functions that never sign or verify a token never read the secret.
  const secrets = new SecretsManagerClient({ region });
  const approvalKey = () => fetchApprovalKeys(secrets, env.approvalKeySecretArn);
  const controller = createController({
    store: base.store,
    inventory: base.inventory,
    restores: new CompositeRestoreService({
      'aws-backup': new ByAccountRestoreService(
        perAccount(
          (account) =>
            new AwsBackupRestoreService({
              clientFor: base.backupClients(account),
              rdsClientFor: perRegion(
                (r) => new RDSClient({ region: r, maxAttempts: 1, ...base.credentialsOf(account) }),
              ),
            }),
        ),
      ),
    }),
    prober: new HttpProber(),
    traffic: new CompositeTrafficSwitch({
      route53: new ByAccountTrafficSwitch(
        perAccount(
          (account) =>
            new Route53TrafficSwitch({
              // Route 53's control plane is global; its API lives in us-east-1.
              route53: new Route53Client({
                region: 'us-east-1',
                maxAttempts: 1,
                ...base.credentialsOf(account),
              }),
              arcClientFor: (endpoint, r) =>
                new Route53RecoveryClusterClient({
                  endpoint,
                  region: r,
                  maxAttempts: 2,
                  ...base.credentialsOf(account),
                }),
            }),
        ),
      ),
    }),
    notifier: base.notifier,
    events: new EventBridgePublisher({ client: base.eventBridge, eventBusName: env.eventBusName }),
    clock: systemClock,
    approvalKey,
    newId: randomUUID,
    // One lease owner per container: a container runs one invocation at a time.
    owner: `lambda:${process.env['AWS_LAMBDA_LOG_STREAM_NAME'] ?? randomUUID()}`,
  });
  return {
    plans: base.plans,
    ownPlans: base.ownPlans,
    region,
    trustedTopics: env.trustedTopics,
    controller,
    inventory: base.inventory,
    clock: systemClock,
    alerts: alertsOf(env, base),
    logger,
  };
}

const alertsOf = (env: AwsEnvironment, base: Awaited<ReturnType<typeof foundation>>) =>
  new FreshnessAlertPublisher({
    notifier: base.notifier,
    events: base.eventBridge,
    ...(env.alertTopicArn ? { topicArn: env.alertTopicArn } : {}),
    eventBusName: env.eventBusName,
  });

/**
 * The audit's runtime: the inventory (Backup clients), the alerts (SNS, EventBridge) and its metrics;
 * no restore, traffic or secret client, so the audit bundle carries none of them.
 */
export async function createAuditRuntime(env: AwsEnvironment): Promise<AuditRuntime> {
  const base = await foundation(env);
  return {
    ownPlans: base.ownPlans,
    inventory: base.inventory,
    clock: systemClock,
    alerts: alertsOf(env, base),
    metrics: new EmfMetrics(env.region),
    logger,
  };
}

/**
 * The runtime of this container, built on first use. A failed build (a throttled secret read, say) is
 * not cached, so the next invocation tries again instead of failing until the container is recycled.
 * Marked pure: a bundle that does not use it (the audit's) drops it and every client only it builds.
 */
export const awsRuntime = /* @__PURE__ */ builtOnce(() => createAwsRuntime(readAwsEnvironment()));

/** The audit function's runtime, built on first use (pure, like {@link awsRuntime}). */
export const auditRuntime = /* @__PURE__ */ builtOnce(() => createAuditRuntime(readAwsEnvironment()));
