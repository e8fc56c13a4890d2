/**
 * The evidence report of one application (issue DRILL, SPEC §1 "Evidence"), built from its evidence
 * chain alone: objectives, the recovery-invariant sentence — completed from the data, or the exact
 * reason it cannot be — the last drills with their measured RPO/RTO against the targets, failover
 * timelines, and the highest validation level proved. Pure.
 */
import { type DrillResult, ValidationLevel } from './drill.ts';
import { formatAge, formatDuration } from './duration.ts';
import { type ChainVerdict, EvidenceKind, type EvidenceRecord } from './evidence.ts';
import type { RecoveryPlan } from './plan.ts';
import { nextFiring, parseSchedule } from './schedule-expression.ts';
import { recoveryVaults } from './vault-protection.ts';

/** One failover, as its phase records tell it. */
export interface FailoverTimeline {
  readonly failoverId: string;
  readonly trigger: unknown;
  readonly phases: readonly { readonly phase: string; readonly at: string; readonly reason: string }[];
  readonly decisions: readonly { readonly decision: string; readonly by: string; readonly at: string }[];
}

/** The report of one application. */
export interface AppEvidence {
  readonly app: string;
  readonly objectives: { readonly rpoSeconds: number; readonly rtoSeconds: number };
  readonly primary: string;
  readonly recovery: string;
  /** The recovery-invariant sentence (SPEC §1), or null with `notProvedBecause`. */
  readonly invariant: string | null;
  readonly notProvedBecause: string | null;
  readonly chain: ChainVerdict;
  readonly drills: readonly ReportedDrill[];
  readonly failovers: readonly FailoverTimeline[];
  readonly highestLevel: { readonly level: ValidationLevel; readonly at: string } | null;
  readonly nextDrillDue: string | null;
  /**
   * Whether each recovery vault is immutable, as the last audit that could read it found, with its
   * finding (null when immutable); null when no audit on record read it ("not observed", never guessed).
   */
  readonly vaults: {
    readonly observedAt: string;
    readonly vaults: readonly VaultEvidence[];
    /** The plan's recovery vaults that audit could not read (e.g. Recovery Services): not observed. */
    readonly notObserved: readonly string[];
  } | null;
}

/** A drill on the report, with the deletion of what it kept for inspection once that happened. */
export interface ReportedDrill extends DrillResult {
  readonly cleanup?: {
    readonly at: string;
    readonly deleted: readonly string[];
    readonly leftBehind: readonly { readonly createdResource: string; readonly error: string | null }[];
  };
}

/** One recovery vault as an audit recorded it. */
export interface VaultEvidence {
  readonly vault: string;
  readonly immutability: string;
  readonly detail: string;
  readonly finding: string | null;
}

/** How many drills the report lists. */
export const DRILLS_SHOWN = 5;

/** The levels, lowest first (as `ValidationLevel` lists them): a proof ranks by its position here. */
const LEVELS: readonly ValidationLevel[] = Object.values(ValidationLevel);

/**
 * Builds the report from the chain's records (oldest first) and its verdict:
 * 1. drills from `drill` records, newest first; failovers from `phase` and `approval` records;
 * 2. the highest level: from drills, completed failovers (L5 when traffic moved) and audits (L1);
 * 3. the sentence holds only on an intact chain, with a drill that completed, validated (L3 or more)
 *    and met every resource's RPO and the app's RTO; otherwise the first reason it does not.
 */
