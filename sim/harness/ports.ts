/**
 * The engine's ports as one task sees them: every store call and every effect call is first a
 * scheduler point (where the world may switch task or crash this one), then may fail — before the
 * store or cloud acted, or after (the write landed / the cloud acted, the caller sees an error), as a
 * throttle, a 5xx or a timeout. A controller outside the recovery region that writes app state or
 * acts on the cloud is reported on the spot.
 */
import { ErrorCode, ProviderError } from '#shared/domain/errors.ts';
import type { HttpProbe, ProtectedResource, RecoveryPlan } from '#shared/domain/plan.ts';
import type { Notification, Notifier } from '#shared/ports/notifier.ts';
import type {
  ActiveSite,
  DeleteOutcome,
  ProbeResult,
  Prober,
  RestoredResourceCleaner,
  RestoreJobStatus,
  RestoreRequest,
  RestoreService,
  TrafficSwitch,
} from '#shared/ports/recovery-actions.ts';
import type { ItemKey, StateStore, Versioned, WriteOptions } from '#shared/ports/state-store.ts';
import type { Random } from './random.ts';
import type { Scheduler, Task } from './scheduler.ts';

/** Probabilities of faults per call; all zero once the world stops injecting faults. */
export interface FaultDial {
  readonly store: number;
  readonly effect: number;
}

/** What a task's ports need from the world. */
export interface TaskContext {
  readonly scheduler: Scheduler;
  readonly task: Task;
  /** The fault stream (shared by the world, drawn in scheduler order). */
  readonly random: Random;
  readonly dial: () => FaultDial;
  /** False for the controller outside the recovery region. */
  readonly inRegion: boolean;
  readonly violation: (invariant: string, detail: string) => void;
  readonly note: (line: string) => void;
}

type When = 'none' | 'before' | 'after';
const KINDS = ['throttled', '5xx', 'timeout'] as const;

function faultError(operation: string, kind: (typeof KINDS)[number], when: When): ProviderError {
  const code = kind === 'throttled' ? ErrorCode.Throttled : ErrorCode.Provider;
  const words = { throttled: 'Rate exceeded', '5xx': 'InternalFailure (500)', timeout: 'request timed out' };
  return new ProviderError(operation, `injected ${words[kind]} (${when} the call acted)`, { code });
}

/** Decides the fault of one call (`canAfter`: the call changes something, so it can fail after acting). */
function decide(
  ctx: TaskContext,
  rate: number,
  canAfter: boolean,
): { when: When; kind: (typeof KINDS)[number] } {
  if (!ctx.random.chance(rate)) return { when: 'none', kind: '5xx' };
  const kind = ctx.random.pick(KINDS);
  // A throttled call was refused: it never acts.
  const when: When = kind !== 'throttled' && canAfter && ctx.random.chance(0.5) ? 'after' : 'before';
  return { when, kind };
}

const keyText = (k: ItemKey) => `${k.partition}/${k.sort}`;
const guarded = (k: ItemKey) => k.partition.startsWith('app#') || k.partition.startsWith('lease/');

/** The state store with a point before every call and store faults before / after writes. */
export class TaskStore implements StateStore {
  constructor(
    private readonly inner: StateStore,
    private readonly ctx: TaskContext,
  ) {}

  async get<T>(key: ItemKey): Promise<Versioned<T> | undefined> {
    await this.#point('store.get', keyText(key), false);
    return this.inner.get<T>(key);
  }

  async query<T>(partition: string, sortPrefix?: string): Promise<Versioned<T>[]> {
    await this.#point('store.query', `${partition}/${sortPrefix ?? ''}*`, false);
    return this.inner.query<T>(partition, sortPrefix);
  }

  async create<T>(key: ItemKey, value: T, options?: WriteOptions): Promise<Versioned<T>> {
    const after = await this.#point('store.create', keyText(key), true, key);
    const written = await this.inner.create(key, value, options);
    if (after) throw after;
    return written;
  }

  async update<T>(key: ItemKey, value: T, expected: number, options?: WriteOptions): Promise<Versioned<T>> {
    const after = await this.#point('store.update', keyText(key), true, key);
    const written = await this.inner.update(key, value, expected, options);
    if (after) throw after;
    return written;
  }

