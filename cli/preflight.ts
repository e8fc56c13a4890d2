/**
 * The preflight, like ARC Region switch's plan evaluation: for every resource, the exact restore
 * request a failover would send now — the recovery point it would choose, the merged request, the
 * name of what it creates — checked against what the provider would refuse; and for every plan, its
 * routing readable and its RPO within what its backup source can deliver. Read-only: it prepares
 * requests, it starts nothing.
 *
 * 1. audit the plans (the point a failover chooses is the newest restorable one the audit finds);
 * 2. for each resource with a point, ask its restore service to `prepare` the request; its problems,
 *    or the failure to read what the request is built from, make the resource not restorable;
 * 3. read each plan's routing (`activeSite`): a record set, profile or endpoint that cannot be read
 *    now cannot be switched during the outage either;
 * 4. warn when a resource's RPO is below the documented minimum interval of its source.
 */

import { type AuditReport, runAudit } from '#shared/application/run-audit.ts';
import { formatDuration } from '#shared/domain/duration.ts';
import type { Freshness } from '#shared/domain/freshness.ts';
import { parseArn } from '#shared/domain/identifiers.ts';
import type { BackupSource, ProtectedResource, RecoveryPlan } from '#shared/domain/plan.ts';
import type { RestoreService, TrafficSwitch } from '#shared/ports/recovery-actions.ts';
import type { CliRuntime } from './composition.ts';

/** What the preflight found for one resource. */
export interface ResourcePreflight {
  readonly resource: string;
  readonly restorable: boolean;
  /** Why not, or what would be restored. */
  readonly reason: string;
  readonly recoveryPoint: string | null;
  /** The provider request as it would be sent, when it could be built. */
  readonly request?: Readonly<Record<string, unknown>>;
  readonly targetName?: string;
  readonly warnings: readonly string[];
}

/** What the preflight found for one plan. */
export interface AppPreflight {
  readonly name: string;
  readonly resources: readonly ResourcePreflight[];
  /** Problems of the plan as a whole (routing). */
  readonly problems: readonly string[];
}

/** The whole preflight. */
export interface PreflightReport {
  readonly generatedAt: string;
  readonly apps: readonly AppPreflight[];
}

/** What the preflight reads through. */
export interface PreflightDeps extends CliRuntime {
  readonly restores: { readonly [K in BackupSource['kind']]: RestoreService };
  readonly traffic: TrafficSwitch;
}

/**
 * The shortest interval at which a source can put a point in the recovery region, by source kind,
 * when the recovery region is not the source's, with where the limit is documented.
 */
const CROSS_REGION_MINIMUM: { readonly [K in BackupSource['kind']]?: { seconds: number; why: string } } = {
  'aws-backup': {
    seconds: 3600,
    why: 'AWS Backup backs up at most hourly and copies to another region after each backup; continuous backups restore only in their own region',
  },
  'azure-recovery-services': {
    seconds: 4 * 3600,
    why: 'a Recovery Services VM policy backs up at most every 4 hours (Enhanced policy); cross-region restore reads the lagging secondary region',
  },
};

/** The region the resource lives in, when its id says (AWS ARNs; Azure ids do not carry one). */
function sourceRegion(resource: ProtectedResource): string | undefined {
  if (resource.source.kind === 'aws-backup')
    return parseArn(resource.source.resourceArn)?.region || undefined;
  return undefined;
}

function rpoWarnings(plan: RecoveryPlan, resource: ProtectedResource): string[] {
  const limit = CROSS_REGION_MINIMUM[resource.source.kind];
  const from =
    sourceRegion(resource) ?? (resource.source.kind === 'aws-backup' ? undefined : plan.primary.region);
  const crossRegion = from === undefined || from !== plan.recovery.region;
  if (!limit || !crossRegion || resource.rpoSeconds >= limit.seconds) return [];
  return [
    `RPO ${formatDuration(resource.rpoSeconds)} is below what the source can deliver in ${plan.recovery.region}: ${formatDuration(limit.seconds)} (${limit.why})`,
  ];
}

