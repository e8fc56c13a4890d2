/**
 * The failover controller: starts failovers behind their gates, carries them through restores,
 * validation and the traffic switch, and takes approvals. Everything it knows lives in the state
 * store, in one item per application (`app#<name>` / `current`), written only with conditional
 * writes, so two controller instances and any number of redelivered events still give one failover
 * and one effect per step.
 */
import { signApprovalToken, verifyApprovalToken } from '../domain/approval-token.ts';
import { formatAge, formatDuration } from '../domain/duration.ts';
import { ConflictError, InvalidInputError } from '../domain/errors.ts';
import {
  type Command,
  createFailover,
  type Failover,
  type FailoverEvent,
  type FailoverTrigger,
  isTerminal,
  nextCommands,
  Phase,
  StepStatus,
  stepName,
  transition,
} from '../domain/failover.ts';
import type { RecoveryPlan } from '../domain/plan.ts';
import type { BackupInventory } from '../ports/backup-inventory.ts';
import type { Clock } from '../ports/clock.ts';
import { describeTarget, type Notification, type Notifier } from '../ports/notifier.ts';
import type { Prober, RestoreService, TrafficSwitch } from '../ports/recovery-actions.ts';
import type { ItemKey, StateStore, Versioned } from '../ports/state-store.ts';
import { acquireLease, assertFencing, fencedUpdate, LeaseLostError, releaseLease } from './lease.ts';
import { type AppAudit, runAudit } from './run-audit.ts';

/** What the controller keeps per application. */
export interface AppState {
  readonly activeSite: 'primary' | 'recovery';
  /** The latest failover (in flight or ended), or null before the first. */
  readonly failover: Failover | null;
  /** When the last failover that switched traffic completed: the start of the cooldown. */
  readonly lastCompletedAt: string | null;
  /** Fencing token of the lease holder that last drove the failover (see `lease.ts`). */
  readonly fencingToken: number;
}

/** What the controller needs. */
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

/** What happened to a request to fail over. */
export type StartEffect =
  | 'failover-started'
  | 'approval-requested'
  | 'joined-existing'
  | 'refused'
  | 'ignored';

/** The answer to a start request. */
export interface StartResult {
  readonly effect: StartEffect;
  readonly reason: string;
  readonly failoverId?: string;
}

/** One gate's verdict: failovers start only when every gate passed. */
export interface GateResult {
  readonly gate: 'cooldown' | 'restorable' | 'recovery-points' | 'fresh-backups';
  readonly passed: boolean;
  readonly reason: string;
}

/** Why `advance` stopped. */
export type AdvanceResult = 'idle' | 'waiting-for-approval' | 'waiting-for-jobs' | 'ended' | 'held-elsewhere';

const MAX_WRITE_ATTEMPTS = 8;

/** Store keys of one application. */
export const appKeys = {
  current: (app: string): ItemKey => ({ partition: `app#${app}`, sort: 'current' }),
  archived: (app: string, f: Failover): ItemKey => ({
    partition: `app#${app}`,
    sort: `failover#${f.startedAt}#${f.id}`,
  }),
  event: (app: string, eventId: string): ItemKey => ({ partition: `app#${app}`, sort: `event#${eventId}` }),
  notification: (app: string, at: string, n: number): ItemKey => ({
    partition: `app#${app}`,
    sort: `notification#${at}#${n}`,
  }),
  usedToken: (app: string, nonce: string): ItemKey => ({ partition: `app#${app}`, sort: `token#${nonce}` }),
};

const INITIAL: AppState = { activeSite: 'primary', failover: null, lastCompletedAt: null, fencingToken: 0 };

/** Drives failovers. One instance per process; all state is in the store. */
export class FailoverController {
  constructor(private readonly deps: ControllerDeps) {}

  /** The store the controller keeps its state in (shared with other use cases of the same app). */
  get store(): StateStore {
    return this.deps.store;
  }

  /** Where recovery points are read from. */
  get inventory(): BackupInventory {
    return this.deps.inventory;
  }

  /** The controller's clock. */
  get clock(): Clock {
    return this.deps.clock;
  }

