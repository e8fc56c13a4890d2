/**
 * The RTO a failover can expect, estimated from the restores seen before: each resource's restore is
 * taken as the longest restore of the same type that succeeded in an earlier failover or drill of the
 * state (conservative: an RTO estimate that is too short is the one that hurts), else a default given
 * by the caller (the simulated world's), else unknown. The waves of the plan's dependency order run
 * one after the other, the restores of a wave in parallel: the estimate is the sum of each wave's
 * longest restore. Validation probes and the traffic switch are not counted (seconds, next to restores).
 */
import type { Failover } from './failover.ts';
import { type BackupSource, type ProtectedResource, type RecoveryPlan, restoreWaves } from './plan.ts';

/** One restore that succeeded, with how long it took. */
export interface RestoreObservation {
  readonly type: string;
  readonly app: string;
  readonly resource: string;
  readonly seconds: number;
  /** When it ended (ISO-8601). */
  readonly endedAt: string;
}

/** Where a resource's estimate comes from. */
export const EstimateBasis = {
  /** Restores of the same type seen in the state. */
  Seen: 'seen',
  /** The default the caller gives (a simulation's configured restore duration). */
  Default: 'default',
  /** Nothing to go on. */
  None: 'none',
} as const;
/** One of {@link EstimateBasis}. */
export type EstimateBasis = (typeof EstimateBasis)[keyof typeof EstimateBasis];

/** A default restore duration for a resource, and what it is. */
export interface RestoreDefault {
  readonly seconds: number;
  readonly basis: string;
}

/** One resource's part of the estimate. */
export interface ResourceEstimate {
  readonly resource: string;
  readonly type: string;
  readonly wave: number;
  /** `null` when there is nothing to go on. */
  readonly seconds: number | null;
  readonly basis: EstimateBasis;
  /** The basis in words: how many restores of the type were seen, or which default. */
  readonly detail: string;
}

/** The estimate for one plan. */
export interface RtoEstimate {
  /** Sum of each wave's longest restore; `null` when a resource has no basis. */
  readonly seconds: number | null;
  readonly rtoSeconds: number;
  /** `null` when there is no estimate. */
  readonly withinRto: boolean | null;
  readonly resources: readonly ResourceEstimate[];
  /** What the estimate counts, in words. */
  readonly basis: string;
}

/**
 * The restore type of a resource, the key restores are compared by: for AWS the service and kind of
 * the backed-up ARN (`aws:rds:cluster`, `aws:dynamodb:table`), for Azure the backup service.
 */
export function restoreTypeOf(resource: ProtectedResource): string {
  return (RESTORE_TYPES[resource.source.kind] as (s: BackupSource) => string)(resource.source);
}

/** How each backup source names its restore type; a new source does not compile until it has one. */
const RESTORE_TYPES = {
  'aws-backup': (source) => {
    const [, , service = '?', , , ...rest] = source.resourceArn.split(':');
    const first = rest.join(':').split(/[:/]/)[0];
    // Stryker disable next-line StringLiteral: split() always returns a first element, so the default is never used.
    const kind = first ?? '';
    return `aws:${service}${kind ? `:${kind}` : ''}`;
  },
  'azure-backup': () => 'azure:dataprotection',
  'azure-recovery-services': () => 'azure:recoveryservices',
} satisfies { [K in BackupSource['kind']]: (source: Extract<BackupSource, { kind: K }>) => string };

/** Every restore that succeeded in `failovers` (failovers and drills alike), typed by their stored plan. */
export function restoreObservations(failovers: readonly Failover[]): RestoreObservation[] {
  return failovers.flatMap((f) =>
    f.steps.flatMap((step) => {
      if (step.kind !== 'restore' || step.status !== 'succeeded' || !step.startedAt || !step.endedAt)
        return [];
      const resource = f.plan.resources.find((r) => r.name === step.resource);
      if (!resource) return [];
      const seconds = Math.round((Date.parse(step.endedAt) - Date.parse(step.startedAt)) / 1000);
      return [
        {
          type: restoreTypeOf(resource),
          app: f.app,
          resource: step.resource,
          seconds,
          endedAt: step.endedAt,
        },
      ];
    }),
  );
}

/** The estimate for `plan` from `seen`, with `defaultOf` for a type never seen. */
export function estimateRto(
  plan: RecoveryPlan,
  seen: readonly RestoreObservation[],
  defaultOf: (resource: ProtectedResource) => RestoreDefault | undefined,
): RtoEstimate {
  const resources = restoreWaves(plan.resources).flatMap((wave, i) =>
    wave.map((r) => resourceEstimate(r, i + 1, seen, defaultOf)),
  );
  const waves = [...new Set(resources.map((r) => r.wave))].map((w) =>
    resources.filter((r) => r.wave === w).map((r) => r.seconds),
  );
  const known = waves.every((w) => w.every((s) => s !== null));
  const seconds = known ? waves.reduce((sum, w) => sum + Math.max(0, ...(w as number[])), 0) : null;
  return {
    seconds,
    rtoSeconds: plan.rtoSeconds,
    withinRto: seconds === null ? null : seconds <= plan.rtoSeconds,
    resources,
    basis: `restore waves in dependency order, each as long as its longest restore; validation and the switch not counted`,
  };
}

function resourceEstimate(
  resource: ProtectedResource,
  wave: number,
  seen: readonly RestoreObservation[],
  defaultOf: (resource: ProtectedResource) => RestoreDefault | undefined,
): ResourceEstimate {
  const type = restoreTypeOf(resource);
  const same = seen.filter((o) => o.type === type);
  if (same.length > 0) {
    const longest = same.reduce((a, b) => (b.seconds > a.seconds ? b : a));
    return {
      resource: resource.name,
      type,
      wave,
      seconds: longest.seconds,
      basis: EstimateBasis.Seen,
      detail: `longest of ${same.length} ${type} restore(s) seen (${longest.app}/${longest.resource}, ended ${longest.endedAt})`,
    };
  }
  const fallback = defaultOf(resource);
  if (fallback)
    return {
      resource: resource.name,
      type,
      wave,
      seconds: fallback.seconds,
      basis: EstimateBasis.Default,
      detail: `no ${type} restore seen; ${fallback.basis}`,
    };
  return {
    resource: resource.name,
    type,
    wave,
    seconds: null,
    basis: EstimateBasis.None,
    detail: `no ${type} restore seen and no default: a drill measures one`,
  };
}
