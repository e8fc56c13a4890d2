/**
 * Raw payloads as the clouds deliver them (docs/events.md): a CloudWatch alarm state change through
 * EventBridge and the same fact through SNS, an AWS Backup restore job state change, an Azure Monitor
 * common alert, and Standby's own approval input. The same alarm fact gets the same state timestamp
 * in every envelope, so the engine can tell a copy from a new fact.
 */

import { ALARM_TOPIC } from './engine.ts';

const ACCOUNT = '111122223333';

/** `2026-11-21T10:01:10.123+0000`, CloudWatch's spelling of a state time. */
function cloudWatchTime(at: Date): string {
  return at.toISOString().replace('Z', '+0000');
}

/** An alarm fact: one state change of one alarm. */
export interface AlarmFact {
  readonly alarmArn: string;
  readonly state: 'ALARM' | 'OK';
  readonly at: Date;
}

/** The fact as an EventBridge `CloudWatch Alarm State Change` event. */
export function alarmViaEventBridge(fact: AlarmFact, envelopeId: string, deliveredAt: Date): unknown {
  const [, , , region, , , name] = fact.alarmArn.split(':');
  return {
    version: '0',
    id: envelopeId,
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: ACCOUNT,
    time: deliveredAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [fact.alarmArn],
    detail: {
      alarmName: name,
      state: {
        value: fact.state,
        reason: 'Threshold Crossed (simulated)',
        timestamp: cloudWatchTime(fact.at),
      },
      previousState: {
        value: fact.state === 'ALARM' ? 'OK' : 'ALARM',
        reason: 'simulated',
        timestamp: '2026-11-20T08:00:00.000+0000',
      },
      configuration: {
        metrics: [
          {
            id: 'm1',
            metricStat: {
              metric: { namespace: 'AWS/Route53', name: 'HealthCheckStatus', dimensions: {} },
              period: 60,
              stat: 'Minimum',
            },
            returnData: true,
          },
        ],
      },
    },
  };
}

/** The fact as a Lambda SNS batch of one record carrying the CloudWatch notification. */
export function alarmViaSns(fact: AlarmFact, messageId: string, deliveredAt: Date): unknown {
  const [, , , , , , name] = fact.alarmArn.split(':');
  const message = {
    AlarmName: name,
    AlarmArn: fact.alarmArn,
    AWSAccountId: ACCOUNT,
    NewStateValue: fact.state,
    NewStateReason: 'Threshold Crossed (simulated)',
    StateChangeTime: cloudWatchTime(fact.at),
    Region: 'EU (Ireland)',
    OldStateValue: fact.state === 'ALARM' ? 'OK' : 'ALARM',
    Trigger: { MetricName: 'HealthCheckStatus', Namespace: 'AWS/Route53', Period: 60, EvaluationPeriods: 1 },
  };
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `arn:aws:sns:eu-central-1:${ACCOUNT}:dr-alarms:sub`,
        Sns: {
          Type: 'Notification',
          MessageId: messageId,
          TopicArn: ALARM_TOPIC,
          Subject: `${fact.state}: "${name}"`,
          Message: JSON.stringify(message),
          Timestamp: deliveredAt.toISOString(),
          SignatureVersion: '1',
          Signature: 'SIMULATED',
          SigningCertUrl: 'SIMULATED',
          UnsubscribeUrl: 'SIMULATED',
          MessageAttributes: {},
        },
      },
    ],
  };
}

/** An Azure Monitor common-schema alert: one alert id per fact, Fired then perhaps Resolved. */
export function azureAlert(
  ruleId: string,
  alertId: string,
  condition: 'Fired' | 'Resolved',
  at: Date,
): unknown {
  const rule = ruleId.split('/').at(-1);
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId: `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.AlertsManagement/alerts/${alertId}`,
        alertRule: rule,
        severity: 'Sev1',
        signalType: 'Metric',
        alertRuleID: ruleId,
        monitorCondition: condition,
        monitoringService: 'Platform',
        alertTargetIDs: [],
        firedDateTime: at.toISOString(),
        ...(condition === 'Resolved' ? { resolvedDateTime: at.toISOString() } : {}),
        description: '',
        essentialsVersion: '1.0',
        alertContextVersion: '1.0',
      },
      alertContext: {
        properties: null,
        conditionType: 'SingleResourceMultipleMetricCriteria',
        condition: {},
      },
      customProperties: null,
    },
  };
}

/** An AWS Backup `Restore Job State Change` event (it says `status`). */
export function restoreJobEvent(job: {
  readonly id: string;
  readonly status: 'RUNNING' | 'COMPLETED' | 'FAILED';
  readonly resourceArn: string;
  readonly vaultArn: string;
  readonly envelopeId: string;
  readonly at: Date;
  /** What the job created, on `COMPLETED` (the real event's `createdResourceArn`). */
  readonly createdResourceArn?: string;
}): unknown {
  const region = job.vaultArn.split(':')[3];
  return {
    version: '0',
    id: job.envelopeId,
    'detail-type': 'Restore Job State Change',
    source: 'aws.backup',
    account: ACCOUNT,
    time: job.at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [],
    detail: {
      restoreJobId: job.id,
      status: job.status,
      backupVaultArn: job.vaultArn,
      sourceResourceArn: job.resourceArn,
      ...(job.status === 'FAILED' ? { statusMessage: 'simulated failure' } : {}),
      ...(job.status === 'COMPLETED' && job.createdResourceArn
        ? { createdResourceArn: job.createdResourceArn }
        : {}),
    },
  };
}

/** Standby's approval input. */
export function approvalInput(token: string, decision: 'approve' | 'reject', at: Date): unknown {
  return { standby: 'approval', token, decision, actor: 'oncall@example.com', at: at.toISOString() };
}
