/**
 * The harness's own cloud: restore jobs keyed by idempotency token (the same token answers the same
 * job, as AWS Backup does), with durations and outcomes drawn from the seed; routing per application;
 * probes. It implements the effect ports with no faults of its own — faults are injected around it by
 * `ports.ts` — and is the ground truth the checks read.
 */
import { ProviderError } from '#shared/domain/errors.ts';
import type { HttpProbe, ProtectedResource, RecoveryPlan } from '#shared/domain/plan.ts';
import type { Clock } from '#shared/ports/clock.ts';
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
import type { Random } from './random.ts';
import type { CloudTruth, TruthDelete, TruthJob, TruthRouting } from './truth.ts';

/** How the fake cloud behaves in one world. */
export interface FakeCloudOptions {
  /** Share of restore jobs that fail. */
  readonly jobFailRate: number;
  /** Share of probe calls that answer "unhealthy". */
  readonly probeFailRate: number;
  /** Job durations are drawn from this range, in seconds. */
  readonly durationSeconds: readonly [number, number];
}

/** The fake cloud: effect ports plus ground truth. */
export class FakeCloud implements CloudTruth, RestoreService, Prober, TrafficSwitch, RestoredResourceCleaner {
  readonly #jobs: TruthJob[] = [];
  readonly #deletes: TruthDelete[] = [];
  readonly #byToken = new Map<string, TruthJob>();
  readonly #routing = new Map<string, 'primary' | 'recovery'>();
  readonly probes: { url: string; ok: boolean }[] = [];
  /** Its own stream, so that drawing delete durations shifts no other draw of a seed. */
  readonly #deleteRandom: Random;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly options: FakeCloudOptions,
    /** Apps whose plans have routing. */
    routedApps: readonly string[],
  ) {
    for (const app of routedApps) this.#routing.set(app, 'primary');
    this.#deleteRandom = random.fork('deletes');
  }

  jobs(): readonly TruthJob[] {
    return this.#jobs;
  }

  deletes(): readonly TruthDelete[] {
    return this.#deletes;
  }

  routing(app: string): TruthRouting {
    return this.#routing.get(app) ?? 'absent';
  }

  async start(request: RestoreRequest): Promise<{ readonly jobId: string }> {
    const { resource, idempotencyToken: token, recoveryPointId } = request;
    if (!resource) throw new ProviderError('backup:StartRestoreJob', 'no resource given');
    if (!recoveryPointId.endsWith(`rp-${resource.app}-${resource.name}`))
      throw new ProviderError(
        'backup:StartRestoreJob',
        `recovery point ${recoveryPointId} is not a point of ${resource.app}/${resource.name}`,
      );
    const earlier = this.#byToken.get(token);
    if (earlier) {
      if (earlier.resource !== resource.name || earlier.app !== resource.app)
        throw new ProviderError('backup:StartRestoreJob', `token ${token} was used for ${earlier.resource}`);
      return { jobId: earlier.id };
    }
    const now = this.clock.now().getTime();
    const [min, max] = this.options.durationSeconds;
    const id = `job-${this.#jobs.length + 1}`;
    const job: TruthJob = {
      id,
      token,
      app: resource.app,
      resource: resource.name,
      startedAt: now,
      endsAt: now + this.random.between(min, max) * 1000,
      outcome: this.random.chance(this.options.jobFailRate) ? 'failed' : 'succeeded',
      target: targetOf(resource),
      created: `${resource.name}-restored-${id}`,
    };
    this.#jobs.push(job);
    this.#byToken.set(token, job);
    return { jobId: job.id };
  }

  async describe(resource: ProtectedResource, jobId: string): Promise<RestoreJobStatus> {
    const job = this.#jobs.find((j) => j.id === jobId && j.app === resource.app);
    if (!job) throw new ProviderError('backup:DescribeRestoreJob', `restore job ${jobId} not found`);
    if (this.clock.now().getTime() < job.endsAt) return { state: 'running' };
    return job.outcome === 'succeeded'
      ? { state: 'succeeded', createdResource: createdBy(job) }
      : { state: 'failed', message: `restore job ${job.id} failed: snapshot corrupt` };
  }

  /**
   * Deletes what a restore created. Half the deletes take a while (15–600 s), as an Aurora or EKS
   * cluster's does: until then every call answers `deleting`. The first call is the delete on record;
   * a call after the resource is gone answers `deleted` again, as the real cleaners do.
   */
  async delete(resource: ProtectedResource, created: string): Promise<DeleteOutcome> {
    const now = this.clock.now().getTime();
    let record = this.#deletes.find((d) => d.created === created);
    if (!record) {
      const job = this.#jobs.find((j) => j.outcome === 'succeeded' && createdBy(j) === created);
      const takes = this.#deleteRandom.chance(0.5) ? this.#deleteRandom.between(15, 600) * 1000 : 0;
      record = {
        app: resource.app,
        resource: resource.name,
        created,
        job: job?.id,
        at: now,
        doneAt: now + takes,
      };
      this.#deletes.push(record);
    }
    return now < record.doneAt
      ? { state: 'deleting', detail: `${created} is being deleted` }
      : { state: 'deleted', detail: `deleted ${created}` };
  }

  async probe(probe: HttpProbe): Promise<ProbeResult> {
    const ok = !this.random.chance(this.options.probeFailRate);
    this.probes.push({ url: probe.url, ok });
    return ok ? { ok, detail: `GET ${probe.url} → 200` } : { ok, detail: `GET ${probe.url} → 503` };
  }

  async activeSite(plan: RecoveryPlan): Promise<ActiveSite> {
    return this.#routing.get(plan.name) ?? 'unknown';
  }

  async switchTo(plan: RecoveryPlan, site: 'primary' | 'recovery'): Promise<void> {
    if (!this.#routing.has(plan.name))
      throw new ProviderError('route53:ChangeResourceRecordSets', `${plan.name} has no routing`);
    this.#routing.set(plan.name, site);
  }
}

/** The id a succeeded job reports as created. */
const createdBy = (job: TruthJob) => job.created ?? `${job.resource}-restored-${job.id}`;

/** The name a restore creates its resource under: AWS metadata, or the Azure request's target. */
function targetOf(resource: ProtectedResource): string {
  const source = resource.source;
  if (!source.restore) return '';
  if (source.kind === 'aws-backup') return String(source.restore.metadata.DBInstanceIdentifier ?? '');
  const target = (
    source.restore.request as { restoreTargetInfo?: { datasourceInfo?: { resourceName?: string } } }
  ).restoreTargetInfo?.datasourceInfo?.resourceName;
  return target ?? '';
}
