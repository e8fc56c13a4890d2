/**
 * Recovery points and backup jobs of Azure Backup vaults (Microsoft.DataProtection, REST API
 * 2025-07-01), read through `@azure-rest/core-client` because no `@azure/arm-dataprotection` is
 * available. The design note is docs/design/azure-backup-reading.md.
 */

import type { Client } from '@azure-rest/core-client';
import Bottleneck from 'bottleneck';
import { normalizeRegion } from '#shared/domain/freshness.ts';
import { azureIdProblem, normalizeAzureId, parseAzureId } from '#shared/domain/identifiers.ts';
import {
  type JobObservation,
  PointState,
  type RecoveryPoint,
  type ResourceObservation,
} from '#shared/domain/recovery-point.ts';
import type { VaultProtection } from '#shared/domain/vault-protection.ts';
import type { BackupInventory, InventoryRequest } from '#shared/ports/backup-inventory.ts';
import {
  type ArmConnectionOptions,
  armPath,
  createArmClient,
  describeError,
  listAll,
  OncePerKey,
  resourceLocation,
  vaultIdOf,
} from './arm-pipeline.ts';
import { DATA_PROTECTION_JOB_STATUSES, meaningOf } from './job-statuses.ts';
import { readVaultProtection } from './vault-protection-reader.ts';

/** The Microsoft.DataProtection API version read. */
export const DATA_PROTECTION_API_VERSION = '2025-07-01';

/** `properties.recoveryPointState` → core state; anything else (or none) is `unknown`. */
const POINT_STATES: Readonly<Record<string, PointState>> = {
  completed: PointState.Completed,
  partial: PointState.Partial,
};

/** A recovery point as in the `RecoveryPoints_List` / `FetchSecondaryRecoveryPoints_List` `value[]`. */
interface WirePoint {
  readonly id?: string;
  readonly properties?: {
    readonly recoveryPointState?: string | null;
    readonly recoveryPointTime?: string;
    readonly expiryTime?: string;
  };
}

/** A job as in the `Jobs_List` `value[]`. */
interface WireJob {
  readonly id?: string;
  readonly name?: string;
  readonly properties?: {
    readonly backupInstanceId?: string;
    readonly operationCategory?: string;
    readonly operation?: string;
    readonly status?: string;
    readonly startTime?: string;
    readonly endTime?: string;
    readonly errorDetails?: readonly { readonly message?: string }[];
  };
}

const parseTime = (text: string | undefined): Date | undefined => {
  if (!text) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
};

/**
 * The state of a point without `recoveryPointState`, which the spec makes optional. A point listed by
 * `FetchSecondaryRecoveryPoints` is one the service offers for cross-region restore ("a list of
 * Secondary Recovery Points ... that can be used for Cross Region Restore"), and the spec's own
 * example of that listing carries no state: it is restorable. A vault's own listing says nothing by
 * omission, so there a missing state stays unknown.
 */
const STATELESS: Readonly<Record<'secondary' | 'primary', { state: PointState; providerStatus: string }>> = {
  secondary: { state: PointState.Completed, providerStatus: 'offered for cross-region restore' },
  primary: { state: PointState.Unknown, providerStatus: 'no recoveryPointState' },
};

/**
 * Maps one Data Protection recovery point; `region` is where it was listed, `isCopy` says it was
 * listed by `FetchSecondaryRecoveryPoints` (a cross-region copy) rather than the vault's own list.
 */
export function toRecoveryPoint(wire: WirePoint, region: string, isCopy: boolean): RecoveryPoint {
  const id = wire.id ?? '(no id)';
  const createdAt = parseTime(wire.properties?.recoveryPointTime);
  if (!createdAt)
    throw new Error(
      `recovery point ${id} has no valid properties.recoveryPointTime (got ${JSON.stringify(wire.properties?.recoveryPointTime ?? null)})`,
    );
  const written = wire.properties?.recoveryPointState;
  const { state, providerStatus } =
    written === undefined || written === null || written === ''
      ? STATELESS[isCopy ? 'secondary' : 'primary']
      : { state: POINT_STATES[written.toLowerCase()] ?? PointState.Unknown, providerStatus: written };
  const deleteAt = parseTime(wire.properties?.expiryTime);
  return {
    id,
    location: { kind: 'azure-region', region },
    state,
    providerStatus,
    createdAt,
    isCopy,
    ...(deleteAt ? { deleteAt } : {}),
  };
}

/** Maps one Data Protection job; `undefined` for a job with no usable time. */
export function toJobObservation(wire: WireJob): JobObservation | undefined {
  const p = wire.properties;
  const at = parseTime(p?.endTime) ?? parseTime(p?.startTime);
  if (!at) return undefined;
  const status = p?.status ?? 'Unknown';
  const message = p?.errorDetails?.map((e) => e.message).find((m) => typeof m === 'string');
  return {
    id: wire.id ?? wire.name ?? '(no id)',
    kind: 'backup',
    state: meaningOf(DATA_PROTECTION_JOB_STATUSES, status)?.core ?? status.toUpperCase(),
    at,
    ...(message ? { message } : {}),
  };
}

/** A vault's backup jobs by the normalized id of their backup instance (Azure ids are case-insensitive). */
type BackupJobsByInstance = ReadonlyMap<string, readonly WireJob[]>;

/**
 * Indexes a vault's jobs once, so each backup instance finds its jobs with one lookup instead of a
 * scan of the vault's jobs: only backup jobs (`operationCategory`, or `operation`, is `Backup`).
 */
