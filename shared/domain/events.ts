/**
 * Normalisation of every input the clouds deliver to Standby: raw JSON in, one closed set of
 * events out. Recognised shapes are checked with zod so a rejection names the field that is wrong;
 * unknown but well-formed JSON becomes kind `other` (ignored, with a reason). Nothing here throws.
 * `docs/events.md` lists the accepted inputs and what each becomes.
 */
import { z } from 'zod';
import { type AzureIdKind, azureIdProblem, isAwsRegion, parseArn } from './identifiers.ts';

/** What an event means to Standby; the `kind` of a replay outcome (SPEC §5). */
export const EventKind = {
  Alarm: 'alarm',
  AlarmCleared: 'alarm-cleared',
  BackupJob: 'backup-job',
  CopyJob: 'copy-job',
  RestoreJob: 'restore-job',
  RecoveryPoint: 'recovery-point',
  VaultChange: 'vault-change',
  Schedule: 'schedule',
  Approval: 'approval',
  Other: 'other',
} as const;
/** One of {@link EventKind}. */
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

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
interface EventBase {
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

/** An accepted, normalised event: a discriminated union on `kind`. */
export type NormalizedEvent =
  | AlarmEvent
  | AlarmClearedEvent
  | BackupJobEvent
  | CopyJobEvent
  | RestoreJobEvent
  | RecoveryPointEvent
  | VaultChangeEvent
  | ScheduleEvent
  | ApprovalEvent
  | OtherEvent;

/** An input that cannot be used: not JSON-like, or a recognised shape with a missing or wrong field. */
export interface EventRejection {
  readonly accepted: false;
  /** What is wrong, naming the field and the value received. */
  readonly reason: string;
  /** The source, when the input said enough to tell. */
  readonly source?: EventSource;
}

/** The result of normalising one input. */
export type NormalizeResult = NormalizedEvent | EventRejection;

/**
 * CloudWatch's human-readable region names (the `Region` of an SNS alarm message) to region codes.
 * CloudWatch has written both "EU (...)" and "Europe (...)"; both are listed.
 */
export const AWS_REGION_NAMES: Readonly<Record<string, string>> = {
  'US East (N. Virginia)': 'us-east-1',
  'US East (Ohio)': 'us-east-2',
  'US West (N. California)': 'us-west-1',
  'US West (Oregon)': 'us-west-2',
  'Africa (Cape Town)': 'af-south-1',
  'Asia Pacific (Hong Kong)': 'ap-east-1',
  'Asia Pacific (Taipei)': 'ap-east-2',
  'Asia Pacific (Mumbai)': 'ap-south-1',
  'Asia Pacific (Hyderabad)': 'ap-south-2',
  'Asia Pacific (Tokyo)': 'ap-northeast-1',
  'Asia Pacific (Seoul)': 'ap-northeast-2',
  'Asia Pacific (Osaka)': 'ap-northeast-3',
  'Asia Pacific (Singapore)': 'ap-southeast-1',
  'Asia Pacific (Sydney)': 'ap-southeast-2',
  'Asia Pacific (Jakarta)': 'ap-southeast-3',
  'Asia Pacific (Melbourne)': 'ap-southeast-4',
  'Asia Pacific (Malaysia)': 'ap-southeast-5',
  'Asia Pacific (Thailand)': 'ap-southeast-7',
  'Canada (Central)': 'ca-central-1',
  'Canada West (Calgary)': 'ca-west-1',
  'EU (Frankfurt)': 'eu-central-1',
  'EU (Zurich)': 'eu-central-2',
  'EU (Ireland)': 'eu-west-1',
  'EU (London)': 'eu-west-2',
  'EU (Paris)': 'eu-west-3',
  'EU (Milan)': 'eu-south-1',
  'EU (Spain)': 'eu-south-2',
  'EU (Stockholm)': 'eu-north-1',
  'Israel (Tel Aviv)': 'il-central-1',
  'Mexico (Central)': 'mx-central-1',
  'Middle East (Bahrain)': 'me-south-1',
  'Middle East (UAE)': 'me-central-1',
  'South America (Sao Paulo)': 'sa-east-1',
  'South America (São Paulo)': 'sa-east-1',
  'AWS GovCloud (US-East)': 'us-gov-east-1',
  'AWS GovCloud (US-West)': 'us-gov-west-1',
  'China (Beijing)': 'cn-north-1',
  'China (Ningxia)': 'cn-northwest-1',
};

/** Maps a CloudWatch region name ("EU (Ireland)", "Europe (Ireland)") or a region code to the code. */
export function regionFromName(name: string): string | undefined {
  const trimmed = name.trim();
  if (isAwsRegion(trimmed)) return trimmed;
  return AWS_REGION_NAMES[trimmed] ?? AWS_REGION_NAMES[trimmed.replace(/^Europe \(/, 'EU (')];
}

/**
 * Normalises one delivered payload into events. A Lambda SNS batch (`Records[]`) gives one result
 * per record; every other input gives exactly one. Never throws.
 */
export function normalizeEvents(raw: unknown): NormalizeResult[] {
  try {
    if (isObject(raw) && Array.isArray(raw['Records'])) return normalizeSnsBatch(raw['Records']);
    return [normalizeOne(raw)];
  } catch (error) {
    // Schemas make this unreachable for JSON; it guards against hostile objects (throwing getters).
    return [{ accepted: false, reason: `input could not be read: ${describeError(error)}` }];
  }
}

/**
 * Normalises one payload that is a single event. A multi-record SNS batch is rejected here (use
 * {@link normalizeEvents}); a one-record batch is unwrapped. Never throws.
 */
export function normalizeEvent(raw: unknown): NormalizeResult {
  const results = normalizeEvents(raw);
  if (results.length === 1) return results[0]!;
  return {
    accepted: false,
    source: EventSource.AwsSns,
    reason: `Records holds ${results.length} records; normalizeEvent takes one event, use normalizeEvents for a batch`,
  };
}

// ---------------------------------------------------------------------------------------------------
// Recognition

function normalizeOne(raw: unknown, via?: { snsMessageId?: string }): NormalizeResult {
  if (typeof raw === 'string') {
    return { accepted: false, reason: `expected a JSON object, received a string (${preview(raw)})` };
  }
  if (!isObject(raw)) {
    const what = raw === null ? 'null' : Array.isArray(raw) ? 'an array' : `a ${typeof raw}`;
    return { accepted: false, reason: `expected a JSON object, received ${what}` };
  }
  if (raw['standby'] !== undefined) return normalizeStandby(raw);
  if (raw['schemaId'] !== undefined) return normalizeAzure(raw);
  if (raw['detail-type'] !== undefined) return normalizeEventBridge(raw, via);
  if (raw['alarmData'] !== undefined) return normalizeAlarmAction(raw);
  if (raw['AlarmName'] !== undefined || raw['NewStateValue'] !== undefined)
    return normalizeSnsAlarm(raw, via);
  const keys = Object.keys(raw).slice(0, 5);
  return other(
    { source: EventSource.Unknown, via: Delivery.Unknown, dedupKey: `unknown:${preview(raw)}` },
    `not a recognised event: no detail-type, schemaId, alarmData, AlarmName or standby field (keys: ${keys.join(', ') || 'none'})`,
  );
}

// ---------------------------------------------------------------------------------------------------
// EventBridge

const eventBridgeEnvelope = z.object({
  id: z.string().min(1),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  account: z.string().optional(),
  time: z.string().min(1),
  region: z.string().optional(),
  resources: z.array(z.string()).default([]),
  detail: z.record(z.string(), z.unknown()).default({}),
});
type EventBridgeEnvelope = z.infer<typeof eventBridgeEnvelope>;

function normalizeEventBridge(
  raw: Record<string, unknown>,
  via?: { snsMessageId?: string },
): NormalizeResult {
  const env = parse(eventBridgeEnvelope, raw, 'EventBridge event');
  if (!env.ok) return reject(env.reason, knownSource(raw['source']));
  const e = env.value;
  const time = parseTime(e.time);
  if (!time) return reject(`EventBridge event: time: not a timestamp (received ${preview(e.time)})`);
  const base: Omit<EventBase, 'accepted'> = {
    source: knownSource(e.source) ?? EventSource.Unknown,
    via: via ? Delivery.Sns : Delivery.EventBridge,
    occurredAt: time,
    dedupKey: `eventbridge:${e.id}`,
    eventId: e.id,
    ...(e.region ? { region: e.region } : {}),
    ...(e.account ? { account: e.account } : {}),
  };
  const type = e['detail-type'];
  if (e.source === 'aws.cloudwatch') {
    if (type === 'CloudWatch Alarm State Change') return cloudWatchStateChange(e, base);
    return other(base, `CloudWatch "${type}" events are not acted on; only "CloudWatch Alarm State Change"`);
  }
  if (e.source === 'aws.backup') return backupEvent(e, base);
  if (type === 'Scheduled Event' && (e.source === 'aws.events' || e.source === 'aws.scheduler')) {
    const arn = e.resources[0];
    return {
      ...base,
      accepted: true,
      kind: 'schedule',
      dedupKey: `schedule:${arn ?? e.id}@${time.toISOString()}`,
      ...(arn ? { scheduleArn: arn } : {}),
    };
  }
  return other(base, `EventBridge "${type}" from ${e.source} is not an event Standby acts on`);
}

const alarmStateValue = z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
const alarmStateBlock = z.object({
  value: alarmStateValue,
  reason: z.string().optional(),
  timestamp: z.string().min(1),
});
const alarmConfiguration = z
  .object({
    alarmRule: z.string().optional(),
    metrics: z.array(z.object({ expression: z.string().optional() }).loose()).optional(),
  })
  .loose();
const alarmDetail = z.object({
  alarmName: z.string().min(1),
  state: alarmStateBlock,
  previousState: alarmStateBlock.partial().optional(),
  configuration: alarmConfiguration.optional(),
});

function cloudWatchStateChange(e: EventBridgeEnvelope, base: Omit<EventBase, 'accepted'>): NormalizeResult {
  const d = parse(alarmDetail, e.detail, 'CloudWatch Alarm State Change', 'detail');
  if (!d.ok) return reject(d.reason, EventSource.AwsCloudWatch);
  const detail = d.value;
  const alarmArn =
    e.resources.find((r) => parseArn(r)?.service === 'cloudwatch') ??
    buildAlarmArn(e.region, e.account, detail.alarmName);
  if (!alarmArn)
    return reject(
      'CloudWatch Alarm State Change: resources has no alarm ARN and region/account are missing to build one',
      EventSource.AwsCloudWatch,
    );
  return alarmResult(base, {
    alarmArn,
    alarmName: detail.alarmName,
    configuration: detail.configuration,
    state: detail.state,
    previousState: detail.previousState,
    region: e.region,
    account: e.account,
    where: 'detail.state.timestamp',
  });
}

// ---------------------------------------------------------------------------------------------------
// CloudWatch alarm action that invokes Lambda directly

const alarmAction = z.object({
  source: z.literal('aws.cloudwatch'),
  alarmArn: z.string().min(1),
  accountId: z.string().optional(),
  time: z.string().optional(),
  region: z.string().optional(),
  alarmData: alarmDetail,
});

function normalizeAlarmAction(raw: Record<string, unknown>): NormalizeResult {
  const p = parse(alarmAction, raw, 'CloudWatch alarm action');
  if (!p.ok) return reject(p.reason, EventSource.AwsCloudWatch);
  const a = p.value;
  const arn = parseArn(a.alarmArn);
  const region = a.region ?? arn?.region;
  const account = a.accountId ?? arn?.account;
  const base = {
    source: EventSource.AwsCloudWatch,
    via: Delivery.AlarmAction,
    dedupKey: '',
    ...(region ? { region } : {}),
    ...(account ? { account } : {}),
  };
  return alarmResult(base, {
    alarmArn: a.alarmArn,
    alarmName: a.alarmData.alarmName,
    configuration: a.alarmData.configuration,
    state: a.alarmData.state,
    previousState: a.alarmData.previousState,
    region,
    account,
    where: 'alarmData.state.timestamp',
  });
}

// ---------------------------------------------------------------------------------------------------
// SNS (Lambda subscription): each record's Message is a JSON string

const snsRecord = z.object({
  EventSource: z.string().optional(),
  Sns: z.object({
    MessageId: z.string().min(1),
    Message: z.string(),
    Timestamp: z.string().optional(),
    TopicArn: z.string().optional(),
  }),
});

function normalizeSnsBatch(records: unknown[]): NormalizeResult[] {
  if (records.length === 0) return [reject('Records is empty; expected at least one SNS record')];
  return records.map((record, i) => {
    const r = parse(snsRecord, record, `SNS record`, `Records[${i}]`);
    if (!r.ok) return reject(r.reason, EventSource.AwsSns);
    const sns = r.value.Sns;
    let message: unknown;
    try {
      message = JSON.parse(sns.Message);
    } catch {
      const at = sns.Timestamp ? parseTime(sns.Timestamp) : undefined;
      return other(
        {
          source: EventSource.AwsSns,
          via: Delivery.Sns,
          ...(at ? { occurredAt: at } : {}),
          dedupKey: `sns:${sns.MessageId}`,
          eventId: sns.MessageId,
        },
        `Records[${i}].Sns.Message is plain text (${preview(sns.Message)}), not a CloudWatch alarm or EventBridge event`,
      );
    }
    const result = normalizeOne(message, { snsMessageId: sns.MessageId });
    if (!result.accepted) return { ...result, reason: `Records[${i}].Sns.Message: ${result.reason}` };
    return result;
  });
}

const snsAlarm = z.object({
  AlarmName: z.string().min(1),
  AlarmArn: z.string().optional(),
  AWSAccountId: z.string().optional(),
  NewStateValue: alarmStateValue,
  OldStateValue: alarmStateValue.optional(),
  NewStateReason: z.string().optional(),
  StateChangeTime: z.string().min(1),
  Region: z.string().optional(),
  AlarmRule: z.string().optional(),
  Trigger: z
    .object({ Metrics: z.array(z.object({ Expression: z.string().optional() }).loose()).optional() })
    .loose()
    .optional(),
});

function normalizeSnsAlarm(raw: Record<string, unknown>, via?: { snsMessageId?: string }): NormalizeResult {
  const p = parse(snsAlarm, raw, 'SNS CloudWatch alarm message');
  if (!p.ok) return reject(p.reason, EventSource.AwsCloudWatch);
  const m = p.value;
  const arn = m.AlarmArn ? parseArn(m.AlarmArn) : undefined;
  // The ARN's region is exact; the Region field is a display name that needs the table.
  const region =
    arn && isAwsRegion(arn.region) ? arn.region : m.Region ? regionFromName(m.Region) : undefined;
  const account = m.AWSAccountId ?? (arn && /^\d{12}$/.test(arn.account) ? arn.account : undefined);
  const alarmArn = m.AlarmArn ?? buildAlarmArn(region, account, m.AlarmName);
  if (!alarmArn)
    return reject(
      `SNS CloudWatch alarm message: AlarmArn is missing and cannot be built (Region ${preview(m.Region)} is not a known region name, or AWSAccountId is missing)`,
      EventSource.AwsCloudWatch,
    );
  const configuration = m.AlarmRule
    ? { alarmRule: m.AlarmRule }
    : { metrics: (m.Trigger?.Metrics ?? []).map((x) => ({ expression: x.Expression })) };
  const base = {
    source: EventSource.AwsCloudWatch,
    via: Delivery.Sns,
    dedupKey: '',
    ...(via?.snsMessageId ? { eventId: via.snsMessageId } : {}),
    ...(region ? { region } : {}),
    ...(account ? { account } : {}),
  };
  return alarmResult(base, {
    alarmArn,
    alarmName: m.AlarmName,
    configuration,
    state: { value: m.NewStateValue, reason: m.NewStateReason, timestamp: m.StateChangeTime },
    previousState: m.OldStateValue ? { value: m.OldStateValue } : undefined,
    region,
    account,
    where: 'StateChangeTime',
  });
}

// ---------------------------------------------------------------------------------------------------
// Alarm state → event, shared by the three AWS deliveries

interface AlarmParts {
  alarmArn: string;
  alarmName: string;
  configuration: z.infer<typeof alarmConfiguration> | undefined;
  state: { value: AlarmState; reason?: string | undefined; timestamp: string };
  previousState: { value?: AlarmState | undefined; timestamp?: string | undefined } | undefined;
  region: string | undefined;
  account: string | undefined;
  where: string;
}

function alarmResult(base: Omit<EventBase, 'accepted'>, p: AlarmParts): NormalizeResult {
  const at = parseTime(p.state.timestamp);
  if (!at)
    return reject(
      `CloudWatch alarm: ${p.where}: not a timestamp (received ${preview(p.state.timestamp)})`,
      EventSource.AwsCloudWatch,
    );
  const previousAt = p.previousState?.timestamp ? parseTime(p.previousState.timestamp) : undefined;
  const alarmType: AlarmType = p.configuration?.alarmRule
    ? AlarmType.Composite
    : p.configuration?.metrics?.some((m) => typeof m.expression === 'string')
      ? AlarmType.MetricMath
      : AlarmType.Metric;
  const alarm: AwsAlarmSignal = {
    cloud: 'aws',
    alarmArn: p.alarmArn,
    alarmName: p.alarmName,
    alarmType,
    state: p.state.value,
    ...(p.previousState?.value ? { previousState: p.previousState.value } : {}),
    ...(p.state.reason ? { reason: p.state.reason } : {}),
    ...(previousAt ? { previousStateAt: previousAt } : {}),
    ...(p.region ? { region: p.region } : {}),
    ...(p.account ? { account: p.account } : {}),
    ...(p.configuration?.alarmRule ? { alarmRule: p.configuration.alarmRule } : {}),
  };
  const event = {
    ...base,
    accepted: true as const,
    occurredAt: at,
    // The same state change has this key whether it came via EventBridge, SNS or an alarm action.
    dedupKey: `alarm:${p.alarmArn}:${p.state.value}@${at.toISOString()}`,
  };
  if (p.state.value === AlarmState.Alarm) return { ...event, kind: 'alarm', alarm };
  if (p.state.value === AlarmState.Ok) return { ...event, kind: 'alarm-cleared', alarm };
  return {
    ...event,
    kind: 'other',
    alarm,
    reason: `alarm ${p.alarmName} is INSUFFICIENT_DATA: missing data is not evidence of an outage, so it triggers nothing`,
  };
}

function buildAlarmArn(
  region: string | undefined,
  account: string | undefined,
  name: string,
): string | undefined {
  if (!region || !isAwsRegion(region) || !account || !/^\d{12}$/.test(account)) return undefined;
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return `arn:${partition}:cloudwatch:${region}:${account}:alarm:${name}`;
}

// ---------------------------------------------------------------------------------------------------
// AWS Backup

const optionalText = z.string().optional();
const backupJobDetail = z.object({
  backupJobId: z.string().min(1),
  state: z.string().min(1),
  resourceArn: optionalText,
  resourceType: optionalText,
  backupVaultArn: optionalText,
  creationDate: optionalText,
  completionDate: optionalText,
  statusMessage: optionalText,
});
const copyJobDetail = z.object({
  copyJobId: z.string().min(1),
  state: z.string().min(1),
  resourceArn: optionalText,
  resourceType: optionalText,
  sourceBackupVaultArn: optionalText,
  destinationBackupVaultArn: optionalText,
  sourceRecoveryPointArn: optionalText,
  destinationRecoveryPointArn: optionalText,
  creationDate: optionalText,
  completionDate: optionalText,
  statusMessage: optionalText,
});
// Restore events say `status`, not `state` (AWS Backup devguide: consistent with the API).
const restoreJobDetail = z.object({
  restoreJobId: z.string().min(1),
  status: z.string().min(1),
  recoveryPointArn: optionalText,
  backupVaultArn: optionalText,
  sourceResourceArn: optionalText,
  createdResourceArn: optionalText,
  resourceType: optionalText,
  creationDate: optionalText,
  completionDate: optionalText,
  statusMessage: optionalText,
});
const recoveryPointDetail = z
  .object({
    recoveryPointArn: optionalText,
    status: optionalText,
    state: optionalText,
    backupVaultArn: optionalText,
    backupVaultName: optionalText,
    resourceArn: optionalText,
    resourceType: optionalText,
  })
  .loose();
const vaultDetail = z
  .object({ backupVaultArn: optionalText, backupVaultName: optionalText, state: optionalText })
  .loose();

function backupEvent(e: EventBridgeEnvelope, base: Omit<EventBase, 'accepted'>): NormalizeResult {
  const type = e['detail-type'];
  const ok = { ...base, accepted: true as const, source: EventSource.AwsBackup };
  const dates = (d: { creationDate?: string | undefined; completionDate?: string | undefined }) => {
    const createdAt = d.creationDate ? parseTime(d.creationDate) : undefined;
    const completedAt = d.completionDate ? parseTime(d.completionDate) : undefined;
    return { ...(createdAt ? { createdAt } : {}), ...(completedAt ? { completedAt } : {}) };
  };
  switch (type) {
    case 'Backup Job State Change': {
      const p = parse(backupJobDetail, e.detail, type, 'detail');
      if (!p.ok) return reject(p.reason, EventSource.AwsBackup);
      const d = p.value;
      const point = e.resources.find((r) => r.includes(':recovery-point:'));
      const state = jobState(d.state);
      return {
        ...ok,
        kind: 'backup-job',
        dedupKey: `backup-job:${d.backupJobId}:${state === JobState.Unknown ? d.state : state}`,
        job: compact({
          provider: 'aws-backup' as const,
          jobId: d.backupJobId,
          state,
          providerState: d.state,
          resourceArn: d.resourceArn,
          resourceType: d.resourceType,
          vaultArn: d.backupVaultArn,
          recoveryPointArn: point,
          statusMessage: d.statusMessage,
          ...dates(d),
        }),
      };
    }
    case 'Copy Job State Change': {
      const p = parse(copyJobDetail, e.detail, type, 'detail');
      if (!p.ok) return reject(p.reason, EventSource.AwsBackup);
      const d = p.value;
      const state = jobState(d.state);
      return {
        ...ok,
        kind: 'copy-job',
        dedupKey: `copy-job:${d.copyJobId}:${d.state.toUpperCase()}`,
        copy: compact({
          copyJobId: d.copyJobId,
          state,
          providerState: d.state,
          resourceArn: d.resourceArn,
          resourceType: d.resourceType,
          sourceVaultArn: d.sourceBackupVaultArn,
          destinationVaultArn: d.destinationBackupVaultArn,
          sourceRecoveryPointArn: d.sourceRecoveryPointArn ?? e.resources[0],
          destinationRecoveryPointArn: d.destinationRecoveryPointArn,
          statusMessage: d.statusMessage,
          ...dates(d),
        }),
      };
    }
    case 'Restore Job State Change': {
      const p = parse(restoreJobDetail, e.detail, type, 'detail');
      if (!p.ok) return reject(p.reason, EventSource.AwsBackup);
      const d = p.value;
      return {
        ...ok,
        kind: 'restore-job',
        dedupKey: `restore-job:${d.restoreJobId}:${d.status.toUpperCase()}`,
        restore: compact({
          restoreJobId: d.restoreJobId,
          state: jobState(d.status),
          providerState: d.status,
          recoveryPointArn: d.recoveryPointArn,
          vaultArn: d.backupVaultArn,
          sourceResourceArn: d.sourceResourceArn,
          createdResourceArn: d.createdResourceArn,
          resourceType: d.resourceType,
          statusMessage: d.statusMessage,
          ...dates(d),
        }),
      };
    }
    case 'Recovery Point State Change':
    case 'Recovery Point Change': {
      const p = parse(recoveryPointDetail, e.detail, type, 'detail');
      if (!p.ok) return reject(p.reason, EventSource.AwsBackup);
      const d = p.value;
      const pointArn = d.recoveryPointArn ?? e.resources[0];
      const status = (d.status ?? d.state)?.toUpperCase();
      return {
        ...ok,
        kind: 'recovery-point',
        dedupKey: `eventbridge:${e.id}`,
        point: compact({
          recoveryPointArn: pointArn,
          status,
          vaultArn: d.backupVaultArn,
          vaultName: d.backupVaultName,
          resourceArn: d.resourceArn,
          resourceType: d.resourceType,
          change: type,
        }),
      };
    }
    default: {
      if (!type.startsWith('Backup Vault'))
        return other(
          { ...base, source: EventSource.AwsBackup },
          `AWS Backup "${type}" events are not acted on (only job, recovery point and vault changes)`,
        );
      const p = parse(vaultDetail, e.detail, type, 'detail');
      if (!p.ok) return reject(p.reason, EventSource.AwsBackup);
      const d = p.value;
      const vaultArn =
        d.backupVaultArn ??
        e.resources.find((r) => r.includes(':backup-vault:')) ??
        (d.backupVaultName && e.region && e.account
          ? `arn:aws:backup:${e.region}:${e.account}:backup-vault:${d.backupVaultName}`
          : undefined);
      return {
        ...ok,
        kind: 'vault-change',
        vault: compact({ vaultArn, vaultName: d.backupVaultName, state: d.state, change: type }),
      };
    }
  }
}

function jobState(text: string): JobState {
  const upper = text.toUpperCase();
  return (Object.values(JobState) as string[]).includes(upper) ? (upper as JobState) : JobState.Unknown;
}

// ---------------------------------------------------------------------------------------------------
// Azure Monitor common alert schema

const azureEssentials = z
  .object({
    alertId: z.string().min(1),
    alertRule: z.string().min(1),
    // Payloads spell it `alertRuleID` (service) or `alertRuleId` (some samples); both are read.
    alertRuleID: z.string().min(1).optional(),
    alertRuleId: z.string().min(1).optional(),
    severity: optionalText,
    signalType: optionalText,
    monitorCondition: z.enum(['Fired', 'Resolved']),
    monitoringService: optionalText,
    alertTargetIDs: z.array(z.string()).nullish(),
    originAlertId: optionalText,
    firedDateTime: z.string().min(1),
    resolvedDateTime: z.string().nullish(),
    region: z.string().nullish(),
  })
  .loose();
const azureAlert = z.object({
  schemaId: z.literal('azureMonitorCommonAlertSchema'),
  data: z.object({
    essentials: azureEssentials,
    alertContext: z.record(z.string(), z.unknown()).nullish(),
  }),
});

function normalizeAzure(raw: Record<string, unknown>): NormalizeResult {
  if (raw['schemaId'] !== 'azureMonitorCommonAlertSchema')
    return other(
      { source: EventSource.AzureMonitor, via: Delivery.Unknown, dedupKey: `unknown:${preview(raw)}` },
      `schemaId ${preview(raw['schemaId'])} is not the Azure Monitor common alert schema (azureMonitorCommonAlertSchema)`,
    );
  const p = parse(azureAlert, raw, 'Azure Monitor common alert');
  if (!p.ok) return reject(p.reason, EventSource.AzureMonitor);
  const es = p.value.data.essentials;
  const context = p.value.data.alertContext ?? {};
  const firedAt = parseTime(es.firedDateTime);
  if (!firedAt)
    return reject(
      `Azure Monitor common alert: data.essentials.firedDateTime: not a timestamp (received ${preview(es.firedDateTime)})`,
      EventSource.AzureMonitor,
    );
  const resolvedAt = es.resolvedDateTime ? parseTime(es.resolvedDateTime) : undefined;
  if (es.monitorCondition === 'Resolved' && !resolvedAt)
    return reject(
      `Azure Monitor common alert: data.essentials.resolvedDateTime: a Resolved alert needs a timestamp (received ${preview(es.resolvedDateTime)})`,
      EventSource.AzureMonitor,
    );
  const occurredAt = es.monitorCondition === 'Resolved' && resolvedAt ? resolvedAt : firedAt;
  const alertRuleId = es.alertRuleID ?? es.alertRuleId;
  const base = {
    accepted: true as const,
    source: EventSource.AzureMonitor,
    via: Delivery.AzureCommonAlert,
    occurredAt,
    dedupKey: `azure-alert:${es.alertId.toLowerCase()}:${es.monitorCondition}`,
    ...(es.region ? { region: es.region } : {}),
  };

  if (isAzureBackupAlert(es.monitoringService, context)) {
    const ids = azureBackupIds(context);
    const extended = isObject(context['extendedInfo']) ? context['extendedInfo'] : {};
    const jobId = typeof extended['jobId'] === 'string' ? extended['jobId'] : undefined;
    // A fired built-in alert is a failed job; a resolved one says only that the condition cleared.
    const state = es.monitorCondition === 'Fired' ? JobState.Failed : JobState.Unknown;
    return {
      ...base,
      kind: 'backup-job',
      job: compact({
        provider: 'azure-backup' as const,
        jobId,
        state,
        providerState: `alert ${es.monitorCondition}`,
        backupInstanceId: ids.backupInstanceId,
        protectedItemId: ids.protectedItemId,
        statusMessage: es.description && typeof es.description === 'string' ? es.description : es.alertRule,
        ...(es.monitorCondition === 'Fired' ? { completedAt: firedAt } : {}),
      }),
    };
  }

  const alarm: AzureAlertSignal = {
    cloud: 'azure',
    alertId: es.alertId,
    alertRuleName: es.alertRule,
    ...(alertRuleId ? { alertRuleId } : {}),
    monitorCondition: es.monitorCondition,
    ...(es.signalType ? { signalType: es.signalType } : {}),
    ...(es.severity ? { severity: es.severity } : {}),
    ...(es.monitoringService ? { monitoringService: es.monitoringService } : {}),
    targetIds: es.alertTargetIDs ?? [],
    ...(es.originAlertId ? { originAlertId: es.originAlertId } : {}),
    firedAt,
    ...(resolvedAt ? { resolvedAt } : {}),
    ...(es.region ? { region: es.region } : {}),
  };
  return es.monitorCondition === 'Fired'
    ? { ...base, kind: 'alarm', alarm }
    : { ...base, kind: 'alarm-cleared', alarm };
}

function isAzureBackupAlert(service: string | undefined, context: Record<string, unknown>): boolean {
  if (service?.toLowerCase() === 'azure backup') return true;
  return typeof context['protectedItemId'] === 'string' || typeof context['backupInstanceId'] === 'string';
}

/** Looks through the alert context fields that name the backed-up item, keeping the ids that parse. */
function azureBackupIds(context: Record<string, unknown>): {
  backupInstanceId?: string;
  protectedItemId?: string;
} {
  const candidates = ['backupInstanceId', 'protectedItemId', 'sourceId', 'affectedItems', 'resourceId']
    .map((k) => context[k])
    .filter((v): v is string => typeof v === 'string');
  const kinds: AzureIdKind[] = ['backupInstance', 'protectedItem'];
  const found: { backupInstanceId?: string; protectedItemId?: string } = {};
  for (const id of candidates) {
    for (const kind of kinds) {
      if (azureIdProblem(id, kind) !== undefined) continue;
      if (kind === 'backupInstance') found.backupInstanceId ??= id;
      else found.protectedItemId ??= id;
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------
// Standby's own inputs

const approvalInput = z.object({
  standby: z.literal('approval'),
  token: z.string().min(1).max(4096),
  decision: z.enum(['approve', 'reject']),
  actor: z.string().max(256).optional(),
  at: z.string().optional(),
});

function normalizeStandby(raw: Record<string, unknown>): NormalizeResult {
  if (raw['standby'] !== 'approval')
    return reject(
      `standby: unknown Standby input ${preview(raw['standby'])}; expected "approval"`,
      EventSource.Standby,
    );
  const p = parse(approvalInput, raw, 'Standby approval');
  if (!p.ok) return reject(p.reason, EventSource.Standby);
  const a = p.value;
  const at = a.at === undefined ? undefined : parseTime(a.at);
  if (a.at !== undefined && !at)
    return reject(`Standby approval: at: not a timestamp (received ${preview(a.at)})`, EventSource.Standby);
  return {
    accepted: true,
    kind: 'approval',
    source: EventSource.Standby,
    via: Delivery.Standby,
    ...(at ? { occurredAt: at } : {}),
    // A token is single-use: the same token with the same decision is the same fact.
    dedupKey: `approval:${a.token}:${a.decision}`,
    token: a.token,
    decision: a.decision,
    ...(a.actor ? { actor: a.actor } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Helpers

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function knownSource(v: unknown): EventSource | undefined {
  return (Object.values(EventSource) as unknown[]).includes(v) ? (v as EventSource) : undefined;
}

function reject(reason: string, source?: EventSource): EventRejection {
  return { accepted: false, reason, ...(source ? { source } : {}) };
}

function other(base: Omit<EventBase, 'accepted'>, reason: string): OtherEvent {
  return { ...base, accepted: true, kind: 'other', reason };
}

/** Drops keys whose value is undefined, so optional fields are absent rather than `undefined`. */
function compact<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Runs a schema; on failure names the shape, the first bad field (with `prefix`) and the value received. */
function parse<T>(schema: z.ZodType<T>, input: unknown, shape: string, prefix?: string): Parsed<T> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  if (!issue) return { ok: false, reason: `${shape}: invalid` };
  const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.') || '(root)';
  const received = valueAt(input, issue.path);
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more problem(s))` : '';
  return {
    ok: false,
    reason: `${shape}: ${path}: ${issue.message}${received === undefined ? '' : ` (received ${preview(received)})`}${more}`,
  };
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** A short, safe rendering of a received value for messages. */
function preview(v: unknown): string {
  let text: string;
  try {
    text = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    text = Object.prototype.toString.call(v);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : preview(error);
}

/**
 * Parses the timestamp styles the clouds send: ISO-8601 with `Z`, CloudWatch's `+0000` offsets
 * without a colon, and Azure's 7-digit fractions. `undefined` when it is not a time.
 */
export function parseTime(text: string): Date | undefined {
  if (text.length > 64) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const fraction = m[2] ? `.${m[2].slice(0, 3).padEnd(3, '0')}` : '';
  const zone = m[3] === 'Z' ? 'Z' : `${m[3]!.slice(0, 3)}:${m[3]!.slice(-2)}`;
  const date = new Date(`${m[1]}${fraction}${zone}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
