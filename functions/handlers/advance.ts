/**
 * Lambda, every minute: carries each failover owned by this region's controller as far as it can go
 * now. This is the polling fallback: AWS delivers Restore Job events best-effort, and an approval
 * that nobody answers times out only when someone looks. Every plan is advanced even when one fails;
 * then the failures are thrown together so the invocation counts as failed.
 */
import middy from '@middy/core';
import type { Logger } from 'pino';
import { advanceAll } from '#shared/application/advance-all.ts';
import type { AdvanceResult } from '#shared/application/advance-failover.ts';
import type { Controller } from '#shared/application/controller.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { awsRuntime } from '../composition.ts';
import { invocation, logErrors, withRuntime } from './middleware.ts';

/** What the advance function needs from the composition root. */
export interface AdvanceRuntime {
  readonly ownPlans: readonly RecoveryPlan[];
  readonly controller: Controller;
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
      return advanceAll(ownPlans, controller, (results, failed) =>
        log.info({ results, failed }, `advanced ${ownPlans.length} plan(s)`),
      );
    });
}

/** The Lambda entry point (`advance.handler`). */
export const handler = createAdvanceHandler(awsRuntime);
