/**
 * The invariants of drills (docs/drills.md), checked with the others after every step: a drill
 * restores under drill names only, two drills of one app never overlap, a drill yields to a failover
 * of its app, it deletes nothing but what its own restores created — and, once the world has settled,
 * everything its restores created is deleted or its tear-down is on record as failed.
 */
import { drillName } from './drills.ts';
import { isTerminalPhase, type ObservedApp, type ObservedFailover } from './engine.ts';
import type { CloudTruth, TruthJob } from './truth.ts';

/** The owner of a restore job, by idempotency token. */
export interface JobOwner {
  readonly failover: ObservedFailover;
  readonly resource: string;
  readonly drill: boolean;
}

type Report = (invariant: string, detail: string) => void;

/**
 * Longest a drill may go on asking for restores after a failover of its app is in flight. A round
 * checks for a failover right after reading the drill, and acts only within its lease (300 s, renewed
 * before its effects, acted on with 60 s to spare) — but its intent write is fenced only against a
 * newer lease holder, not against its own lease running out: a round frozen right before that write
 * (the world pauses a task up to 900 s there) records an intent its check no longer supports, and the
 * aborted drill then asks for it once more, as it does for every start whose answer it never saw. The
 * state store port has no condition across two items that could close this; the bound is
 * lease + renewal + the longest pause.
 */
export const DRILL_YIELD_SECONDS = 1500;

/** Seconds each app keeps what its drills restored (`spec.drill.keepFor`); absent: it does not keep. */
export type KeepFor = ReadonlyMap<string, number>;

export class DrillChecks {
  #deletesSeen = 0;
  /** When a failover was first seen in flight, per app: drills must stop asking for restores soon after. */
  readonly #failoverSince = new Map<string, { id: string; at: number }>();
  /**
   * When each drill restore was first seen asked for (its intent on record), by token. An aborted drill
   * asks again for a start whose job id it never recorded (same token: the job, if it started, is
   * found); only a restore first asked for after the failover counts against the drill.
   */
  readonly #askedAt = new Map<string, number>();

  constructor(
    private readonly truth: CloudTruth,
    private readonly keepFor: KeepFor = new Map(),
  ) {}

  /** Checks the jobs started since the last step, and the drills of every app. */
  check(
    now: number,
    apps: ReadonlyMap<string, ObservedApp>,
    fresh: readonly TruthJob[],
    owners: ReadonlyMap<string, JobOwner>,
    v: Report,
    maxSkewMs = 0,
  ): void {
    for (const [name, app] of apps) {
      const flying = app.current && !isTerminalPhase(app.current.phase) ? app.current : undefined;
      const seen = this.#failoverSince.get(name);
      if (!flying) this.#failoverSince.delete(name);
      else if (seen?.id !== flying.id) this.#failoverSince.set(name, { id: flying.id, at: now });
      for (const d of app.drills)
        for (const step of d.steps)
          if (step.kind === 'restore' && step.status !== 'pending' && step.idempotencyToken)
            if (!this.#askedAt.has(step.idempotencyToken)) this.#askedAt.set(step.idempotencyToken, now);
      const inFlight = app.drills.filter((d) => !isTerminalPhase(d.phase));
      if (inFlight.length > 1)
        v(
          'one-drill-in-flight',
          `${name} has ${inFlight.length} drills in flight: ${inFlight.map((d) => d.id).join(', ')}`,
        );
    }
    for (const job of fresh) {
      const owner = owners.get(job.token);
      if (!owner?.drill) continue;
      const wanted = drillName(job.app, owner.resource);
      if (job.target !== wanted)
        v(
          'drill-names',
          `drill ${owner.failover.id} restored ${job.resource} as ${JSON.stringify(job.target)}, not its drill name ${wanted}`,
        );
      const since = this.#failoverSince.get(job.app);
      const asked = this.#askedAt.get(job.token) ?? job.startedAt;
      if (since && asked - since.at > DRILL_YIELD_SECONDS * 1000)
        v(
          'drill-yields',
          `drill ${owner.failover.id} asked for restore job ${job.id} ${Math.round((asked - since.at) / 1000)}s after failover ${since.id} of ${job.app} was in flight`,
        );
    }
    this.#checkTornDownIsGone(now, apps, v);
    for (const d of this.truth.deletes()) {
      const job = d.job ? this.truth.jobs().find((j) => j.id === d.job) : undefined;
      if (!job || !owners.get(job.token)?.drill)
        v(
          'drill-deletes-own',
          `${d.app}/${d.resource}: ${d.created} was deleted, which no drill's restore created`,
        );
    }
    this.#checkKeptDeletes(apps, owners, v, maxSkewMs);
  }

  /** Restore jobs whose created resource is gone by `now` (its delete asked for and done). */
  #gone(now: number): Set<string> {
    return new Set(this.truth.deletes().flatMap((d) => (d.job && d.doneAt <= now ? [d.job] : [])));
  }

