/**
 * Use case: a restore job's end arrives as an event (EventBridge, Azure): record it on the failover
 * step that started that very job.
 */
import { isTerminal, Purpose } from '../domain/failover.ts';
import type { Controller } from './controller.ts';
import { applyEvents, readAppState } from './failover-repository.ts';

/** A restore job's state as an event reports it. */
export interface RestoreJobReport {
  readonly jobId: string;
  readonly ended: boolean;
  readonly succeeded: boolean;
  readonly message: string;
  readonly createdResource?: string;
}

/** What the report did. */
export type RestoreEndResult =
  | { readonly kind: 'not-ours' }
  | { readonly kind: 'progress'; readonly failoverId: string }
  | { readonly kind: 'recorded' | 'already-known'; readonly failoverId: string; readonly reason: string };

/**
 * 1. Find the step of the app's current failover (or else drill) whose recorded job is `jobId` — a job of an earlier
 *    failover, or one never recorded, moves nothing.
 * 2. Record the end with an event naming that failover, step and job: applied to anything else (the
 *    failover was replaced meanwhile, the poll recorded the end first) it is refused, changing nothing.
 */
export async function recordRestoreEnd(
  controller: Pick<Controller, 'store' | 'clock'>,
  app: string,
  report: RestoreJobReport,
): Promise<RestoreEndResult> {
  // The job is the failover's, or a drill's (a drill restores under drill names, with its own jobs).
  for (const purpose of [Purpose.Failover, Purpose.Drill]) {
    const found = await recordFor(controller, app, report, purpose);
    if (found.kind !== 'not-ours') return found;
  }
  return { kind: 'not-ours' };
}

async function recordFor(
  controller: Pick<Controller, 'store' | 'clock'>,
  app: string,
  report: RestoreJobReport,
  purpose: Purpose,
): Promise<RestoreEndResult> {
  const failover = (await readAppState(controller.store, app, purpose)).failover;
  // Stryker disable next-line ConditionalExpression: only restore steps have a job id (the kind test narrows the type).
  const step = failover?.steps.find((s) => s.kind === 'restore' && s.jobId === report.jobId);
  if (!failover || !step) return { kind: 'not-ours' };
  if (!report.ended || isTerminal(failover.phase)) return { kind: 'progress', failoverId: failover.id };
  const scope = { failoverId: failover.id, step: step.name, jobId: report.jobId, at: controller.clock.now() };
  const applied = await applyEvents(
    controller.store,
    app,
    [
      report.succeeded
        ? {
            type: 'restore-succeeded',
            ...scope,
            detail: report.message,
            ...(report.createdResource ? { createdResource: report.createdResource } : {}),
          }
        : { type: 'restore-failed', ...scope, reason: report.message },
    ],
    undefined,
    purpose,
  );
  return applied.ok
    ? { kind: 'recorded', failoverId: failover.id, reason: report.message }
    : { kind: 'already-known', failoverId: failover.id, reason: applied.reason };
}
