/**
 * One seeded world: a workload, a cloud, three controller instances (two in the recovery region with
 * their own owners and clocks, one in another region), and the loop that interleaves their tasks.
 *
 * Course of a world:
 * 1. faults phase — deliveries arrive as drawn; at every point the loop picks which fiber runs next,
 *    may crash it (its event is delivered again later) or move time on; ports fail before or after
 *    acting; approvals and rejections react to the approval requests the notifier captured; restore
 *    jobs end and their events arrive late, twice or never; an advance round runs every minute;
 * 2. calm phase — faults stop, time keeps running, until every failover has ended (liveness);
 * after every step the invariants are checked, and the first violation ends the world.
 */
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import type { Notification } from '#shared/ports/notifier.ts';
import type {
  Prober,
  RestoredResourceCleaner,
  RestoreService,
  TrafficSwitch,
} from '#shared/ports/recovery-actions.ts';
import type { StateStore } from '#shared/ports/state-store.ts';
import { drillRequested } from './drills.ts';
import {
  advanceRound,
  buildController,
  deliverEvent,
  type EngineController,
  isTerminalPhase,
  type ObservedApp,
  observeApp,
  startDrill,
} from './engine.ts';
import { FenceBlindStore } from './fence-blind-store.ts';
import { InvariantChecker, type Violation } from './invariants.ts';
import { TaskInventory } from './inventory.ts';
import {
  type FaultDial,
  TaskCleaner,
  type TaskContext,
  TaskNotifier,
  TaskProber,
  TaskRestores,
  TaskStore,
  TaskTraffic,
} from './ports.ts';
import { Random } from './random.ts';
import { type Queued, Reactions } from './reactions.ts';
import { Scheduler, type Task } from './scheduler.ts';
import type { CloudTruth } from './truth.ts';
import {
  AWS_RECOVERY_REGION,
  AZURE_RECOVERY_REGION,
  describeWorkload,
  drawWorkload,
  type Flavour,
  type Workload,
} from './workload.ts';

/** The world's start. */
export const T0 = Date.parse('2026-11-21T12:00:00Z');
const MINUTE = 60_000;
/** Faults are injected for this long; then the world calms down. */
const FAULT_PHASE_MS = 50 * MINUTE;
/** A world whose failovers have not all ended this long after the faults stopped is stuck. */
const CALM_LIMIT_MS = 24 * 60 * MINUTE;
const MAX_STEPS = 40_000;

/** The effect ports and ground truth of the cloud a world runs on. */
export interface CloudKit {
  readonly truth: CloudTruth;
  readonly restores: RestoreService;
  readonly prober: Prober;
  readonly traffic: TrafficSwitch;
  /** Deletes what drills restored (the fake cloud); drills' tear-downs fail without it. */
  readonly cleaner?: RestoredResourceCleaner;
}

/** Builds the cloud of a world (the fake cloud, or the real adapters on `sim/`). */
export type CloudFactory = (setup: {
  readonly clock: ManualClock;
  readonly random: Random;
  readonly workload: Workload;
  readonly scheduler: Scheduler;
  /** Fault rates now (zero once the world calms down). */
  readonly dial: () => FaultDial;
}) => CloudKit;

/**
 * Which seed family a world belongs to. `standard`: the engine as deployed. `fence-blind`: the store
 * hides the fencing token (see `fence-blind-store.ts`), so the failover-id scoping of events must hold
 * alone. `drill`: the plans can be drilled and humans ask for drills while alarms fire (`drills.ts`).
 */
export type Family = 'standard' | 'fence-blind' | 'drill';

interface Controller {
  readonly name: 'A' | 'B' | 'C';
  readonly region: string;
  readonly inRegion: boolean;
  readonly offsetMs: number;
}

/** What a world ended with. */
export interface WorldResult {
  readonly steps: number;
  readonly violation: (Violation & { readonly step: number }) | undefined;
  readonly trace: readonly string[];
  readonly failovers: number;
  readonly jobs: number;
}