export function buildAppEvidence(
  plan: RecoveryPlan,
  records: readonly EvidenceRecord[],
  chain: ChainVerdict,
  now: Date,
): AppEvidence {
  const cleanups = new Map(
    records
      .filter((r) => r.kind === EvidenceKind.Cleanup)
      .map((r) => [r.data['drillId'], cleanupOf(r)] as const),
  );
  const drills = records
    .filter((r) => r.kind === EvidenceKind.Drill)
    .map((r): ReportedDrill => {
      const drill = r.data as unknown as DrillResult;
      const cleanup = cleanups.get(drill.drillId);
      return cleanup ? { ...drill, cleanup } : drill;
    })
    .reverse();
  const failovers = timelines(records);
  const highestLevel = highest(records, drills);
  const { invariant, notProvedBecause } = sentence(plan, chain, drills);
  return {
    app: plan.name,
    objectives: { rpoSeconds: plan.rpoSeconds, rtoSeconds: plan.rtoSeconds },
    primary: `${plan.primary.cloud} ${plan.primary.region}`,
    recovery: `${plan.recovery.cloud} ${plan.recovery.region}`,
    invariant,
    notProvedBecause,
    chain,
    drills: drills.slice(0, DRILLS_SHOWN),
    failovers,
    highestLevel,
    nextDrillDue: nextDrill(plan, drills[0], now),
    vaults: vaultsObserved(plan, records),
  };
}

/** The deletion of what a drill kept, as its `cleanup` record holds it. */
function cleanupOf(r: EvidenceRecord): NonNullable<ReportedDrill['cleanup']> {
  const data = r.data as {
    deleted?: string[];
    leftBehind?: { createdResource: string; error: string | null }[];
  };
  return { at: r.at, deleted: data.deleted ?? [], leftBehind: data.leftBehind ?? [] };
}

/** The vaults of the newest audit record that read them, and the plan's vaults it could not read. */
function vaultsObserved(plan: RecoveryPlan, records: readonly EvidenceRecord[]): AppEvidence['vaults'] {
  // Stryker disable next-line ConditionalExpression: only audit records carry `vaults` (record-audit-evidence.ts).
  const audit = records.findLast((r) => r.kind === EvidenceKind.Audit && Array.isArray(r.data['vaults']));
  if (!audit) return null;
  const vaults = audit.data['vaults'] as unknown as VaultEvidence[];
  const read = new Set(vaults.map((v) => v.vault));
  return { observedAt: audit.at, vaults, notObserved: recoveryVaults(plan).filter((v) => !read.has(v)) };
}

function sentence(
  plan: RecoveryPlan,
  chain: ChainVerdict,
  drills: readonly DrillResult[],
): { invariant: string | null; notProvedBecause: string | null } {
  const no = (reason: string) => ({ invariant: null, notProvedBecause: reason });
  if (!chain.ok) return no(`the evidence chain is broken: ${chain.reason}`);
  const completed = drills.filter((d) => d.outcome === 'completed');
  if (completed.length === 0)
    return no(
      drills.length ? `no successful drill (the last ended ${drills[0]!.outcome})` : 'no successful drill',
    );
  const last = completed[0]!;
  // Stryker disable next-line ConditionalExpression: a guard for the type — indexOf(null) is -1, below L3 as well.
  if (last.level === null || LEVELS.indexOf(last.level) < LEVELS.indexOf('L3'))
    return no(`validated only at ${last.level ?? 'no level'} (the last successful drill ran no validation)`);
  const late = last.resources.filter((r) => r.rpoSeconds === null || r.rpoSeconds > r.rpoTargetSeconds);
  if (late.length)
    return no(
      `the last successful drill (${last.drillId}, ${last.startedAt}) missed the RPO of ${late
        .map((r) => `${r.resource} (${age(r.rpoSeconds)} > ${formatDuration(r.rpoTargetSeconds)})`)
        .join(', ')}`,
    );
  if (last.rtoSeconds === null || last.rtoSeconds > last.rtoTargetSeconds)
    return no(
      `the last successful drill (${last.drillId}) took ${age(last.rtoSeconds)}, over the RTO of ${formatDuration(last.rtoTargetSeconds)}`,
    );
  return {
    invariant:
      `Given a total loss of ${plan.primary.region}, we can restore ${plan.name} to RPO <= ${formatDuration(plan.rpoSeconds)}${ownObjectives(plan)} ` +
      `within RTO <= ${formatDuration(plan.rtoSeconds)} using plan ${plan.name}, validated by drill ${last.drillId} at ${last.endedAt ?? last.startedAt} ` +
      `(${last.level}; measured RPO ${age(last.rpoSeconds)}${last.rpoResource ? ` of ${formatDuration(last.rpoTargetSeconds)} for ${last.rpoResource}` : ''}, RTO ${age(last.rtoSeconds)}).`,
    notProvedBecause: null,
  };
}

