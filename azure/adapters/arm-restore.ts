/**
 * What the two Azure restore services (Data Protection and Recovery Services) have in common: the plan
 * checks before a restore, and how a trigger's long-running operation and the job it starts read as
 * the port's `running` / `succeeded` / `failed`. Both services spell job statuses the same way.
 */
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { BackupSource, ProtectedResource } from '#shared/domain/plan.ts';
import type { RestoreJobStatus } from '#shared/ports/recovery-actions.ts';
import { type JobStatusTable, meaningOf, OPERATION_STATUSES } from './job-statuses.ts';

type AzureRestorableKind = Extract<BackupSource['kind'], 'azure-backup' | 'azure-recovery-services'>;

/** The plan key of each source kind, as users write it. */
const PLAN_KEY: Readonly<Record<AzureRestorableKind, string>> = {
  'azure-backup': 'azureBackup',
  'azure-recovery-services': 'azureRecoveryServices',
};

/** A source of `kind` that has a restore request in the plan. */
export type RestorableSource<K extends AzureRestorableKind> = Extract<BackupSource, { kind: K }> & {
  readonly restore: NonNullable<Extract<BackupSource, { kind: K }>['restore']>;
};

/**
 * The resource's source when it is of `kind` and has a restore request; an {@link InvalidInputError}
 * naming the plan key otherwise. `service` is the adapter's name, for the message.
 */
export function restorableSourceOf<K extends AzureRestorableKind>(
  resource: ProtectedResource,
  kind: K,
  service: string,
): RestorableSource<K> {
  const source = resource.source;
  const key = PLAN_KEY[kind];
  if (source.kind !== kind)
    throw new InvalidInputError(
      `resource "${resource.name}" is backed up by ${source.kind}, not ${key}; ${service} restores ${key} resources only`,
    );
  if (!source.restore)
    throw new InvalidInputError(
      `resource "${resource.name}" has no ${key}.restore.request in its plan, so it cannot be restored`,
    );
  return source as RestorableSource<K>;
}

/** The recovery point's name, the last segment of its id, which is what both trigger APIs take. */
export function recoveryPointName(recoveryPointId: string): string {
  return recoveryPointId.replace(/\/+$/, '').split('/').pop() ?? '';
}

/** True when a job status of the service whose statuses are `table` means the job has ended (well or badly). */
export function isEndedJobStatus(table: JobStatusTable, status: string | undefined): boolean {
  const phase = meaningOf(table, status)?.phase;
  return phase === 'succeeded' || phase === 'failed';
}

/**
 * The restore as its trigger's long-running operation tells it: failed or still running, or
 * `undefined` once the operation succeeded and the job is what to read next.
 */
export function restoreOperationState(
  resourceName: string,
  status: string | undefined,
  errorMessage: string | undefined,
): RestoreJobStatus | undefined {
  const phase = meaningOf(OPERATION_STATUSES, status)?.phase;
  if (phase === 'failed')
    return {
      state: 'failed',
      message: `restore of ${resourceName} was not started: operation ${status}${errorMessage ? `: ${errorMessage}` : ''}`,
    };
  if (phase !== 'succeeded')
    return { state: 'running', message: `restore operation is ${status ?? 'in progress'}` };
  return undefined;
}

/**
 * A restore job's status as the port's state, read with its service's status `table`; `errors` are
 * the job's error details, already worded. A status the table does not know is never success.
 */
export function restoreJobState(
  table: JobStatusTable,
  jobId: string,
  status: string,
  errors: readonly string[],
  createdResource: string | undefined,
): RestoreJobStatus {
  const phase = meaningOf(table, status)?.phase;
  if (phase === 'succeeded')
    return {
      state: 'succeeded',
      message: `restore job ${jobId} ${status}`,
      ...(createdResource ? { createdResource } : {}),
    };
  if (phase === 'failed')
    return {
      state: 'failed',
      message: `restore job ${jobId} ${status}${errors.length > 0 ? `: ${errors.join('; ')}` : ''}`,
    };
  if (phase === undefined)
    return {
      state: 'running',
      message: `restore job ${jobId} reports status "${status}", not known to Standby`,
    };
  return { state: 'running', message: `restore job ${jobId} is ${status}` };
}
