/**
 * Which plans (applications) and resources a normalised event concerns. Alarms and alerts match
 * plan triggers; job, recovery point and vault events match protected resources. A non-match is a
 * value with a reason (SPEC §5: an event that matches no plan is ignored, not an error).
 */
import type { NormalizedEvent } from './events.ts';
import { normalizeAzureId, parseAzureId } from './identifiers.ts';
import type { BackupSource, ProtectedResource, RecoveryPlan } from './plan.ts';

/** The rule that tied an event to a plan, strongest first. */
export const MatchRule = {
  AlarmArn: 'alarm-arn',
  AlertRuleId: 'alert-rule-id',
  /** The alert names only its rule; matched on the rule id's last segment and subscription. */
  AlertRuleName: 'alert-rule-name',
  ResourceArn: 'resource-arn',
  BackupInstanceId: 'backup-instance-id',
  ProtectedItemId: 'protected-item-id',
  VaultArn: 'vault-arn',
} as const;
/** One of {@link MatchRule}. */
export type MatchRule = (typeof MatchRule)[keyof typeof MatchRule];

/** One application an event concerns. */
export interface PlanMatch {
  readonly app: string;
  /** Protected resources concerned (empty for alarms, which concern the whole application). */
  readonly resources: readonly string[];
  /** The plan trigger that matched (alarms/alerts only), as written in the plan. */
  readonly trigger?: string;
  readonly by: MatchRule;
}

/** The outcome of matching: the concerned applications, or why there are none. */
export type EventMatch =
  | { readonly matched: true; readonly matches: readonly PlanMatch[] }
  | { readonly matched: false; readonly reason: string };

/**
 * Matches an event to plans:
 * 1. `alarm` / `alarm-cleared`: AWS by exact alarm ARN; Azure by full alert rule id
 *    (case-insensitive), else, when the payload names only the rule, by rule name within the
 *    subscription of the alert's targets;
 * 2. job and recovery point events: by the resource's ARN / backup instance / protected item id,
 *    else by the plan vault (copies land in it, restores read from it);
 * 3. vault changes: every resource whose plan vault is that vault;
 * 4. schedules, approvals and `other` concern no plan by themselves.
 */
export function matchEvent(event: NormalizedEvent, plans: readonly RecoveryPlan[]): EventMatch {
  switch (event.kind) {
    case 'alarm':
    case 'alarm-cleared':
      return event.alarm.cloud === 'aws'
        ? matchAwsAlarm(event.alarm.alarmArn, plans)
        : matchAzureAlert(event.alarm, plans);
    case 'backup-job': {
      const j = event.job;
      return matchResources(plans, `backup job ${j.jobId ?? '(no id)'}`, [
        { by: MatchRule.ResourceArn, value: j.resourceArn },
        { by: MatchRule.BackupInstanceId, value: j.backupInstanceId },
        { by: MatchRule.ProtectedItemId, value: j.protectedItemId },
        { by: MatchRule.VaultArn, value: j.vaultArn },
      ]);
    }
    case 'copy-job':
      return matchResources(plans, `copy job ${event.copy.copyJobId}`, [
        { by: MatchRule.ResourceArn, value: event.copy.resourceArn },
        { by: MatchRule.VaultArn, value: event.copy.destinationVaultArn },
      ]);
    case 'restore-job':
      return matchResources(plans, `restore job ${event.restore.restoreJobId}`, [
        { by: MatchRule.ResourceArn, value: event.restore.sourceResourceArn },
        { by: MatchRule.VaultArn, value: event.restore.vaultArn },
      ]);
    case 'recovery-point':
      return matchResources(plans, `recovery point ${event.point.recoveryPointArn ?? '(no ARN)'}`, [
        { by: MatchRule.ResourceArn, value: event.point.resourceArn },
        { by: MatchRule.VaultArn, value: event.point.vaultArn },
      ]);
    case 'vault-change':
      return matchResources(plans, `vault ${event.vault.vaultArn ?? event.vault.vaultName ?? '(unnamed)'}`, [
        { by: MatchRule.VaultArn, value: event.vault.vaultArn },
      ]);
    case 'schedule':
      return {
        matched: false,
        reason: 'a schedule concerns every plan (run an audit); it matches none alone',
      };
    case 'approval':
      return { matched: false, reason: 'an approval is matched by its token, not by plan' };
    case 'other':
      return { matched: false, reason: event.reason };
  }
}

function matchAwsAlarm(alarmArn: string, plans: readonly RecoveryPlan[]): EventMatch {
  const matches: PlanMatch[] = [];
  // ARNs are compared exactly: alarm names are case-sensitive in CloudWatch.
  for (const plan of plans)
    for (const t of plan.triggers)
      if ('awsAlarm' in t && t.awsAlarm === alarmArn)
        matches.push({ app: plan.name, resources: [], trigger: t.awsAlarm, by: MatchRule.AlarmArn });
  return matches.length > 0
    ? { matched: true, matches }
    : { matched: false, reason: `no plan has trigger awsAlarm ${alarmArn}` };
}

