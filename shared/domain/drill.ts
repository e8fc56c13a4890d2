/**
 * Drills (SPEC §1 "Drills", issue DRILL) as pure functions: the plan a drill runs (drill names, drill
 * probe targets, no routing), and what a finished drill measured — actual RPO per resource (age of the
 * point used when the drill started: the moment a real disaster would have struck, and when the point
 * was chosen — a restore that waits for its dependencies restores that same point, so the wait counts
 * against the RTO, not as data lost), actual RTO (drill start → last validation passed) and the
 * validation level it proved.
 */
import type { Failover, RestoreStep, Step, ValidateStep } from './failover.ts';
import { keptRecord, keptUntil } from './kept-resources.ts';
import type { ProtectedResource, RecoveryPlan } from './plan.ts';

/**
 * AWS Backup restore metadata keys that name what a restore creates, one per resource type. A drill
 * must give each one the plan's restore sets a drill value of its own, so it never restores onto (or
 * next to, under the same name as) the production resource.
 */
export const AWS_NAME_KEYS: readonly string[] = [
  'DBInstanceIdentifier', // RDS instance
  'DBClusterIdentifier', // Aurora / DocumentDB / Neptune cluster
  'targetTableName', // DynamoDB table
  'DestinationBucketName', // S3 bucket
  'clusterName', // EKS cluster
  'CreationToken', // EFS file system
  'FileSystemId', // EFS: an item-level restore into an existing file system
  'InstanceName', // Lightsail / other instance names
];

/** The plan a drill runs, or every reason it cannot run. */
export type DrillPlan = { readonly plan: RecoveryPlan } | { readonly problems: readonly string[] };

/**
 * Derives the drill's plan from the application's:
 * 1. every restorable resource restores under its `drill` overrides: AWS metadata keys replaced (each
 *    name key of the production metadata must get a different drill value), Azure request fields
 *    replaced (a `drill.request` is required);
 * 2. every probe runs against its `drillUrl` (a probe without one is a problem: probing production
 *    proves nothing about the restored copy);
 * 3. no routing (a drill never touches traffic), and no approval (a drill changes no production state).
 */
export function drillPlan(plan: RecoveryPlan): DrillPlan {
  const problems: string[] = [];
  const resources = plan.resources.map((r) => drillResource(r, problems));
  const validate = plan.validate.map((p, i) => {
    if (!p.drillUrl)
      problems.push(`validate[${i}] (${p.url}) has no drillUrl: a drill never probes production`);
    return { ...p, url: p.drillUrl ?? p.url };
  });
  if (problems.length) return { problems };
  const { routing: _routing, ...rest } = plan;
  return {
    plan: {
      ...rest,
      failover: { mode: 'automatic', requireFreshBackups: false },
      resources,
      validate,
    },
  };
}

function drillResource(r: ProtectedResource, problems: string[]): ProtectedResource {
  const source = r.source;
  if (!source.restore) return r; // refused by the `restorable` gate, naming it
  if (source.kind === 'aws-backup') {
    const production = source.restore.metadata;
    const drill = r.drill?.metadata;
    if (!drill) {
      problems.push(`${r.name} has no drill.metadata: a drill must restore it under drill names`);
      return r;
    }
    const clashes = AWS_NAME_KEYS.filter(
      (k) => production[k] !== undefined && (drill[k] ?? production[k]) === production[k],
    );
    if (clashes.length)
      problems.push(
        `${r.name}: drill.metadata must give ${clashes.join(', ')} a drill value (the production one is ${clashes.map((k) => production[k]).join(', ')})`,
      );
    return {
      ...r,
      source: { ...source, restore: { ...source.restore, metadata: { ...production, ...drill } } },
    };
  }
  const drill = r.drill?.request;
  if (!drill) {
    problems.push(`${r.name} has no drill.request: a drill must restore it into a drill target`);
    return r;
  }
  return {
    ...r,
    source: { ...source, restore: { request: { ...source.restore.request, ...drill } } },
  } as ProtectedResource;
}

/** Validation levels (issue DRILL): what a run proved about an application's recovery. */
export const ValidationLevel = {
  L0: 'L0', // a backup job succeeded
  L1: 'L1', // a recovery point exists and counts
  L2: 'L2', // a restore succeeded
  L3: 'L3', // restore + technical validation
  L4: 'L4', // restore + business-journey validation
  L5: 'L5', // failover with traffic shift
} as const;
/** One of {@link ValidationLevel}. */
export type ValidationLevel = (typeof ValidationLevel)[keyof typeof ValidationLevel];

/** Measured recovery of one resource in a drill. */
export interface ResourceMeasurement {
  readonly resource: string;
  readonly recoveryPoint: string | null;
  /** Age of the point used when the drill started: the actual RPO. `null` when the point's time is unknown. */
  readonly rpoSeconds: number | null;
  readonly rpoTargetSeconds: number;
  /** How long the restore job took. */
  readonly restoreSeconds: number | null;
  readonly createdResource: string | null;
  readonly tornDown: boolean;
}