/** The resources with an RPO of their own, as ` (case-cluster: 1h)`, or nothing. */
function ownObjectives(plan: RecoveryPlan): string {
  const own = plan.resources.filter((r) => r.rpoSeconds !== plan.rpoSeconds);
  return own.length ? ` (${own.map((r) => `${r.name}: ${formatDuration(r.rpoSeconds)}`).join(', ')})` : '';
}

const age = (s: number | null) => (s === null ? 'unknown' : formatAge(s));

function timelines(records: readonly EvidenceRecord[]): FailoverTimeline[] {
  const byId = new Map<
    string,
    {
      trigger: unknown;
      phases: FailoverTimeline['phases'][number][];
      decisions: FailoverTimeline['decisions'][number][];
    }
  >();
  for (const r of records) {
    if (r.data['purpose'] !== 'failover') continue;
    const id = String(r.data['failoverId']);
    const entry = byId.get(id) ?? { trigger: r.data['trigger'] ?? null, phases: [], decisions: [] };
    byId.set(id, entry);
    if (r.kind === EvidenceKind.Phase)
      entry.phases.push({ phase: String(r.data['phase']), at: r.at, reason: String(r.data['reason']) });
    if (r.kind === EvidenceKind.Approval)
      entry.decisions.push({ decision: String(r.data['decision']), by: String(r.data['by']), at: r.at });
  }
  return [...byId.entries()].map(([failoverId, t]) => ({ failoverId, ...t }));
}

function highest(
  records: readonly EvidenceRecord[],
  drills: readonly DrillResult[],
): { level: ValidationLevel; at: string } | null {
  const proofs: { level: ValidationLevel; at: string }[] = [];
  for (const d of drills)
    if (d.level && d.outcome === 'completed') proofs.push({ level: d.level, at: d.endedAt ?? d.startedAt });
  for (const r of records) {
    // Stryker disable next-line ConditionalExpression: of the records of a failover, only phase records carry a level.
    if (r.kind === EvidenceKind.Phase && r.data['level'] && r.data['purpose'] === 'failover')
      proofs.push({ level: r.data['level'] as ValidationLevel, at: r.at });
    // Stryker disable next-line ConditionalExpression: only audit records carry `statuses`; others add no proof either way.
    if (r.kind === EvidenceKind.Audit) {
      const statuses = Object.values((r.data['statuses'] ?? {}) as Record<string, string>);
      if (statuses.length && statuses.every((s) => s === 'ok' || s === 'warning' || s === 'breach'))
        proofs.push({ level: 'L1', at: r.at });
    }
  }
  return (
    proofs.sort((a, b) => LEVELS.indexOf(b.level) - LEVELS.indexOf(a.level) || b.at.localeCompare(a.at))[0] ??
    null
  );
}

/**
 * When the next drill is due: the first firing of `spec.drill.schedule` after the last drill (a rate:
 * one interval after it), or after now when there was none (UTC, as the scheduled advance runs it).
 */
function nextDrill(plan: RecoveryPlan, last: DrillResult | undefined, now: Date): string | null {
  const text = plan.drill?.schedule;
  // Stryker disable next-line ConditionalExpression: a guard — no schedule does not parse either, and gives null too.
  if (!text) return null;
  const parsed = parseSchedule(text);
  if (!parsed.ok) return null;
  const from = last ? new Date(last.startedAt) : now;
  const next =
    parsed.schedule.kind === 'rate'
      ? new Date(from.getTime() + parsed.schedule.seconds * 1000)
      : nextFiring(parsed.schedule, from);
  return next?.toISOString() ?? `never: ${text} has no firing in the next 5 years`;
}
