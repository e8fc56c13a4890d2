/**
 * The local control plane behind `standby serve`: the CLI's engine over the simulated cloud of a
 * world file, with the controller's state in the embedded DynamoDB under the state directory, and the
 * simulated clock following real time × `speed`. Each tick does what the deployed timers do: advance
 * every application (`advanceApp`: failovers, scheduled drills, drill tear-downs), and audit freshness
 * on the plans' audit interval. Every action runs one at a time (ticks and requests alike), so what a
 * request sees is never half a tick.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { advanceAll } from '#shared/application/advance-all.ts';
import type { Controller } from '#shared/application/controller.ts';
import { readAppState } from '#shared/application/failover-repository.ts';
import { type EventOutcome, handleEvent } from '#shared/application/handle-event.ts';
import { auditIntervalMinutes } from '#shared/domain/audit-interval.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { Purpose } from '#shared/domain/failover.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { settleAzureRestoreJobs } from '#sim/azure/restore.ts';
import type { SimulatedCloud } from '#sim/cloud.ts';
import { LOCAL_DYNAMODB_DIR } from '../adapters/local-dynamodb.ts';
import { markServing, markStopped } from '../adapters/serve-state.ts';
import { scheduledAudit } from '../commands/advance.ts';
import { evidenceDocument } from '../commands/evidence.ts';
import { openEngineRun } from '../commands/run-context.ts';
import { engineStatus, statusDocument } from '../commands/status.ts';
import type { Engine } from '../engine.ts';
import { SimTime } from './sim-time.ts';

/** How to open the plane. */
export interface LocalPlaneOptions {
  readonly plan: readonly string[];
  readonly world: string;
  readonly stateDir: string;
  /** Simulated seconds per real second. */
  readonly speed: number;
  /** Where approval links point (http://localhost:PORT). */
  readonly approvalBaseUrl: string;
  /** The wall clock, in milliseconds (tests inject one). @default Date.now */
  readonly wallClock?: () => number;
  /** Where problems of a tick go (a tick never stops the server). @default console.error */
  readonly log?: (message: string) => void;
}

/** A drill in flight, as the dashboard shows it (status --json shows failovers only). */
export interface DrillInFlight {
  readonly id: string;
  readonly phase: string;
  readonly startedAt: string;
}

