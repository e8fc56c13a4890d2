/**
 * Lambda, scheduled: audits the freshness of the plans this region's controller owns and, when any
 * resource needs attention, publishes a freshness alert (SNS) and a `Standby Freshness Alert` event
 * (EventBridge). An unreadable resource is `unknown` in the report, not an error; a failed publish
 * throws so the scheduled invocation is retried. The audit goes on each application's evidence chain
 * (changes and a daily digest, with whether each recovery vault is locked). A successful run emits
 * its metrics (EMF): the `AuditSucceeded` the missed-audit alarm watches, and each resource's age and RPO.
 */
import middy from '@middy/core';
import type { Logger } from 'pino';
import { recordAuditEvidence } from '#shared/application/record-audit-evidence.ts';
import { type AuditReport, runAudit } from '#shared/application/run-audit.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { BackupInventory } from '#shared/ports/backup-inventory.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { StateStore } from '#shared/ports/state-store.ts';
import { auditRuntime } from '../audit-composition.ts';
import { invocation, logErrors, withRuntime } from './middleware.ts';

/** What the audit function needs from the composition root. */
export interface AuditRuntime {
  readonly ownPlans: readonly RecoveryPlan[];
  readonly inventory: BackupInventory;
  readonly clock: Clock;
  readonly alerts: { publish(report: AuditReport): Promise<{ apps: number; snsDelivered: boolean }> };
  /** The state table the evidence chains live in. */
  readonly store: StateStore;
  readonly metrics: { auditSucceeded(report: AuditReport): void };
  readonly logger: Logger;
}

/** What one audit run returns (visible in the invocation result and the log). */
export interface AuditResult {
  readonly generatedAt: string;
  readonly summary: AuditReport['summary'];
  readonly alertedApps: number;
}

/** The audit handler over a runtime loader (the real composition root, or fakes in tests). */
export function createAuditHandler(load: () => Promise<AuditRuntime>) {
  return middy<unknown, AuditResult>()
    .use(withRuntime(load))
    .use(logErrors())
    .handler(async (_event, context) => {
      const {
        runtime: { ownPlans, inventory, clock, alerts, metrics, store },
        log,
      } = invocation<AuditRuntime>(context);
      const report = await runAudit(ownPlans, { inventory, clock });
      const published = await alerts.publish(report);
      const recorded = await recordAuditEvidence(store, report);
      metrics.auditSucceeded(report);
      log.info({ summary: report.summary, ...published, recorded }, `audited ${ownPlans.length} plan(s)`);
      return { generatedAt: report.generatedAt, summary: report.summary, alertedApps: published.apps };
    });
}

/** The Lambda entry point (`audit.handler`). */
export const handler = createAuditHandler(auditRuntime);
