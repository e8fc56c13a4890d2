/**
 * The RPO check (SPEC §3) as a pure function: given what was read for a resource and the time now,
 * say whether the resource could be restored within its RPO, and why.
 */
import { formatAge, formatDuration } from './duration.ts';
import {
  type JobObservation,
  NOTED_JOB_STATES,
  PointState,
  type RecoveryLocation,
  type RecoveryPoint,
  type ResourceObservation,
} from './recovery-point.ts';

/** Freshness statuses, worst last. `unknown` never counts as fresh. */
export const FreshnessStatus = {
  Ok: 'ok',
  Warning: 'warning',
  Breach: 'breach',
  Missing: 'missing',
  Unknown: 'unknown',
} as const;
/** One of {@link FreshnessStatus}. */
export type FreshnessStatus = (typeof FreshnessStatus)[keyof typeof FreshnessStatus];

/** Every status, in report order. */
export const FRESHNESS_STATUSES: readonly FreshnessStatus[] = Object.values(FreshnessStatus);

/** A failed job after the newest counting point, as reported on a resource. */
export interface LastJob {
  readonly id: string;
  readonly kind: 'backup' | 'copy';
  readonly state: string;
  readonly at: string;
  readonly message?: string;
}

/** The verdict for one resource (SPEC §5 `audit --json` → `freshness[]`). */
export interface Freshness {
  readonly resource: string;
  readonly status: FreshnessStatus;
  readonly ageSeconds: number | null;
  readonly rpoSeconds: number;
  readonly recoveryPoint: string | null;
  readonly lastJob: LastJob | null;
  readonly reason: string;
  /** True when someone should be told: not ok, or a failed job since the newest point. */
  readonly alert: boolean;
}

/** What to evaluate for one resource. */
export interface FreshnessInput {
  readonly resource: string;
  readonly rpoSeconds: number;
  /** Fraction of the RPO from which the status is `warning` (0 < warnAt ≤ 1). */
  readonly warnAt: number;
  /** Where recovery points must be to count. */
  readonly location: RecoveryLocation;
  readonly observation: ResourceObservation;
  readonly now: Date;
}

/** Why a point does not count, or `undefined` when it does. */
export function whyPointDoesNotCount(
  point: RecoveryPoint,
  location: RecoveryLocation,
  now: Date,
): string | undefined {
  if (!sameLocation(point.location, location))
    return `outside the recovery location (${describeLocation(point.location)})`;
  if (point.state !== PointState.Completed) return `status ${point.providerStatus}`;
  if (point.deleteAt && point.deleteAt.getTime() <= now.getTime())
    return `past its deletion time ${point.deleteAt.toISOString()}`;
  return undefined;
}

/**
 * The time the point's data was captured. A copy carries its source's data time when that is known;
 * of all the times known for a point the earliest is taken, so the age is never under-estimated.
 */
export function dataTime(point: RecoveryPoint): Date {
  // Stryker disable next-line EqualityOperator: equal times give the same data time either way.
  if (point.sourceDataTime && point.sourceDataTime.getTime() < point.createdAt.getTime())
    return point.sourceDataTime;
  return point.createdAt;
}

/**
 * Evaluates one resource:
 * 1. an unreadable provider gives `unknown`;
 * 2. keep the points that count (location, status, deletion time); none gives `missing`;
 * 3. age = now − data time of the newest counting point; compare with warnAt × rpo and rpo;
 * 4. a failed backup/copy job that ended after that point is reported as `lastJob` and alerts.
 */
