/**
 * Normalisation of every input the clouds deliver to Standby: raw JSON in, one closed set of
 * events out. Recognised shapes are checked with zod so a rejection names the field that is wrong;
 * unknown but well-formed JSON becomes kind `other` (ignored, with a reason). Nothing here throws.
 * `docs/events.md` lists the accepted inputs and what each becomes.
 *
 * This module owns the event kinds and the dispatch: it recognises a payload's shape and hands it to
 * one decoder per source under `events/` (CloudWatch, AWS Backup, Azure Monitor, schedules, approvals),
 * through maps typed over the whole set of shapes and sources, so a new one does not compile until
 * every map handles it.
 */
import { decodeStandbyInput } from './events/approval.ts';
import { AWS_BACKUP_DETAIL_TYPES, actsOnAwsBackup, decodeAwsBackupEvent } from './events/aws-backup.ts';
import { decodeAzureAlert } from './events/azure-monitor.ts';
import {
  CLOUDWATCH_DETAIL_TYPE,
  decodeAlarmAction,
  decodeCloudWatchEvent,
  decodeSnsAlarmMessage,
} from './events/cloudwatch.ts';
import { describeError, isObject, knownSource, other, preview } from './events/decoding.ts';
import {
  type EventBridgeDecoder,
  notActedOn,
  openEventBridge,
  type SnsContext,
  unwrapSnsBatch,
} from './events/envelope.ts';
import { decodeScheduledEvent, SCHEDULE_DETAIL_TYPE } from './events/schedule.ts';
import {
  type AlarmClearedEvent,
  type AlarmEvent,
  type ApprovalEvent,
  type BackupJobEvent,
  type CopyJobEvent,
  Delivery,
  type EventRejection,
  EventSource,
  type OtherEvent,
  type RecoveryPointEvent,
  type RestoreJobEvent,
  type ScheduleEvent,
  type VaultChangeEvent,
} from './events/types.ts';

// Re-exported so that this module stays the one entry point for events: importers need no path
// into `events/`.
/** CloudWatch region names and their lookup (see `events/cloudwatch.ts`). */
export { AWS_REGION_NAMES, regionFromName } from './events/cloudwatch.ts';
/** Timestamp parsing as every decoder reads times (see `events/decoding.ts`). */
export { parseTime } from './events/decoding.ts';
/** The event shapes, sources and deliveries (see `events/types.ts`). */
export * from './events/types.ts';

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

/** Checks that a table has an entry for every {@link EventKind}, each an event of that kind. */
type KindTable<T extends { readonly [K in EventKind]: { readonly kind: K } }> = T;

/** The event interface of each kind; a new {@link EventKind} does not compile until it has one. */
export type EventByKind = KindTable<{
  alarm: AlarmEvent;
  'alarm-cleared': AlarmClearedEvent;
  'backup-job': BackupJobEvent;
  'copy-job': CopyJobEvent;
  'restore-job': RestoreJobEvent;
  'recovery-point': RecoveryPointEvent;
  'vault-change': VaultChangeEvent;
  schedule: ScheduleEvent;
  approval: ApprovalEvent;
  other: OtherEvent;
}>;

/** An accepted, normalised event: a discriminated union on `kind`. */
export type NormalizedEvent = EventByKind[EventKind];

/** The result of normalising one input. */
export type NormalizeResult = NormalizedEvent | EventRejection;

/** The largest payload read: EventBridge, SNS and Azure Monitor deliver at most 256 KB. */
export const MAX_EVENT_CHARS = 262_144;

/**
 * Normalises one delivered payload into events. A Lambda SNS batch (`Records[]`) gives one result
 * per record; every other input gives exactly one; a payload larger than {@link MAX_EVENT_CHARS} is
 * rejected before anything reads it. Never throws.
 */