/** The local control plane: one engine, one clock, one action at a time. */
export class LocalPlane {
  readonly plans: readonly RecoveryPlan[];
  readonly engine: Engine;
  readonly cloud: SimulatedCloud;
  /** The engine's controller (with the simulated tear-down of what drills restored). */
  readonly controller: Controller;
  readonly speed: number;
  readonly #time: SimTime;
  readonly #auditEveryMs: number;
  readonly #log: (message: string) => void;
  readonly #stateDir: string;
  readonly #listeners = new Set<() => void>();
  #nextAuditAt = Number.NEGATIVE_INFINITY;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(
    plans: readonly RecoveryPlan[],
    engine: Engine,
    cloud: SimulatedCloud,
    options: LocalPlaneOptions,
  ) {
    this.plans = plans;
    this.engine = engine;
    this.cloud = cloud;
    this.controller = engine.controller;
    this.speed = options.speed;
    this.#time = new SimTime(cloud.clock, options.speed, options.wallClock ?? Date.now);
    this.#auditEveryMs = auditIntervalMinutes(plans) * 60_000;
    this.#log = options.log ?? ((message) => console.error(message));
    this.#stateDir = options.stateDir;
  }

  /**
   * 1. Make the state directory a `serve` one (its `dynamodb/` directory), so the engine opens the
   *    embedded DynamoDB there — on a restart, the one it wrote before.
   * 2. Load the plans and open the engine over the world (the snapshot in the directory, if any).
   */
  static async open(options: LocalPlaneOptions): Promise<LocalPlane> {
    if (!(options.speed > 0 && Number.isFinite(options.speed)))
      throw new InvalidInputError(`--speed must be a positive number, got ${options.speed}`);
    const files = await readdir(join(options.stateDir, 'controller')).catch(() => []);
    if (files.length > 0)
      throw new InvalidInputError(
        `${options.stateDir} holds the file state of CLI commands (controller/); standby serve keeps its state in ` +
          `an embedded DynamoDB: use another --state-dir, or remove ${options.stateDir} to start over`,
      );
    await mkdir(join(options.stateDir, LOCAL_DYNAMODB_DIR), { recursive: true, mode: 0o700 });
    const { plans, engine } = await openEngineRun({
      plan: options.plan,
      world: options.world,
      state: options.stateDir,
      approvalBaseUrl: options.approvalBaseUrl,
    });
    if (!engine.cloud) throw new InvalidInputError('standby serve runs the simulated cloud: give --world');
    await markServing(options.stateDir, options.approvalBaseUrl);
    return new LocalPlane(plans, engine, engine.cloud, options);
  }

  /** Runs `action` after every action before it; a failure is the caller's, the queue goes on. */
  exclusive<T>(action: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(action, action);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Called after anything changed (a tick, an event, a control); returns how to stop listening. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells listeners that something changed. */
  changed(): void {
    for (const listener of this.#listeners) listener();
  }

  /**
   * One tick, as the deployed timers run it:
   * 1. move the simulated clock to where real time × speed has brought it (restores end, backups are taken);
   * 2. advance every application (failovers, scheduled drills, drill tear-downs);
   * 3. when the audit interval has passed, run the scheduled audit;
   * 4. save the simulated world, and tell the listeners.
   */
  tick(): Promise<void> {
    return this.exclusive(async () => {
      if (this.#closed) return;
      this.#time.sync();
      settleAzureRestoreJobs(this.cloud);
      await this.#advance();
      const now = this.cloud.clock.now();
      if (now.getTime() >= this.#nextAuditAt) {
        this.#nextAuditAt = now.getTime() + this.#auditEveryMs;
        await handleEvent(scheduledAudit(now), {
          plans: this.plans,
          controller: this.controller,
          actor: 'serve',
        });
      }
      await this.engine.save();
      this.changed();
    });
  }

  /** Handles one raw event as the cloud handlers do, then carries the failovers on. */
  handleRaw(raw: unknown, actor: string): Promise<EventOutcome[]> {
    return this.exclusive(async () => {
      const outcomes = await handleEvent(raw, { plans: this.plans, controller: this.controller, actor });
      if (outcomes.some((o) => o.accepted)) {
        await this.#advance();
        await this.engine.save();
        this.changed();
      }
      return outcomes;
    });
  }

  /** The SPEC status document — what `standby status --json` prints for this state. */
  status(): Promise<unknown> {
    return this.exclusive(async () => statusDocument(await engineStatus(this.engine, this.plans)));
  }

  /** The evidence report document (`standby evidence --format json`), of one app or all. */
  evidence(app?: string): Promise<unknown> {
    return this.exclusive(() =>
      evidenceDocument(this.controller, app === undefined ? this.plans : [this.plan(app)]),
    );
  }

  /** Each application's drill in flight, or `null`. */
  drills(): Promise<Record<string, DrillInFlight | null>> {
    return this.exclusive(async () => {
      const entries = await Promise.all(
        this.plans.map(async (p) => {
          const drill = (await readAppState(this.controller.store, p.name, Purpose.Drill)).failover;
          return [
            p.name,
            drill ? { id: drill.id, phase: drill.phase, startedAt: drill.startedAt } : null,
          ] as const;
        }),
      );
      return Object.fromEntries(entries);
    });
  }

  /** The application named `app`; an unknown name is an input error listing the known ones. */
  plan(app: string): RecoveryPlan {
    const plan = this.plans.find((p) => p.name === app);
    if (!plan)
      throw new InvalidInputError(
        `no application "${app}" in the plan set; expected one of: ${this.plans.map((p) => p.name).join(', ')}`,
      );
    return plan;
  }

  /** Carries every application on, after a change made by a request (not waiting for the next tick). */
  async advanceNow(): Promise<void> {
    await this.#advance();
    await this.engine.save();
    this.changed();
  }

  /** Stops ticking, saves the world and closes the embedded store (flushed, unlocked). Idempotent. */
  close(): Promise<void> {
    return this.exclusive(async () => {
      if (this.#closed) return;
      this.#closed = true;
      this.#listeners.clear();
      await this.engine.save();
      await this.engine.close?.();
      await markStopped(this.#stateDir);
    });
  }

  async #advance(): Promise<void> {
    await advanceAll(this.plans, this.controller).catch((error: unknown) =>
      this.#log(`standby serve: advance failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}