export function evaluateFreshness(input: FreshnessInput): Freshness {
  const { resource, rpoSeconds, warnAt, now } = input;
  const base = { resource, rpoSeconds };
  if (!input.observation.ok)
    return {
      ...base,
      status: FreshnessStatus.Unknown,
      ageSeconds: null,
      recoveryPoint: null,
      lastJob: null,
      reason: `could not read recovery points: ${input.observation.error}`,
      alert: true,
    };

  const { points, jobs } = input.observation;
  const counting = points.filter((p) => whyPointDoesNotCount(p, input.location, now) === undefined);
  const newest = counting.reduce<RecoveryPoint | undefined>(
    (best, p) => (!best || dataTime(p).getTime() > dataTime(best).getTime() ? p : best),
    undefined,
  );
  const lastJob = latestFailedJob(jobs, newest ? dataTime(newest) : undefined);
  // Jobs that could not be read are said so: a failed job may be hiding behind the error.
  const jobNote =
    (lastJob ? `; ${lastJob.kind} job ${lastJob.id} ended ${lastJob.state} at ${lastJob.at}` : '') +
    (input.observation.jobsError ? `; recent jobs could not be read (${input.observation.jobsError})` : '');

  if (!newest) {
    // Group by reason so a vault full of points outside the recovery region reads as one line.
    const byReason = new Map<string, string[]>();
    for (const p of points) {
      // Stryker disable next-line StringLiteral: unreachable, no point counts here (kept for the type).
      const why = whyPointDoesNotCount(p, input.location, now) ?? 'does not count';
      byReason.set(why, [...(byReason.get(why) ?? []), shortId(p.id)]);
    }
    const reasons = [...byReason.entries()].map(
      ([why, ids]) => `${ids.length} ${why}${ids.length === 1 ? ` (${ids[0]})` : ''}`,
    );
    const detail =
      points.length === 0
        ? 'no recovery points found'
        : `${points.length} point(s), none counts: ${reasons.join('; ')}`;
    return {
      ...base,
      status: FreshnessStatus.Missing,
      ageSeconds: null,
      recoveryPoint: null,
      lastJob,
      reason: `no restorable recovery point in ${describeLocation(input.location)}: ${detail}${jobNote}`,
      alert: true,
    };
  }

  const ageSeconds = Math.max(0, Math.floor((now.getTime() - dataTime(newest).getTime()) / 1000));
  // Rounded so float error never moves the boundary: 0.7 × 86400 is 60479.99999999999 in binary.
  const warnSeconds = Math.round(warnAt * rpoSeconds * 1e6) / 1e6;
  const status =
    ageSeconds <= warnSeconds
      ? FreshnessStatus.Ok
      : ageSeconds <= rpoSeconds
        ? FreshnessStatus.Warning
        : FreshnessStatus.Breach;
  const comparison =
    status === FreshnessStatus.Ok
      ? `within ${Math.round(warnAt * 100)}% of the RPO ${formatDuration(rpoSeconds)}`
      : status === FreshnessStatus.Warning
        ? `past ${Math.round(warnAt * 100)}% of the RPO ${formatDuration(rpoSeconds)}`
        : `older than the RPO ${formatDuration(rpoSeconds)}`;
  return {
    ...base,
    status,
    ageSeconds,
    recoveryPoint: newest.id,
    lastJob,
    reason: `newest restorable point is ${formatAge(ageSeconds)} old, ${comparison}${newest.isCopy ? ' (copy)' : ''}${jobNote}`,
    alert: status !== FreshnessStatus.Ok || lastJob !== null,
  };
}

function latestFailedJob(jobs: readonly JobObservation[], after: Date | undefined): LastJob | null {
  const failed = jobs
    .filter((j) => (NOTED_JOB_STATES as readonly string[]).includes(j.state))
    .filter((j) => !after || j.at.getTime() > after.getTime())
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  const job = failed[0];
  if (!job) return null;
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    at: job.at.toISOString(),
    ...(job.message ? { message: job.message } : {}),
  };
}

function sameLocation(a: RecoveryLocation, b: RecoveryLocation): boolean {
  // Stryker disable next-line LogicalOperator,ConditionalExpression: only an aws-vault has a vaultArn, so a mixed pair compares undefined with an ARN: false either way.
  if (a.kind === 'aws-vault' && b.kind === 'aws-vault') return a.vaultArn === b.vaultArn;
  if (a.kind === 'azure-region' && b.kind === 'azure-region')
    return normalizeRegion(a.region) === normalizeRegion(b.region);
  return false;
}

/** The last segment of an Azure id or ARN: enough to find a point, short enough for a reason. */
export function shortId(id: string): string {
  return id.split(/[/:]/).filter(Boolean).at(-1) ?? id;
}

/** Azure writes regions as `West Europe` or `westeurope`; both are the same place. */
export function normalizeRegion(region: string): string {
  return region.toLowerCase().replace(/[\s_-]/g, '');
}

function describeLocation(l: RecoveryLocation): string {
  return l.kind === 'aws-vault' ? `vault ${l.vaultArn}` : `region ${l.region}`;
}

/** Counts statuses for a summary line: every status present, zero when absent. */
export function summarize(results: readonly Pick<Freshness, 'status'>[]): Record<FreshnessStatus, number> {
  const summary = Object.fromEntries(FRESHNESS_STATUSES.map((s) => [s, 0])) as Record<
    FreshnessStatus,
    number
  >;
  for (const r of results) summary[r.status] += 1;
  return summary;
}
