/**
 * The AWS Backup side of the `BackupInventory` port. Reads each planned vault once with
 * ListRecoveryPointsByBackupVault and shares the listing among every resource in it, and reads recent
 * backup and copy jobs once per source region. Cost model and choices: docs/design/aws-backup-listing.md.
 */
import {
  type BackupClient,
  type BackupJob,
  type CopyJob,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  type RecoveryPointByBackupVault,
} from '@aws-sdk/client-backup';
import { parseArn } from '#shared/domain/identifiers.ts';
import type { BackupSource } from '#shared/domain/plan.ts';
import {
  type JobObservation,
  PointState,
  type RecoveryPoint,
  type ResourceObservation,
} from '#shared/domain/recovery-point.ts';
import type { BackupInventory, InventoryRequest } from '#shared/ports/backup-inventory.ts';
import { AwsCallPolicy } from './aws-retry.ts';

/** What the adapter needs. */
export interface AwsBackupInventoryOptions {
  /**
   * The Backup client of a region (cache them: this is called per listing). Build clients with
   * `maxAttempts: 1`: this adapter retries with its own backoff, and SDK retries would multiply it.
   */
  readonly clientFor: (region: string) => BackupClient;
  /** List* calls per second per region; default 20, the AWS Backup List* quota per account and region. */
  readonly maxCallsPerSecond?: number;
  /** Attempts per call, the first included; default 5. */
  readonly maxAttempts?: number;
  /** Delay before the first retry in ms, doubled each retry with jitter (capped at 5 s); default 200. */
  readonly retryBaseDelayMs?: number;
}

/** AWS Backup `Status` → the core's point state. */
const STATE_BY_STATUS: Readonly<Record<string, PointState>> = {
  COMPLETED: PointState.Completed,
  // AWS documents AVAILABLE as "the backup was successfully created ... ready for use" (see the design note).
  AVAILABLE: PointState.Completed,
  PARTIAL: PointState.Partial,
  CREATING: PointState.Creating,
  EXPIRED: PointState.Expired,
  DELETING: PointState.Deleting,
  STOPPED: PointState.Stopped,
};

/** Page size of every listing: the API maximum, so a listing costs as few calls as it can. */
const PAGE_SIZE = 1000;

type AwsSource = Extract<BackupSource, { kind: 'aws-backup' }>;
type AwsRequest = InventoryRequest & { readonly source: AwsSource };

/** The recovery points of one vault as read, or why they could not be. */
type VaultListing =
  | { readonly ok: true; readonly points: readonly RecoveryPointByBackupVault[] }
  | { readonly ok: false; readonly error: string };

/** Backup and copy jobs of one source region, each with the error that kept it from being read. */
interface JobListing {
  readonly backup: readonly BackupJob[];
  readonly copy: readonly CopyJob[];
  readonly errors: readonly string[];
}

/** Reads recovery points and recent jobs from AWS Backup; never throws for one vault or region. */
export class AwsBackupInventory implements BackupInventory {
  readonly #clientFor: (region: string) => BackupClient;
  readonly #policy: AwsCallPolicy;

