/**
 * CloudWatch alarms, in each of their three deliveries: an EventBridge "CloudWatch Alarm State Change",
 * an SNS alarm message (inside a Lambda SNS record) and the alarm action that invokes Lambda directly.
 * All three become the same event, with the same dedupKey, through {@link alarmResult}.
 */
import * as z from 'zod';
import { isAwsRegion, parseArn } from '../identifiers.ts';
import { other, parse, parseTime, preview, reject } from './decoding.ts';
import type { EventBridgeDecoder, SnsContext } from './envelope.ts';
import {
  type AlarmClearedEvent,
  type AlarmEvent,
  AlarmState,
  AlarmType,
  type AwsAlarmSignal,
  Delivery,
  type EventFields,
  type EventRejection,
  EventSource,
  type OtherEvent,
} from './types.ts';

/** What a CloudWatch alarm delivery becomes: a trigger, a clear, an ignored state, or a rejection. */
export type CloudWatchResult = AlarmEvent | AlarmClearedEvent | OtherEvent | EventRejection;

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
  // Stryker disable next-line Regex: no region name holds "EU (" after its start, so replacing "Europe (" further on finds nothing either.
  return regionNamed(trimmed) ?? regionNamed(trimmed.replace(/^Europe \(/, 'EU ('));
}

/** The table's own entries only: a message's `Region` of "toString" or "__proto__" is no region. */
const regionNamed = (name: string) =>
  Object.hasOwn(AWS_REGION_NAMES, name) ? AWS_REGION_NAMES[name] : undefined;

// ---------------------------------------------------------------------------------------------------
// EventBridge "CloudWatch Alarm State Change"

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

/** The one `aws.cloudwatch` detail-type Standby acts on. */
export const CLOUDWATCH_DETAIL_TYPE = 'CloudWatch Alarm State Change';

/** Decodes an EventBridge event from `aws.cloudwatch`; only alarm state changes are acted on. */
export const decodeCloudWatchEvent: EventBridgeDecoder<CloudWatchResult> = (e, base) => {
  const type = e['detail-type'];
  if (type !== CLOUDWATCH_DETAIL_TYPE)
    return other(base, `CloudWatch "${type}" events are not acted on; only "CloudWatch Alarm State Change"`);
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
};

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

/** Decodes the payload a CloudWatch alarm action sends when it invokes a Lambda function directly. */
export function decodeAlarmAction(raw: Record<string, unknown>): CloudWatchResult {
  const p = parse(alarmAction, raw, 'CloudWatch alarm action');
  if (!p.ok) return reject(p.reason, EventSource.AwsCloudWatch);
  const a = p.value;
  const arn = parseArn(a.alarmArn);
  const region = a.region ?? arn?.region;
  const account = a.accountId ?? arn?.account;
  const base = {
    source: EventSource.AwsCloudWatch,
    via: Delivery.AlarmAction,
    // Stryker disable next-line StringLiteral: alarmResult sets the dedupKey.
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
// SNS alarm message (the JSON string in a Lambda SNS record's Message)

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

/** Decodes a CloudWatch alarm message as SNS delivers it; `sns` names the record it came in. */
export function decodeSnsAlarmMessage(raw: Record<string, unknown>, sns?: SnsContext): CloudWatchResult {
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
    : // Stryker disable next-line ArrayDeclaration: a metric without an expression makes no metric-math alarm, so a filler entry changes nothing.
      { metrics: (m.Trigger?.Metrics ?? []).map((x) => ({ expression: x.Expression })) };
  const base = {
    source: EventSource.AwsCloudWatch,
    via: Delivery.Sns,
    // Stryker disable next-line StringLiteral: alarmResult sets the dedupKey.
    dedupKey: '',
    ...(sns?.snsMessageId ? { eventId: sns.snsMessageId } : {}),
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

/** The fields of an accepted alarm event before its kind. */
type AlarmEventFields = EventFields & { readonly accepted: true; readonly occurredAt: Date };

/** What each alarm state becomes; INSUFFICIENT_DATA is carried as `other`, never a trigger. */
const ALARM_STATE_EVENTS = {
  [AlarmState.Alarm]: (event, alarm) => ({ ...event, kind: 'alarm', alarm }),
  [AlarmState.Ok]: (event, alarm) => ({ ...event, kind: 'alarm-cleared', alarm }),
  [AlarmState.InsufficientData]: (event, alarm) => ({
    ...event,
    kind: 'other',
    alarm,
    reason: `alarm ${alarm.alarmName} is INSUFFICIENT_DATA: missing data is not evidence of an outage, so it triggers nothing`,
  }),
} satisfies {
  [S in AlarmState]: (
    event: AlarmEventFields,
    alarm: AwsAlarmSignal,
  ) => Exclude<CloudWatchResult, EventRejection>;
};

/** One alarm state change, whichever delivery carried it, as an event (or a rejection of its time). */
function alarmResult(base: EventFields, p: AlarmParts): CloudWatchResult {
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
  const event: AlarmEventFields = {
    ...base,
    accepted: true as const,
    occurredAt: at,
    // The same state change has this key whether it came via EventBridge, SNS or an alarm action.
    dedupKey: `alarm:${p.alarmArn}:${p.state.value}@${at.toISOString()}`,
  };
  return ALARM_STATE_EVENTS[p.state.value](event, alarm);
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
