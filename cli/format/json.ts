/** `--format json` / `--json`: exactly the SPEC §5 `audit --json` document, plus `stats` with `--stats`. */

import type { AuditReport } from '#shared/application/run-audit.ts';
import type { Freshness } from '#shared/domain/freshness.ts';
import { restorabilityOf } from './common.ts';

/**
 * One `freshness[]` entry with its fields in SPEC order. `alert` is kept: it is additive, and it is
 * the only place a failed job on an `ok` resource shows as "someone should look at this". `restorable`
 * (additive) is there when the audit ran the preflight (`audit --preflight`).
 */
export function freshnessJson(f: Freshness): Record<string, unknown> {
  return {
    resource: f.resource,
    status: f.status,
    ageSeconds: f.ageSeconds,
    rpoSeconds: f.rpoSeconds,
    recoveryPoint: f.recoveryPoint,
    lastJob: f.lastJob,
    reason: f.reason,
    alert: f.alert,
    ...(restorabilityOf(f) ? { restorable: restorabilityOf(f) } : {}),
  };
}

/** The audit as one JSON document (pretty-printed, newline-terminated). */
export function renderAuditJson(report: AuditReport, options: { stats?: Record<string, number> }): string {
  const document = {
    generatedAt: report.generatedAt,
    apps: report.apps.map((app) => ({
      name: app.name,
      ...(app.owner ? { owner: app.owner } : {}),
      freshness: app.freshness.map(freshnessJson),
      // Additive: whether each recovery vault is immutable, when the audit could read it.
      ...(app.vaults ? { vaults: app.vaults } : {}),
    })),
    summary: report.summary,
    ...(options.stats ? { stats: { calls: options.stats } } : {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
