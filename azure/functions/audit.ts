/**
 * Azure Function (timer, every 15 minutes): audits the freshness of the plans this region's
 * controller owns; when a resource needs attention it logs a warning and, when `ALERT_TEAMS_WEBHOOK`
 * is configured, posts a freshness alert to Teams. A failure throws: the run is marked failed and
 * retried by the timer's retry policy.
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { type AuditReport, runAudit } from '#shared/application/run-audit.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { BackupInventory } from '#shared/ports/backup-inventory.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { Notifier } from '#shared/ports/notifier.ts';
import { azureRuntime } from '../composition.ts';

/** What the audit function needs from the composition root. */
export interface AuditRuntime {
  readonly ownPlans: readonly RecoveryPlan[];
  readonly inventory: BackupInventory;
  readonly clock: Clock;
  readonly notifier: Notifier;
  /** `env:NAME` of the Teams webhook for alerts; unset: alerts are only logged. */
  readonly alertTarget?: string;
}

/** The audit handler over a runtime loader (the real composition root, or fakes in tests). */
export function createAuditHandler(load: () => Promise<AuditRuntime>) {
  return async function audit(_timer: Timer, context: InvocationContext): Promise<AuditReport> {
    const { ownPlans, inventory, clock, notifier, alertTarget } = await load();
    const report = await runAudit(ownPlans, { inventory, clock });
    for (const a of report.apps) {
      const alerts = a.freshness.filter((f) => f.alert);
      if (alerts.length === 0) continue;
      const text = [
        `Backups of ${a.name} need attention (audit at ${report.generatedAt}):`,
        ...alerts.map((f) => `- ${f.resource}: ${f.status}: ${f.reason}`),
      ].join('\n');
      context.warn(text);
      if (!alertTarget) continue;
      const sent = await notifier.send({
        app: a.name,
        channel: 'teams',
        target: alertTarget,
        kind: 'freshness-alert',
        at: report.generatedAt,
        text,
      });
      if (!sent.delivered) context.warn(`freshness alert for ${a.name} not delivered: ${sent.detail}`);
    }
    context.log(`audited ${ownPlans.length} plan(s): ${JSON.stringify(report.summary)}`);
    return report;
  };
}

/** The named handler with the real composition root. */
export const audit = createAuditHandler(azureRuntime);

app.timer('audit', {
  schedule: '0 */15 * * * *',
  handler: audit,
  retry: { strategy: 'fixedDelay', maxRetryCount: 2, delayInterval: { seconds: 30 } },
});