  /** The point; throws a fault meant for before the call, returns one meant for after it. */
  async #point(op: string, what: string, write: boolean, key?: ItemKey): Promise<ProviderError | undefined> {
    const { ctx } = this;
    await ctx.scheduler.point(ctx.task, `${op} ${what}`);
    if (write && key && guarded(key) && !ctx.inRegion)
      ctx.violation('region', `${ctx.task.name} (outside the recovery region) wrote ${what}`);
    const fault = decide(ctx, ctx.dial().store, write);
    if (fault.when === 'none') return undefined;
    const error = faultError(`dynamodb:${op}`, fault.kind, fault.when);
    ctx.note(`fault ${op} ${what}: ${fault.kind} ${fault.when}`);
    if (fault.when === 'before') throw error;
    return error;
  }
}

/**
 * Runs one effect call at a point: a fault before it throws without calling; a fault after it calls,
 * then throws. `track` lets real adapter code (timers, SDK stacks) finish within the step.
 */
async function effect<T>(
  ctx: TaskContext,
  label: string,
  changes: boolean,
  call: () => Promise<T>,
  onFault: (error: ProviderError) => T | Promise<T> = (error) => Promise.reject(error),
): Promise<T> {
  await ctx.scheduler.point(ctx.task, label);
  if (!ctx.inRegion)
    ctx.violation('region', `${ctx.task.name} (outside the recovery region) called ${label}`);
  const fault = decide(ctx, ctx.dial().effect, changes);
  if (fault.when !== 'none') ctx.note(`fault ${label}: ${fault.kind} ${fault.when}`);
  const error = faultError(label.split(' ')[0]!, fault.kind, fault.when);
  if (fault.when === 'before') return onFault(error);
  const result = await ctx.scheduler.track(call());
  return fault.when === 'after' ? onFault(error) : result;
}

/** Restore jobs through the task's points and faults. */
export class TaskRestores implements RestoreService {
  constructor(
    private readonly inner: RestoreService,
    private readonly ctx: TaskContext,
  ) {}
  start(request: RestoreRequest): Promise<{ readonly jobId: string }> {
    const what = `${request.resource?.app}/${request.resource?.name} token=${request.idempotencyToken}`;
    return effect(this.ctx, `restore.start ${what}`, true, () => this.inner.start(request));
  }
  describe(resource: ProtectedResource, jobId: string): Promise<RestoreJobStatus> {
    return effect(this.ctx, `restore.describe ${resource?.name} ${jobId}`, false, () =>
      this.inner.describe(resource, jobId),
    );
  }
}

/** Deletes of what drills restored, through the task's points and faults. */
export class TaskCleaner implements RestoredResourceCleaner {
  constructor(
    private readonly inner: RestoredResourceCleaner,
    private readonly ctx: TaskContext,
  ) {}
  delete(resource: ProtectedResource, created: string): Promise<DeleteOutcome> {
    return effect(this.ctx, `cleaner.delete ${resource?.app}/${resource?.name} ${created}`, true, () =>
      this.inner.delete(resource, created),
    );
  }
}

/** Probes through the task's points; a fault is an unhealthy answer, as the real prober reports one. */
export class TaskProber implements Prober {
  constructor(
    private readonly inner: Prober,
    private readonly ctx: TaskContext,
  ) {}
  probe(probe: HttpProbe): Promise<ProbeResult> {
    return effect(
      this.ctx,
      `probe ${probe.url}`,
      false,
      () => this.inner.probe(probe),
      (error) => ({ ok: false, detail: error.message }),
    );
  }
}

/** The traffic switch through the task's points; a switch may apply and still report a 500. */
export class TaskTraffic implements TrafficSwitch {
  constructor(
    private readonly inner: TrafficSwitch,
    private readonly ctx: TaskContext,
  ) {}
  activeSite(plan: RecoveryPlan): Promise<ActiveSite> {
    return effect(this.ctx, `traffic.activeSite ${plan.name}`, false, () => this.inner.activeSite(plan));
  }
  switchTo(plan: RecoveryPlan, site: 'primary' | 'recovery'): Promise<void> {
    return effect(this.ctx, `traffic.switchTo ${plan.name} ${site}`, true, () =>
      this.inner.switchTo(plan, site),
    );
  }
}

/** Captures every notification that reached its channel; a fault is reported as not delivered. */
export class TaskNotifier implements Notifier {
  constructor(
    private readonly sent: Notification[],
    private readonly ctx: TaskContext,
  ) {}
  send(notification: Notification): Promise<{ readonly delivered: boolean; readonly detail?: string }> {
    return effect(
      this.ctx,
      `notify ${notification.kind} ${notification.failoverId ?? ''}`,
      true,
      async (): Promise<{ readonly delivered: boolean; readonly detail?: string }> => {
        this.sent.push(notification);
        return { delivered: true };
      },
      (error) => ({ delivered: false, detail: error.message }),
    );
  }
}
