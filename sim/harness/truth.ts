/**
 * Ground truth of a simulated world, whichever cloud plays it: the restore jobs that really exist,
 * where each application's traffic really goes, and what the probes really answered. The invariant
 * checks compare the engine's stored beliefs with this.
 */

/** A restore job as the cloud knows it. */
export interface TruthJob {
  readonly id: string;
  readonly token: string;
  readonly app: string;
  /** Plan resource name. */
  readonly resource: string;
  /** World time (ms) the job was created and ends. */
  readonly startedAt: number;
  readonly endsAt: number;
  readonly outcome: 'succeeded' | 'failed';
  /** The name the restore creates its resource under (the plan's restore metadata or request). */
  readonly target: string;
  /**
   * What the cloud reports as created when the job succeeds (AWS Backup: `CreatedResourceArn`, also on
   * the `COMPLETED` event), when the cloud says; a drill deletes by it.
   */
  readonly created?: string;
}

/** A delete of a restored resource (a drill's tear-down), as the cloud saw it. */
export interface TruthDelete {
  readonly app: string;
  /** Plan resource name. */
  readonly resource: string;
  /** What was deleted: the id a restore job reported as created. */
  readonly created: string;
  /** The restore job that created it, or undefined when no job did (a production resource!). */
  readonly job: string | undefined;
  /** World time (ms) of the delete: when it was first asked for. */
  readonly at: number;
  /** World time (ms) the resource is gone: some deletes take a while (an Aurora cluster, an EKS cluster). */
  readonly doneAt: number;
}

/** Where an application's traffic goes. `none` and `both` are states a correct switch never leaves. */
export type TruthRouting = 'primary' | 'recovery' | 'none' | 'both' | 'absent';

/** What the checks read from the cloud. */
export interface CloudTruth {
  /** Every restore job ever created, in creation order. */
  jobs(): readonly TruthJob[];
  /** The application's real routing (`absent` when the plan has none). */
  routing(app: string): TruthRouting;
  /** Probe calls answered, in order. */
  readonly probes: readonly { readonly url: string; readonly ok: boolean }[];
  /** Deletes of restored resources, in order (empty on clouds that cannot delete). */
  deletes(): readonly TruthDelete[];
}
