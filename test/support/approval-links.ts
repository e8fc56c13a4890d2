/**
 * Failovers waiting behind a link, for the approval endpoint's tests: an approval-mode failover with
 * its approve and reject tokens as delivered, or a refused one (stale backup) with its "fail over
 * anyway" token. Tokens come from the notifier's inbox, as a recipient would get them.
 */

import type { AppState } from '#shared/application/failover-repository.ts';
import { readAppState } from '#shared/application/failover-repository.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { engineWorld } from './engine-world.ts';
import { approvalPlan } from './failovers.ts';

export const alarm = {
  kind: 'alarm',
  ref: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health',
  eventId: 'alarm-1',
} as const;

/** An approval-mode failover awaiting approval; its tokens as the recipient got them. */
export async function awaitingApproval(ages: Record<string, number> = {}) {
  const world = engineWorld({ ages });
  const controller = world.controller();
  const plan = approvalPlan();
  const started = await requestFailover(controller, plan, alarm);
  if (started.effect !== 'approval-requested')
    throw new Error(`expected an approval request: ${started.reason}`);
  const request = world.notifier.sent.find((n) => n.kind === 'approval-request')!;
  return {
    ...world,
    controller,
    plan,
    plans: [plan],
    failoverId: started.failoverId!,
    approveToken: request.approveToken!,
    rejectToken: request.rejectToken!,
    state: (): Promise<AppState> => readAppState(controller.store, plan.name),
    /** Every stored item of the app, for "changed nothing" checks. */
    snapshot: () => controller.store.query(`app#${plan.name}`),
  };
}

/** A failover refused because `case-db`'s newest backup is 2h old against its 5m RPO. */
export async function refusedStale() {
  const world = engineWorld({ ages: { 'case-db': 7200 } });
  const controller = world.controller();
  const plan = approvalPlan();
  const refused = await requestFailover(controller, plan, alarm);
  if (refused.effect !== 'refused') throw new Error(`expected a refusal: ${refused.reason}`);
  const notice = world.notifier.sent.find((n) => n.kind === 'failover-refused')!;
  return {
    ...world,
    controller,
    plan,
    plans: [plan],
    refusedId: refused.failoverId!,
    overrideToken: notice.overrideToken!,
    state: (): Promise<AppState> => readAppState(controller.store, plan.name),
    snapshot: () => controller.store.query(`app#${plan.name}`),
  };
}
