/**
 * The invariants, checked after every step of a world: SPEC §4 and the stricter ones of issue 6.
 * Each compares what the engine stored (through `engine.ts`'s observed shapes) with the cloud's
 * ground truth (`truth.ts`) and with what the world really delivered (approvals, alarm facts).
 */
import { DrillChecks, type JobOwner, type KeepFor } from './drill-invariants.ts';
import { isTerminalPhase, type ObservedApp, type ObservedFailover } from './engine.ts';
import type { CloudTruth, TruthJob } from './truth.ts';

/** A broken invariant. */
export interface Violation {
  readonly invariant: string;
  readonly detail: string;
}

/** What one check looks at besides the store and the cloud. */
export interface CheckInput {
  readonly now: number;
  readonly apps: ReadonlyMap<string, ObservedApp>;
  /** Failovers an approve token was delivered for (the delivery started). */
  readonly approved: ReadonlySet<string>;
  /** ALARM facts whose delivery started, per app. */
  readonly alarmFacts: ReadonlyMap<string, ReadonlySet<string>>;
  /** The largest clock offset between a controller and the world, in ms. */
  readonly maxSkewMs: number;
  /** Probe URLs per app, by 1-based index. */
  readonly probes: ReadonlyMap<string, readonly string[]>;
}

/** Checks the invariants step after step; keeps what it saw to judge changes. */
export class InvariantChecker {
  #jobsSeen = 0;
  readonly #routing = new Map<string, string>();
  readonly #switches = new Map<string, number>();
  readonly #history = new Map<string, string[]>();
  /** Index into the probe log when a failover was first seen: its probes must answer after it. */
  readonly #probesFrom = new Map<string, number>();
  readonly #owners = new Map<string, JobOwner>();
  readonly #drills: DrillChecks;
  /** The highest fencing token seen on each app item: a lease holder's token only ever grows. */
  readonly #fencing = new Map<string, number>();

  /**
   * `fencing: false` in a family whose store hides the fencing token: tokens may then go down.
   * `keepFor`: the apps whose drills keep what they restore, and for how long (seconds).
   */
  constructor(
    private readonly truth: CloudTruth,
    private readonly options: { readonly fencing: boolean; readonly keepFor?: KeepFor } = { fencing: true },
  ) {
    this.#drills = new DrillChecks(truth, options.keepFor);
  }

  /** What kept drills restored that is not yet deleted nor named on a settled record. */
  outstandingKept(now: number, apps: ReadonlyMap<string, ObservedApp>): string[] {
    return this.#drills.outstandingKept(now, apps, this.#owners);
  }

