/**
 * AWS Backup events from EventBridge (`source: aws.backup`): backup, copy and restore job state
 * changes, recovery point changes and backup vault changes. Other AWS Backup events (plans,
 * selections, ...) are kind `other`.
 */
import * as z from 'zod';
import { compact, other, parse, parseTime, reject } from './decoding.ts';
import type { EventBridgeDecoder, EventBridgeEnvelope } from './envelope.ts';
import {
  type BackupJobEvent,
  type CopyJobEvent,
  type EventFields,
  type EventRejection,
  EventSource,
  JobState,
  type OtherEvent,
  type RecoveryPointEvent,
  type RestoreJobEvent,
  type VaultChangeEvent,
} from './types.ts';

/** What an AWS Backup event becomes. */
export type AwsBackupResult =
  | BackupJobEvent
  | CopyJobEvent
  | RestoreJobEvent
  | RecoveryPointEvent
  | VaultChangeEvent
  | OtherEvent
  | EventRejection;

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

/** Decodes the `detail` of one AWS Backup `detail-type`. */
type BackupDecoder = (e: EventBridgeEnvelope, base: EventFields) => AwsBackupResult;

/** `createdAt` / `completedAt` from a job detail's dates, where they parse. */
function jobDates(d: { creationDate?: string | undefined; completionDate?: string | undefined }) {
  const createdAt = d.creationDate ? parseTime(d.creationDate) : undefined;
  const completedAt = d.completionDate ? parseTime(d.completionDate) : undefined;
  return { ...(createdAt ? { createdAt } : {}), ...(completedAt ? { completedAt } : {}) };
}

function backupJob(e: EventBridgeEnvelope, base: EventFields): BackupJobEvent | EventRejection {
  const type = e['detail-type'];
  const p = parse(backupJobDetail, e.detail, type, 'detail');
  if (!p.ok) return reject(p.reason, EventSource.AwsBackup);
  const d = p.value;
  const point = e.resources.find((r) => r.includes(':recovery-point:'));
  const state = jobState(d.state);
  return {
    ...base,
    accepted: true,
    source: EventSource.AwsBackup,
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
      ...jobDates(d),
    }),
  };
}

function copyJob(e: EventBridgeEnvelope, base: EventFields): CopyJobEvent | EventRejection {
  const type = e['detail-type'];
  const p = parse(copyJobDetail, e.detail, type, 'detail');
  if (!p.ok) return reject(p.reason, EventSource.AwsBackup);
  const d = p.value;
  const state = jobState(d.state);
  return {
    ...base,
    accepted: true,
    source: EventSource.AwsBackup,
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
      ...jobDates(d),
    }),
  };
}

function restoreJob(e: EventBridgeEnvelope, base: EventFields): RestoreJobEvent | EventRejection {
  const type = e['detail-type'];
  const p = parse(restoreJobDetail, e.detail, type, 'detail');
  if (!p.ok) return reject(p.reason, EventSource.AwsBackup);
  const d = p.value;
  return {
    ...base,
    accepted: true,
    source: EventSource.AwsBackup,
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
      ...jobDates(d),
    }),
  };
}

function recoveryPoint(e: EventBridgeEnvelope, base: EventFields): RecoveryPointEvent | EventRejection {
  const type = e['detail-type'];
  const p = parse(recoveryPointDetail, e.detail, type, 'detail');
  if (!p.ok) return reject(p.reason, EventSource.AwsBackup);
  const d = p.value;
  const pointArn = d.recoveryPointArn ?? e.resources[0];
  const status = (d.status ?? d.state)?.toUpperCase();
  return {
    ...base,
    accepted: true,
    source: EventSource.AwsBackup,
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

/** Every `Backup Vault ...` detail-type (state change, lock configuration, ...). */
function vaultChange(e: EventBridgeEnvelope, base: EventFields): VaultChangeEvent | EventRejection {
  const type = e['detail-type'];
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
    ...base,
    accepted: true,
    source: EventSource.AwsBackup,
    kind: 'vault-change',
    vault: compact({ vaultArn, vaultName: d.backupVaultName, state: d.state, change: type }),
  };
}

/** The AWS Backup detail-types Standby reads, by exact name; vault changes go by prefix. */
const DECODERS_BY_DETAIL_TYPE: Readonly<Record<string, BackupDecoder>> = {
  'Backup Job State Change': backupJob,
  'Copy Job State Change': copyJob,
  'Restore Job State Change': restoreJob,
  'Recovery Point State Change': recoveryPoint,
  'Recovery Point Change': recoveryPoint,
};

/** The decoder of an AWS Backup detail-type, if Standby acts on it. */
function decoderOf(type: string): BackupDecoder | undefined {
  // detail-type is open input: look it up as an own key only, so "constructor" is not a decoder.
  if (Object.hasOwn(DECODERS_BY_DETAIL_TYPE, type)) return DECODERS_BY_DETAIL_TYPE[type];
  return type.startsWith('Backup Vault') ? vaultChange : undefined;
}

/** True for an AWS Backup detail-type Standby acts on (job, recovery point and vault changes). */
export const actsOnAwsBackup = (type: string): boolean => decoderOf(type) !== undefined;

/** The AWS Backup detail-types Standby acts on, in words, for messages. */
export const AWS_BACKUP_DETAIL_TYPES = [...Object.keys(DECODERS_BY_DETAIL_TYPE), 'Backup Vault …'];

/** Decodes an EventBridge event from `aws.backup` by its detail-type. */
export const decodeAwsBackupEvent: EventBridgeDecoder<AwsBackupResult> = (e, base) => {
  const type = e['detail-type'];
  const decoder = decoderOf(type);
  if (decoder) return decoder(e, base);
  return other(
    { ...base, source: EventSource.AwsBackup },
    `AWS Backup "${type}" events are not acted on (only job, recovery point and vault changes)`,
  );
};

/** The job state for a provider's state text (any case); {@link JobState.Unknown} for one not known. */
function jobState(text: string): JobState {
  const upper = text.toUpperCase();
  return (Object.values(JobState) as string[]).includes(upper) ? (upper as JobState) : JobState.Unknown;
}
