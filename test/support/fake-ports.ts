/**
 * In-memory fakes of the failover ports, for use-case tests. Each records what it was asked, so a
 * test can count effects; each is idempotent the way the real provider is.
 */
import type { ProtectedResource, RecoveryPlan } from '#shared/domain/plan.ts';
import type { ResourceObservation } from '#shared/domain/recovery-point.ts';
import type { BackupInventory, InventoryRequest } from '#shared/ports/backup-inventory.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { Notification, Notifier } from '#shared/ports/notifier.ts';
import type {
  ActiveSite,
  ProbeResult,
  Prober,
  RestoreJobStatus,
  RestoreRequest,
  RestoreService,
  TrafficSwitch,
} from '#shared/ports/recovery-actions.ts';

/** Restores that take `durationSeconds` of the injected clock; same token → same job, as AWS does. */
export class FakeRestores implements RestoreService {
  readonly calls: RestoreRequest[] = [];
  readonly jobs = new Map<string, { id: string; resource: string; startedAt: number }>();
  /** Restore jobs actually created (a repeated token creates none). */
  created = 0;
  constructor(
    private readonly clock: Clock,
    private readonly durationSeconds = 600,
    private readonly failing: readonly string[] = [],
  ) {}
  async start(request: RestoreRequest): Promise<{ jobId: string }> {
    this.calls.push(request);
    const existing = this.jobs.get(request.idempotencyToken);
    if (existing) return { jobId: existing.id };
    this.created += 1;
    const id = `job-${this.created}`;
    this.jobs.set(request.idempotencyToken, {
      id,
      resource: request.resource.name,
      startedAt: this.clock.now().getTime(),
    });
    return { jobId: id };
  }
  async describe(resource: ProtectedResource, jobId: string): Promise<RestoreJobStatus> {
    const job = [...this.jobs.values()].find((j) => j.id === jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    if (this.clock.now().getTime() < job.startedAt + this.durationSeconds * 1000) return { state: 'running' };
    return this.failing.includes(resource.name)
      ? { state: 'failed', message: `restore of ${resource.name} failed: snapshot corrupt` }
      : { state: 'succeeded', createdResource: `${resource.name}-restored` };
  }
  /** When the earliest running job completes. */
  nextCompletion(): Date | undefined {
    const ends = [...this.jobs.values()]
      .map((j) => j.startedAt + this.durationSeconds * 1000)
      .filter((t) => t > this.clock.now().getTime());
    return ends.length ? new Date(Math.min(...ends)) : undefined;
  }
}

/** Routing held in memory; `changes` counts real flips (a switch to the active site is a no-op). */
export class FakeTraffic implements TrafficSwitch {
  site: 'primary' | 'recovery' = 'primary';
  changes = 0;
  async activeSite(_plan: RecoveryPlan): Promise<ActiveSite> {
    return this.site;
  }
  async switchTo(_plan: RecoveryPlan, site: 'primary' | 'recovery'): Promise<void> {
    if (this.site === site) return;
    this.site = site;
    this.changes += 1;
  }
}

/** Probes answered from a table by URL; unknown URLs fail. */
export class FakeProber implements Prober {
  readonly calls: string[] = [];
  constructor(private readonly answers: Record<string, boolean> = {}) {}
  async probe(probe: { url: string }): Promise<ProbeResult> {
    this.calls.push(probe.url);
    const ok = this.answers[probe.url] ?? true;
    return { ok, detail: ok ? `GET ${probe.url} → 200` : `GET ${probe.url} → 503` };
  }
}

/** Keeps what was sent. */
export class RecordingNotifier implements Notifier {
  readonly sent: Notification[] = [];
  async send(notification: Notification) {
    this.sent.push(notification);
    return { delivered: true };
  }
}

/** Answers every request with a fresh point unless told otherwise per resource name. */
export class FakeInventory implements BackupInventory {
  calls = 0;
  constructor(
    private readonly clock: Clock,
    private readonly ageSecondsByResource: Record<string, number | 'missing' | 'error'> = {},
  ) {}
  async observe(requests: readonly InventoryRequest[]): Promise<ReadonlyMap<string, ResourceObservation>> {
    this.calls += 1;
    return new Map(
      requests.map((r): [string, ResourceObservation] => {
        const name = r.key.split('/')[1]!;
        const age = this.ageSecondsByResource[name] ?? 60;
        if (age === 'error') return [r.key, { ok: false, error: 'AccessDenied' }];
        if (age === 'missing') return [r.key, { ok: true, points: [], jobs: [] }];
        const location =
          r.source.kind === 'aws-backup'
            ? ({ kind: 'aws-vault', vaultArn: r.source.vaultArn } as const)
            : ({ kind: 'azure-region', region: r.recoveryRegion } as const);
        return [
          r.key,
          {
            ok: true,
            points: [
              {
                id: `rp-${name}`,
                location,
                state: 'completed',
                providerStatus: 'COMPLETED',
                createdAt: new Date(this.clock.now().getTime() - age * 1000),
                isCopy: false,
              },
            ],
            jobs: [],
          },
        ];
      }),
    );
  }
}
