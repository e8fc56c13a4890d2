/**
 * Recovery points of Recovery Services vaults (Azure VM, SQL/SAP HANA in VM, file share backups),
 * read with `@azure/arm-recoveryservicesbackup` at API 2025-02-01. The design note is
 * docs/design/azure-backup-reading.md.
 */

import {
  type RecoveryPointTierInformationV2,
  RecoveryServicesBackupClient,
} from '@azure/arm-recoveryservicesbackup';
import { isRestError } from '@azure/core-rest-pipeline';
import type { Client } from '@azure-rest/core-client';
import Bottleneck from 'bottleneck';
import { azureIdProblem, parseAzureId } from '#shared/domain/identifiers.ts';
import { PointState, type RecoveryPoint, type ResourceObservation } from '#shared/domain/recovery-point.ts';
import type { VaultProtection } from '#shared/domain/vault-protection.ts';
import type { BackupInventory, InventoryRequest } from '#shared/ports/backup-inventory.ts';
import {
  type ArmConnectionOptions,
  createArmClient,
  describeError,
  OncePerKey,
  resourceLocation,
  SubscriptionClients,
  vaultIdOf,
} from './arm-pipeline.ts';
import { readVaultProtection } from './vault-protection-reader.ts';

/** The Microsoft.RecoveryServices API version read (the package's own default is older). */
export const RECOVERY_SERVICES_API_VERSION = '2025-02-01';

/** What the tier details of a point say: its state, the words for it, and when a rehydrated copy goes. */
export interface TierVerdict {
  readonly state: PointState;
  readonly providerStatus: string;
  readonly deleteAt?: Date;
}

/**
 * The rule for a Recovery Services point, which has no state of its own, only tiers (InstantRP
 * snapshot, HardenedRP vault copy, ArchivedRP):
 * 1. no tier details: the point is listed, so it is restorable (`completed`);
 * 2. a tier `Valid`: restorable, with no deletion time (the list shows no expiry for it);
 * 3. otherwise a tier `Rehydrated`: restorable until its `RehydratedRPExpiryTime` (the earliest, when
 *    several), which becomes `deleteAt`; an archived point rehydrated for a restore lapses then;
 * 4. every tier `Deleted`: `expired`; any other mix (`Invalid`, `Disabled`): `unknown`.
 */
export function tierVerdict(tiers: readonly RecoveryPointTierInformationV2[] | undefined): TierVerdict {
  if (!tiers || tiers.length === 0) return { state: PointState.Completed, providerStatus: 'no tier details' };
  const providerStatus = tiers.map((t) => `${t.type ?? 'tier'} ${t.status ?? 'unknown'}`).join(', ');
  const statusOf = (t: RecoveryPointTierInformationV2) => (t.status ?? '').toLowerCase();
  if (tiers.some((t) => statusOf(t) === 'valid')) return { state: PointState.Completed, providerStatus };
  const rehydrated = tiers.filter((t) => statusOf(t) === 'rehydrated');
  if (rehydrated.length > 0) {
    const expiries = rehydrated
      .map((t) => new Date(t.extendedInfo?.['RehydratedRPExpiryTime'] ?? Number.NaN))
      .filter((d) => !Number.isNaN(d.getTime()))
      .sort((a, b) => a.getTime() - b.getTime());
    return {
      state: PointState.Completed,
      providerStatus,
      ...(expiries[0] ? { deleteAt: expiries[0] } : {}),
    };
  }
  if (tiers.every((t) => statusOf(t) === 'deleted')) return { state: PointState.Expired, providerStatus };
  return { state: PointState.Unknown, providerStatus };
}

/** The fields read from a point's properties, across the SDK's polymorphic recovery point types. */
interface PointProperties {
  readonly recoveryPointTime?: Date;
  readonly recoveryPointTimeInUTC?: Date;
  readonly recoveryPointTierDetails?: RecoveryPointTierInformationV2[];
}

/** Maps one Recovery Services point (as the SDK deserializes it) listed in `region`. */
export function toRecoveryPoint(
  point: { readonly id?: string; readonly properties?: object },
  region: string,
): RecoveryPoint {
  const id = point.id ?? '(no id)';
  const props = (point.properties ?? {}) as PointProperties;
  const createdAt = props.recoveryPointTime ?? props.recoveryPointTimeInUTC;
  if (!(createdAt instanceof Date) || Number.isNaN(createdAt.getTime()))
    throw new Error(`recovery point ${id} has no valid properties.recoveryPointTime`);
  const verdict = tierVerdict(props.recoveryPointTierDetails);
  return {
    id,
    location: { kind: 'azure-region', region },
    state: verdict.state,
    providerStatus: verdict.providerStatus,
    createdAt,
    isCopy: false,
    ...(verdict.deleteAt ? { deleteAt: verdict.deleteAt } : {}),
  };
}

