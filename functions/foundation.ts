/**
 * What every Standby Lambda starts from, whichever function it is: the environment, the logger, the
 * plan set, per-account credentials, the backup inventory and the freshness alerts. The controller's
 * composition root (`composition.ts`) and the audit's (`audit-composition.ts`) build on it; keeping it
 * apart keeps each bundle to the clients its function calls (cdk/bundling.ts).
 *
 * Environment (set by `cdk/stacks/standby-stack.ts`):
 * - `STANDBY_PLANS_PATH`   the plan set bundled with the function, one JSON array of plan documents
 *                          written at synth (`plans/plans.json`; read and checked once);
 * - `STATE_TABLE`          the DynamoDB state table (a global table; this region's replica is used);
 * - `AWS_REGION`           set by Lambda: the region this controller runs in and activates;
 * - `APPROVAL_KEY_SECRET_ARN` Secrets Manager secret holding the approval-token HMAC key (never logged);
 * - `ALERT_TOPIC_ARN`      SNS topic for freshness alerts (audit function only);
 * - `EVENT_BUS_NAME`       bus for `Standby Freshness Alert` events and the evidence outbox
 *                          (docs/events.md); default `default`.
 * - `CLEANUP_FUNCTIONS`    `service=function,…`: the clean-up function the events and advance
 *                          functions invoke to delete what a drill restored in each ARN service
 *                          (functions/cleanup/groups.ts); without it, a drill's tear-down fails
 *                          naming that no clean-up is configured.
 *
 * The plans' `spec.accounts` name a role per AWS account: clients of such an account (Backup, RDS,
 * Route 53, ARC) use that role's assumed credentials, one session per account, shared and refreshed.
 */

import { readFile } from 'node:fs/promises';
import { BackupClient } from '@aws-sdk/client-backup';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { type Logger, pino } from 'pino';
import { builtPerKey } from '#platform/lazy.ts';
import { CompositeInventory } from '#shared/application/composite-inventory.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { readPlanSetJson } from '#shared/domain/plan-json.ts';
import { systemClock } from '#shared/ports/clock.ts';
import { AssumedRoleCredentials } from './adapters/assumed-role-credentials.ts';
import { AwsBackupInventory } from './adapters/aws-backup-inventory.ts';
import { ByAccountInventory, perAccount } from './adapters/by-account.ts';
import { FreshnessAlertPublisher } from './adapters/freshness-alert-publisher.ts';
import { SnsNotifier } from './adapters/sns-notifier.ts';
import { parseCleanupRoutes } from './cleanup/groups.ts';

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
  /** The approval endpoint's base URL (`APPROVAL_BASE_URL`), when deployed: notifications link to its pages. */
  readonly approvalBaseUrl?: string;
  /** The clean-up function of each ARN service (`CLEANUP_FUNCTIONS`), when deployed. */
  readonly cleanupFunctions?: ReadonlyMap<string, string>;
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
    ...(env['CLEANUP_FUNCTIONS'] ? { cleanupFunctions: parseCleanupRoutes(env['CLEANUP_FUNCTIONS']) } : {}),
    trustedTopics: (env['TRUSTED_SNS_TOPICS'] ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  };
}

/** One client per region, made on first use. */
export function perRegion<T>(make: (region: string) => T): (region: string) => T {
  return builtPerKey(make);
}

/** Every plan's role per account (`spec.accounts`); conflicts and missing roles are refused at synth. */
const namedRoles = (plans: readonly RecoveryPlan[]): Map<string, string> =>
  new Map(plans.flatMap((p) => (p.accounts ?? []).map((a) => [a.account, a.roleArn] as const)));

/**
 * The plans and the per-account credentials every function starts from. An account the plans name a
 * role for gets that role's credentials (assumed on first use, refreshed before expiry); any other
 * account is the controller's own (`undefined`).
 */
export async function foundation(env: AwsEnvironment) {
  const text = await readFile(env.plansPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InvalidInputError(`STANDBY_PLANS_PATH ${env.plansPath} cannot be read (${error.code})`, {
      cause: error,
    });
  });
  const plans = readPlanSetJson(text, env.plansPath);
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
    notifier: new SnsNotifier({ client: new SNSClient({ region: env.region }) }),
    eventBridge: new EventBridgeClient({ region: env.region }),
  };
}

/** The freshness alerts of a runtime: SNS to the alert topic, events to the bus. */
export const alertsOf = (env: AwsEnvironment, base: Foundation) =>
  new FreshnessAlertPublisher({
    notifier: base.notifier,
    events: base.eventBridge,
    ...(env.alertTopicArn ? { topicArn: env.alertTopicArn } : {}),
    eventBusName: env.eventBusName,
  });

/** What {@link foundation} builds. */
export type Foundation = Awaited<ReturnType<typeof foundation>>;
