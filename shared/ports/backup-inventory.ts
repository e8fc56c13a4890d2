import type { BackupSource } from '../domain/plan.ts';
import type { ResourceObservation } from '../domain/recovery-point.ts';
import type { VaultProtection } from '../domain/vault-protection.ts';

/** One resource whose recovery points are wanted. */
export interface InventoryRequest {
  /** Caller's key for the answer, e.g. `case-management/case-db`. */
  readonly key: string;
  readonly source: BackupSource;
  /** The region recovery points must be in to count (the plan's recovery region). */
  readonly recoveryRegion: string;
  /** Jobs that ended before this time are not needed. */
  readonly jobsSince: Date;
}

/**
 * Reads recovery points and recent backup/copy jobs. Implementations batch across requests where
 * the provider allows (one vault-wide listing serves every resource in that vault) and never throw
 * for one resource: a resource that could not be read gets `{ ok: false, error }`.
 */
export interface BackupInventory {
  observe(requests: readonly InventoryRequest[]): Promise<ReadonlyMap<string, ResourceObservation>>;
  /**
   * Whether each of `vaults` is immutable at `now`; one answer per vault this inventory can read
   * (others left out: their immutability is "not observed"). Never throws: unreadable is `unknown`.
   */
  protection?(vaults: readonly string[], now: Date): Promise<readonly VaultProtection[]>;
}
