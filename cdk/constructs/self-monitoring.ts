/**
 * Alarms on the controller itself, all to the alert topic: messages in the dead-letter queue, errors
 * and throttles of each function, a missed audit (no `AuditSucceeded` in twice the audit interval),
 * and each protected resource's freshness (its `FreshnessAgeSeconds` above its RPO). The audit emits
 * those metrics in EMF (functions/adapters/emf-metrics.ts); missing data is breaching where silence
 * means trouble (no audit, no recovery point).
 */
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE, Metrics } from '#functions/adapters/emf-metrics.ts';
import { auditIntervalMinutes } from '#shared/domain/audit-interval.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { StandbyFunction } from './standby-function.ts';

/**
 * The audit interval the plans call for (`shared/domain/audit-interval.ts`, the rule the Azure timer
 * follows too): a third of the smallest RPO, in whole minutes, between 1 and 15 minutes.
 */
export function auditIntervalOf(plans: readonly RecoveryPlan[]): Duration {
  return Duration.minutes(auditIntervalMinutes(plans));
}

/** Properties of {@link SelfMonitoring}. */
export interface SelfMonitoringProps {
  /** The functions whose errors and throttles are watched, by a short name used in alarm ids. */
  readonly functions: Readonly<Record<string, StandbyFunction>>;
  readonly deadLetterQueue: IQueue;
  /** Where every alarm goes (and its return to OK). */
  readonly alertTopic: ITopic;
  /** How often the audit runs; the missed-audit alarm fires after twice that without a success. */
  readonly auditInterval: Duration;
  /** The region whose audit is watched (the `Controller` dimension). */
  readonly controllerRegion: string;
  /** The plans whose resources get a freshness alarm. */
  readonly plans: readonly RecoveryPlan[];
}

/** The controller's own alarms. */
export class SelfMonitoring extends Construct {
  /** Every alarm, by construct id. */
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: SelfMonitoringProps) {
    super(scope, id);
    const action = new SnsAction(props.alertTopic);
    const alarm = (alarmId: string, description: string, metric: IMetric, options: AlarmOptions) => {
      const a = new Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold: options.threshold,
        comparisonOperator: options.comparison ?? ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: options.missing ?? TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      a.addOkAction(action);
      this.alarms.push(a);
    };
    const fiveMinutes = Duration.minutes(5);

    alarm(
      'DeadLetterQueueDepth',
      'Standby: events or invocations were dead-lettered; read the queue and replay them',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: fiveMinutes,
        statistic: 'Maximum',
      }),
      { threshold: 0 },
    );
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(
        `${name}Errors`,
        `Standby: the ${name} function failed`,
        fn.function.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        { threshold: 0 },
      );
      alarm(
        `${name}Throttles`,
        `Standby: the ${name} function was throttled`,
        fn.function.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
        { threshold: 0 },
      );
    }

    // Alarm periods are whole minutes; twice the interval covers one late run.
    const window = Duration.minutes(
      2 * Math.max(1, Math.ceil(props.auditInterval.toMinutes({ integral: false }))),
    );
    alarm(
      'MissedAudit',
      `Standby: no successful freshness audit in ${window.toMinutes()} minutes (twice its interval)`,
      new Metric({
        namespace: METRIC_NAMESPACE,
        metricName: Metrics.auditSucceeded,
        dimensionsMap: { [Metrics.controller]: props.controllerRegion },
        period: window,
        statistic: 'Sum',
      }),
      {
        threshold: 1,
        comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
        missing: TreatMissingData.BREACHING,
      },
    );
    for (const plan of props.plans)
      for (const resource of plan.resources)
        alarm(
          `Freshness-${plan.name}-${resource.name}`,
          `Standby: ${plan.name}/${resource.name} has no recovery point younger than its RPO (${resource.rpoSeconds}s)`,
          new Metric({
            namespace: METRIC_NAMESPACE,
            metricName: Metrics.age,
            dimensionsMap: { [Metrics.app]: plan.name, [Metrics.resource]: resource.name },
            period: window,
            statistic: 'Maximum',
          }),
          // No age in a window: no counting point, or no audit; either way not fresh.
          { threshold: resource.rpoSeconds, missing: TreatMissingData.BREACHING },
        );
  }
}

interface AlarmOptions {
  readonly threshold: number;
  readonly comparison?: ComparisonOperator;
  readonly missing?: TreatMissingData;
}
