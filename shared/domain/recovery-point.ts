/**
 * What the core knows about a recovery point and a backup/copy job, whichever cloud it came from.
 * Adapters map provider shapes (AWS Backup, Data Protection, Recovery Services) into these.
 */

/** Where a recovery point lives: an AWS Backup vault, or an Azure region. */
export type RecoveryLocation =
  | { readonly kind: 'aws-vault'; readonly vaultArn: string }
  | { readonly kind: 'azure-region'; readonly region: string };

/** Recovery point states as the core sees them; only `completed` counts toward freshness. */
export const PointState = {
  Completed: 'completed',
  Partial: 'partial',
  Creating: 'creating',
  Expired: 'expired',
  Deleting: 'deleting',
  Stopped: 'stopped',
  Unknown: 'unknown',
} as const;
/** One of {@link PointState}. */
export type PointState = (typeof PointState)[keyof typeof PointState];

/** A recovery point, normalised. */
export interface RecoveryPoint {
  /** ARN or Azure id of the point. */
  readonly id: string;
  readonly location: RecoveryLocation;
  readonly state: PointState;
  /** The provider's own status text, for reasons and evidence. */
  readonly providerStatus: string;
  /** When the point itself was created (AWS `CreationDate`; Azure `recoveryPointTime`). */
  readonly createdAt: Date;
  /** For a copy: the data time of its source point, when known. */
  readonly sourceDataTime?: Date;
  /** True when the point is a copy made from another vault or region. */
  readonly isCopy: boolean;
  /** When the point will be or was deleted (`CalculatedLifecycle.DeleteAt` / `expiryTime`). */
  readonly deleteAt?: Date;
}

/** Terminal job states that mean "the latest backup did not happen". */
export const FAILED_JOB_STATES = ['FAILED', 'ABORTED', 'EXPIRED'] as const;

/**
 * Terminal job states worth a note on the resource: the failed ones, and `PARTIAL` (AWS Backup
 * BackupJobState and CopyJobState: some of the resource was not backed up or copied, e.g. namespaces
 * of an EKS cluster), which leaves a point that may not hold everything the restore needs.
 */
export const NOTED_JOB_STATES = [...FAILED_JOB_STATES, 'PARTIAL'] as const;

/** A backup or copy job of a resource, normalised. */
export interface JobObservation {
  readonly id: string;
  readonly kind: 'backup' | 'copy';
  /** Provider state, upper-cased: `COMPLETED`, `FAILED`, `ABORTED`, `EXPIRED`, `RUNNING`, ... */
  readonly state: string;
  /** When the job ended (or was last seen), used to compare with the newest point. */
  readonly at: Date;
  readonly message?: string;
}

/** What was read for one resource: its points and recent jobs, or why it could not be read. */
export type ResourceObservation =
  | {
      readonly ok: true;
      readonly points: readonly RecoveryPoint[];
      readonly jobs: readonly JobObservation[];
      /** Set when the points were read but recent jobs were not: `jobs` is then empty, not "no jobs". */
      readonly jobsError?: string;
    }
  | { readonly ok: false; readonly error: string };
