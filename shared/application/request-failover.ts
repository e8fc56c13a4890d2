/**
 * Use case: a trigger (an alarm, or a human at the CLI) asks for a failover of one application.
 */
import { ConflictError } from '../domain/errors.ts';
import {
  createFailover,
  type FailoverTrigger,
  isTerminal,
  type OverridableGate,
  Phase,
} from '../domain/failover.ts';
import { evaluateGates, type GateVerdict, OVERRIDABLE } from '../domain/gates.ts';
import type { RecoveryPlan } from '../domain/plan.ts';
import { sendApprovalRequests } from './approval-requests.ts';
import type { Controller } from './controller.ts';
import { type AppState, claimFailover, readApp, readAppState } from './failover-repository.ts';
import { preemptDrill } from './preempt-drill.ts';
import { sendRefusalNotices } from './refusal-notices.ts';
import { type AppAudit, runAudit } from './run-audit.ts';

/** What happened to a request to fail over. */
export type StartEffect =
  | 'failover-started'
  | 'approval-requested'
  | 'joined-existing'
  | 'refused'
  | 'ignored';

/** The answer to a start request. */
export interface StartResult {
  readonly effect: StartEffect;
  readonly reason: string;
  readonly failoverId?: string;
}

/** A break-glass override asked for by a human: the refusing gates to accept (only overridable ones). */
export interface OverrideRequest {
  readonly by: string;
  readonly reason: string;
  readonly accept: readonly OverridableGate[];
}

const MAX_ATTEMPTS = 8;

/**
 * 1. A failover in flight is joined, not duplicated (a redelivered trigger also finishes an approval
 *    request that an earlier attempt left unsent); a fact already claimed is recognised even after its
 *    failover ended; an app already on the recovery site is left alone.
 * 2. Gates, each refusal recorded with its reason: cooldown, restorability, recovery points, freshness.
 * 3. The new failover — with the plan as it is now, and the trigger fact — is claimed with ONE
 *    conditional write of the app item; losing that race means another instance moved first: look again.
 * 4. In mode approval the approval request goes out.
 */
export async function requestFailover(
  controller: Controller,
  plan: RecoveryPlan,
  trigger: FailoverTrigger,
  override?: OverrideRequest,
): Promise<StartResult> {
  const { store, clock } = controller;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const read = await readApp(store, plan.name);
    const { state } = read;
    const before = beforeGates(state, plan, trigger);
    if (before) {
      // A redelivered trigger finishes an approval request that an earlier attempt left unsent.
      // Stryker disable next-line OptionalChaining: a joined failover is there.
      if (before.effect === 'joined-existing' && state.failover?.phase === Phase.AwaitingApproval)
        await sendApprovalRequests(controller, state.failover);
      return before;
    }
    const verdict = await gatesFor(controller, plan, state, override?.accept);
    // Stryker disable next-line MethodExpression: evaluateGates overrides only overridable gates.
    const accepted = verdict.overridden.filter((g): g is OverridableGate => OVERRIDABLE.includes(g));
    const failover = createFailover({
      id: controller.newId(),
      plan,
      trigger,
      at: clock.now(),
      recoveryPoints: verdict.recoveryPoints,
      ...(verdict.refusal ? { refusedBecause: verdict.refusal } : {}),
      ...(override && accepted.length && !verdict.refusal
        ? { override: { by: override.by, reason: override.reason, accepted } }
        : {}),
    });
    try {
      await claimFailover(store, read, failover);
    } catch (error) {
      if (error instanceof ConflictError) continue;
      throw error;
    }
    if (verdict.refusal) {
      const refusing = verdict.gates.filter((g) => !g.passed).map((g) => g.gate);
      await sendRefusalNotices(controller, failover, refusing);
      return { effect: 'refused', reason: verdict.refusal, failoverId: failover.id };
    }
    // A real failover preempts a drill of the same app (a drill that misses this aborts itself: request-drill.ts).
    await preemptDrill(
      store,
      plan.name,
      `preempted by failover ${failover.id} (${trigger.ref})`,
      clock.now(),
    );
    if (failover.phase === Phase.AwaitingApproval) {
      await sendApprovalRequests(controller, failover);
      return {
        effect: 'approval-requested',
        // Stryker disable next-line OptionalChaining: a failover awaits approval only under a plan with an approval block.
        reason: `approval requested from ${plan.failover.approval?.notify.length ?? 0} channel(s)`,
        failoverId: failover.id,
      };
    }
    return {
      effect: 'failover-started',
      reason: `restoring ${plan.resources.length} resource(s) in ${plan.recovery.region}`,
      failoverId: failover.id,
    };
  }
  throw new ConflictError(`could not claim the failover of ${plan.name} after ${MAX_ATTEMPTS} attempts`);
}

/**
 * What a request would do now, deciding with the same code as {@link requestFailover} and stopping
 * before any write or effect (what `failover --dry-run` shows): joined, ignored, or the gates' verdict.
 */
export async function previewFailover(
  controller: Controller,
  plan: RecoveryPlan,
  trigger: FailoverTrigger,
  override?: OverrideRequest,
): Promise<{ readonly before: StartResult | undefined; readonly verdict: GateVerdict }> {
  const state = await readAppState(controller.store, plan.name);
  return {
    before: beforeGates(state, plan, trigger),
    verdict: await gatesFor(controller, plan, state, override?.accept),
  };
}

/**
 * The decisions taken before any gate, from the app item alone: join a failover in flight, recognise a
 * trigger fact already claimed, leave an app already on the recovery site alone. `undefined`: go on to
 * the gates.
 */
export function beforeGates(
  state: AppState,
  plan: RecoveryPlan,
  trigger: FailoverTrigger,
): StartResult | undefined {
  const current = state.failover;
  if (current && !isTerminal(current.phase))
    return {
      effect: 'joined-existing',
      reason: `failover ${current.id} is already ${current.phase}`,
      failoverId: current.id,
    };
  if (state.handledTriggers?.includes(trigger.eventId))
    return {
      effect: 'ignored',
      reason: `${trigger.eventId} already started a failover${current ? ` (${current.id}, ${current.phase})` : ''}; a redelivery starts none`,
      ...(current ? { failoverId: current.id } : {}),
    };
  if (state.activeSite === 'recovery')
    return {
      effect: 'ignored',
      reason: `${plan.name} already runs on the recovery site (${plan.recovery.region})`,
    };
  return undefined;
}

/** Freshness of one plan's resources. */
export async function auditPlan(
  controller: Pick<Controller, 'inventory' | 'clock'>,
  plan: RecoveryPlan,
): Promise<AppAudit> {
  const report = await runAudit([plan], controller);
  return report.apps[0]!;
}

async function gatesFor(
  controller: Controller,
  plan: RecoveryPlan,
  state: AppState,
  // Stryker disable next-line ArrayDeclaration: a default naming no gate accepts nothing either.
  accept: readonly OverridableGate[] = [],
): Promise<GateVerdict> {
  const audit = await auditPlan(controller, plan);
  return evaluateGates({
    plan,
    lastCompletedAt: state.lastCompletedAt,
    freshness: audit.freshness,
    now: controller.clock.now(),
    accept,
  });
}