/** What a finished drill (or failover) measured and proved. */
export interface DrillResult {
  readonly drillId: string;
  readonly outcome: Failover['phase'];
  readonly startedAt: string;
  readonly endedAt: string | null;
  /**
   * The actual RPO of the resource furthest into (or past) its own objective, with that objective and
   * its name: resources may have RPOs of their own, so the largest age alone says nothing.
   */
  readonly rpoSeconds: number | null;
  readonly rpoTargetSeconds: number;
  readonly rpoResource?: string;
  /** Start → last validation passed (→ last restore when there is no probe); null when it never got there. */
  readonly rtoSeconds: number | null;
  readonly rtoTargetSeconds: number;
  readonly level: ValidationLevel | null;
  readonly resources: readonly ResourceMeasurement[];
  readonly failedChecks: readonly string[];
  /** What the drill created and did not delete (a failed teardown, or `keep`). */
  readonly leftBehind: readonly string[];
  /** With `keep`: when what the drill kept for inspection expires and is deleted. */
  readonly keptUntil?: string;
}

const seconds = (from: string | null | undefined, to: string | null | undefined) =>
  from && to ? Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000)) : null;

/** The measurements of a drill from its steps. */
export function measureDrill(f: Failover): DrillResult {
  const restores = f.steps.filter((s): s is RestoreStep => s.kind === 'restore');
  const probes = f.steps.filter((s) => s.kind === 'validate');
  const teardown = (resource: string) =>
    f.steps.find((s) => s.kind === 'teardown' && s.resource === resource);
  const resources = restores.map((s): ResourceMeasurement => {
    const planned = f.plan.resources.find((r) => r.name === s.resource);
    return {
      resource: s.resource,
      recoveryPoint: s.recoveryPoint,
      rpoSeconds: seconds(s.pointCreatedAt, f.startedAt),
      rpoTargetSeconds: planned?.rpoSeconds ?? f.plan.rpoSeconds,
      restoreSeconds: s.status === 'succeeded' ? seconds(s.startedAt, s.endedAt) : null,
      createdResource: s.createdResource ?? null,
      tornDown: teardown(s.resource)?.status === 'succeeded',
    };
  });
  const restored = restores.length > 0 && restores.every((s) => s.status === 'succeeded');
  const validated = restored && probes.every((s) => s.status === 'succeeded');
  const lastEnd = (steps: readonly Step[]) =>
    steps
      // Stryker disable next-line StringLiteral: equivalent — a finished step always has endedAt.
      .map((s) => s.endedAt ?? '')
      .sort()
      .at(-1) || null;
  // Stryker disable next-line ArrowFunction,ConditionalExpression: equivalent — ratio() ranks an unknown RPO as Infinity and the sort is stable, so the first unknown comes first without the search.
  const unknown = resources.find((r) => r.rpoSeconds === null);
  const worst = unknown ?? [...resources].sort((a, b) => ratio(b) - ratio(a))[0];
  return {
    drillId: f.id,
    outcome: f.phase,
    startedAt: f.startedAt,
    endedAt: f.endedAt,
    rpoSeconds: worst?.rpoSeconds ?? null,
    rpoTargetSeconds: worst?.rpoTargetSeconds ?? f.plan.rpoSeconds,
    ...(worst ? { rpoResource: worst.resource } : {}),
    rtoSeconds: validated ? seconds(f.startedAt, lastEnd(probes.length ? probes : restores)) : null,
    rtoTargetSeconds: f.plan.rtoSeconds,
    level: levelProved(f, restored, validated),
    resources,
    failedChecks: f.steps
      .filter((s) => s.status === 'failed')
      .map((s) => `${s.name}: ${s.detail ?? 'failed'}`),
    leftBehind: resources
      .filter((r) => r.createdResource && !r.tornDown)
      .map((r) => r.createdResource as string),
    ...(f.endedAt && keptRecord(f) ? { keptUntil: keptUntil(f, f.endedAt) } : {}),
  };
}

/** How far into its objective a resource's actual RPO went (above 1: missed). */
const ratio = (r: ResourceMeasurement) => (r.rpoSeconds ?? Number.POSITIVE_INFINITY) / r.rpoTargetSeconds;

/** The highest level a run proved: L5 needs the switch, L4 a journey probe, L3 any probe, L2 restores. */
export function levelProved(f: Failover, restored: boolean, validated: boolean): ValidationLevel | null {
  if (!restored) return null;
  const switched = f.steps.some((s) => s.kind === 'switch' && s.status === 'succeeded');
  if (validated && switched) return ValidationLevel.L5;
  const probes = f.steps.filter((s): s is ValidateStep => s.kind === 'validate');
  // Stryker disable next-line OptionalChaining: equivalent — a probe step's index comes from the stored plan's validate list.
  if (validated && probes.some((s) => f.plan.validate[s.probe]?.journey)) return ValidationLevel.L4;
  if (validated && probes.length > 0) return ValidationLevel.L3;
  return ValidationLevel.L2;
}