function backupJobsByInstance(jobs: readonly WireJob[]): BackupJobsByInstance {
  const byInstance = new Map<string, WireJob[]>();
  for (const j of jobs) {
    if ((j.properties?.operationCategory ?? j.properties?.operation ?? '').toLowerCase() !== 'backup')
      continue;
    const key = normalizeAzureId(j.properties?.backupInstanceId ?? '');
    const list = byInstance.get(key);
    if (list) list.push(j);
    else byInstance.set(key, [j]);
  }
  return byInstance;
}

/** Requests to ARM at once per observation; the pipeline retries what ARM throttles beyond it. */
const MAX_CONCURRENT = 8;

/**
 * {@link BackupInventory} of Data Protection backup instances (`azure-backup` sources). Per request:
 * 1. GET the vault of the backup instance for its `location` (once per vault for this inventory's life);
 * 2. if the recovery region is the vault's, list the instance's recovery points (located in the vault
 *    region); otherwise list the points cross-region restore offers in the recovery region
 *    (`fetchSecondaryRecoveryPoints`, located there and marked as copies);
 * 3. list the vault's backup jobs (once per vault per observation) and keep the instance's backup
 *    jobs that ended after `jobsSince`.
 * A request that fails at any step gets `{ ok: false, error }`; the others are unaffected.
 */
export class DataProtectionInventory implements BackupInventory {
  readonly #client: Client;
  readonly #vaultLocations = new OncePerKey<string>();

  constructor(options: ArmConnectionOptions) {
    this.#client = createArmClient(options, DATA_PROTECTION_API_VERSION);
  }

  async observe(requests: readonly InventoryRequest[]): Promise<ReadonlyMap<string, ResourceObservation>> {
    const limiter = new Bottleneck({ maxConcurrent: MAX_CONCURRENT });
    const jobsByVault = new OncePerKey<BackupJobsByInstance>();
    const answers = await Promise.all(
      requests.map(async (r) => [r.key, await this.#observeOne(r, limiter, jobsByVault)] as const),
    );
    return new Map(answers);
  }

  /**
   * Whether each Data Protection backup vault in `vaults` is immutable: BackupVaults_Get, its
   * `securitySettings` (immutability `Disabled` / `Unlocked` / `Locked`, soft delete). Other ids are
   * left out; a vault that cannot be read is `unknown` with the error.
   */
  async protection(vaults: readonly string[], _now: Date): Promise<readonly VaultProtection[]> {
    return readVaultProtection(
      this.#client,
      'dataprotection:BackupVaults_Get',
      vaults,
      /\/providers\/Microsoft\.DataProtection\/backupVaults\/[^/]+$/i,
    );
  }

  async #observeOne(
    request: InventoryRequest,
    limiter: Bottleneck,
    jobsByVault: OncePerKey<BackupJobsByInstance>,
  ): Promise<ResourceObservation> {
    if (request.source.kind !== 'azure-backup')
      return {
        ok: false,
        error: `not a Data Protection backup instance (source kind ${request.source.kind})`,
      };
    const instanceId = request.source.backupInstanceId;
    const problem = azureIdProblem(instanceId, 'backupInstance');
    const vaultId = vaultIdOf(instanceId);
    const instance = parseAzureId(instanceId);
    if (problem || !vaultId || !instance)
      return { ok: false, error: problem ?? `"${instanceId}" is not a backup instance id` };
    try {
      const vaultRegion = await this.#vaultLocations.get(vaultId, () =>
        limiter.schedule(() => resourceLocation(this.#client, 'dataprotection:BackupVaults_Get', vaultId)),
      );
      const inVaultRegion = normalizeRegion(vaultRegion) === normalizeRegion(request.recoveryRegion);
      const [points, jobs] = await Promise.all([
        inVaultRegion
          ? limiter
              .schedule(() =>
                listAll<WirePoint>(this.#client, 'dataprotection:RecoveryPoints_List', () =>
                  this.#client.pathUnchecked(armPath(instanceId, 'recoveryPoints')).get(),
                ),
              )
              .then((wire) => wire.map((p) => toRecoveryPoint(p, vaultRegion, false)))
          : limiter
              .schedule(() =>
                listAll<WirePoint>(this.#client, 'dataprotection:FetchSecondaryRecoveryPoints_List', () =>
                  this.#client
                    .pathUnchecked(
                      armPath(
                        `/subscriptions/${instance.subscriptionId}/resourceGroups/${instance.resourceGroup}`,
                        'providers',
                        'Microsoft.DataProtection',
                        'locations',
                        normalizeRegion(request.recoveryRegion),
                        'fetchSecondaryRecoveryPoints',
                      ),
                    )
                    .post({ body: { sourceBackupInstanceId: instanceId, sourceRegion: vaultRegion } }),
                ),
              )
              .then((wire) => wire.map((p) => toRecoveryPoint(p, request.recoveryRegion, true))),
        jobsByVault.get(vaultId, () =>
          limiter
            .schedule(() =>
              listAll<WireJob>(this.#client, 'dataprotection:Jobs_List', () =>
                this.#client.pathUnchecked(armPath(vaultId, 'backupJobs')).get(),
              ),
            )
            .then(backupJobsByInstance),
        ),
      ]);
      return {
        ok: true,
        points,
        jobs: (jobs.get(normalizeAzureId(instanceId)) ?? [])
          .flatMap((j) => toJobObservation(j) ?? [])
          .filter((j) => j.at.getTime() >= request.jobsSince.getTime()),
      };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  }
}