  /** A tear-down step on record as succeeded means what its restore created is gone — not still being deleted. */
  #checkTornDownIsGone(now: number, apps: ReadonlyMap<string, ObservedApp>, v: Report): void {
    const gone = this.#gone(now);
    for (const app of apps.values())
      for (const drill of app.drills)
        for (const step of drill.steps) {
          if (step.kind !== 'teardown' || step.status !== 'succeeded') continue;
          const restore = drill.steps.find((s) => s.kind === 'restore' && s.target === step.target);
          if (!restore?.jobId || !gone.has(restore.jobId))
            v(
              'torn-down-is-gone',
              `drill ${drill.id} recorded ${step.target} torn down, but what job ${restore?.jobId ?? '(none)'} restored is not gone`,
            );
        }
  }

  /**
   * What a drill kept is deleted only once it expired: the drill's end + `keepFor` — at once when the
   * drill was aborted (a real failover preempted it). A delete before that, by more than the clocks
   * disagree, removed what a human was told to inspect.
   */
  #checkKeptDeletes(
    apps: ReadonlyMap<string, ObservedApp>,
    owners: ReadonlyMap<string, JobOwner>,
    v: Report,
    maxSkewMs: number,
  ): void {
    const deletes = this.truth.deletes();
    for (const d of deletes.slice(this.#deletesSeen)) {
      const keep = this.keepFor.get(d.app);
      const job = d.job ? this.truth.jobs().find((j) => j.id === d.job) : undefined;
      const owner = job && owners.get(job.token);
      if (keep === undefined || !owner?.drill) continue;
      const drill = apps.get(d.app)?.drills.find((x) => x.id === owner.failover.id) ?? owner.failover;
      if (drill.phase === 'aborted') continue;
      const expires = drill.endedAt === null ? Number.POSITIVE_INFINITY : drill.endedAt + keep * 1000;
      if (d.at < expires - maxSkewMs)
        v(
          'kept-until-expiry',
          `${d.created} of drill ${drill.id} (${drill.phase}) was deleted ${drill.endedAt === null ? 'while the drill was in flight' : `${Math.round((expires - d.at) / 1000)}s before its expiry`} (keepFor ${keep}s)`,
        );
    }
    this.#deletesSeen = deletes.length;
  }

  /**
   * What kept drills restored and is neither deleted nor left on a settled record (named, for a human):
   * the world has not settled while any remains.
   */
  outstandingKept(
    now: number,
    apps: ReadonlyMap<string, ObservedApp>,
    owners: ReadonlyMap<string, JobOwner>,
  ): string[] {
    const deleted = this.#gone(now);
    const out: string[] = [];
    for (const job of this.truth.jobs()) {
      const owner = owners.get(job.token);
      if (!this.keepFor.has(job.app) || !owner?.drill || job.outcome !== 'succeeded') continue;
      if (job.endsAt > now || deleted.has(job.id)) continue;
      const app = apps.get(job.app);
      const drill = app?.drills.find((d) => d.id === owner.failover.id) ?? owner.failover;
      const teardown = drill.steps.find((s) => s.kind === 'teardown' && s.target === owner.resource);
      if (teardown?.status !== 'skipped') continue; // not kept: the tear-down checks cover it
      const record = app?.kept.find((k) => k.drillId === drill.id);
      if (!record?.settled) out.push(`${job.app}/${owner.resource} of drill ${drill.id} (job ${job.id})`);
    }
    return out;
  }

  /** Once the world settled: what every drill restored is gone, or its tear-down failed on record. */
  checkSettled(
    now: number,
    apps: ReadonlyMap<string, ObservedApp>,
    owners: ReadonlyMap<string, JobOwner>,
    v: Report,
  ): void {
    const deleted = this.#gone(now);
    for (const job of this.truth.jobs()) {
      const owner = owners.get(job.token);
      if (!owner?.drill || job.outcome !== 'succeeded' || job.endsAt > now || deleted.has(job.id)) continue;
      const app = apps.get(job.app);
      const drill = app?.drills.find((d) => d.id === owner.failover.id) ?? owner.failover;
      const teardown = drill.steps.find((s) => s.kind === 'teardown' && s.target === owner.resource);
      const keptAndNamed =
        teardown?.status === 'skipped' && app?.kept.some((k) => k.drillId === drill.id && k.settled);
      if (teardown?.status !== 'failed' && !keptAndNamed)
        v(
          'drill-cleaned-up',
          `drill ${drill.id} (${drill.phase}) left ${job.app}/${owner.resource} from job ${job.id} behind${teardown ? ` (tear-down ${teardown.status})` : ' (no tear-down step)'}`,
        );
    }
  }
}
