/**
 * The backup and copy jobs an AWS Backup inventory reads once per source region, indexed for one
 * observation: jobs by resource ARN (one lookup per resource instead of a scan of every job), and the
 * recovery points copy jobs name as destinations (copies) and as sources.
 */
import type { BackupJob, CopyJob } from '@aws-sdk/client-backup';
import type { BackupSource } from '#shared/domain/plan.ts';
import type { JobObservation } from '#shared/domain/recovery-point.ts';

type AwsSource = Extract<BackupSource, { kind: 'aws-backup' }>;

/** Backup and copy jobs of one source region, each with the error that kept it from being read. */
export interface JobListing {
  readonly backup: readonly BackupJob[];
  readonly copy: readonly CopyJob[];
  readonly errors: readonly string[];
}

/**
 * The jobs of every source region read for one observation, indexed: jobs by resource ARN, and which
 * recovery points copy jobs name as destinations (copies) and as sources.
 */
export class JobIndex {
  readonly #listings: ReadonlyMap<string, JobListing>;
  readonly #backupByResource = new Map<string, Map<string, BackupJob[]>>();
  readonly #copyByResource = new Map<string, Map<string, CopyJob[]>>();
  readonly #destinations = new Set<string>();
  readonly #sources = new Set<string>();

  constructor(listings: ReadonlyMap<string, JobListing>) {
    this.#listings = listings;
    for (const [region, listing] of listings) {
      this.#backupByResource.set(
        region,
        groupBy(listing.backup, (j) => j.ResourceArn ?? ''),
      );
      this.#copyByResource.set(
        region,
        groupBy(listing.copy, (j) => j.ResourceArn ?? ''),
      );
      for (const j of listing.copy) {
        if (j.DestinationRecoveryPointArn) this.#destinations.add(j.DestinationRecoveryPointArn);
        if (j.SourceRecoveryPointArn) this.#sources.add(j.SourceRecoveryPointArn);
      }
    }
  }

  /** True when a copy job names the point as its destination: its data time may be its source's. */
  isCopyDestination(pointArn: string): boolean {
    return this.#destinations.has(pointArn);
  }

  /** True when a copy job names the point as its source. */
  isCopySource(pointArn: string): boolean {
    return this.#sources.has(pointArn);
  }

  /** What kept `region`'s jobs from being read. */
  errorsOf(region: string): readonly string[] {
    return this.#listings.get(region)?.errors ?? [];
  }

  /** The resource's backup jobs, and its copy jobs into the plan's vault. */
  of(region: string, source: AwsSource): JobObservation[] {
    const backups = (this.#backupByResource.get(region)?.get(source.resourceArn) ?? []).flatMap(
      (j) => toJob('backup', j.BackupJobId, j.State, j) ?? [],
    );
    const copies = (this.#copyByResource.get(region)?.get(source.resourceArn) ?? [])
      .filter(
        (j) => j.DestinationBackupVaultArn === undefined || j.DestinationBackupVaultArn === source.vaultArn,
      )
      .flatMap((j) => toJob('copy', j.CopyJobId, j.State, j) ?? []);
    return [...backups, ...copies];
  }

  /**
   * Data times of copies, by copy point ARN, from what was read anyway (no extra calls): the copy job
   * whose destination is the copy names its source point; that point's CreationDate is taken from any
   * vault listing (`vaultSources`: the creation times of copy sources each vault listing held), else the CreationDate of the backup job that made it, which is never later than the
   * data it captured (so the age is over-, never under-estimated).
   */
  sourceDataTimes(vaultSources: Iterable<ReadonlyMap<string, Date>>): Map<string, Date> {
    const created = new Map<string, Date>();
    for (const listing of this.#listings.values())
      for (const j of listing.backup)
        if (j.RecoveryPointArn && j.CreationDate) created.set(j.RecoveryPointArn, j.CreationDate);
    for (const sources of vaultSources) for (const [arn, at] of sources) created.set(arn, at);
    const times = new Map<string, Date>();
    for (const listing of this.#listings.values())
      for (const j of listing.copy) {
        const source = j.SourceRecoveryPointArn ? created.get(j.SourceRecoveryPointArn) : undefined;
        if (j.DestinationRecoveryPointArn && source) times.set(j.DestinationRecoveryPointArn, source);
      }
    return times;
  }
}

function toJob(
  kind: JobObservation['kind'],
  id: string | undefined,
  state: string | undefined,
  j: { CompletionDate?: Date; CreationDate?: Date; StatusMessage?: string },
): JobObservation | undefined {
  const at = j.CompletionDate ?? j.CreationDate;
  if (!id || !at) return undefined;
  return {
    id,
    kind,
    state: (state ?? 'UNKNOWN').toUpperCase(),
    at,
    ...(j.StatusMessage ? { message: j.StatusMessage } : {}),
  };
}

/** Items grouped by `key`, each group in the items' order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
