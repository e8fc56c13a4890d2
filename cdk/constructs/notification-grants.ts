/**
 * What a function that notifies people may reach: the plans' approval topics (SNS) and the Secrets
 * Manager secrets holding their Teams webhooks (`secretsmanager:NAME` in a plan). Nothing else.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { StandbyFunction } from './standby-function.ts';

/** The notify targets of the plans, as the grants need them. */
export interface NotificationTargets {
  readonly topicArns: readonly string[];
  /** Secret names (`secretsmanager:NAME` without the prefix). */
  readonly teamsWebhookSecrets: readonly string[];
  /** Teams webhook references the AWS controller cannot read (`env:NAME`, Key Vault): never delivered. */
  readonly unreadableWebhooks: readonly string[];
}

const SECRETS_MANAGER = 'secretsmanager:';

/** The SNS topics and Teams webhook secrets the plans notify. */
export function notificationTargets(plans: readonly RecoveryPlan[]): NotificationTargets {
  const notify = plans.flatMap((p) => p.failover.approval?.notify ?? []);
  const webhooks = notify.flatMap((n) => ('teams' in n ? [n.teams.webhookUrl] : []));
  return {
    topicArns: [...new Set(notify.flatMap((n) => ('sns' in n ? [n.sns] : [])))],
    teamsWebhookSecrets: [
      ...new Set(
        webhooks.filter((w) => w.startsWith(SECRETS_MANAGER)).map((w) => w.slice(SECRETS_MANAGER.length)),
      ),
    ],
    unreadableWebhooks: [...new Set(webhooks.filter((w) => !w.startsWith(SECRETS_MANAGER)))],
  };
}

/** Lets `fn` publish to the topics and read the webhook secrets (in its own account and region). */
export function grantNotifications(fn: StandbyFunction, targets: NotificationTargets): void {
  if (targets.topicArns.length > 0)
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sns:Publish'], resources: [...targets.topicArns] }),
    );
  if (targets.teamsWebhookSecrets.length > 0)
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        // Secrets Manager appends six random characters to a secret's name in its ARN.
        resources: targets.teamsWebhookSecrets.map((name) =>
          Stack.of(fn.role).formatArn({
            service: 'secretsmanager',
            resource: 'secret',
            resourceName: `${name}-??????`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ),
      }),
    );
}
