/**
 * What the job and operation statuses of the two Azure backup services mean, one closed table per
 * service. The two services spell the same outcome differently, and Data Protection spells it in
 * several ways, so no status is guessed from its shape:
 * - Data Protection (`AzureBackupJob.status`, a free string: "Status of the job like
 *   InProgress/Completed/Failed/Cancelled/CompletedWithWarnings/Cancelling/Paused" in
 *   Microsoft.DataProtection 2025-07-01, "InProgress/Success/Failed/Cancelled/SuccessWithWarning" in
 *   earlier versions; the spec's examples show `Started` and `Succeeded`, and the service also reports
 *   `SucceededWithWarnings`);
 * - Recovery Services (`JobStatus` enum of Microsoft.RecoveryServices: `Invalid`, `InProgress`,
 *   `Completed`, `Failed`, `CompletedWithWarnings`, `Cancelled`, `Cancelling`);
 * - long-running operations of both (`OperationResource.status`: "(InProgress/Success/Failed/Cancelled)"
 *   in the spec text, `Succeeded` / `Failed` / `Canceled` in ARM's own convention and the examples).
 */

/** Where a job is: still going, ended well, or ended badly. */
export type JobPhase = 'running' | 'succeeded' | 'failed';

/** One status's meaning: its phase, and the core's upper-case job state (AWS's words). */
export interface JobStatusMeaning {
  readonly phase: JobPhase;
  readonly core: string;
}

/** A service's statuses, keyed lower-case. */
export type JobStatusTable = Readonly<Record<string, JobStatusMeaning>>;

const running = (core: string): JobStatusMeaning => ({ phase: 'running', core });
const succeeded = (core: string): JobStatusMeaning => ({ phase: 'succeeded', core });
const failed = (core: string): JobStatusMeaning => ({ phase: 'failed', core });

/** Data Protection job statuses (backup vault jobs and cross-region restore jobs). */
export const DATA_PROTECTION_JOB_STATUSES: JobStatusTable = {
  started: running('RUNNING'),
  inprogress: running('RUNNING'),
  cancelling: running('ABORTING'),
  paused: running('PAUSED'),
  succeeded: succeeded('COMPLETED'),
  success: succeeded('COMPLETED'),
  completed: succeeded('COMPLETED'),
  succeededwithwarnings: succeeded('COMPLETED_WITH_WARNINGS'),
  successwithwarning: succeeded('COMPLETED_WITH_WARNINGS'),
  successwithwarnings: succeeded('COMPLETED_WITH_WARNINGS'),
  completedwithwarnings: succeeded('COMPLETED_WITH_WARNINGS'),
  failed: failed('FAILED'),
  cancelled: failed('ABORTED'),
  canceled: failed('ABORTED'),
};

/** Recovery Services `JobStatus` values (`Invalid` is left out: it is unknown, never success). */
export const RECOVERY_SERVICES_JOB_STATUSES: JobStatusTable = {
  inprogress: running('RUNNING'),
  cancelling: running('ABORTING'),
  completed: succeeded('COMPLETED'),
  completedwithwarnings: succeeded('COMPLETED_WITH_WARNINGS'),
  failed: failed('FAILED'),
  cancelled: failed('ABORTED'),
};

/** Long-running operation statuses of both services' trigger APIs. */
export const OPERATION_STATUSES: JobStatusTable = {
  inprogress: running('RUNNING'),
  accepted: running('RUNNING'),
  running: running('RUNNING'),
  succeeded: succeeded('COMPLETED'),
  success: succeeded('COMPLETED'),
  failed: failed('FAILED'),
  canceled: failed('ABORTED'),
  cancelled: failed('ABORTED'),
};

/** The meaning of `status` in `table`; `undefined` for a status the table does not know. */
export function meaningOf(table: JobStatusTable, status: string | undefined): JobStatusMeaning | undefined {
  return table[(status ?? '').toLowerCase()];
}