  /** The checks that hold once the world has settled (every failover and drill ended). */
  checkSettled(now: number, apps: ReadonlyMap<string, ObservedApp>): Violation[] {
    const out: Violation[] = [];
    this.#drills.checkSettled(now, apps, this.#owners, (invariant, detail) =>
      out.push({ invariant, detail }),
    );
    return out;
  }

  check(input: CheckInput): Violation[] {
    const out: Violation[] = [];
    const v = (invariant: string, detail: string) => out.push({ invariant, detail });
    // Tokens are remembered for good: a step that changed its token still owns the jobs of the old one.
    const owners = this.#owners;
    for (const app of input.apps.values())
      for (const [f, drill] of [
        ...app.all.map((f) => [f, false] as const),
        ...app.drills.map((d) => [d, true] as const),
      ]) {
        if (!this.#probesFrom.has(f.id)) this.#probesFrom.set(f.id, this.truth.probes.length);
        for (const s of f.steps)
          if (s.kind === 'restore' && s.idempotencyToken)
            owners.set(s.idempotencyToken, { failover: f, resource: s.target, drill });
      }
    const jobs = this.truth.jobs();
    const byId = new Map(jobs.map((j) => [j.id, j]));
    this.#drills.check(input.now, input.apps, jobs.slice(this.#jobsSeen), owners, v, input.maxSkewMs);

    // Jobs the cloud started since the last check: owned, for a live failover, after its approval.
    for (const job of jobs.slice(this.#jobsSeen)) {
      const owner = owners.get(job.token);
      if (!owner) {
        v(
          'job-owned',
          `job ${job.id} (${job.app}/${job.resource}) was started with token ${job.token}, which no stored failover holds`,
        );
        continue;
      }
      if (isTerminalPhase(owner.failover.phase))
        v(
          'no-job-after-end',
          `job ${job.id} for ${job.resource} was started for failover ${owner.failover.id}, already ${owner.failover.phase}`,
        );
      this.#approvedBeforeEffect(input, owner.failover, `restore job ${job.id}`, v);
    }
    this.#jobsSeen = jobs.length;

    // At most one job per resource per failover.
    const perStep = new Map<string, string[]>();
    for (const job of jobs) {
      const owner = owners.get(job.token);
      if (!owner) continue;
      const key = `${owner.failover.id}/${owner.resource}`;
      perStep.set(key, [...(perStep.get(key) ?? []), job.id]);
    }
    for (const [key, ids] of perStep)
      if (ids.length > 1)
        v('restore-once', `failover/resource ${key} has ${ids.length} restore jobs: ${ids.join(', ')}`);

    for (const [name, app] of input.apps) {
      const highest = this.#fencing.get(name) ?? 0;
      if (this.options.fencing && app.fencingToken < highest)
        v(
          'fencing-token-grows',
          `${name}: the app item was written with fencing token ${app.fencingToken} after ${highest}: a superseded lease holder wrote`,
        );
      this.#fencing.set(name, Math.max(highest, app.fencingToken));
      const inFlight = app.all.filter((f) => !isTerminalPhase(f.phase));
      if (inFlight.length > 1)
        v(
          'one-in-flight',
          `${name} has ${inFlight.length} failovers in flight: ${inFlight.map((f) => f.id).join(', ')}`,
        );
      for (const f of [...app.all, ...app.drills]) {
        this.#ownJobs(f, byId, input.now, v);
        this.#historyInOrder(f, v);
      }
      const alarmFailovers = app.all.filter((f) => f.triggerKind === 'alarm').length;
      const facts = input.alarmFacts.get(name)?.size ?? 0;
      if (alarmFailovers > facts)
        v(
          'one-failover-per-alarm',
          `${name} has ${alarmFailovers} alarm-triggered failovers from ${facts} distinct ALARM fact(s)`,
        );
      this.#routingChecks(name, app, input, byId, v);
    }
    return out;
  }

  /** Every recorded job of a restore step is that step's own; a succeeded step's job really succeeded. */
  #ownJobs(
    f: ObservedFailover,
    byId: ReadonlyMap<string, TruthJob>,
    now: number,
    v: (i: string, d: string) => void,
  ) {
    for (const s of f.steps) {
      if (s.kind === 'restore' && s.status === 'succeeded' && !s.jobId)
        v('own-job', `failover ${f.id} step ${s.target} is succeeded without a job of its own`);
      if (s.kind !== 'restore' || !s.jobId) continue;
      const job = byId.get(s.jobId);
      if (!job) {
        v(
          'own-job',
          `failover ${f.id} step ${s.target} records job ${s.jobId}, which the cloud does not have`,
        );
        continue;
      }
      if (job.resource !== s.target || (s.idempotencyToken && job.token !== s.idempotencyToken))
        v(
          'own-job',
          `failover ${f.id} step ${s.target} records job ${job.id}, started with token ${job.token} for ${job.resource}`,
        );
      if (s.status === 'succeeded' && (job.outcome !== 'succeeded' || job.endsAt > now))
        v(
          'own-job',
          `failover ${f.id} step ${s.target} is succeeded, but its job ${job.id} ${job.endsAt > now ? `is still running (ends in ${Math.round((job.endsAt - now) / 1000)}s)` : 'failed'}`,
        );
    }
  }

  /** History: times never go back, nothing after an end, the last entry is the phase, and it only grows. */
  #historyInOrder(f: ObservedFailover, v: (i: string, d: string) => void) {
    const entries = f.history.map((h) => `${h.phase}@${h.at}`);
    for (let i = 1; i < f.history.length; i++) {
      const [a, b] = [f.history[i - 1]!, f.history[i]!];
      if (Date.parse(b.at) < Date.parse(a.at))
        v('history-order', `failover ${f.id}: ${b.phase} at ${b.at} is recorded after ${a.phase} at ${a.at}`);
      if (isTerminalPhase(a.phase))
        v('history-order', `failover ${f.id}: ${b.phase} is recorded after the terminal ${a.phase}`);
    }
    if (f.history.length && f.history.at(-1)!.phase !== f.phase)
      v(
        'history-order',
        `failover ${f.id} is ${f.phase} but its history ends with ${f.history.at(-1)!.phase}`,
      );
    const before = this.#history.get(f.id) ?? [];
    if (before.some((e, i) => entries[i] !== e))
      v(
        'history-order',
        `failover ${f.id}: the history was rewritten (${before.join(' → ')} became ${entries.join(' → ')})`,
      );
    this.#history.set(f.id, entries);
  }

  #routingChecks(
    name: string,
    app: ObservedApp,
    input: CheckInput,
    byId: ReadonlyMap<string, TruthJob>,
    v: (i: string, d: string) => void,
  ) {
    const routing = this.truth.routing(name);
    if (routing === 'absent') return;
    if (routing === 'none') v('never-both-off', `${name}: no site receives traffic`);
    const before = this.#routing.get(name) ?? 'primary';
    this.#routing.set(name, routing);
    if (routing !== before) {
      const f = app.current;
      if (!f)
        v(
          'switch-after-restores',
          `${name}: traffic moved ${before} → ${routing} with no failover on record`,
        );
      else {
        const n = (this.#switches.get(f.id) ?? 0) + 1;
        this.#switches.set(f.id, n);
        if (n > 1)
          v('one-switch-per-failover', `${name}: traffic changed ${n} times during failover ${f.id}`);
        if (isTerminalPhase(f.phase))
          v(
            'switch-after-restores',
            `${name}: traffic moved ${before} → ${routing} while failover ${f.id} is already ${f.phase}`,
          );
        for (const s of f.steps) {
          const job = s.jobId ? byId.get(s.jobId) : undefined;
          if (
            s.kind === 'restore' &&
            !(s.status === 'succeeded' && job?.outcome === 'succeeded' && job.endsAt <= input.now)
          )
            v(
              'switch-after-restores',
              `${name}: traffic moved during failover ${f.id} while restore ${s.target} is ${s.status}${job ? ` (job ${job.id}: ${job.endsAt > input.now ? 'running' : job.outcome})` : ''}`,
            );
          if (s.kind === 'validate') {
            const url = s.target.startsWith('http')
              ? s.target
              : input.probes.get(name)?.[Number(s.target.split(':')[1]) - 1];
            const answered = this.truth.probes
              .slice(this.#probesFrom.get(f.id) ?? 0)
              .some((p) => p.url === url && p.ok);
            if (s.status !== 'succeeded' || !answered)
              v(
                'switch-after-restores',
                `${name}: traffic moved during failover ${f.id} while probe ${url} is ${s.status}${answered ? '' : ' (never answered healthy)'}`,
              );
          }
        }
        this.#approvedBeforeEffect(input, f, 'the traffic switch', v);
      }
    }
    const settled = !app.current || isTerminalPhase(app.current.phase);
    if (settled && (routing === 'primary' || routing === 'recovery') && app.activeSite !== routing)
      v(
        'stored-site',
        `${name}: stored active site is ${app.activeSite}, traffic really goes to ${routing} (${app.current ? `failover ${app.current.id} ${app.current.phase}` : 'no failover'})`,
      );
  }

  #approvedBeforeEffect(
    input: CheckInput,
    f: ObservedFailover,
    what: string,
    v: (i: string, d: string) => void,
  ) {
    if (!f.approval || input.approved.has(f.id)) return;
    const expired =
      f.approval.onTimeout === 'proceed' && input.now + input.maxSkewMs >= Date.parse(f.approval.expiresAt);
    if (!expired)
      v(
        'approval-before-effect',
        `${what} for failover ${f.id} ran, but no approval of ${f.id} was delivered and its request has not timed out to proceed`,
      );
  }
}
