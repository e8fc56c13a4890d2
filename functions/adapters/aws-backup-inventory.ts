/**
 * The AWS Backup side of the `BackupInventory` port. Reads each planned vault once with
 * ListRecoveryPointsByBackupVault and shares the listing among every resource in it, and reads recent
 * backup and copy jobs once per source region. Cost model and choices: docs/design/aws-backup-listing.md.
 */
import {
  type BackupClient,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  type RecoveryPointByBackupVault,
} from '@aws-sdk/client-backup';
import { parseArn } from '#shared/domain/identifiers.ts';
import type { BackupSource } from '#shared/domain/plan.ts';
import { PointKeeper } from '#shared/domain/point-keeper.ts';
import { PointState, type RecoveryPoint, type ResourceObservation } from '#shared/domain/recovery-point.ts';
import type { VaultProtection } from '#shared/domain/vault-protection.ts';
import type { BackupInventory, InventoryRequest } from '#shared/ports/backup-inventory.ts';
import { groupBy, JobIndex, type JobListing } from './aws-backup-jobs.ts';
import { AwsCallPolicy } from './aws-retry.ts';
import { readAwsVaultProtection } from './aws-vault-protection.ts';

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

/**
 * The planned resources' points of one vault as read, or why they could not be: per resource ARN,
 * the points freshness can need, and the creation times of the points copy jobs name as sources.
 */
