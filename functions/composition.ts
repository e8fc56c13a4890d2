/**
 * The AWS composition root of the controller (the events and advance functions): SDK clients and
 * adapters built once per Lambda cold start (the first invocation awaits {@link awsRuntime}; later
 * ones reuse it), so connections and the plans survive between invocations of a warm container.
 * It starts from the {@link foundation} every function shares (environment, plans, per-account
 * credentials, inventory, alerts; `foundation.ts` lists the environment variables) and adds the
 * state table, restores (per account), traffic switches (per account), the approval key and the
 * evidence outbox's EventBridge publisher, the clean-up of what drills restored (through the
 * clean-up functions, `CLEANUP_FUNCTIONS`), and the notifier of approval requests and refusals: SNS
 * e-mails and Teams cards that link to the approval endpoint (`APPROVAL_BASE_URL`; Teams webhooks that
 * plans name `secretsmanager:NAME` are read on first use, never logged). The audit has its own,
 * smaller root (`audit-composition.ts`).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { Route53RecoveryClusterClient } from '@aws-sdk/client-route53-recovery-cluster';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from 'pino';
import { ChannelNotifier } from '#platform/channel-notifier.ts';
import { HttpProber } from '#platform/http-prober.ts';
import { builtOnce } from '#platform/lazy.ts';
import { WebhookTeamsNotifier } from '#platform/teams/teams-notifier.ts';
import { CompositeRestoreService, CompositeTrafficSwitch } from '#shared/application/composite-actions.ts';
import { type Controller, createController } from '#shared/application/controller.ts';
import { type Keyring, keyring } from '#shared/domain/approval-token.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { BackupInventory } from '#shared/ports/backup-inventory.ts';
import { type Clock, systemClock } from '#shared/ports/clock.ts';
import { AwsBackupRestoreService } from './adapters/aws-backup-restore.ts';
import { ByAccountRestoreService, ByAccountTrafficSwitch, perAccount } from './adapters/by-account.ts';
import { DynamoDbStateStore } from './adapters/dynamodb-state-store.ts';
import { EventBridgePublisher } from './adapters/eventbridge-publisher.ts';
import type { FreshnessAlertPublisher } from './adapters/freshness-alert-publisher.ts';
import { LambdaRestoredResourceCleaner } from './adapters/lambda-restored-resource-cleaner.ts';
import { Route53TrafficSwitch } from './adapters/route53-traffic-switch.ts';
import { secretsManagerWebhooks } from './adapters/secrets-manager-webhooks.ts';
import { SnsNotifier } from './adapters/sns-notifier.ts';
import {
  type AwsEnvironment,
  alertsOf,
  foundation,
  logger,
  perRegion,
  readAwsEnvironment,
} from './foundation.ts';

export {
  FRESHNESS_ALERT_DETAIL_TYPE,
  FreshnessAlertPublisher,
  type FreshnessAlertPublisherOptions,
} from './adapters/freshness-alert-publisher.ts';
export { type AwsEnvironment, LOG_REDACTION, logger, readAwsEnvironment } from './foundation.ts';

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
    store: new DynamoDbStateStore({
      client: DynamoDBDocumentClient.from(new DynamoDBClient({ region })),
      tableName: env.stateTable,
    }),
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
    notifier: new ChannelNotifier({
      sns: new SnsNotifier({
        client: new SNSClient({ region }),
        ...(env.approvalBaseUrl ? { approvalBaseUrl: env.approvalBaseUrl } : {}),
      }),
      teams: new WebhookTeamsNotifier({
        resolveWebhook: secretsManagerWebhooks(secrets),
        ...(env.approvalBaseUrl ? { approvalBaseUrl: env.approvalBaseUrl } : {}),
      }),
    }),
    events: new EventBridgePublisher({ client: base.eventBridge, eventBusName: env.eventBusName }),
    // Drill tear-downs: the clean-up functions carry the deletes' SDK clients (cleanup/groups.ts).
    ...(env.cleanupFunctions
      ? {
          cleaner: new LambdaRestoredResourceCleaner({
            client: new LambdaClient({ region }),
            functions: env.cleanupFunctions,
          }),
        }
      : {}),
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

/**
 * The runtime of this container, built on first use. A failed build (a throttled secret read, say) is
 * not cached, so the next invocation tries again instead of failing until the container is recycled.
 */
export const awsRuntime = builtOnce(() => createAwsRuntime(readAwsEnvironment()));
