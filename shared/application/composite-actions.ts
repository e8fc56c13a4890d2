/**
 * Routers over the failover ports: one restore service per kind of backup source, one traffic switch
 * per kind of routing. A composition root fills in the kinds its cloud can act on; a missing kind is
 * a clear error at the step that needs it, never a silent no-op.
 */
import { InvalidInputError } from '../domain/errors.ts';
import type { BackupSource, ProtectedResource, RecoveryPlan, Routing } from '../domain/plan.ts';
import type {
  ActiveSite,
  RestoreJobStatus,
  RestoreRequest,
  RestoreService,
  TrafficSwitch,
} from '../ports/recovery-actions.ts';

/** Routes restores by the resource's backup source kind. */
export class CompositeRestoreService implements RestoreService {
  constructor(private readonly byKind: Partial<Record<BackupSource['kind'], RestoreService>>) {}

  private for(resource: ProtectedResource): RestoreService {
    const service = this.byKind[resource.source.kind];
    if (!service)
      throw new InvalidInputError(
        `this controller cannot restore ${resource.source.kind} resources (${resource.app}/${resource.name})`,
      );
    return service;
  }

  start(request: RestoreRequest): Promise<{ readonly jobId: string }> {
    return this.for(request.resource).start(request);
  }

  describe(resource: ProtectedResource, jobId: string): Promise<RestoreJobStatus> {
    return this.for(resource).describe(resource, jobId);
  }
}

/** Routes traffic reads and switches by the plan's routing kind. */
export class CompositeTrafficSwitch implements TrafficSwitch {
  constructor(private readonly byKind: Partial<Record<Routing['kind'], TrafficSwitch>>) {}

  private for(plan: RecoveryPlan): TrafficSwitch | undefined {
    return plan.routing ? this.byKind[plan.routing.kind] : undefined;
  }

  async activeSite(plan: RecoveryPlan): Promise<ActiveSite> {
    return (await this.for(plan)?.activeSite(plan)) ?? 'unknown';
  }

  async switchTo(plan: RecoveryPlan, site: 'primary' | 'recovery'): Promise<void> {
    const target = this.for(plan);
    if (!target)
      throw new InvalidInputError(
        `this controller cannot switch ${plan.routing?.kind ?? 'missing'} routing of ${plan.name}`,
      );
    await target.switchTo(plan, site);
  }
}
