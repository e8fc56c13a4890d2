/**
 * The public shapes of normalised events: who sent them, how they came, and one interface per event
 * kind. `../events.ts` ties the interfaces into the `NormalizedEvent` union and owns `EventKind`.
 */

/** Who produced an event; the `source` of a replay outcome. */
export const EventSource = {
  AwsCloudWatch: 'aws.cloudwatch',
  AwsBackup: 'aws.backup',
  AwsEvents: 'aws.events',
  AwsScheduler: 'aws.scheduler',
  AwsSns: 'aws.sns',
  AzureMonitor: 'azure.monitor',
  Standby: 'standby',
  Unknown: 'unknown',
} as const;
/** One of {@link EventSource}. */
export type EventSource = (typeof EventSource)[keyof typeof EventSource];

/** How the event reached us: the envelope it came in. */
export const Delivery = {
  EventBridge: 'eventbridge',
  Sns: 'sns',
  AlarmAction: 'alarm-action',
  AzureCommonAlert: 'azure-common-alert',
  Standby: 'standby',
  Unknown: 'unknown',
} as const;
/** One of {@link Delivery}. */
export type Delivery = (typeof Delivery)[keyof typeof Delivery];

/** CloudWatch alarm states. */
export const AlarmState = { Ok: 'OK', Alarm: 'ALARM', InsufficientData: 'INSUFFICIENT_DATA' } as const;
/** One of {@link AlarmState}. */
export type AlarmState = (typeof AlarmState)[keyof typeof AlarmState];

/** The three kinds of CloudWatch alarm, told apart by their configuration. */
export const AlarmType = { Metric: 'metric', MetricMath: 'metric-math', Composite: 'composite' } as const;
/** One of {@link AlarmType}. */
export type AlarmType = (typeof AlarmType)[keyof typeof AlarmType];

/**
 * Job states across AWS Backup backup, copy and restore jobs (`BackupJobState`, `CopyJobState`,
 * `RestoreJobStatus`). `UNKNOWN` stands for a state this version does not know, so a new provider
 * state is carried (raw in `providerState`) instead of rejected.
 */
export const JobState = {
  Created: 'CREATED',
  Pending: 'PENDING',
  Running: 'RUNNING',
  Aborting: 'ABORTING',
  Aborted: 'ABORTED',
  Completed: 'COMPLETED',
  Failed: 'FAILED',
  Expired: 'EXPIRED',
  Partial: 'PARTIAL',
  Unknown: 'UNKNOWN',
} as const;
/** One of {@link JobState}. */
export type JobState = (typeof JobState)[keyof typeof JobState];

/** A CloudWatch alarm as seen in any of its three deliveries. */
export interface AwsAlarmSignal {
  readonly cloud: 'aws';
  readonly alarmArn: string;
  readonly alarmName: string;
  readonly alarmType: AlarmType;
  readonly state: AlarmState;
  readonly previousState?: AlarmState;
  readonly reason?: string;
  /** When the previous state was entered, when the delivery says. */
  readonly previousStateAt?: Date;
  readonly region?: string;
  readonly account?: string;
  /** Composite alarms: the rule over child alarms. */
  readonly alarmRule?: string;
}

/** An Azure Monitor alert (common alert schema). */
export interface AzureAlertSignal {
  readonly cloud: 'azure';
  /** The alert instance id; the same for its Fired and Resolved notifications. */
  readonly alertId: string;
  /** The rule's name (`essentials.alertRule`). */
  readonly alertRuleName: string;
  /** The rule's full id (`essentials.alertRuleID`), when the payload carries it. */
  readonly alertRuleId?: string;
  readonly monitorCondition: 'Fired' | 'Resolved';
  readonly signalType?: string;
  readonly severity?: string;
  readonly monitoringService?: string;
  readonly targetIds: readonly string[];
  readonly originAlertId?: string;
  readonly firedAt: Date;
  readonly resolvedAt?: Date;
  readonly region?: string;
}

/** The alarm or alert behind an `alarm` / `alarm-cleared` event. */
export type AlarmSignal = AwsAlarmSignal | AzureAlertSignal;

/** Fields every accepted event has. */
export interface EventBase {
  readonly accepted: true;
  readonly source: EventSource;
  readonly via: Delivery;
  /**
   * When the thing happened (alarm state timestamp, Azure fired/resolved time, job completion or
   * event time). Compare these to recognise an older state change that arrives after a newer one.
   * Absent only when the input carries no time (an unknown payload, an approval without `at`).
   */
  readonly occurredAt?: Date;
  /**
   * Identity of the fact, the same whichever envelope delivered it (an alarm state change via
   * EventBridge and via SNS have one key); use it to drop duplicates.
   */
  readonly dedupKey: string;
  /** The envelope's own id (EventBridge `id`, SNS `MessageId`), when it has one. */
  readonly eventId?: string;
  /** The SNS topic that delivered it (`TopicArn`), when it came through SNS. */
  readonly topic?: string;
  readonly region?: string;
  readonly account?: string;
}

