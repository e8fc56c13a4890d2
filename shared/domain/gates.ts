/**
 * The gates a failover must pass before it starts (SPEC §4 invariant 4), as one pure function of the
 * plan, the app's last completed failover, the freshness audit and the time. The same function decides
 * the real request and `failover --dry-run`, so the two never disagree.
 */
import { formatAge, formatDuration } from './duration.ts';
import { OVERRIDABLE_GATES } from './failover.ts';
import type { Freshness } from './freshness.ts';
import type { RecoveryPlan } from './plan.ts';

/** The gates, in the order they are checked. */
export const GATES = ['cooldown', 'restorable', 'recovery-points', 'fresh-backups'] as const;
/** One of {@link GATES}. */
export type GateName = (typeof GATES)[number];

/** One gate's verdict: failovers start only when every gate passed. */
export interface GateResult {
  readonly gate: GateName;
  readonly passed: boolean;
  readonly reason: string;
  /** Set when the gate refused and a human overrode it. */
  readonly overridden?: true;
}

/** What the gates look at. */
export interface GateInput {
  readonly plan: RecoveryPlan;
  /** When the app's last failover that completed ended (start of the cooldown), if any. */
  readonly lastCompletedAt: string | null;
  readonly freshness: readonly Freshness[];
  readonly now: Date;
  /** Gates a human accepted refusing (a break-glass override); only overridable gates count. */
  readonly accept?: readonly GateName[];
}

/** Every gate's verdict, the first refusal (if any), and the recovery point chosen per resource. */
export interface GateVerdict {
  readonly gates: readonly GateResult[];
  readonly refusal: string | undefined;
  readonly recoveryPoints: Record<string, string>;
  /** The refusing gates that were overridden. */
  readonly overridden: readonly GateName[];
}

/** The gates a human may override: stale backups and the cooldown. Nothing else can be. */
export const OVERRIDABLE: readonly GateName[] = OVERRIDABLE_GATES;

/** One function per gate: adding a gate fails to compile until it is evaluated here. */
const CHECKS: { readonly [G in GateName]: (input: GateInput) => Omit<GateResult, 'gate'> } = {
  cooldown: ({ plan, lastCompletedAt, now }) => {
    const cooldown = plan.failover.cooldownSeconds;
    if (!cooldown) return { passed: true, reason: 'no cooldown configured' };
    // Stryker disable next-line ConditionalExpression: Date.parse(null) is NaN, and NaN < cooldown is false anyway.
    const cooling = lastCompletedAt !== null && now.getTime() - Date.parse(lastCompletedAt) < cooldown * 1000;
    return cooling
      ? {
          passed: false,
          reason: `cooldown: the last failover completed at ${lastCompletedAt}, within the cooldown of ${formatDuration(cooldown)}`,
        }
      : { passed: true, reason: `no failover completed within the cooldown of ${formatDuration(cooldown)}` };
  },
  restorable: ({ plan }) => {
    const unrestorable = plan.resources.filter((r) => !r.source.restore).map((r) => r.name);
    return unrestorable.length
      ? { passed: false, reason: `cannot restore ${unrestorable.join(', ')}: no restore block in the plan` }
      : { passed: true, reason: `every resource has a restore block (${plan.resources.length})` };
  },
  'recovery-points': ({ freshness }) => {
    const unusable = freshness.filter(
      (f) => f.status === 'missing' || f.status === 'unknown' || !f.recoveryPoint,
    );
    return unusable.length
      ? {
          passed: false,
          reason: `no restorable recovery point for ${unusable.map((f) => `${f.resource} (${f.status})`).join(', ')}`,
        }
      : { passed: true, reason: 'a restorable recovery point for every resource' };
  },
  'fresh-backups': ({ plan, freshness }) => {
    const stale = freshness.filter((f) => f.status === 'breach');
    if (stale.length === 0) return { passed: true, reason: 'every backup is within its RPO' };
    if (!plan.failover.requireFreshBackups)
      return {
        passed: true,
        reason: `stale backups allowed (requireFreshBackups: false): ${stale.map((f) => f.resource).join(', ')}`,
      };
    return {
      passed: false,
      reason: `stale backups (requireFreshBackups): ${stale
        .map(
          (f) => `${f.resource} is ${formatAge(f.ageSeconds ?? 0)} old, RPO ${formatDuration(f.rpoSeconds)}`,
        )
        .join('; ')}`,
    };
  },
};

/** Evaluates every gate; the failover is refused with the first refused gate's reason. */
export function evaluateGates(input: GateInput): GateVerdict {
  // Stryker disable next-line ArrayDeclaration: a default holding a string that is no gate accepts nothing either.
  const accepted = (gate: GateName) => OVERRIDABLE.includes(gate) && (input.accept ?? []).includes(gate);
  const gates: GateResult[] = GATES.map((gate) => {
    const result = { gate, ...CHECKS[gate](input) };
    return !result.passed && accepted(gate)
      ? { gate, passed: true, reason: `overridden: ${result.reason}`, overridden: true }
      : result;
  });
  const recoveryPoints = Object.fromEntries(
    input.freshness.filter((f) => f.recoveryPoint).map((f) => [f.resource, f.recoveryPoint as string]),
  );
  return {
    gates,
    refusal: gates.find((g) => !g.passed)?.reason,
    recoveryPoints,
    overridden: gates.filter((g) => g.overridden).map((g) => g.gate),
  };
}
