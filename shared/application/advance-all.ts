/**
 * Use case: the scheduled polling fallback — carry every failover this controller owns as far as it
 * can go (restore jobs whose events never came, approval timeouts, retry delays that ran out).
 */
import { Purpose } from '../domain/failover.ts';
import type { RecoveryPlan } from '../domain/plan.ts';
import { type AdvanceResult, advanceFailover } from './advance-failover.ts';
import type { Controller } from './controller.ts';
import { expireKeptResources } from './expire-kept-resources.ts';
import { publishEvents } from './publish-events.ts';
import { runScheduledDrill } from './scheduled-drills.ts';

/**
 * Advances an application's failover, then starts its drill when `spec.drill.schedule` says one is
 * due, then advances its drill (restores to follow, a tear-down after a preemption). The drill goes
 * second and under its own lease: it never holds the failover up. Then what drills kept for
 * inspection and has expired is deleted (`expire-kept-resources.ts`). Then what is new on the app's
 * evidence chain is published as events. Returns how the failover and the drill stopped.
 */
export async function advanceAppAndDrill(controller: Controller, plan: RecoveryPlan): Promise<AppAdvance> {
  const failover = await advanceFailover(controller, plan);
  await runScheduledDrill(controller, plan);
  const drill = await advanceFailover(controller, plan, Purpose.Drill);
  await expireKeptResources(controller, plan);
  if (controller.events)
    await publishEvents({ store: controller.store, events: controller.events }, plan.name);
  return { failover, drill };
}

/** How an application's failover and drill stopped. */
export interface AppAdvance {
  readonly failover: AdvanceResult;
  readonly drill: AdvanceResult;
}

/** {@link advanceAppAndDrill}, reporting how the failover stopped (the scheduled ticks' report). */
export async function advanceApp(controller: Controller, plan: RecoveryPlan): Promise<AdvanceResult> {
  return (await advanceAppAndDrill(controller, plan)).failover;
}

/** How each plan's failover stopped, by application name. */
export type AdvanceReport = Record<string, AdvanceResult>;

/**
 * 1. Advance every plan at once; one plan's failure does not stop the others.
 * 2. Report how each stopped.
 * 3. Then raise the failures (one as itself, several together), so the platform retries the run.
 */
export async function advanceAll(
  plans: readonly RecoveryPlan[],
  controller: Controller,
  onReport: (report: AdvanceReport, failed: number) => void = () => {},
  advance: (controller: Controller, plan: RecoveryPlan) => Promise<AdvanceResult> = advanceApp,
): Promise<AdvanceReport> {
  const settled = await Promise.allSettled(plans.map((plan) => advance(controller, plan)));
  const report: AdvanceReport = {};
  const failures: unknown[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') report[plans[i]!.name] = s.value;
    else failures.push(s.reason);
  });
  onReport(report, failures.length);
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} plan(s) could not advance`);
  return report;
}