function matchAzureAlert(
  alert: { alertRuleName: string; alertRuleId?: string; targetIds: readonly string[] },
  plans: readonly RecoveryPlan[],
): EventMatch {
  const triggers = plans.flatMap((plan) =>
    plan.triggers.flatMap((t) => ('azureAlertRule' in t ? [{ app: plan.name, rule: t.azureAlertRule }] : [])),
  );
  if (alert.alertRuleId) {
    const id = normalizeAzureId(alert.alertRuleId);
    const matches = triggers
      .filter((t) => normalizeAzureId(t.rule) === id)
      .map((t) => ({ app: t.app, resources: [], trigger: t.rule, by: MatchRule.AlertRuleId }));
    return matches.length > 0
      ? { matched: true, matches }
      : { matched: false, reason: `no plan has trigger azureAlertRule ${alert.alertRuleId}` };
  }
  // Only the rule's name is known: compare it with the last segment of each trigger id, and when
  // the alert names its targets, require the trigger's subscription among theirs (rule names are
  // unique per resource group, not globally).
  const name = alert.alertRuleName.toLowerCase();
  const subscriptions = new Set(
    alert.targetIds.flatMap((t) => {
      const sub = parseAzureId(t)?.subscriptionId ?? /^\/subscriptions\/([^/]+)/i.exec(t)?.[1];
      return sub ? [sub.toLowerCase()] : [];
    }),
  );
  const matches = triggers
    .filter((t) => {
      const parsed = parseAzureId(t.rule);
      // Stryker disable next-line OptionalChaining,UnaryOperator,StringLiteral: a parsed alert rule id has one segment, whose name is also the last path segment the fallback reads; split() never returns an empty list.
      const ruleName = parsed?.segments.at(-1)?.[1] ?? t.rule.split('/').at(-1) ?? '';
      if (ruleName.toLowerCase() !== name) return false;
      return subscriptions.size === 0 || !parsed || subscriptions.has(parsed.subscriptionId.toLowerCase());
    })
    .map((t) => ({ app: t.app, resources: [], trigger: t.rule, by: MatchRule.AlertRuleName }));
  return matches.length > 0
    ? { matched: true, matches }
    : {
        matched: false,
        reason: `no plan has an azureAlertRule named ${alert.alertRuleName}${subscriptions.size > 0 ? ` in subscription ${[...subscriptions].join(', ')}` : ''} (the alert carries no rule id)`,
      };
}

interface Key {
  readonly by: MatchRule;
  readonly value: string | undefined;
}

/**
 * Tries each key in order; the first key that matches any resource decides (a job that names its
 * resource is not also matched by vault, which would pull in every resource sharing the vault).
 */
function matchResources(plans: readonly RecoveryPlan[], what: string, keys: readonly Key[]): EventMatch {
  const tried: string[] = [];
  for (const key of keys) {
    if (!key.value) continue;
    tried.push(`${key.by} ${key.value}`);
    const byApp = new Map<string, string[]>();
    for (const plan of plans)
      for (const r of plan.resources) {
        // Stryker disable next-line ConditionalExpression: key.value is a non-empty string, never equal to an undefined key.
        if (resourceKey(r, key.by) !== undefined && resourceKey(r, key.by) === normalise(key.by, key.value))
          byApp.set(plan.name, [...(byApp.get(plan.name) ?? []), r.name]);
      }
    if (byApp.size > 0)
      return {
        matched: true,
        matches: [...byApp].map(([app, resources]) => ({ app, resources, by: key.by })),
      };
  }
  if (tried.length === 0)
    return { matched: false, reason: `${what} names no resource, vault or item to match` };
  return { matched: false, reason: `${what}: no protected resource has ${tried.join(' or ')}` };
}

/** The key each rule reads from a resource's backup source; rules about triggers read none. */
const RESOURCE_KEYS: { readonly [R in MatchRule]: (s: BackupSource) => string | undefined } = {
  [MatchRule.AlarmArn]: () => undefined,
  [MatchRule.AlertRuleId]: () => undefined,
  [MatchRule.AlertRuleName]: () => undefined,
  // Stryker disable next-line ConditionalExpression: an Azure source has no resourceArn (undefined either way).
  [MatchRule.ResourceArn]: (s) => (s.kind === 'aws-backup' ? s.resourceArn : undefined),
  // Stryker disable next-line ConditionalExpression: an Azure source has no vaultArn (undefined either way).
  [MatchRule.VaultArn]: (s) => (s.kind === 'aws-backup' ? s.vaultArn : undefined),
  [MatchRule.BackupInstanceId]: (s) =>
    s.kind === 'azure-backup' ? normalizeAzureId(s.backupInstanceId) : undefined,
  [MatchRule.ProtectedItemId]: (s) =>
    s.kind === 'azure-recovery-services' ? normalizeAzureId(s.protectedItemId) : undefined,
};

function resourceKey(r: ProtectedResource, by: MatchRule): string | undefined {
  return RESOURCE_KEYS[by](r.source);
}

function normalise(by: MatchRule, value: string): string {
  return by === MatchRule.BackupInstanceId || by === MatchRule.ProtectedItemId
    ? normalizeAzureId(value)
    : value;
}
