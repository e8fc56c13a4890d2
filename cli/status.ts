/**
 * What each application looks like now (SPEC §5 `status --json`): which site serves traffic, the
 * failover in flight, the freshness of every resource, and the notifications sent. All of `status`
 * is built here, in one function, so the failover and notification parts join it in one place.
 */
import { type AuditDeps, runAudit } from '#shared/application/run-audit.ts';
import type { Freshness } from '#shared/domain/freshness.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { ActiveSite, TrafficSwitch } from '#shared/ports/recovery-actions.ts';

/** One application in `status --json`. */
export interface AppStatus {
  readonly name: string;
  readonly activeSite: ActiveSite;
  /** The failover in flight or last run; `null` while none is known. */
  readonly failover: null;
  readonly freshness: readonly Freshness[];
  readonly notifications: readonly unknown[];
}

/** The `status --json` document. */
export interface StatusReport {
  readonly generatedAt: string;
  readonly apps: readonly AppStatus[];
}

/** What status reads. Without `traffic` the active site is `unknown`: Standby never guesses it. */
export interface StatusDeps extends AuditDeps {
  readonly traffic?: TrafficSwitch;
}

/**
 * 1. Audit freshness of every resource (one inventory pass, one `now`).
 * 2. Ask the routing which site is active, per application; a routing that cannot be read is `unknown`.
 * 3. Assemble one entry per application, in plan order.
 */
export async function buildStatus(plans: readonly RecoveryPlan[], deps: StatusDeps): Promise<StatusReport> {
  const audit = await runAudit(plans, deps);
  const traffic = deps.traffic;
  const sites = await Promise.all(
    plans.map(async (plan): Promise<ActiveSite> => {
      if (!traffic || !plan.routing) return 'unknown';
      return traffic.activeSite(plan).catch(() => 'unknown' as const);
    }),
  );
  return {
    generatedAt: audit.generatedAt,
    apps: plans.map((plan, i) => ({
      name: plan.name,
      activeSite: sites[i] ?? 'unknown',
      failover: null,
      freshness: audit.apps[i]?.freshness ?? [],
      notifications: [],
    })),
  };
}
