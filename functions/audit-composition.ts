/**
 * The audit function's composition root: the {@link foundation} (plans, per-account Backup clients,
 * alerts), the state table (for the evidence chains) and its metrics — no restore, traffic or secret
 * client, so the audit's bundle carries none of them.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { builtOnce } from '#platform/lazy.ts';
import { systemClock } from '#shared/ports/clock.ts';
import { DynamoDbStateStore } from './adapters/dynamodb-state-store.ts';
import { EmfMetrics } from './adapters/emf-metrics.ts';
import { type AwsEnvironment, alertsOf, foundation, logger, readAwsEnvironment } from './foundation.ts';
import type { AuditRuntime } from './handlers/audit.ts';

/**
 * The audit's runtime: the inventory (Backup clients), the alerts (SNS, EventBridge), the state table
 * (evidence) and its metrics; no restore, traffic or secret client, so the audit bundle carries none.
 */
export async function createAuditRuntime(env: AwsEnvironment): Promise<AuditRuntime> {
  const base = await foundation(env);
  return {
    ownPlans: base.ownPlans,
    inventory: base.inventory,
    clock: systemClock,
    alerts: alertsOf(env, base),
    store: new DynamoDbStateStore({
      client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: env.region })),
      tableName: env.stateTable,
    }),
    metrics: new EmfMetrics(env.region),
    logger,
  };
}

/** The audit function's runtime, built on first use; a failed build is tried again on the next invocation. */
export const auditRuntime = builtOnce(() => createAuditRuntime(readAwsEnvironment()));
