/**
 * Action groups and the alert rules on the controller itself. Pure.
 *
 * - `triggers` action group: the webhook the plans' Azure Monitor alert rules call — the events
 *   function, common alert schema on; with an Entra app given, a *secure webhook* (Entra token).
 * - `operators` action group: e-mail to the people who run Standby.
 * - Log alerts on the controller's Application Insights requests: any failed invocation, and no
 *   successful audit for three audit intervals (a stopped timer, a broken deployment, lost access).
 */
import type { ArmResource } from './arm.ts';
import { expr, lit } from './arm.ts';

export const ACTION_GROUPS_API = '2023-01-01';
export const QUERY_RULES_API = '2023-12-01';

/** The window sizes a log alert accepts, in minutes. */
const WINDOWS = [5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 1440] as const;

/** The smallest accepted window of at least `minutes`, as an ISO 8601 duration. */
export function windowOf(minutes: number): string {
  const m = WINDOWS.find((w) => w >= minutes) ?? 1440;
  return m % 60 === 0 ? `PT${m / 60}H` : `PT${m}M`;
}

/** Names, as expressions, of what the alerts refer to. */
export interface AlertNames {
  /** Expression of the site name (its `cloud_RoleName` in Application Insights). */
  readonly appName: string;
  /** Expression of the Application Insights component's resource id. */
  readonly insightsId: string;
}

/** The two action groups; `eventsUrl` is the expression of `https://<host>/api/events`. */
export function actionGroups(eventsUrl: string): ArmResource[] {
  const aad = "not(empty(parameters('alertEndpointEntraAppObjectId')))";
  return [
    {
      type: 'Microsoft.Insights/actionGroups',
      apiVersion: ACTION_GROUPS_API,
      name: expr("concat(parameters('appName'), '-triggers')"),
      // Created once the events function exists and its key is known (second deployment, see docs/deploy-azure.md).
      condition: expr("not(empty(parameters('eventsFunctionKey')))"),
      location: 'Global',
      properties: {
        groupShortName: 'standby',
        enabled: true,
        webhookReceivers: [
          {
            name: 'standby-events',
            serviceUri: expr(`concat(${eventsUrl}, '?code=', parameters('eventsFunctionKey'))`),
            useCommonAlertSchema: true,
            useAadAuth: expr(aad),
            objectId: expr(`if(${aad}, parameters('alertEndpointEntraAppObjectId'), null())`),
            identifierUri: expr(`if(${aad}, parameters('alertEndpointEntraAppIdentifierUri'), null())`),
            tenantId: expr(`if(${aad}, subscription().tenantId, null())`),
          },
        ],
      },
    },
    {
      type: 'Microsoft.Insights/actionGroups',
      apiVersion: ACTION_GROUPS_API,
      name: expr("concat(parameters('appName'), '-operators')"),
      location: 'Global',
      properties: {
        groupShortName: 'standby-ops',
        enabled: true,
        emailReceivers: [
          {
            name: 'operators',
            emailAddress: expr("parameters('operatorEmail')"),
            useCommonAlertSchema: true,
          },
        ],
      },
    },
  ];
}

/** A log alert on the controller's requests that fires when `count()` of `query` compares so. */
function logAlert(
  names: AlertNames,
  key: string,
  description: string,
  query: string,
  operator: 'GreaterThan' | 'LessThan',
  threshold: number,
  windowSize: string,
  severity: number,
): ArmResource {
  return {
    type: 'Microsoft.Insights/scheduledQueryRules',
    apiVersion: QUERY_RULES_API,
    // A literal name: the schema's name pattern also matches an expression, which oneOf then refuses.
    name: `standby-${key}`,
    location: expr("variables('recoveryRegion')"),
    dependsOn: [
      expr(names.insightsId),
      expr("resourceId('Microsoft.Insights/actionGroups', concat(parameters('appName'), '-operators'))"),
    ],
    properties: {
      displayName: expr(`concat('Standby ', parameters('appName'), ': ${key.replaceAll('-', ' ')}')`),
      description,
      severity,
      enabled: true,
      evaluationFrequency: 'PT5M',
      windowSize,
      scopes: [expr(names.insightsId)],
      criteria: {
        allOf: [
          {
            query: expr(`format(${lit(query)}, ${names.appName})`),
            timeAggregation: 'Count',
            operator,
            threshold,
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
          },
        ],
      },
      autoMitigate: true,
      actions: {
        actionGroups: [
          expr("resourceId('Microsoft.Insights/actionGroups', concat(parameters('appName'), '-operators'))"),
        ],
      },
    },
  };
}

/** The alert rules on the controller: failed invocations, and audits missed for three intervals. */
export function controllerAlerts(names: AlertNames, auditIntervalMinutes: number): ArmResource[] {
  return [
    logAlert(
      names,
      'function-failures',
      'A Standby function invocation failed (an audit, advance or alert delivery that threw): see its exception in Application Insights.',
      "requests | where cloud_RoleName =~ '{0}' and success == false",
      'GreaterThan',
      0,
      'PT15M',
      1,
    ),
    logAlert(
      names,
      'missed-audit',
      `No successful freshness audit in three audit intervals (${auditIntervalMinutes} min each): the timer stopped, the deployment is broken, or access was lost.`,
      "requests | where cloud_RoleName =~ '{0}' and operation_Name =~ 'audit' and success == true",
      'LessThan',
      1,
      windowOf(3 * auditIntervalMinutes),
      1,
    ),
  ];
}