export function normalizeEvents(raw: unknown): NormalizeResult[] {
  try {
    const size = typeof raw === 'string' ? raw.length : (JSON.stringify(raw ?? null)?.length ?? 0);
    if (size > MAX_EVENT_CHARS)
      return [
        {
          accepted: false,
          reason: `input is ${size} characters of JSON; at most ${MAX_EVENT_CHARS} are accepted (the clouds deliver at most 256 KB)`,
        },
      ];
    if (isObject(raw) && Array.isArray(raw['Records'])) return unwrapSnsBatch(raw['Records'], normalizeOne);
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
// Dispatch

/** How Standby reads the EventBridge events of one source: its decoder, and the detail-types it acts on. */
interface EventBridgeSource {
  readonly decode: EventBridgeDecoder<NormalizeResult>;
  /** The detail-types acted on, in words; empty when no EventBridge event of this source is. */
  readonly detailTypes: readonly string[];
  readonly actsOn: (detailType: string) => boolean;
}

// Stryker disable next-line BooleanLiteral,ArrowFunction: a source without detail-types is refused before actsOn is asked.
const never = { decode: notActedOn, detailTypes: [], actsOn: () => false } satisfies EventBridgeSource;
const schedules = {
  decode: decodeScheduledEvent,
  detailTypes: [SCHEDULE_DETAIL_TYPE],
  actsOn: (type: string) => type === SCHEDULE_DETAIL_TYPE,
} satisfies EventBridgeSource;

/** Who decodes an EventBridge event, by its source (an unknown source is `unknown`). */
const EVENTBRIDGE_SOURCES = {
  [EventSource.AwsCloudWatch]: {
    decode: decodeCloudWatchEvent,
    detailTypes: [CLOUDWATCH_DETAIL_TYPE],
    actsOn: (type) => type === CLOUDWATCH_DETAIL_TYPE,
  },
  [EventSource.AwsBackup]: {
    decode: decodeAwsBackupEvent,
    detailTypes: AWS_BACKUP_DETAIL_TYPES,
    actsOn: actsOnAwsBackup,
  },
  [EventSource.AwsEvents]: schedules,
  [EventSource.AwsScheduler]: schedules,
  [EventSource.AwsSns]: never,
  [EventSource.AzureMonitor]: never,
  [EventSource.Standby]: never,
  [EventSource.Unknown]: never,
} satisfies { [S in EventSource]: EventBridgeSource };

function decodeEventBridge(raw: Record<string, unknown>, sns?: SnsContext): NormalizeResult {
  const opened = openEventBridge(raw, sns);
  if (opened.ok) return EVENTBRIDGE_SOURCES[opened.base.source].decode(opened.envelope, opened.base);
  // One rejection lists every problem: the envelope's fields, and whether Standby reads such an event.
  const problems = [...opened.problems, ...notActedOnProblem(raw['source'], raw['detail-type'])];
  return {
    accepted: false,
    reason: `EventBridge event: ${problems.length} problem${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}`,
    ...(opened.source ? { source: opened.source } : {}),
  };
}

/** Why an event of this source and detail-type is not one Standby acts on; nothing when it is. */
function notActedOnProblem(source: unknown, detailType: unknown): string[] {
  if (typeof source !== 'string' || source.length === 0) return [];
  const known = knownSource(source);
  const read = EVENTBRIDGE_SOURCES[known ?? EventSource.Unknown];
  if (read.detailTypes.length === 0) {
    const sources = (Object.keys(EVENTBRIDGE_SOURCES) as EventSource[]).filter(
      (s) => EVENTBRIDGE_SOURCES[s].detailTypes.length > 0,
    );
    return [
      `source: ${preview(source)} is not a source Standby acts on from EventBridge (it reads ${sources.join(', ')})`,
    ];
  }
  if (typeof detailType !== 'string' || read.actsOn(detailType)) return [];
  return [
    `detail-type: ${preview(detailType)} from ${source} is not an event Standby acts on (it reads ${read.detailTypes.map((t) => `"${t}"`).join(', ')})`,
  ];
}

/**
 * The top-level shapes a payload is recognised by, in the order they are tried: the first field
 * that marks a shape decides (a Standby input or an Azure alert is never read as anything else).
 */
const INPUT_SHAPES = ['standby', 'azureAlert', 'eventBridge', 'alarmAction', 'snsAlarm'] as const;
type InputShape = (typeof INPUT_SHAPES)[number];

/** How one input shape is recognised, and its decoder. */
interface ShapeDecoder {
  readonly recognises: (raw: Record<string, unknown>) => boolean;
  readonly decode: (raw: Record<string, unknown>, sns?: SnsContext) => NormalizeResult;
}

const SHAPE_DECODERS = {
  standby: { recognises: (raw) => raw['standby'] !== undefined, decode: decodeStandbyInput },
  azureAlert: { recognises: (raw) => raw['schemaId'] !== undefined, decode: decodeAzureAlert },
  eventBridge: { recognises: (raw) => raw['detail-type'] !== undefined, decode: decodeEventBridge },
  alarmAction: { recognises: (raw) => raw['alarmData'] !== undefined, decode: decodeAlarmAction },
  snsAlarm: {
    recognises: (raw) => raw['AlarmName'] !== undefined || raw['NewStateValue'] !== undefined,
    decode: decodeSnsAlarmMessage,
  },
} satisfies { [S in InputShape]: ShapeDecoder };

/** Normalises one payload; `sns` is set for the message of an SNS record. */
function normalizeOne(raw: unknown, sns?: SnsContext): NormalizeResult {
  if (typeof raw === 'string') {
    return { accepted: false, reason: `expected a JSON object, received a string (${preview(raw)})` };
  }
  if (!isObject(raw)) {
    const what = raw === null ? 'null' : Array.isArray(raw) ? 'an array' : `a ${typeof raw}`;
    return { accepted: false, reason: `expected a JSON object, received ${what}` };
  }
  const shape = INPUT_SHAPES.find((s) => SHAPE_DECODERS[s].recognises(raw));
  if (shape) return SHAPE_DECODERS[shape].decode(raw, sns);
  const keys = Object.keys(raw).slice(0, 5);
  return other(
    { source: EventSource.Unknown, via: Delivery.Unknown, dedupKey: `unknown:${preview(raw)}` },
    `not a recognised event: no detail-type, schemaId, alarmData, AlarmName or standby field (keys: ${keys.join(', ') || 'none'})`,
  );
}
