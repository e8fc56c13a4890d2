/**
 * Lambda, every minute: carries each failover owned by this region's controller as far as it can go
 * now. This is the polling fallback: AWS delivers Restore Job events best-effort, and an approval
 * that nobody answers times out only when someone looks. Every plan is advanced even when one fails;
 * then the failures are thrown together so the invocation counts as failed.
 */
import middy from '@middy/core';
import type { Logger } from 'pino';
import type { AdvanceResult, FailoverController } from '#shared/application/failover-controller.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { awsRuntime } from '../composition.ts';
import { invocation, logErrors, withRuntime } from './middleware.ts';

/** What the advance function needs from the composition root. */
export interface AdvanceRuntime {
  readonly ownPlans: readonly RecoveryPlan[];
  readonly controller: FailoverController;
  readonly logger: Logger;
}

/** The advance handler over a runtime loader (the real composition root, or fakes in tests). */
export function createAdvanceHandler(load: () => Promise<AdvanceRuntime>) {
  return middy<unknown, Record<string, AdvanceResult>>()
    .use(withRuntime(load))
    .use(logErrors())
    .handler(async (_event, context) => {
      const {
        runtime: { ownPlans, controller },
        log,
      } = invocation<AdvanceRuntime>(context);
      const settled = await Promise.allSettled(ownPlans.map((plan) => controller.advance(plan)));
      const results: Record<string, AdvanceResult> = {};
      const failures: unknown[] = [];
      settled.forEach((s, i) => {
        if (s.status === 'fulfilled') results[ownPlans[i]!.name] = s.value;
        else failures.push(s.reason);
      });
      log.info({ results, failed: failures.length }, `advanced ${ownPlans.length} plan(s)`);
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1)
        throw new AggregateError(failures, `${failures.length} plan(s) could not advance`);
      return results;
    });
}

/** The Lambda entry point (`advance.handler`). */
export const handler = createAdvanceHandler(awsRuntime);