  constructor(options: AwsBackupInventoryOptions) {
    this.#clientFor = options.clientFor;
    this.#policy = new AwsCallPolicy({
      maxCallsPerSecond: options.maxCallsPerSecond ?? 20,
      maxAttempts: options.maxAttempts ?? 5,
      baseDelayMs: options.retryBaseDelayMs ?? 200,
      maxDelayMs: 5_000,
    });
  }

  /**
   * 1. Group AWS Backup requests by vault, and by the region their resource is backed up in.
   * 2. List each vault once (filtered by resource when only one planned resource is in it) and each
   *    region's backup and copy jobs once, all concurrently under the per-region rate limit.
   * 3. Hand each resource its points and jobs; a vault that could not be read fails its resources only.
   */
  async observe(requests: readonly InventoryRequest[]): Promise<ReadonlyMap<string, ResourceObservation>> {
    const result = new Map<string, ResourceObservation>();
    const aws: AwsRequest[] = [];
    for (const r of requests) {
      if (r.source.kind === 'aws-backup') aws.push(r as AwsRequest);
      else result.set(r.key, { ok: false, error: `not an AWS Backup source (${r.source.kind})` });
    }
    const byVault = groupBy(aws, (r) => r.source.vaultArn);
    const byJobRegion = groupBy(aws, sourceRegion);

    const [vaults, jobs] = await Promise.all([
      Promise.all(
        [...byVault].map(async ([vaultArn, group]) => {
          const only = group.length === 1 ? group[0]!.source.resourceArn : undefined;
          return [vaultArn, await this.#listVault(vaultArn, only)] as const;
        }),
      ),
      Promise.all(
        [...byJobRegion].map(async ([region, group]) => {
          const since = new Date(Math.min(...group.map((r) => r.jobsSince.getTime())));
          return [region, await this.#listJobs(region, since)] as const;
        }),
      ),
    ]);
    const vaultListings = new Map(vaults);
    const jobListings = new Map(jobs);
    const sourceTimes = sourceDataTimes(vaultListings, jobListings);

    for (const r of aws) {
      const listing = vaultListings.get(r.source.vaultArn)!;
      if (!listing.ok) {
        result.set(r.key, listing);
        continue;
      }
      const points = listing.points
        .filter((p) => p.ResourceArn === r.source.resourceArn)
        .flatMap((p) => toRecoveryPoint(p, r.source.vaultArn, sourceTimes) ?? []);
      const jobListing = jobListings.get(sourceRegion(r))!;
      result.set(r.key, {
        ok: true,
        points,
        jobs: jobsOf(r.source, jobListing),
        ...(jobListing.errors.length > 0 ? { jobsError: jobListing.errors.join('; ') } : {}),
      });
    }
    return result;
  }

  /** Every page of the vault's recovery points (of `resourceArn` only, when given). */
  async #listVault(vaultArn: string, resourceArn: string | undefined): Promise<VaultListing> {
    const arn = parseArn(vaultArn);
    const name = arn?.resource.startsWith('backup-vault:') ? arn.resource.slice('backup-vault:'.length) : '';
    if (!arn?.region || !name)
      return {
        ok: false,
        error: `"${vaultArn}" is not a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>)`,
      };
    const client = this.#clientFor(arn.region);
    try {
      const points = await this.#paginate(
        arn.region,
        'backup:ListRecoveryPointsByBackupVault',
        async (token) => {
          const page = await client.send(
            new ListRecoveryPointsByBackupVaultCommand({
              BackupVaultName: name,
              MaxResults: PAGE_SIZE,
              ...(resourceArn ? { ByResourceArn: resourceArn } : {}),
              ...(token ? { NextToken: token } : {}),
            }),
          );
          return { items: page.RecoveryPoints ?? [], next: page.NextToken };
        },
      );
      // The listing is by name in the vault's region; another account's vault of that name is not this one.
      return {
        ok: true,
        points: points.filter((p) => p.BackupVaultArn === undefined || p.BackupVaultArn === vaultArn),
      };
    } catch (error) {
      return { ok: false, error: `${(error as Error).message} (vault ${vaultArn})` };
    }
  }

  /** Backup and copy jobs of `region` that completed after `since`; a failed listing is noted, not thrown. */
  async #listJobs(region: string, since: Date): Promise<JobListing> {
    const client = this.#clientFor(region);
    const errors: string[] = [];
    const read = async <T>(
      operation: string,
      page: (token: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
    ) => {
      try {
        return await this.#paginate(region, operation, page);
      } catch (error) {
        errors.push(`${(error as Error).message} (region ${region})`);
        return [];
      }
    };
    const [backup, copy] = await Promise.all([
      read('backup:ListBackupJobs', async (token) => {
        const out = await client.send(
          new ListBackupJobsCommand({
            ByCompleteAfter: since,
            MaxResults: PAGE_SIZE,
            ...(token ? { NextToken: token } : {}),
          }),
        );
        return { items: out.BackupJobs ?? [], next: out.NextToken };
      }),
      read('backup:ListCopyJobs', async (token) => {
        const out = await client.send(
          new ListCopyJobsCommand({
            ByCompleteAfter: since,
            MaxResults: PAGE_SIZE,
            ...(token ? { NextToken: token } : {}),
          }),
        );
        return { items: out.CopyJobs ?? [], next: out.NextToken };
      }),
    ]);
    return { backup, copy, errors };
  }

  /** Follows NextToken to the end, each page a paced and retried call. */
  async #paginate<T>(
    region: string,
    operation: string,
    page: (token: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
  ): Promise<T[]> {
    const all: T[] = [];
    let token: string | undefined;
    do {
      const current = token;
      const out = await this.#policy.run(region, operation, () => page(current));
      all.push(...out.items);
      token = out.next || undefined;
    } while (token);
    return all;
  }
}

