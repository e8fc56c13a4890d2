/**
 * Azure Function (timer, every minute): carries each failover owned by this region's controller as
 * far as it can go now — the polling fallback for restore jobs and approval timeouts. Every plan is
 * advanced even when one fails; then the failures are thrown together so the run counts as failed.
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { advanceAll } from '#shared/application/advance-all.ts';
import type { AdvanceResult } from '#shared/application/advance-failover.ts';
import type { Controller } from '#shared/application/controller.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { azureRuntime } from '../composition.ts';

/** What the advance function needs from the composition root. */
export interface AdvanceRuntime {
  readonly ownPlans: readonly RecoveryPlan[];
  readonly controller: Controller;
}

/** The advance handler over a runtime loader (the real composition root, or fakes in tests). */
export function createAdvanceHandler(load: () => Promise<AdvanceRuntime>) {
  return async function advance(
    _timer: Timer,
    context: InvocationContext,
  ): Promise<Record<string, AdvanceResult>> {
    const { ownPlans, controller } = await load();
    return advanceAll(ownPlans, controller, (results, failed) =>
      context.log(`advanced ${ownPlans.length} plan(s), ${failed} failed: ${JSON.stringify(results)}`),
    );
  };
}

/** The named handler with the real composition root. */
export const advance = createAdvanceHandler(azureRuntime);

app.timer('advance', { schedule: '0 */1 * * * *', handler: advance });
