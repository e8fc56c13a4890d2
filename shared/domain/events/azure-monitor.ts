/**
 * Azure Monitor alerts in the common alert schema (`azureMonitorCommonAlertSchema`): a metric, log or
 * availability alert becomes `alarm` / `alarm-cleared`; an Azure Backup alert (built-in job failure
 * alerts) becomes a `backup-job` event naming the protected item or backup instance.
 */
import * as z from 'zod';
import { type AzureIdKind, azureIdProblem } from '../identifiers.ts';
import { compact, isObject, other, parse, parseTime, preview, reject } from './decoding.ts';
import {
  type AlarmClearedEvent,
  type AlarmEvent,
  type AzureAlertSignal,
  type BackupJobEvent,
  Delivery,
  type EventRejection,
  EventSource,
  JobState,
  type OtherEvent,
} from './types.ts';

/** What an Azure Monitor payload becomes. */
export type AzureMonitorResult =
  | AlarmEvent
  | AlarmClearedEvent
  | BackupJobEvent
  | OtherEvent
  | EventRejection;

const optionalText = z.string().optional();
/** Longest id accepted from an alert: Azure resource ids are far shorter; anything longer is refused. */
const MAX_ID_CHARS = 2048;
const azureEssentials = z
  .object({
    alertId: z.string().min(1).max(MAX_ID_CHARS),
    alertRule: z.string().min(1).max(MAX_ID_CHARS),
    // Payloads spell it `alertRuleID` (service) or `alertRuleId` (some samples); both are read.
    // Capped before any parsing or matching: ids are untrusted input (an ARM id is at most a few hundred characters).
    alertRuleID: z.string().min(1).max(MAX_ID_CHARS).optional(),
    alertRuleId: z.string().min(1).max(MAX_ID_CHARS).optional(),
    severity: optionalText,
    signalType: optionalText,
    monitorCondition: z.enum(['Fired', 'Resolved']),
    monitoringService: optionalText,
    alertTargetIDs: z.array(z.string().max(MAX_ID_CHARS)).max(100).nullish(),
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

/** An alert's `monitorCondition`. */
type MonitorCondition = z.infer<typeof azureEssentials>['monitorCondition'];

/** When an alert's condition was reached, from its fired and resolved times. */
type AlertTimes = { readonly firedAt: Date; readonly resolvedAt?: Date | undefined };

/**
 * What each monitor condition means: when it happened, the alarm event kind, and for an Azure Backup
 * alert the job's state and completion. A fired built-in Backup alert is a failed job; a resolved one
 * says only that the condition cleared.
 */
const CONDITIONS = {
  Fired: {
    occurredAt: (t: AlertTimes) => t.firedAt,
    alarmKind: 'alarm',
    backupJobState: JobState.Failed,
    backupJobCompletedAt: (t: AlertTimes) => t.firedAt,
  },
  Resolved: {
    // A Resolved alert without resolvedDateTime is rejected before this is read.
    occurredAt: (t: AlertTimes) => t.resolvedAt ?? t.firedAt,
    alarmKind: 'alarm-cleared',
    backupJobState: JobState.Unknown,
    backupJobCompletedAt: (_t: AlertTimes) => undefined,
  },
} as const satisfies {
  [C in MonitorCondition]: {
    occurredAt: (t: AlertTimes) => Date;
    alarmKind: (AlarmEvent | AlarmClearedEvent)['kind'];
    backupJobState: JobState;
    backupJobCompletedAt: (t: AlertTimes) => Date | undefined;
  };
};

/** Decodes an Azure Monitor payload; another `schemaId` is kind `other`. */
export function decodeAzureAlert(raw: Record<string, unknown>): AzureMonitorResult {
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
  const condition = CONDITIONS[es.monitorCondition];
  const times: AlertTimes = { firedAt, resolvedAt };
  const occurredAt = condition.occurredAt(times);
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
    return {
      ...base,
      kind: 'backup-job' as const,
      job: compact({
        provider: 'azure-backup' as const,
        jobId,
        state: condition.backupJobState,
        providerState: `alert ${es.monitorCondition}`,
        backupInstanceId: ids.backupInstanceId,
        protectedItemId: ids.protectedItemId,
        statusMessage: es.description && typeof es.description === 'string' ? es.description : es.alertRule,
        completedAt: condition.backupJobCompletedAt(times),
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
  return { ...base, kind: condition.alarmKind, alarm };
}

/** The Azure ids a Backup alert may name, each with the job field it fills; the first that parses wins. */
const BACKUP_ID_FIELDS: readonly (readonly [AzureIdKind, 'backupInstanceId' | 'protectedItemId'])[] = [
  ['backupInstance', 'backupInstanceId'],
  ['protectedItem', 'protectedItemId'],
];

/** True for an Azure Backup alert: its monitoring service, or a context that names a backed-up item. */
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
  const found: { backupInstanceId?: string; protectedItemId?: string } = {};
  for (const id of candidates) {
    for (const [kind, field] of BACKUP_ID_FIELDS) {
      if (azureIdProblem(id, kind) !== undefined) continue;
      found[field] ??= id;
    }
  }
  return found;
}