/** An alarm went into ALARM (or an Azure alert Fired). */
export interface AlarmEvent extends EventBase {
  readonly kind: 'alarm';
  readonly occurredAt: Date;
  readonly alarm: AlarmSignal;
}

/** An alarm went back to OK (or an Azure alert Resolved). */
export interface AlarmClearedEvent extends EventBase {
  readonly kind: 'alarm-cleared';
  readonly occurredAt: Date;
  readonly alarm: AlarmSignal;
}

/** Which backup service a job or point belongs to. */
export type BackupProvider = 'aws-backup' | 'azure-backup';

/** A backup job changed state. */
export interface BackupJobEvent extends EventBase {
  readonly kind: 'backup-job';
  readonly job: {
    readonly provider: BackupProvider;
    readonly jobId?: string;
    readonly state: JobState;
    readonly providerState: string;
    readonly resourceArn?: string;
    readonly resourceType?: string;
    readonly vaultArn?: string;
    /** The recovery point the job made (AWS: `resources[0]` of a completed job). */
    readonly recoveryPointArn?: string;
    /** Azure Backup alerts: Data Protection backup instance, when named. */
    readonly backupInstanceId?: string;
    /** Azure Backup alerts: Recovery Services protected item, when named. */
    readonly protectedItemId?: string;
    readonly createdAt?: Date;
    readonly completedAt?: Date;
    readonly statusMessage?: string;
  };
}

/** A copy job (cross-vault / cross-region copy of a recovery point) changed state. */
export interface CopyJobEvent extends EventBase {
  readonly kind: 'copy-job';
  readonly copy: {
    readonly copyJobId: string;
    readonly state: JobState;
    readonly providerState: string;
    readonly resourceArn?: string;
    readonly resourceType?: string;
    readonly sourceVaultArn?: string;
    readonly destinationVaultArn?: string;
    readonly sourceRecoveryPointArn?: string;
    readonly destinationRecoveryPointArn?: string;
    readonly createdAt?: Date;
    readonly completedAt?: Date;
    readonly statusMessage?: string;
  };
}

/** A restore job changed state. */
export interface RestoreJobEvent extends EventBase {
  readonly kind: 'restore-job';
  readonly restore: {
    readonly restoreJobId: string;
    readonly state: JobState;
    readonly providerState: string;
    readonly recoveryPointArn?: string;
    readonly vaultArn?: string;
    readonly sourceResourceArn?: string;
    readonly createdResourceArn?: string;
    readonly resourceType?: string;
    readonly createdAt?: Date;
    readonly completedAt?: Date;
    readonly statusMessage?: string;
  };
}

/** A recovery point changed (created, modified, expired, deleted...). */
export interface RecoveryPointEvent extends EventBase {
  readonly kind: 'recovery-point';
  readonly point: {
    readonly recoveryPointArn?: string;
    /** Provider status as sent (`COMPLETED`, `EXPIRED`, `DELETED`, ...), upper-cased. */
    readonly status?: string;
    readonly vaultArn?: string;
    readonly vaultName?: string;
    readonly resourceArn?: string;
    readonly resourceType?: string;
    /** The EventBridge `detail-type` it came as. */
    readonly change: string;
  };
}

/** A backup vault changed (created, deleted, lock configuration, ...). */
export interface VaultChangeEvent extends EventBase {
  readonly kind: 'vault-change';
  readonly vault: {
    readonly vaultArn?: string;
    readonly vaultName?: string;
    readonly state?: string;
    /** The EventBridge `detail-type` it came as. */
    readonly change: string;
  };
}

/** A schedule fired (EventBridge scheduled rule or EventBridge Scheduler). */
export interface ScheduleEvent extends EventBase {
  readonly kind: 'schedule';
  /** ARN of the rule or schedule that fired, when the event names it. */
  readonly scheduleArn?: string;
}

/** A human approved or rejected a pending failover. */
export interface ApprovalEvent extends EventBase {
  readonly kind: 'approval';
  readonly token: string;
  readonly decision: 'approve' | 'reject';
  readonly actor?: string;
}

/** A well-formed input that Standby does not act on; `reason` says why. */
export interface OtherEvent extends EventBase {
  readonly kind: 'other';
  readonly reason: string;
  /** Set when the input was an alarm in a state that is not a trigger (INSUFFICIENT_DATA). */
  readonly alarm?: AlarmSignal;
}

/** An input that cannot be used: not JSON-like, or a recognised shape with a missing or wrong field. */
export interface EventRejection {
  readonly accepted: false;
  /** What is wrong, naming the field and the value received. */
  readonly reason: string;
  /** The source, when the input said enough to tell. */
  readonly source?: EventSource;
}

/** The fields of an accepted event before its `kind`: what an envelope tells every decoder. */
export type EventFields = Omit<EventBase, 'accepted'>;
