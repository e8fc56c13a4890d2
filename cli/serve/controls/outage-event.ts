/**
 * "Simulate outage": the event an application's first trigger delivers when it fires, in the cloud's
 * own shape — an EventBridge "CloudWatch Alarm State Change" to ALARM for an `awsAlarm`, an Azure
 * Monitor common-schema alert "Fired" for an `azureAlertRule` — so it goes through the same decoders
 * and use case as a delivered event (`POST /events`).
 */
import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { RecoveryPlan, Trigger } from '#shared/domain/plan.ts';

/** The raw event of `plan`'s first trigger firing at `at`; a plan without triggers is an input error. */
export function outageEvent(plan: RecoveryPlan, at: Date): unknown {
  const trigger: Trigger | undefined = plan.triggers[0];
  if (!trigger)
    throw new InvalidInputError(
      `${plan.name} has no trigger (failover mode ${plan.failover.mode}): start its failover with standby failover --app ${plan.name}`,
    );
  const time = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return 'awsAlarm' in trigger ? awsAlarm(trigger.awsAlarm, time) : azureAlert(trigger.azureAlertRule, time);
}

/** `arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME` firing, as EventBridge delivers it. */
function awsAlarm(arn: string, time: string): unknown {
  const [, , , region = '', account = '', , ...name] = arn.split(':');
  const alarmName = name.join(':');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account,
    time,
    region,
    resources: [arn],
    detail: {
      alarmName,
      state: { value: 'ALARM', reason: 'Simulated outage (standby serve dashboard)', timestamp: time },
      previousState: { value: 'OK', timestamp: time },
      configuration: { description: 'simulated from the local dashboard' },
    },
  };
}

/** The alert rule `ruleId` firing, in the Azure Monitor common alert schema. */
function azureAlert(ruleId: string, time: string): unknown {
  const subscription = ruleId.split('/')[2] ?? '';
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId: `/subscriptions/${subscription}/providers/Microsoft.AlertsManagement/alerts/${randomUUID()}`,
        alertRule: ruleId.split('/').at(-1),
        severity: 'Sev1',
        signalType: 'Metric',
        monitorCondition: 'Fired',
        monitoringService: 'Platform',
        alertTargetIDs: [ruleId.toLowerCase()],
        firedDateTime: time,
        description: 'Simulated outage (standby serve dashboard)',
        essentialsVersion: '1.0',
        alertContextVersion: '1.0',
        alertRuleID: ruleId,
      },
      alertContext: {},
    },
  };
}
