/**
 * How often a controller audits freshness: often enough that a breach is seen well inside the
 * tightest objective it watches, never so rarely that a day-long RPO leaves an hour unwatched. Pure.
 */
import type { RecoveryPlan } from './plan.ts';

/** The longest interval between audits, whatever the objectives. */
export const MAX_AUDIT_INTERVAL_MINUTES = 15;
/** The shortest: timers and inventories are not polled faster. */
export const MIN_AUDIT_INTERVAL_MINUTES = 1;

/**
 * Minutes between audits for these plans: a third of the smallest RPO any of their resources has
 * (so a missed backup is seen before two thirds of the objective are gone), in whole minutes, at
 * most {@link MAX_AUDIT_INTERVAL_MINUTES} and at least {@link MIN_AUDIT_INTERVAL_MINUTES}. No plan: the most.
 */
export function auditIntervalMinutes(plans: readonly RecoveryPlan[]): number {
  const rpos = plans.flatMap((p) => [p.rpoSeconds, ...p.resources.map((r) => r.rpoSeconds)]);
  // Stryker disable next-line ConditionalExpression: a guard — Math.min() of nothing is Infinity, capped at the most anyway.
  if (rpos.length === 0) return MAX_AUDIT_INTERVAL_MINUTES;
  const third = Math.floor(Math.min(...rpos) / 3 / 60);
  return Math.min(MAX_AUDIT_INTERVAL_MINUTES, Math.max(MIN_AUDIT_INTERVAL_MINUTES, third));
}