  /** The application's state (initial state before the first failover). */
  async appState(app: string): Promise<AppState> {
    return (await this.deps.store.get<AppState>(appKeys.current(app)))?.value ?? INITIAL;
  }

  /**
   * A trigger asks for a failover of `plan`:
   * 1. a failover in flight is joined, not duplicated; an app already on the recovery site is left alone;
   * 2. gates, each refusal recorded with its reason: cooldown, resources that cannot be restored,
   *    stale backups (with `requireFreshBackups`);
   * 3. the new failover is claimed with one conditional write of the app item — losing that race
   *    means another instance started it, and this request joins it;
   * 4. in mode approval the approval request goes out; otherwise the failover is carried on at once.
   */
  async requestFailover(plan: RecoveryPlan, trigger: FailoverTrigger): Promise<StartResult> {
    const now = this.deps.clock.now();
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const stored = await this.deps.store.get<AppState>(appKeys.current(plan.name));
      const state = stored?.value ?? INITIAL;
      const current = state.failover;
      if (current && !isTerminal(current.phase)) {
        // A redelivered trigger finishes an approval request that an earlier attempt left unsent.
        if (current.phase === Phase.AwaitingApproval) await this.requestApproval(plan, current);
        return {
          effect: 'joined-existing',
          reason: `failover ${current.id} is already ${current.phase}`,
          failoverId: current.id,
        };
      }
      if (state.activeSite === 'recovery')
        return {
          effect: 'ignored',
          reason: `${plan.name} already runs on the recovery site (${plan.recovery.region})`,
        };

      const refusal = await this.gate(plan);
      const failover = createFailover({
        id: this.deps.newId(),
        plan,
        trigger,
        at: now,
        recoveryPoints: refusal.recoveryPoints,
        ...(refusal.reason ? { refusedBecause: refusal.reason } : {}),
      });
      try {
        await this.replaceCurrent(plan.name, stored, { ...state, failover });
      } catch (error) {
        if (error instanceof ConflictError) continue; // another instance wrote first: look again
        throw error;
      }
      if (refusal.reason) return { effect: 'refused', reason: refusal.reason, failoverId: failover.id };
      if (failover.phase === Phase.AwaitingApproval) {
        await this.requestApproval(plan, failover);
        return {
          effect: 'approval-requested',
          reason: `approval requested from ${plan.failover.approval?.notify.length ?? 0} channel(s)`,
          failoverId: failover.id,
        };
      }
      return {
        effect: 'failover-started',
        reason: `restoring ${plan.resources.length} resource(s) in ${plan.recovery.region}`,
        failoverId: failover.id,
      };
    }
    throw new ConflictError(
      `could not claim the failover of ${plan.name} after ${MAX_WRITE_ATTEMPTS} attempts`,
    );
  }

  /**
   * Evaluates every gate without writing anything (also what `failover --dry-run` shows): cooldown,
   * restorability, a recovery point per resource, and freshness with `requireFreshBackups`.
   */
  async checkGates(
    plan: RecoveryPlan,
  ): Promise<{ gates: GateResult[]; recoveryPoints: Record<string, string> }> {
    const now = this.deps.clock.now();
    const state = await this.appState(plan.name);
    const gates: GateResult[] = [];
    const cooldown = plan.failover.cooldownSeconds;
    const cooling = Boolean(
      cooldown &&
        state.lastCompletedAt &&
        now.getTime() - Date.parse(state.lastCompletedAt) < cooldown * 1000,
    );
    gates.push({
      gate: 'cooldown',
      passed: !cooling,
      reason: cooling
        ? `cooldown: the last failover completed at ${state.lastCompletedAt}, within the cooldown of ${formatDuration(cooldown!)}`
        : cooldown
          ? `no failover completed within the cooldown of ${formatDuration(cooldown)}`
          : 'no cooldown configured',
    });
    const unrestorable = plan.resources.filter((r) => !r.source.restore).map((r) => r.name);
    gates.push({
      gate: 'restorable',
      passed: unrestorable.length === 0,
      reason: unrestorable.length
        ? `cannot restore ${unrestorable.join(', ')}: no restore block in the plan`
        : `every resource has a restore block (${plan.resources.length})`,
    });
    const audit = await this.audit(plan);
    const recoveryPoints = Object.fromEntries(
      audit.freshness.filter((f) => f.recoveryPoint).map((f) => [f.resource, f.recoveryPoint as string]),
    );
    const unusable = audit.freshness.filter(
      (f) => f.status === 'missing' || f.status === 'unknown' || !f.recoveryPoint,
    );
    gates.push({
      gate: 'recovery-points',
      passed: unusable.length === 0,
      reason: unusable.length
        ? `no restorable recovery point for ${unusable.map((f) => `${f.resource} (${f.status})`).join(', ')}`
        : 'a restorable recovery point for every resource',
    });
    const stale = audit.freshness.filter((f) => f.status === 'breach');
    const refuseStale = plan.failover.requireFreshBackups && stale.length > 0;
    gates.push({
      gate: 'fresh-backups',
      passed: !refuseStale,
      reason: refuseStale
        ? `stale backups (requireFreshBackups): ${stale.map((f) => `${f.resource} is ${formatAge(f.ageSeconds ?? 0)} old, RPO ${formatDuration(f.rpoSeconds)}`).join('; ')}`
        : stale.length
          ? `stale backups allowed (requireFreshBackups: false): ${stale.map((f) => f.resource).join(', ')}`
          : 'every backup is within its RPO',
    });
    return { gates, recoveryPoints };
  }

  /** The first refused gate's reason, if any, and the recovery point chosen per resource. */
  private async gate(
    plan: RecoveryPlan,
  ): Promise<{ reason?: string; recoveryPoints: Record<string, string> }> {
    const { gates, recoveryPoints } = await this.checkGates(plan);
    const refused = gates.find((g) => !g.passed);
    return refused ? { reason: refused.reason, recoveryPoints } : { recoveryPoints };
  }

  /** Freshness of one plan's resources. */
  async audit(plan: RecoveryPlan): Promise<AppAudit> {
    const report = await runAudit([plan], { inventory: this.deps.inventory, clock: this.deps.clock });
    return report.apps[0]!;
  }

  /** The approval key, fetched once on first use. */
  #key: Promise<Buffer> | undefined;
  private approvalKey(): Promise<Buffer> {
    const source = this.deps.approvalKey;
    // A failed load is forgotten, so the next approval tries again (a throttled secret read, say).
    this.#key ??= (Buffer.isBuffer(source) ? Promise.resolve(source) : source()).catch((error: unknown) => {
      this.#key = undefined;
      throw error;
    });
    return this.#key;
  }

  /**
   * Sends the approval request to every notify target of the plan that has none on record yet, and
   * records it: a retry after a failure part-way sends only what is missing (a target whose send
   * landed but whose record did not is asked twice — at least once, never silently not at all).
   */
  private async requestApproval(plan: RecoveryPlan, failover: Failover): Promise<void> {
    const approval = failover.approval!;
    const targets = plan.failover.approval?.notify ?? [];
    const missing = (
      await Promise.all(
        targets.map(async (t, n) =>
          (await this.deps.store.get(appKeys.notification(plan.name, approval.requestedAt, n)))
            ? []
            : [{ t, n }],
        ),
      )
    ).flat();
    if (missing.length === 0) return;
    const exp = Math.floor(Date.parse(approval.expiresAt) / 1000);
    const base = { app: plan.name, failoverId: failover.id, exp };
    const key = await this.approvalKey();
    const approveToken = signApprovalToken({ ...base, decision: 'approve' }, key);
    const rejectToken = signApprovalToken({ ...base, decision: 'reject' }, key);
    await Promise.all(
      missing.map(async ({ t, n }) => {
        const notification: Notification = {
          app: plan.name,
          ...describeTarget(t),
          kind: 'approval-request',
          at: approval.requestedAt,
          failoverId: failover.id,
          approveToken,
          rejectToken,
          expiresAt: approval.expiresAt,
          text: `Fail over ${plan.name} to ${plan.recovery.region}? Triggered by ${failover.trigger.ref}. Expires ${approval.expiresAt} (then: ${approval.onTimeout}).`,
        };
        const sent = await this.deps.notifier.send(notification);
        await this.deps.store
          .create(appKeys.notification(plan.name, approval.requestedAt, n), {
            ...notification,
            delivered: sent.delivered,
          })
          .catch((e) => {
            if (!(e instanceof ConflictError)) throw e;
          });
      }),
    );
  }

  /**
   * Acts on an approval token:
   * 1. verify signature and expiry; the token must name this plan's current failover;
   * 2. record the token's nonce (create-if-absent): a second use is refused;
   * 3. apply approve/reject to the failover.
   */
  async decide(
    plans: readonly RecoveryPlan[],
    token: string,
    by: string,
  ): Promise<StartResult & { app: string }> {
    const now = this.deps.clock.now();
    const verified = verifyApprovalToken(token, await this.approvalKey(), now);
    if (!verified.ok) throw new InvalidInputError(`approval token refused: ${verified.reason}`);
    const { claims } = verified;
    const plan = plans.find((p) => p.name === claims.app);
    if (!plan)
      throw new InvalidInputError(
        `approval token names application "${claims.app}", which is not in the plan set`,
      );
    const state = await this.appState(plan.name);
    if (state.failover?.id !== claims.failoverId)
      throw new InvalidInputError(
        `approval token is for failover ${claims.failoverId}, which is not the current failover of ${plan.name}`,
      );
    if (state.failover.phase !== Phase.AwaitingApproval)
      throw new InvalidInputError(
        `failover ${claims.failoverId} is ${state.failover.phase}; it no longer waits for approval`,
      );
    try {
      await this.deps.store.create(appKeys.usedToken(plan.name, claims.nonce), {
        usedAt: now.toISOString(),
        by,
        decision: claims.decision,
      });
    } catch (error) {
      if (error instanceof ConflictError)
        throw new InvalidInputError('approval token was already used; tokens are single-use');
      throw error;
    }
    const event: FailoverEvent =
      claims.decision === 'approve' ? { type: 'approved', at: now, by } : { type: 'rejected', at: now, by };
    const applied = await this.apply(plan.name, event);
    if (!applied.ok) throw new InvalidInputError(`cannot ${claims.decision}: ${applied.reason}`);
    return claims.decision === 'approve'
      ? {
          app: plan.name,
          effect: 'failover-started',
          reason: `approved by ${by}`,
          failoverId: claims.failoverId,
        }
      : { app: plan.name, effect: 'refused', reason: `rejected by ${by}`, failoverId: claims.failoverId };
  }

  /** A restore job event (from EventBridge) for a job this controller started: record its end. */
  async restoreJobEnded(
    plans: readonly RecoveryPlan[],
    jobId: string,
    succeeded: boolean,
    message: string,
  ): Promise<string | undefined> {
    for (const plan of plans) {
      const state = await this.appState(plan.name);
      const step = state.failover?.steps.find((s) => s.kind === 'restore' && s.jobId === jobId);
      if (!step || step.status !== StepStatus.Running) continue;
      const at = this.deps.clock.now();
      const event: FailoverEvent = succeeded
        ? { type: 'restore-succeeded', step: step.name, at, detail: message }
        : { type: 'restore-failed', step: step.name, at, reason: message };
      const applied = await this.apply(plan.name, event);
      return applied.ok ? plan.name : undefined;
    }
    return undefined;
  }

  /**
   * Carries the app's current failover as far as it can go now, in rounds:
   * 1. an expired approval request is settled by its `onTimeout`;
   * 2. the intents of this round's effects (restores to start, the switch) are recorded in ONE write,
   *    so a crash after it resumes them with the same idempotency tokens;
   * 3. the effects run in parallel (starts, polls, probes, the switch), each ending in an event;
   * 4. their results are recorded in ONE write — parallel steps never race each other for the item;
   * 5. repeat while something changed; stop when the failover ended or waits for a job or a human.
   */
  async advance(plan: RecoveryPlan): Promise<AdvanceResult> {
    const { store, clock, owner } = this.deps;
    const name = `failover/${plan.name}`;
    const taken = await acquireLease(store, {
      name,
      owner,
      now: clock.now(),
      ttlSeconds: this.deps.leaseSeconds ?? 300,
    });
    if (!taken.acquired) return 'held-elsewhere';
    const token = taken.lease.fencingToken;
    try {
      for (let round = 0; round < 1000; round++) {
        const failover = (await this.appState(plan.name)).failover;
        if (!failover) return 'idle';
        if (isTerminal(failover.phase)) return 'ended';
        const now = clock.now();
        if (failover.phase === Phase.AwaitingApproval) {
          if (failover.approval && now.getTime() >= Date.parse(failover.approval.expiresAt)) {
            await this.applyAll(plan.name, [{ type: 'approval-expired', at: now }], token);
            continue;
          }
          return 'waiting-for-approval';
        }
        const commands = nextCommands(failover);
        const intents = commands.flatMap((c): FailoverEvent[] =>
          c.type === 'start-restore'
            ? [{ type: 'restore-requested', step: c.step, at: now }]
            : c.type === 'switch-traffic'
              ? [{ type: 'switch-requested', at: now }]
              : [],
        );
        if (intents.length > 0) {
          await this.applyAll(plan.name, intents, token);
          // Before any effect: is this instance still the lease holder? (A paused instance is not.)
          await assertFencing(store, name, token, clock.now());
        }
        const results = (await Promise.all(commands.map((c) => this.effect(plan, c)))).filter(
          (e): e is FailoverEvent => e !== undefined,
        );
        if (results.length === 0 || !(await this.applyAll(plan.name, results, token)).ok)
          return 'waiting-for-jobs';
      }
      throw new Error(`advance(${plan.name}) did not settle`);
    } finally {
      // A lease that cannot be released expires by itself; never let that hide the round's own error.
      await releaseLease(store, taken.lease, clock.now()).catch(() => false);
    }
  }

  /** Runs one command's effect; returns the event that records its result, or none while a job runs. */
  private async effect(plan: RecoveryPlan, command: Command): Promise<FailoverEvent | undefined> {
    const now = () => this.deps.clock.now();
    const resourceOf = (step: string) => plan.resources.find((r) => stepName.restore(r.name) === step)!;
    switch (command.type) {
      case 'start-restore':
        try {
          const { jobId } = await this.deps.restores.start({
            resource: resourceOf(command.step),
            recoveryPointId: command.recoveryPoint,
            idempotencyToken: command.idempotencyToken,
          });
          return { type: 'restore-started', step: command.step, jobId, at: now() };
        } catch (error) {
          return { type: 'restore-failed', step: command.step, at: now(), reason: messageOf(error) };
        }
      case 'check-restore': {
        let status: Awaited<ReturnType<RestoreService['describe']>>;
        try {
          status = await this.deps.restores.describe(resourceOf(command.step), command.jobId);
        } catch {
          return undefined; // a failed poll is not a failed restore: the job's own end decides
        }
        if (status.state === 'running') return undefined;
        return status.state === 'succeeded'
          ? {
              type: 'restore-succeeded',
              step: command.step,
              at: now(),
              detail: status.createdResource ?? status.message ?? 'completed',
            }
          : {
              type: 'restore-failed',
              step: command.step,
              at: now(),
              reason: status.message ?? 'the restore job failed',
            };
      }
      case 'run-probe': {
        const probe = plan.validate[command.index];
        if (!probe)
          return { type: 'probe-failed', step: command.step, at: now(), reason: 'probe not in plan' };
        const result = await this.deps.prober.probe(probe);
        return result.ok
          ? { type: 'probe-passed', step: command.step, at: now(), detail: result.detail }
          : { type: 'probe-failed', step: command.step, at: now(), reason: result.detail };
      }
      case 'switch-traffic':
        try {
          await this.deps.traffic.switchTo(plan, 'recovery');
          return { type: 'switched', at: now() };
        } catch (error) {
          return { type: 'switch-failed', at: now(), reason: messageOf(error) };
        }
    }
  }

  /** Applies one event (see {@link applyAll}). */
  apply(
    app: string,
    event: FailoverEvent,
    fencingToken?: number,
  ): Promise<{ ok: true; failover: Failover } | { ok: false; reason: string }> {
    return this.applyAll(app, [event], fencingToken);
  }

  /**
   * Applies events to the app's current failover in ONE conditional write, re-reading and re-applying
   * on a lost race. Events that no longer apply are skipped; successes go before failures, so a job
   * that started is on record even when its sibling's failure ends the failover. Timeline of a race:
   * A reads v3, B reads v3, B writes v4, A's write expecting v3 fails; A re-reads v4 and applies its
   * events there — or finds they no longer apply. A lease holder whose token was superseded is refused
   * for good (LeaseLostError), never retried.
   */
  async applyAll(
    app: string,
    events: readonly FailoverEvent[],
    fencingToken?: number,
  ): Promise<{ ok: true; failover: Failover } | { ok: false; reason: string }> {
    const ordered = [...events].sort((a, b) => Number(isFailure(a)) - Number(isFailure(b)));
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const stored = await this.deps.store.get<AppState>(appKeys.current(app));
      const state = stored?.value;
      if (!stored || !state?.failover) return { ok: false, reason: `${app} has no failover` };
      let failover = state.failover;
      const refusals: string[] = [];
      for (const event of ordered) {
        const result = transition(failover, event);
        if (result.ok) failover = result.failover;
        else refusals.push(result.reason);
      }
      if (refusals.length === ordered.length) return { ok: false, reason: refusals.join('; ') };
      const completed = failover.phase === Phase.Completed && state.failover.phase !== Phase.Completed;
      const switched = failover.steps.some((s) => s.kind === 'switch' && s.status === StepStatus.Succeeded);
      const next: AppState = {
        activeSite: completed && switched ? 'recovery' : state.activeSite,
        failover,
        lastCompletedAt: completed ? (failover.endedAt ?? state.lastCompletedAt) : state.lastCompletedAt,
        fencingToken: fencingToken ?? state.fencingToken ?? 0,
      };
      try {
        await fencedUpdate(this.deps.store, appKeys.current(app), next, stored.version);
        return { ok: true, failover };
      } catch (error) {
        if (!(error instanceof ConflictError) || error instanceof LeaseLostError) throw error;
      }
    }
    throw new ConflictError(
      `could not record ${events.map((e) => e.type).join(', ')} for ${app} after ${MAX_WRITE_ATTEMPTS} attempts`,
    );
  }

  /** Replaces the app item (claim), archiving the previous failover under its own key first. */
  private async replaceCurrent(
    app: string,
    stored: Versioned<AppState> | undefined,
    next: AppState,
  ): Promise<void> {
    const previous = stored?.value.failover;
    if (previous)
      await this.deps.store.create(appKeys.archived(app, previous), previous).catch((e) => {
        if (!(e instanceof ConflictError)) throw e; // already archived by an earlier attempt
      });
    if (stored) await this.deps.store.update(appKeys.current(app), next, stored.version);
    else await this.deps.store.create(appKeys.current(app), next);
  }

  /** Records that an event was handled; false when it had been handled before (a redelivery). */
  async firstDelivery(app: string, eventId: string): Promise<boolean> {
    const existing = await this.deps.store.get(appKeys.event(app, eventId));
    return existing === undefined;
  }

  /** Marks an event handled, after its effect is recorded (so a crash before this redoes it, safely). */
  async markDelivered(app: string, eventId: string): Promise<void> {
    const expiresAt = new Date(this.deps.clock.now().getTime() + 7 * 86_400_000);
    await this.deps.store
      .create(appKeys.event(app, eventId), { at: this.deps.clock.now().toISOString() }, { expiresAt })
      .catch((e) => {
        if (!(e instanceof ConflictError)) throw e;
      });
  }

  /** Notifications recorded for an app, oldest first. */
  async notifications(app: string): Promise<(Notification & { delivered: boolean })[]> {
    const items = await this.deps.store.query<Notification & { delivered: boolean }>(
      `app#${app}`,
      'notification#',
    );
    return items.map((i) => i.value);
  }
}

const isFailure = (e: FailoverEvent): boolean =>
  e.type === 'restore-failed' ||
  e.type === 'probe-failed' ||
  e.type === 'switch-failed' ||
  e.type === 'abort';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
