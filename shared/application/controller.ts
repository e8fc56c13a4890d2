/**
 * The ports the failover use cases run on, built once per process by a composition root. This is a
 * plain record, not a class: each use case module takes what it needs from it (`requestFailover`,
 * `advanceFailover`, `decideApproval`, …), and all state lives in the store.
 */
import { type Keyring, keyring } from '../domain/approval-token.ts';
import type { BackupInventory } from '../ports/backup-inventory.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import type { Notifier } from '../ports/notifier.ts';
import type {
  Prober,
  RestoredResourceCleaner,
  RestoreService,
  TrafficSwitch,
} from '../ports/recovery-actions.ts';
import type { StateStore } from '../ports/state-store.ts';

/** What a composition root hands in. */
export interface ControllerDeps {
  readonly store: StateStore;
  readonly inventory: BackupInventory;
  readonly restores: RestoreService;
  readonly prober: Prober;
  readonly traffic: TrafficSwitch;
  /** Deletes what drills restored; without it a drill's teardown fails, naming what is left behind. */
  readonly cleaner?: RestoredResourceCleaner;
  readonly notifier: Notifier;
  /** Publishes what goes on the evidence chain as events (EventBridge, Event Grid); none: not published. */
  readonly events?: EventPublisher;
  readonly clock: Clock;
  /**
   * HMAC key(s) for approval tokens (≥ 32 bytes each), from the platform's secret store: one key, or a
   * keyring of the current and the previous key during a rotation — or a function that provides them
   * on first use, so commands that never sign or verify a token never touch them.
   */
  readonly approvalKey: ApprovalKeySource | (() => Promise<ApprovalKeySource>);
  readonly newId: () => string;
  /** Who this controller instance is, for the lease (e.g. the Lambda request id or the CLI's pid). */
  readonly owner: string;
  /** How long one `advance` may hold the app's lease before another instance may take over. */
  readonly leaseSeconds?: number;
  /** How far controllers' clocks may disagree: a lease is taken over only this long after it expired. */
  readonly leaseSkewSeconds?: number;
}

/** An approval key, or a keyring. */
export type ApprovalKeySource = Buffer | Keyring;

/** The controller's ports, with the approval keys loaded once on first use. */
export interface Controller extends Omit<ControllerDeps, 'approvalKey'> {
  readonly leaseSeconds: number;
  readonly leaseSkewSeconds: number;
  approvalKeys(): Promise<Keyring>;
}

/** Default lease of one advance: long enough for one round of starts and polls. */
export const DEFAULT_LEASE_SECONDS = 300;
/** Default clock disagreement allowed between controllers (NTP keeps cloud hosts far closer). */
export const DEFAULT_LEASE_SKEW_SECONDS = 60;

/** Builds the controller from its ports. */
export function createController(deps: ControllerDeps): Controller {
  const { approvalKey: source, ...ports } = deps;
  let keys: Promise<Keyring> | undefined;
  return {
    ...ports,
    leaseSeconds: deps.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
    leaseSkewSeconds: deps.leaseSkewSeconds ?? DEFAULT_LEASE_SKEW_SECONDS,
    approvalKeys() {
      // A failed load is forgotten, so the next approval tries again (a throttled secret read, say).
      keys ??= (typeof source === 'function' ? source() : Promise.resolve(source))
        .then(toKeyring)
        .catch((error: unknown) => {
          keys = undefined;
          throw error;
        });
      return keys;
    },
  };
}

const toKeyring = (source: ApprovalKeySource): Keyring =>
  Buffer.isBuffer(source) ? keyring(source) : source;
