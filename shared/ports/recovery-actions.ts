/**
 * Ports for the effects of a failover: restore jobs, validation probes and the traffic switch.
 * Each effect is idempotent on its token, so a retried or resumed step never acts twice.
 */
import type { HttpProbe, ProtectedResource, RecoveryPlan } from '../domain/plan.ts';

/** What a restore job looks like now. */
export interface RestoreJobStatus {
  readonly state: 'running' | 'succeeded' | 'failed';
  readonly message?: string;
  /** The resource the restore created (ARN or Azure id), once known. */
  readonly createdResource?: string;
  /**
   * A shorter handle for the same job, once the service knows one (an operation followed to its job
   * id): describing it is cheaper than describing the handle `start` returned. Optional to use.
   */
  readonly handle?: string;
}

/** A restore to start. */
export interface RestoreRequest {
  readonly resource: ProtectedResource;
  /** ARN or Azure id of the recovery point to restore from. */
  readonly recoveryPointId: string;
  /** Same token → same job: passed to the provider's idempotency mechanism. */
  readonly idempotencyToken: string;
}

/** A restore request as `start` would send it now, and what would refuse it. */
export interface PreparedRestore {
  /** The provider's request, as it would be sent (StartRestoreJob input, a restore request body). */
  readonly request: Readonly<Record<string, unknown>>;
  /** The name of the resource the restore would create, when the request names one. */
  readonly targetName?: string;
  /** One sentence per reason the restore would be refused; empty when none is known. */
  readonly problems: readonly string[];
  /** What the restore does after its job before it counts as done (e.g. cluster instances), in words. */
  readonly afterRestore?: string;
}

/** Starts and follows restore jobs; never waits for a job to finish. */
export interface RestoreService {
  start(request: RestoreRequest): Promise<{ readonly jobId: string }>;
  describe(resource: ProtectedResource, jobId: string): Promise<RestoreJobStatus>;
  /**
   * Builds the request `start` would send for this point, without starting anything, and says what
   * would refuse it (the preflight). Optional: a service without it cannot be preflighted.
   */
  prepare?(request: Omit<RestoreRequest, 'idempotencyToken'>): Promise<PreparedRestore>;
}

/** The result of one validation probe. */
export interface ProbeResult {
  readonly ok: boolean;
  readonly detail: string;
}

/** Runs validation probes against the restored application. */
export interface Prober {
  probe(probe: HttpProbe): Promise<ProbeResult>;
}

/** Which site traffic goes to. `unknown` when the routing cannot be read or is in a mixed state. */
export type ActiveSite = 'primary' | 'recovery' | 'unknown';

/** Reads and flips the routing of an application. */
export interface TrafficSwitch {
  activeSite(plan: RecoveryPlan): Promise<ActiveSite>;
  /**
   * Sends all traffic to `site`. Idempotent: switching to the site already active changes nothing.
   * Never leaves both sites without traffic: the change is one atomic request, or turns the target
   * on before the other off.
   */
  switchTo(plan: RecoveryPlan, site: 'primary' | 'recovery'): Promise<void>;
}

/**
 * Deletes what a drill's restore created, by the id the restore job reported (ARN or Azure id), with
 * the delete call of that resource type's own API. Idempotent: a resource already gone is deleted.
 * Never called with anything but a restore's `createdResource`, so never with a production resource.
 */
export interface RestoredResourceCleaner {
  delete(resource: ProtectedResource, createdResource: string): Promise<DeleteOutcome>;
}

/**
 * What one delete call of a {@link RestoredResourceCleaner} found. `deleted`: the resource is gone (or
 * was gone already). `deleting`: the delete — or a step it needs first, such as deleting an Aurora
 * cluster's instances, an EFS file system's mount targets or an EKS cluster's node groups — was
 * accepted and the resource still exists: call `delete` again later, and it goes on from where it is.
 * A delete the provider refuses throws, naming the call and the reason.
 */
export interface DeleteOutcome {
  readonly state: 'deleted' | 'deleting';
  /** The calls made, or what is still being waited for, in words. */
  readonly detail: string;
}