/**
 * The region the resource is backed up in, where its backup jobs run and its copy jobs are listed.
 * ARNs without a region (S3 buckets) fall back to the vault's region.
 */
function sourceRegion(r: AwsRequest): string {
  return parseArn(r.source.resourceArn)?.region || parseArn(r.source.vaultArn)?.region || r.recoveryRegion;
}

/** The point in domain form; `undefined` for a record without ARN or CreationDate (the API always sets both). */
function toRecoveryPoint(
  p: RecoveryPointByBackupVault,
  planVaultArn: string,
  sourceTimes: ReadonlyMap<string, Date>,
): RecoveryPoint | undefined {
  if (!p.RecoveryPointArn || !p.CreationDate) return undefined;
  const status = p.Status ?? 'UNKNOWN';
  const sourceDataTime = sourceTimes.get(p.RecoveryPointArn);
  const deleteAt = p.CalculatedLifecycle?.DeleteAt;
  return {
    id: p.RecoveryPointArn,
    location: { kind: 'aws-vault', vaultArn: p.BackupVaultArn ?? planVaultArn },
    state: recoveryPointState(status),
    providerStatus: status,
    createdAt: p.CreationDate,
    isCopy: Boolean(p.SourceBackupVaultArn),
    ...(sourceDataTime ? { sourceDataTime } : {}),
    ...(deleteAt ? { deleteAt } : {}),
  };
}

/** The core's state for an AWS Backup recovery point `Status`; anything not known is `unknown`. */
export function recoveryPointState(status: string): PointState {
  return STATE_BY_STATUS[status.toUpperCase()] ?? PointState.Unknown;
}

/**
 * Data times of copies, by copy point ARN, from what was read anyway (no extra calls): the copy job
 * whose destination is the copy names its source point; that point's CreationDate is taken from any
 * vault listing, else the CreationDate of the backup job that made it, which is never later than the
 * data it captured (so the age is over-, never under-estimated).
 */
function sourceDataTimes(
  vaults: ReadonlyMap<string, VaultListing>,
  jobs: ReadonlyMap<string, JobListing>,
): Map<string, Date> {
  const created = new Map<string, Date>();
  for (const listing of jobs.values())
    for (const j of listing.backup)
      if (j.RecoveryPointArn && j.CreationDate) created.set(j.RecoveryPointArn, j.CreationDate);
  for (const listing of vaults.values())
    if (listing.ok)
      for (const p of listing.points)
        if (p.RecoveryPointArn && p.CreationDate) created.set(p.RecoveryPointArn, p.CreationDate);
  const times = new Map<string, Date>();
  for (const listing of jobs.values())
    for (const j of listing.copy) {
      const source = j.SourceRecoveryPointArn ? created.get(j.SourceRecoveryPointArn) : undefined;
      if (j.DestinationRecoveryPointArn && source) times.set(j.DestinationRecoveryPointArn, source);
    }
  return times;
}

/** The resource's backup jobs, and its copy jobs into the plan's vault. */
function jobsOf(source: AwsSource, listing: JobListing): JobObservation[] {
  const backups = listing.backup
    .filter((j) => j.ResourceArn === source.resourceArn)
    .flatMap((j) => toJob('backup', j.BackupJobId, j.State, j) ?? []);
  const copies = listing.copy
    .filter(
      (j) =>
        j.ResourceArn === source.resourceArn &&
        (j.DestinationBackupVaultArn === undefined || j.DestinationBackupVaultArn === source.vaultArn),
    )
    .flatMap((j) => toJob('copy', j.CopyJobId, j.State, j) ?? []);
  return [...backups, ...copies];
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

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
