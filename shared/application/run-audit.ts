/**
 * Use case: audit the freshness of every protected resource of every plan.
 */
import { evaluateFreshness, type Freshness, type FreshnessStatus, summarize } from '../domain/freshness.ts';
import type { BackupSource, ProtectedResource, RecoveryPlan } from '../domain/plan.ts';
import type { RecoveryLocation } from '../domain/recovery-point.ts';
import { recoveryVaults, type VaultProtection } from '../domain/vault-protection.ts';
import type { BackupInventory, InventoryRequest } from '../ports/backup-inventory.ts';
import type { Clock } from '../ports/clock.ts';

/** The audit of one application. */
export interface AppAudit {
  readonly name: string;
  /** The team to call (`metadata.owner`), when the plan names one. */
  readonly owner?: string;
  readonly freshness: readonly Freshness[];
  /** Whether the vaults its recovery points are counted in are immutable, when the inventory can read it. */
  readonly vaults?: readonly VaultProtection[];
}

/** The result of an audit (SPEC §5 `audit --json`). */
export interface AuditReport {
  readonly generatedAt: string;
  readonly apps: readonly AppAudit[];
  readonly summary: Record<FreshnessStatus, number>;
}

/** What the audit needs. */
export interface AuditDeps {
  readonly inventory: BackupInventory;
  readonly clock: Clock;
}

/** The location a resource's recovery points must be in to count. */
export function recoveryLocation(plan: RecoveryPlan, resource: ProtectedResource): RecoveryLocation {
  return (RECOVERY_LOCATIONS[resource.source.kind] as (p: RecoveryPlan, s: BackupSource) => RecoveryLocation)(
    plan,
    resource.source,
  );
}

/** Where each kind of source keeps points that count: adding a source kind fails to compile until listed. */
const RECOVERY_LOCATIONS: {
  readonly [K in BackupSource['kind']]: (
    plan: RecoveryPlan,
    source: Extract<BackupSource, { kind: K }>,
  ) => RecoveryLocation;
} = {
  'aws-backup': (_plan, source) => ({ kind: 'aws-vault', vaultArn: source.vaultArn }),
  'azure-backup': (plan) => ({ kind: 'azure-region', region: plan.recovery.region }),
  'azure-recovery-services': (plan) => ({ kind: 'azure-region', region: plan.recovery.region }),
};

/** Resource key used across the core: `app/resource`. */
export const resourceKey = (app: string, resource: string): string => `${app}/${resource}`;

/**
 * 1. Take the time once, so every resource is judged against the same `now`.
 * 2. Ask the inventory for every resource at once (it batches per vault).
 * 3. Evaluate each resource with its own RPO and the plan's warnAt.
 * 4. Read whether the recovery vaults are immutable, when the inventory can (once per vault).
 * 5. Summarise.
 */
export async function runAudit(plans: readonly RecoveryPlan[], deps: AuditDeps): Promise<AuditReport> {
  const now = deps.clock.now();
  const requests: InventoryRequest[] = plans.flatMap((plan) =>
    plan.resources.map((r) => ({
      key: resourceKey(plan.name, r.name),
      source: r.source,
      recoveryRegion: plan.recovery.region,
      // Jobs older than twice the RPO cannot be newer than a point that still counts as fresh.
      jobsSince: new Date(now.getTime() - 2 * r.rpoSeconds * 1000),
    })),
  );
  const observations = await deps.inventory.observe(requests);
  const protections = deps.inventory.protection
    ? await deps.inventory.protection([...new Set(plans.flatMap(recoveryVaults))], now)
    : undefined;
  const apps = plans.map((plan) => ({
    name: plan.name,
    ...(plan.owner ? { owner: plan.owner } : {}),
    ...(protections ? { vaults: protections.filter((p) => recoveryVaults(plan).includes(p.vault)) } : {}),
    freshness: plan.resources.map((r) =>
      evaluateFreshness({
        resource: r.name,
        rpoSeconds: r.rpoSeconds,
        warnAt: plan.warnAt,
        location: recoveryLocation(plan, r),
        observation: observations.get(resourceKey(plan.name, r.name)) ?? {
          ok: false,
          error: 'the inventory returned nothing for it',
        },
        now,
      }),
    ),
  }));
  return { generatedAt: now.toISOString(), apps, summary: summarize(apps.flatMap((a) => a.freshness)) };
}

/** Exit status of an audit: 2 when any resource is breach/missing/unknown (or warning when strict). */
export function auditFoundProblem(report: AuditReport, strict: boolean): boolean {
  const s = report.summary;
  return s.breach + s.missing + s.unknown > 0 || (strict && s.warning > 0);
}
