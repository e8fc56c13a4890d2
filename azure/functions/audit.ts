/**
 * Azure Function (timer, `STANDBY_AUDIT_SCHEDULE`: a third of the smallest RPO, 1–15 minutes, see
 * `azure/audit-schedule.ts`): audits the freshness of the plans this region's controller owns, records
 * the audit on the evidence chain (changes and a daily digest) and publishes what is new there as
 * events; writes freshness metrics to Azure Monitor when configured; when a resource needs attention
 * it logs a warning and, when `ALERT_TEAMS_WEBHOOK` is configured, posts a freshness alert to Teams.
 * A failed audit, record or publish throws: the run is marked failed and retried by the timer's retry
 * policy. A failed metric write is only logged — the alerts have been sent, and a retry would resend them.
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import type { Controller } from '#shared/application/controller.ts';
import { publishEvents } from '#shared/application/publish-events.ts';
import { recordAuditEvidence } from '#shared/application/record-audit-evidence.ts';
import { type AuditReport, runAudit } from '#shared/application/run-audit.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { BackupInventory } from '#shared/ports/backup-inventory.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { Notifier } from '#shared/ports/notifier.ts';
import { AUDIT_SCHEDULE_SETTING } from '../audit-schedule.ts';
import { azureRuntime } from '../composition.ts';

/** What the audit function needs from the composition root. */
export interface AuditRuntime {
  readonly ownPlans: readonly RecoveryPlan[];
  readonly inventory: BackupInventory;
  readonly clock: Clock;
  readonly notifier: Notifier;
  /** The evidence chain and the outbound events. */
  readonly controller: Pick<Controller, 'store' | 'events'>;
  /** `env:NAME` of the Teams webhook for alerts; unset: alerts are only logged. */
  readonly alertTarget?: string;
  /** Freshness metrics (Azure Monitor); unset: none written. */
  readonly metrics?: { publish(report: AuditReport): Promise<void> };
}

/** The audit handler over a runtime loader (the real composition root, or fakes in tests). */
export function createAuditHandler(load: () => Promise<AuditRuntime>) {
  return async function audit(_timer: Timer, context: InvocationContext): Promise<AuditReport> {
    const { ownPlans, inventory, clock, notifier, controller, alertTarget, metrics } = await load();
    const report = await runAudit(ownPlans, { inventory, clock });
    await recordAuditEvidence(controller.store, report);
    const { events } = controller;
    if (events) for (const p of ownPlans) await publishEvents({ store: controller.store, events }, p.name);
    await metrics?.publish(report).catch((error: unknown) => {
      context.warn(
        `freshness metrics not written: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
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
  // Resolved by the host from the app setting, which the template sets from the plans' RPOs.
  schedule: `%${AUDIT_SCHEDULE_SETTING}%`,
  handler: audit,
  retry: { strategy: 'fixedDelay', maxRetryCount: 2, delayInterval: { seconds: 30 } },
});