type VaultListing =
  | {
      readonly ok: true;
      readonly keepers: ReadonlyMap<string, PointKeeper>;
      readonly sourceCreated: ReadonlyMap<string, Date>;
    }
  | { readonly ok: false; readonly error: string };

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
   * 2. List each region's backup and copy jobs once and each vault once (filtered by resource when
   *    only one planned resource is in it), all concurrently under the per-region rate limit.
   * 3. Read each vault page as it comes, matching its points to resources through a map by resource
   *    ARN (one lookup per point), and keep only what freshness can need (`PointKeeper`); the jobs,
   *    read by then, say which points are copies whose data time comes from their source.
   * 4. Hand each resource its points and jobs; a vault that could not be read fails its resources only.
   */
  /** Vault Lock of each AWS Backup vault ARN in `vaults` (DescribeBackupVault, one call per vault). */
  protection(vaults: readonly string[], now: Date): Promise<readonly VaultProtection[]> {
    return readAwsVaultProtection(vaults, this.#clientFor, now);
  }

  async observe(requests: readonly InventoryRequest[]): Promise<ReadonlyMap<string, ResourceObservation>> {
    const result = new Map<string, ResourceObservation>();
    const aws: AwsRequest[] = [];
    for (const r of requests) {
      if (r.source.kind === 'aws-backup') aws.push(r as AwsRequest);
      else result.set(r.key, { ok: false, error: `not an AWS Backup source (${r.source.kind})` });
    }
    const byVault = groupBy(aws, (r) => r.source.vaultArn);
    const byJobRegion = groupBy(aws, sourceRegion);

    const jobsRead = Promise.all(
      [...byJobRegion].map(async ([region, group]) => {
        const since = new Date(Math.min(...group.map((r) => r.jobsSince.getTime())));
        return [region, await this.#listJobs(region, since)] as const;
      }),
    ).then((entries) => new JobIndex(new Map(entries)));
    const vaults = new Map(
      await Promise.all(
        [...byVault].map(
          async ([vaultArn, group]) => [vaultArn, await this.#readVault(vaultArn, group, jobsRead)] as const,
        ),
      ),
    );
    const jobs = await jobsRead;
    const sourceTimes = jobs.sourceDataTimes(
      [...vaults.values()].flatMap((v) => (v.ok ? [v.sourceCreated] : [])),
    );

    for (const r of aws) {
      const listing = vaults.get(r.source.vaultArn)!;
      if (!listing.ok) {
        result.set(r.key, listing);
        continue;
      }
      const points = (listing.keepers.get(r.source.resourceArn)?.points() ?? []).map((p) => {
        const sourceDataTime = sourceTimes.get(p.id);
        return sourceDataTime ? { ...p, sourceDataTime } : p;
      });
      const region = sourceRegion(r);
      const errors = jobs.errorsOf(region);
      result.set(r.key, {
        ok: true,
        points,
        jobs: jobs.of(region, r.source),
        ...(errors.length > 0 ? { jobsError: errors.join('; ') } : {}),
      });
    }
    return result;
  }

  /**
   * Every page of the vault's recovery points (of the one planned resource, when there is one),
   * each page reduced as it comes to the points of planned resources that freshness can need.
   */
  async #readVault(
    vaultArn: string,
    group: readonly AwsRequest[],
    jobsRead: Promise<JobIndex>,
  ): Promise<VaultListing> {
    const arn = parseArn(vaultArn);
    const name = arn?.resource.startsWith('backup-vault:') ? arn.resource.slice('backup-vault:'.length) : '';
    if (!arn?.region || !name)
      return {
        ok: false,
        error: `"${vaultArn}" is not a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>)`,
      };
    const location = { kind: 'aws-vault', vaultArn } as const;
    const keepers = new Map(group.map((r) => [r.source.resourceArn, new PointKeeper(location)]));
    const only = keepers.size === 1 ? group[0]!.source.resourceArn : undefined;
    const sourceCreated = new Map<string, Date>();
    const client = this.#clientFor(arn.region);
    try {
      await this.#paginate(
        arn.region,
        'backup:ListRecoveryPointsByBackupVault',
        async (token) => {
          const page = await client.send(
            new ListRecoveryPointsByBackupVaultCommand({
              BackupVaultName: name,
              MaxResults: PAGE_SIZE,
              ...(only ? { ByResourceArn: only } : {}),
              ...(token ? { NextToken: token } : {}),
            }),
          );
          return { items: page.RecoveryPoints ?? [], next: page.NextToken };
        },
        async (items) => {
          const jobs = await jobsRead;
          for (const p of items) {
            // The listing is by name in the vault's region; another account's vault of that name is not this one.
            if (p.BackupVaultArn !== undefined && p.BackupVaultArn !== vaultArn) continue;
            if (p.RecoveryPointArn && p.CreationDate && jobs.isCopySource(p.RecoveryPointArn))
              sourceCreated.set(p.RecoveryPointArn, p.CreationDate);
            const keeper = p.ResourceArn === undefined ? undefined : keepers.get(p.ResourceArn);
            const point = keeper ? toRecoveryPoint(p, vaultArn) : undefined;
            if (point) keeper!.offer(point, !jobs.isCopyDestination(point.id));
          }
        },
      );
      return { ok: true, keepers, sourceCreated };
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
      const all: T[] = [];
      try {
        await this.#paginate(region, operation, page, async (items) => {
          all.push(...items);
        });
        return all;
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

  /**
   * Follows NextToken to the end, each page a paced and retried call, handing each page to `onPage`
   * while the next one is already being fetched; no page is kept once handled.
   */
  async #paginate<T>(
    region: string,
    operation: string,
    page: (token: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
    onPage: (items: readonly T[]) => Promise<void>,
  ): Promise<void> {
    const fetch = (token: string | undefined) => this.#policy.run(region, operation, () => page(token));
    let current = fetch(undefined);
    for (;;) {
      const out = await current;
      const token = out.next || undefined;
      const next = token ? fetch(token) : undefined;
      // Handled below, after this page; until then a failure of the next page must not be "unhandled".
      next?.catch(() => {});
      await onPage(out.items);
      if (!next) return;
      current = next;
    }
  }
}

/**
 * The region the resource is backed up in, where its backup jobs run and its copy jobs are listed.
 * ARNs without a region (S3 buckets) fall back to the vault's region.
 */
function sourceRegion(r: AwsRequest): string {
  return parseArn(r.source.resourceArn)?.region || parseArn(r.source.vaultArn)?.region || r.recoveryRegion;
}

/**
 * The point in domain form, without its source's data time (added once the jobs are read);
 * `undefined` for a record without ARN or CreationDate (the API always sets both).
 */
function toRecoveryPoint(p: RecoveryPointByBackupVault, planVaultArn: string): RecoveryPoint | undefined {
  if (!p.RecoveryPointArn || !p.CreationDate) return undefined;
  const status = p.Status ?? 'UNKNOWN';
  const deleteAt = p.CalculatedLifecycle?.DeleteAt;
  return {
    id: p.RecoveryPointArn,
    location: { kind: 'aws-vault', vaultArn: p.BackupVaultArn ?? planVaultArn },
    state: recoveryPointState(status),
    providerStatus: status,
    createdAt: p.CreationDate,
    isCopy: Boolean(p.SourceBackupVaultArn),
    ...(deleteAt ? { deleteAt } : {}),
  };
}

/** The core's state for an AWS Backup recovery point `Status`; anything not known is `unknown`. */
export function recoveryPointState(status: string): PointState {
  return STATE_BY_STATUS[status.toUpperCase()] ?? PointState.Unknown;
}
