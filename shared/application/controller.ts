/**
 * The ports the failover use cases run on, built once per process by a composition root. This is a
 * plain record, not a class: each use case module takes what it needs from it (`requestFailover`,
 * `advanceFailover`, `decideApproval`, …), and all state lives in the store.
 */
import type { BackupInventory } from '../ports/backup-inventory.ts';
import type { Clock } from '../ports/clock.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { Prober, RestoreService, TrafficSwitch } from '../ports/recovery-actions.ts';
import type { StateStore } from '../ports/state-store.ts';

/** What a composition root hands in. */
export interface ControllerDeps {
  readonly store: StateStore;
  readonly inventory: BackupInventory;
  readonly restores: RestoreService;
  readonly prober: Prober;
  readonly traffic: TrafficSwitch;
  readonly notifier: Notifier;
  readonly clock: Clock;
  /**
   * HMAC key for approval tokens (≥ 32 bytes), from the platform's secret store — or a function
   * that provides it on first use, so commands that never sign or verify a token never touch it.
   */
  readonly approvalKey: Buffer | (() => Promise<Buffer>);
  readonly newId: () => string;
  /** Who this controller instance is, for the lease (e.g. the Lambda request id or the CLI's pid). */
  readonly owner: string;
  /** How long one `advance` may hold the app's lease before another instance may take over. */
  readonly leaseSeconds?: number;
}

/** The controller's ports, with the approval key loaded once on first use. */
export interface Controller extends Omit<ControllerDeps, 'approvalKey'> {
  readonly leaseSeconds: number;
  approvalKey(): Promise<Buffer>;
}

/** Default lease of one advance: long enough for one round of starts and polls. */
export const DEFAULT_LEASE_SECONDS = 300;

/** Builds the controller from its ports. */
export function createController(deps: ControllerDeps): Controller {
  const source = deps.approvalKey;
  let key: Promise<Buffer> | undefined;
  return {
    ...deps,
    leaseSeconds: deps.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
    approvalKey() {
      // A failed load is forgotten, so the next approval tries again (a throttled secret read, say).
      key ??= (Buffer.isBuffer(source) ? Promise.resolve(source) : source()).catch((error: unknown) => {
        key = undefined;
        throw error;
      });
      return key;
    },
  };
}