/** One world, run once. */
export class World {
  readonly #clock = new ManualClock(new Date(T0));
  readonly #store = new InMemoryStateStore();
  readonly #scheduler = new Scheduler();
  readonly #workload: Workload;
  readonly #cloud: CloudKit;
  readonly #checker: InvariantChecker;
  readonly #controllers: readonly Controller[];
  readonly #pick: Random;
  readonly #reactions: Reactions;
  readonly #faults: Random;
  readonly #dial: FaultDial & { readonly crash: number; readonly pause: number };
  readonly #ownerPerTask: boolean;
  #queue: Queued[] = [];
  #seq = 0;
  #ids = 0;
  #phase: 'faults' | 'calm' = 'faults';
  #step = 0;
  #violation: (Violation & { step: number }) | undefined;
  readonly #notifications: Notification[] = [];
  readonly #approved = new Set<string>();
  readonly #rejected = new Set<string>();
  readonly #alarmFacts = new Map<string, Set<string>>();
  readonly #approvalKey = Buffer.alloc(32, 7);

  readonly #engineStore: StateStore;

  constructor(seed: number, flavour: Flavour, cloud: CloudFactory, family: Family = 'standard') {
    const root = new Random(seed);
    const drills = family === 'drill' ? root.fork('drills') : undefined;
    this.#workload = drawWorkload(root.fork('workload'), root.fork('gates'), flavour, T0, drills);
    this.#pick = root.fork('schedule');
    this.#faults = root.fork('faults');
    this.#reactions = new Reactions(root.fork('reactions'), (line) => this.#trace(line));
    const setup = root.fork('setup');
    const level = setup.pick([0, 0.5, 1, 3]);
    this.#dial = { store: 0.02 * level, effect: 0.04 * level, crash: 0.01 * level, pause: 0.02 * level };
    this.#ownerPerTask = setup.chance(0.5);
    const region = flavour === 'aws' ? AWS_RECOVERY_REGION : AZURE_RECOVERY_REGION;
    const skew = setup.chance(0.5) ? setup.between(-20, 20) * 1000 : 0;
    this.#controllers = [
      { name: 'A', region, inRegion: true, offsetMs: 0 },
      { name: 'B', region, inRegion: true, offsetMs: skew },
      {
        name: 'C',
        region: flavour === 'aws' ? 'us-east-1' : 'eastus',
        inRegion: false,
        offsetMs: setup.between(-60, 60) * 1000,
      },
    ];
    this.#cloud = cloud({
      clock: this.#clock,
      random: root.fork('cloud'),
      workload: this.#workload,
      scheduler: this.#scheduler,
      dial: () => this.#faultDial(),
    });
    this.#checker = new InvariantChecker(this.#cloud.truth, {
      fencing: family !== 'fence-blind',
      keepFor: this.#workload.keepFor,
    });
    this.#engineStore = family === 'fence-blind' ? new FenceBlindStore(this.#store) : this.#store;
    for (const d of this.#workload.deliveries) this.#enqueue({ ...d, kind: 'event', attempts: 0 });
    this.#enqueue({ at: T0 + MINUTE, label: 'advance', kind: 'advance', to: 'any', attempts: 0 });
    this.#trace(`world: ${describeWorkload(this.#workload)}`);
    this.#trace(
      `world: faults store ${this.#dial.store} effect ${this.#dial.effect} crash ${this.#dial.crash} pause ${this.#dial.pause}; clocks B ${skew / 1000}s; owner per ${this.#ownerPerTask ? 'task' : 'instance'}; plan versions ${this.#workload.versions.length}`,
    );
  }

  /** Runs the world to its end or its first violation. */
  async run(): Promise<WorldResult> {
    for (;;) {
      await this.#settleEnded();
      for (const d of this.#reactions.approvals(this.#notifications, this.#now())) this.#enqueue(d);
      if (this.#workload.flavour === 'aws')
        for (const d of this.#reactions.jobEvents(this.#cloud.truth.jobs(), this.#now())) this.#enqueue(d);
      const apps = await this.#observe();
      const found = this.#checker.check({
        now: this.#now(),
        apps,
        approved: this.#approved,
        alarmFacts: this.#alarmFacts,
        maxSkewMs: Math.max(...this.#controllers.filter((c) => c.inRegion).map((c) => Math.abs(c.offsetMs))),
        probes: new Map(this.#workload.apps.map((a) => [a.name, a.probes])),
      });
      if (!this.#violation && found[0]) this.#violation = { ...found[0], step: this.#step };
      if (this.#violation) break;
      if (this.#phase === 'faults' && this.#now() >= T0 + FAULT_PHASE_MS) {
        this.#phase = 'calm';
        this.#trace('calm: faults stop; time runs until every failover has ended');
      }
      if (this.#phase === 'calm' && this.#finished(apps)) {
        this.#violation = this.#violation ?? this.#settled(apps);
        break;
      }
      if (this.#step >= MAX_STEPS || this.#now() > T0 + FAULT_PHASE_MS + CALM_LIMIT_MS) {
        const stuck = [...apps.values()].flatMap((a) =>
          a.current && !isTerminalPhase(a.current.phase)
            ? [
                `${a.current.id} ${a.current.phase} (${a.current.steps.map((s) => `${s.kind} ${s.target} ${s.status}${s.jobId ? ` ${s.jobId}` : ''}`).join('; ')})`,
              ]
            : [],
        );
        this.#violation = {
          invariant: 'liveness',
          detail: `after ${this.#step} steps, not ended: ${[...stuck, ...this.#checker.outstandingKept(this.#now(), apps).map((k) => `kept ${k}`)].join(', ') || `${this.#scheduler.parked.length} task fibers parked`}`,
          step: this.#step,
        };
        break;
      }
      this.#step += 1;
      await this.#next();
    }
    const apps = await this.#observe();
    return {
      steps: this.#step,
      violation: this.#violation,
      trace: this.#lines,
      failovers: [...apps.values()].reduce((n, a) => n + a.all.length, 0),
      jobs: this.#cloud.truth.jobs().length,
    };
  }

  readonly #lines: string[] = [];
  #trace(line: string): void {
    const t = Math.round((this.#now() - T0) / 1000);
    this.#lines.push(`[${this.#step}] +${t}s ${line}`);
  }

  #now(): number {
    return this.#clock.now().getTime();
  }

  #enqueue(item: Omit<Queued, 'seq'>): void {
    this.#queue.push({ ...item, seq: this.#seq++ });
  }

  async #observe(): Promise<Map<string, ObservedApp>> {
    const apps = new Map<string, ObservedApp>();
    for (const app of this.#workload.apps) apps.set(app.name, await observeApp(this.#store, app.name));
    return apps;
  }

  #settled(apps: ReadonlyMap<string, ObservedApp>): (Violation & { step: number }) | undefined {
    const found = this.#checker.checkSettled(this.#now(), apps)[0];
    return found && { ...found, step: this.#step };
  }

  #finished(apps: ReadonlyMap<string, ObservedApp>): boolean {
    return (
      [...apps.values()].every((a) => !a.current || isTerminalPhase(a.current.phase)) &&
      [...apps.values()].every((a) => a.drills.every((d) => isTerminalPhase(d.phase))) &&
      this.#scheduler.parked.length === 0 &&
      !this.#queue.some((q) => q.kind === 'event') &&
      this.#checker.outstandingKept(this.#now(), apps).length === 0
    );
  }

  /** One step: run a fiber to its next point, start a delivery, pause a task, or let time pass. */
  async #next(): Promise<void> {
    const now = this.#now();
    const parked = this.#scheduler.parked.filter((p) => p.task.pausedUntil <= now);
    const due = this.#queue.filter((q) => q.at <= now).sort((a, b) => a.at - b.at || a.seq - b.seq);
    if (parked.length === 0 && due.length === 0) {
      const paused = this.#scheduler.parked.map((p) => p.task.pausedUntil);
      this.#clock.advanceTo(new Date(Math.min(...this.#queue.map((q) => q.at), ...paused)));
      return;
    }
    const faults = this.#phase === 'faults';
    if (faults && this.#pick.chance(0.03)) {
      const seconds = this.#pick.chance(0.15) ? this.#pick.between(301, 900) : this.#pick.between(1, 30);
      this.#clock.advance(seconds);
      this.#trace(`time passes ${seconds}s`);
      return;
    }
    const i = this.#pick.int(parked.length + due.length);
    if (i < parked.length) {
      const fiber = parked[i]!;
      const { task, label } = fiber;
      if (faults && this.#pick.chance(this.#dial.crash)) {
        this.#trace(`${task.name}: CRASH at ${label}`);
        this.#scheduler.crash(task);
        this.#redeliver(task);
        return;
      }
      // Pauses are likeliest where they hurt: between a read and the write or effect that relies on it.
      const critical = /^(store\.(update|create) app#|restore\.start|traffic\.switchTo)/.test(label);
      if (faults && this.#pick.chance(this.#dial.pause * (critical ? 5 : 1))) {
        // A paused instance (GC, a frozen Lambda): the world goes on without it, leases expire. Right
        // before a cloud effect the pause is short: nothing the engine does can fence a pause that
        // falls between its last check and the provider acting, so the lease (300 s) must cover it.
        // A task's fibers pause together: if another fiber of this task already sits right before its
        // cloud effect (its last lease check done), this pause falls in that check-to-act window too.
        const effectLabel = /^(restore\.start|traffic\.switchTo)/;
        const effect =
          effectLabel.test(label) ||
          this.#scheduler.parked.some((p) => p.task === task && p !== fiber && effectLabel.test(p.label));
        const seconds = effect ? this.#pick.between(1, 30) : this.#pick.between(5, 900);
        task.pausedUntil = now + seconds * 1000;
        this.#trace(`${task.name}: PAUSED ${seconds}s at ${label}`);
        return;
      }
      this.#trace(`${task.name}: ${label}`);
      await this.#scheduler.resume(fiber);
      return;
    }
    const item = due[i - parked.length]!;
    this.#queue = this.#queue.filter((q) => q !== item);
    await this.#start(item);
  }

  readonly #tasks = new Map<number, Queued>();

  async #start(item: Queued): Promise<void> {
    if (item.kind === 'advance')
      this.#enqueue({
        at: Math.max(item.at, this.#now()) + MINUTE,
        label: 'advance',
        kind: 'advance',
        to: 'any',
        attempts: 0,
      });
    const inRegion = this.#controllers.filter((c) => c.inRegion);
    const ctrl = item.to === 'wrong' ? this.#controllers[2]! : this.#pick.pick(inRegion);
    if (ctrl.inRegion && item.fact) {
      const app = item.fact.split('@')[0]!;
      this.#alarmFacts.set(app, (this.#alarmFacts.get(app) ?? new Set()).add(item.fact));
    }
    if (ctrl.inRegion && item.approves) this.#approved.add(item.approves);
    if (ctrl.inRegion && item.rejects) this.#rejected.add(item.rejects);
    const plans = this.#plansAt(this.#now());
    const name = `${ctrl.name}:${item.label}${item.attempts ? ` (retry ${item.attempts})` : ''}`;
    this.#trace(`${name}: start`);
    const task = await this.#scheduler.spawn(name, (t) => {
      const controller = this.#controller(ctrl, t);
      if (item.kind === 'advance') return advanceRound(ctrl.inRegion ? plans : [], controller);
      const drill = drillRequested(item.raw, plans);
      if (drill) return startDrill(drill, controller, `${item.label} ${item.seq}`);
      return deliverEvent(item.raw, { plans, controller, controllerRegion: ctrl.region });
    });
    this.#tasks.set(task.id, item);
  }

  #faultDial(): FaultDial {
    return this.#phase === 'faults' ? this.#dial : { store: 0, effect: 0 };
  }

  #plansAt(at: number): readonly RecoveryPlan[] {
    return this.#workload.versions.filter((v) => v.from <= at).at(-1)!.plans;
  }

  #controller(ctrl: Controller, task: Task): EngineController {
    const ctx: TaskContext = {
      scheduler: this.#scheduler,
      task,
      random: this.#faults,
      dial: () => this.#faultDial(),
      inRegion: ctrl.inRegion,
      violation: (invariant, detail) => {
        this.#violation ??= { invariant, detail, step: this.#step };
      },
      note: (line) => this.#trace(`${task.name}: ${line}`),
    };
    const clock = { now: () => new Date(this.#now() + ctrl.offsetMs) };
    return buildController({
      store: new TaskStore(this.#engineStore, ctx),
      inventory: new TaskInventory(this.#workload, clock, ctx),
      restores: new TaskRestores(this.#cloud.restores, ctx),
      prober: new TaskProber(this.#cloud.prober, ctx),
      traffic: new TaskTraffic(this.#cloud.traffic, ctx),
      ...(this.#cloud.cleaner ? { cleaner: new TaskCleaner(this.#cloud.cleaner, ctx) } : {}),
      notifier: new TaskNotifier(this.#notifications, ctx),
      clock,
      approvalKey: this.#approvalKey,
      newId: () => `F${++this.#ids}`,
      owner: this.#ownerPerTask ? `${ctrl.name}-${task.id}` : ctrl.name,
      leaseSeconds: 300,
    });
  }

  /**
   * Ended tasks: failed deliveries come again, as the platform retries them. An approval that was
   * handled without error must have moved its failover on while that failover still waited for it.
   */
  async #settleEnded(): Promise<void> {
    for (const end of this.#scheduler.takeEnded()) {
      this.#trace(`${end.task.name}: ${end.kind} → ${end.detail}`);
      const item = this.#tasks.get(end.task.id);
      if (end.kind === 'failed') this.#redeliver(end.task);
      this.#tasks.delete(end.task.id);
      if (end.kind === 'done' && item?.approves && item.to !== 'wrong') {
        const app = await this.#appOf(item.approves);
        const f = app?.all.find((x) => x.id === item.approves);
        const expires = f?.approval ? Date.parse(f.approval.expiresAt) : 0;
        if (f?.phase === 'awaiting-approval' && this.#now() + 60_000 < expires && !this.#rejected.has(f.id))
          this.#violation ??= {
            invariant: 'approval-honoured',
            detail: `${end.task.name} was handled (${end.detail}), yet failover ${f.id} still waits for approval`,
            step: this.#step,
          };
      }
    }
  }

  async #appOf(failover: string): Promise<ObservedApp | undefined> {
    for (const app of (await this.#observe()).values())
      if (app.all.some((f) => f.id === failover)) return app;
    return undefined;
  }

  #redeliver(task: Task): void {
    const item = this.#tasks.get(task.id);
    this.#tasks.delete(task.id);
    if (item?.kind !== 'event') return;
    const limit = this.#phase === 'faults' ? 8 : 30;
    if (item.attempts >= limit) {
      this.#trace(`${task.name}: dead-lettered after ${item.attempts + 1} attempts`);
      return;
    }
    const { seq: _, ...rest } = item;
    this.#enqueue({
      ...rest,
      at: this.#now() + this.#pick.between(1, 60) * 1000,
      attempts: item.attempts + 1,
    });
  }
}