/** An SDK failure in the words of {@link ArmRequestError}: operation, status, ARM code, message. */
function describeSdkError(operation: string, error: unknown): string {
  if (isRestError(error))
    return `${operation}: HTTP ${error.statusCode ?? 'no status'}${error.code ? ` ${error.code}` : ''}: ${error.message}`;
  return `${operation}: ${describeError(error)}`;
}

/** Requests to ARM at once per observation; the pipeline retries what ARM throttles beyond it. */
const MAX_CONCURRENT = 8;

/**
 * {@link BackupInventory} of Recovery Services protected items (`azure-recovery-services` sources).
 * Per request:
 * 1. GET the vault for its `location` (once per vault for this inventory's life);
 * 2. list the item's recovery points with the SDK (which follows `nextLink`), located in the vault's
 *    region. This package version has no cross-region-restore listing (`recoveryPointsCrr` is in the
 *    passive-stamp package), so for a recovery region other than the vault's the points are still
 *    reported in the vault's region and do not count there: the safe answer, and the reason names it.
 * Jobs are not read: Recovery Services jobs name the workload by friendly name only, not by
 * protected item id, so matching them would guess. A request that fails gets `{ ok: false, error }`.
 */
export class RecoveryServicesInventory implements BackupInventory {
  readonly #rest: Client;
  readonly #clients: SubscriptionClients<RecoveryServicesBackupClient>;
  readonly #vaultLocations = new OncePerKey<string>();

  constructor(options: ArmConnectionOptions) {
    this.#rest = createArmClient(options, RECOVERY_SERVICES_API_VERSION);
    this.#clients = new SubscriptionClients(
      options,
      (credential, subscriptionId, clientOptions) =>
        new RecoveryServicesBackupClient(credential, subscriptionId, {
          ...clientOptions,
          $host: clientOptions.endpoint,
          apiVersion: RECOVERY_SERVICES_API_VERSION,
        }),
    );
  }

  /**
   * Whether each Recovery Services vault in `vaults` is immutable: Vaults_Get, its `securitySettings`
   * (immutability `Disabled` / `Unlocked` / `Locked`, `softDeleteState`). Other ids are left out.
   */
  async protection(vaults: readonly string[], _now: Date): Promise<readonly VaultProtection[]> {
    return readVaultProtection(
      this.#rest,
      'recoveryservices:Vaults_Get',
      vaults,
      /\/providers\/Microsoft\.RecoveryServices\/vaults\/[^/]+$/i,
    );
  }

  async observe(requests: readonly InventoryRequest[]): Promise<ReadonlyMap<string, ResourceObservation>> {
    const limiter = new Bottleneck({ maxConcurrent: MAX_CONCURRENT });
    const answers = await Promise.all(
      requests.map(async (r) => [r.key, await this.#observeOne(r, limiter)] as const),
    );
    return new Map(answers);
  }

  async #observeOne(request: InventoryRequest, limiter: Bottleneck): Promise<ResourceObservation> {
    if (request.source.kind !== 'azure-recovery-services')
      return {
        ok: false,
        error: `not a Recovery Services protected item (source kind ${request.source.kind})`,
      };
    const itemId = request.source.protectedItemId;
    const problem = azureIdProblem(itemId, 'protectedItem');
    const parsed = parseAzureId(itemId);
    const vaultId = vaultIdOf(itemId);
    const [vault, fabric, container, item] = parsed?.segments ?? [];
    if (problem || !parsed || !vaultId || !vault || !fabric || !container || !item)
      return { ok: false, error: problem ?? `"${itemId}" is not a protected item id` };
    let region: string;
    try {
      region = await this.#vaultLocations.get(vaultId, () =>
        limiter.schedule(() => resourceLocation(this.#rest, 'recoveryservices:Vaults_Get', vaultId)),
      );
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
    try {
      const client = this.#clients.get(parsed.subscriptionId);
      const points = await limiter.schedule(async () => {
        const listed: RecoveryPoint[] = [];
        for await (const point of client.recoveryPoints.list(
          vault[1],
          parsed.resourceGroup,
          fabric[1],
          container[1],
          item[1],
        ))
          listed.push(toRecoveryPoint(point, region));
        return listed;
      });
      return { ok: true, points, jobs: [] };
    } catch (error) {
      return { ok: false, error: describeSdkError('recoveryservices:RecoveryPoints_List', error) };
    }
  }
}