async function checkResource(
  plan: RecoveryPlan,
  resource: ProtectedResource,
  freshness: Freshness | undefined,
  deps: PreflightDeps,
): Promise<ResourcePreflight> {
  const warnings = rpoWarnings(plan, resource);
  const point = freshness?.recoveryPoint ?? null;
  const base = { resource: resource.name, recoveryPoint: point, warnings };
  if (!point)
    return {
      ...base,
      restorable: false,
      reason: `no recovery point to restore: ${freshness?.reason ?? 'not audited'}`,
    };
  const service = deps.restores[resource.source.kind];
  if (!service.prepare)
    return {
      ...base,
      restorable: false,
      reason: `the ${resource.source.kind} restore service cannot prepare a request`,
    };
  try {
    const prepared = await service.prepare({ resource, recoveryPointId: point });
    const made = {
      ...base,
      request: prepared.request,
      ...(prepared.targetName ? { targetName: prepared.targetName } : {}),
    };
    if (prepared.problems.length > 0)
      return { ...made, restorable: false, reason: `would be refused: ${prepared.problems.join('; ')}` };
    const what = prepared.targetName ? ` → ${prepared.targetName}` : '';
    return {
      ...made,
      restorable: true,
      reason: `restores${what}${prepared.afterRestore ? `, ${prepared.afterRestore}` : ''}`,
    };
  } catch (error) {
    return { ...base, restorable: false, reason: `the request cannot be built: ${(error as Error).message}` };
  }
}

/** Runs the preflight over `plans`; see the module comment. `done` is an audit already run over them, if any. */
export async function runPreflight(
  plans: readonly RecoveryPlan[],
  deps: PreflightDeps,
  done?: AuditReport,
): Promise<PreflightReport> {
  const audit = done ?? (await runAudit(plans, deps));
  const apps = await Promise.all(
    plans.map(async (plan, i): Promise<AppPreflight> => {
      const freshness = audit.apps[i]?.freshness ?? [];
      const resources = await Promise.all(
        plan.resources.map((r) =>
          checkResource(
            plan,
            r,
            freshness.find((f) => f.resource === r.name),
            deps,
          ),
        ),
      );
      const problems: string[] = [];
      if (plan.routing)
        try {
          const site = await deps.traffic.activeSite(plan);
          if (site === 'unknown')
            problems.push('routing: the active site cannot be told from the records as they are');
        } catch (error) {
          problems.push(`routing cannot be read: ${(error as Error).message}`);
        }
      return { name: plan.name, resources, problems };
    }),
  );
  return { generatedAt: audit.generatedAt, apps };
}

/** True when something would be refused or cannot be read. */
export function preflightFoundProblem(report: PreflightReport): boolean {
  return report.apps.some((a) => a.problems.length > 0 || a.resources.some((r) => !r.restorable));
}

/** The report as text: one line per resource, problems and warnings under it. */
export function renderPreflight(report: PreflightReport): string {
  const lines: string[] = [];
  let refused = 0;
  let total = 0;
  for (const app of report.apps) {
    lines.push(app.name);
    const width = Math.max(...app.resources.map((r) => r.resource.length));
    for (const r of app.resources) {
      total += 1;
      if (!r.restorable) refused += 1;
      lines.push(`  ${r.resource.padEnd(width)}  ${r.restorable ? 'restorable' : 'REFUSED   '}  ${r.reason}`);
      for (const w of r.warnings) lines.push(`  ${''.padEnd(width)}  warning     ${w}`);
    }
    for (const p of app.problems) lines.push(`  problem: ${p}`);
    lines.push('');
  }
  lines.push(
    `${total} restore(s) checked at ${report.generatedAt}: ${total - refused} restorable, ${refused} would be refused`,
  );
  return `${lines.join('\n')}\n`;
}

/** The audit with each row carrying the preflight's verdict (`restorable`), for `audit --preflight`. */
export function withRestorability(audit: AuditReport, preflight: PreflightReport): AuditReport {
  return {
    ...audit,
    apps: audit.apps.map((app, i) => ({
      ...app,
      freshness: app.freshness.map((f) => {
        const found = preflight.apps[i]?.resources.find((r) => r.resource === f.resource);
        return found ? { ...f, restorable: { ok: found.restorable, reason: found.reason } } : f;
      }),
    })),
  };
}
