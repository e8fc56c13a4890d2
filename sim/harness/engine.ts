/**
 * The harness's ONE door into the failover engine. Everything else in `sim/harness/` talks to the
 * engine through these functions and the `Observed*` shapes below, so a reshaped engine is one edit
 * here: how a controller is built, how an event is delivered, how an advance round runs, and how
 * the stored state of an application is read back for the invariant checks.
 */
import { advanceAll } from '#shared/application/advance-all.ts';
import { type Controller, createController } from '#shared/application/controller.ts';
import { listKept } from '#shared/application/expire-kept-resources.ts';
import { listArchived, readAppState } from '#shared/application/failover-repository.ts';
import { handleEvent } from '#shared/application/handle-event.ts';
import { requestDrill } from '#shared/application/request-drill.ts';
import { readUnverifiedClaims } from '#shared/domain/approval-token.ts';
import { type Failover, Purpose, type StepKind } from '#shared/domain/failover.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { BackupInventory } from '#shared/ports/backup-inventory.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { Notifier } from '#shared/ports/notifier.ts';
import type {
  Prober,
  RestoredResourceCleaner,
  RestoreService,
  TrafficSwitch,
} from '#shared/ports/recovery-actions.ts';
import type { StateStore } from '#shared/ports/state-store.ts';

/** The SNS topic alarms are delivered through (`payloads.ts`), the one the controllers trust. */
export const ALARM_TOPIC = 'arn:aws:sns:eu-central-1:111122223333:dr-alarms';

/** What a controller is built from (the engine's own dependency list). */
export interface ControllerPorts {
  readonly store: StateStore;
  readonly inventory: BackupInventory;
  readonly restores: RestoreService;
  readonly prober: Prober;
  readonly traffic: TrafficSwitch;
  readonly cleaner?: RestoredResourceCleaner;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly approvalKey: Buffer;
  readonly newId: () => string;
  readonly owner: string;
  readonly leaseSeconds: number;
}

/** A controller instance, opaque to the harness. */
export type EngineController = Controller;

/** Builds a controller over `ports`. */
export function buildController(ports: ControllerPorts): EngineController {
  return createController(ports);
}

/** Delivers one raw cloud payload, as the Lambda / Azure Function handler does. */
export async function deliverEvent(
  raw: unknown,
  deps: { plans: readonly RecoveryPlan[]; controller: EngineController; controllerRegion: string },
): Promise<string> {
  const outcomes = await handleEvent(raw, { ...deps, actor: 'sim-human', trustedTopics: [ALARM_TOPIC] });
  return outcomes.map((o) => `${o.effect}${o.failoverId ? `(${o.failoverId})` : ''}`).join(',') || 'none';
}

/** A drill asked for by hand (`standby drill`), as the CLI asks: the outcome and the drill's id. */
export async function startDrill(
  plan: RecoveryPlan,
  controller: EngineController,
  ref: string,
): Promise<string> {
  const result = await requestDrill(controller, plan, { kind: 'manual', ref, eventId: ref });
  return `${result.effect}${result.drillId ? `(${result.drillId})` : ''}: ${result.reason}`;
}

/** One scheduled advance round over the plans this controller owns. */
export async function advanceRound(
  plans: readonly RecoveryPlan[],
  controller: EngineController,
): Promise<string> {
  const report = await advanceAll(plans, controller);
  return Object.values(report).join(',') || 'none';
}

/** Phases after which a failover changes no more. */
const TERMINAL = new Set(['completed', 'aborted', 'failed']);

/** True when `phase` is final. */
export const isTerminalPhase = (phase: string): boolean => TERMINAL.has(phase);

/** One step of a stored failover, as the checks need it. */
export interface ObservedStep {
  readonly kind: StepKind;
  /**
   * Restore and (drill) teardown steps: the plan resource name. Validate steps: the probe URL, or
   * `validate:<n>` (1-based).
   */
  readonly target: string;
  readonly status: string;
  readonly jobId: string | null;
  readonly idempotencyToken: string | null;
}

/** A stored failover, as the checks need it. */
export interface ObservedFailover {
  readonly id: string;
  readonly phase: string;
  readonly steps: readonly ObservedStep[];
  readonly history: readonly { readonly phase: string; readonly at: string }[];
  /** Set in mode approval. */
  readonly approval: { readonly expiresAt: string; readonly onTimeout: string } | null;
  readonly triggerKind: string;
  /** When it ended (world ms, as the engine's clock stamped it), or null in flight. */
  readonly endedAt: number | null;
}

/** What a drill kept for inspection, as the expiry sweep recorded it. */
export interface ObservedKept {
  readonly drillId: string;
  readonly settled: boolean;
  /** Created resources not deleted (once settled: left for a human). */
  readonly remaining: readonly string[];
}

/** What is stored about one application. */
export interface ObservedApp {
  readonly activeSite: 'primary' | 'recovery';
  /** The fencing token of the lease holder that last wrote the app item. */
  readonly fencingToken: number;
  /** The current (latest) failover. */
  readonly current: ObservedFailover | null;
  /** Every failover on record, oldest first, the current one included. */
  readonly all: readonly ObservedFailover[];
  /** Every drill on record (purpose `drill`, its own item), oldest first, the one in flight included. */
  readonly drills: readonly ObservedFailover[];
  /** Records of what drills kept (`spec.drill.keep`). */
  readonly kept: readonly ObservedKept[];
}

/** Reads what the engine stored about `app` (straight from the store, no yield points). */
export async function observeApp(store: StateStore, app: string): Promise<ObservedApp> {
  const [failovers, drills] = [
    await observePurpose(store, app, Purpose.Failover),
    await observePurpose(store, app, Purpose.Drill),
  ];
  return {
    activeSite: failovers.state.activeSite,
    fencingToken: failovers.state.fencingToken,
    current: failovers.current,
    all: failovers.all,
    drills: drills.all,
    kept: (await listKept(store, app)).map((k) => ({
      drillId: k.drillId,
      settled: k.settled === true,
      remaining: k.resources.filter((r) => r.deletedAt === null).map((r) => r.createdResource),
    })),
  };
}

async function observePurpose(store: StateStore, app: string, purpose: Purpose) {
  const state = await readAppState(store, app, purpose);
  const archived = await listArchived(store, app, purpose);
  const current = state.failover ? observeFailover(state.failover) : null;
  const all = archived.filter((f) => f.id !== current?.id).map(observeFailover);
  return { state, current, all: current ? [...all, current] : all };
}

function observeFailover(f: Failover): ObservedFailover {
  return {
    id: f.id,
    phase: f.phase,
    steps: f.steps.map(
      (s): ObservedStep =>
        s.kind === 'restore'
          ? {
              kind: s.kind,
              target: s.resource,
              status: s.status,
              jobId: s.jobId,
              idempotencyToken: s.idempotencyToken,
            }
          : {
              kind: s.kind,
              target: s.kind === 'validate' ? s.url : s.kind === 'teardown' ? s.resource : 'switch',
              status: s.status,
              jobId: null,
              idempotencyToken: null,
            },
    ),
    history: f.history.map((h) => ({ phase: h.phase, at: h.at })),
    approval: f.approval ? { expiresAt: f.approval.expiresAt, onTimeout: f.approval.onTimeout } : null,
    triggerKind: f.trigger.kind,
    endedAt: f.endedAt ? Date.parse(f.endedAt) : null,
  };
}

/** The failover an approval token names, read without verifying it (the harness only routes it). */
export function failoverOfToken(token: string): string | undefined {
  return readUnverifiedClaims(token)?.failoverId;
}
