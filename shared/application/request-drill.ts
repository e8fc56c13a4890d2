/**
 * Use case: start a restore drill of one application — the failover engine with purpose `drill`.
 *
 * Where a drill lives, and why it never blocks a failover (the invariant, also in docs/drills.md):
 * a drill is its own item (`app#<name>` / `drill`) driven under its own lease (`drill/<name>`), so no
 * drill write can delay, conflict with or refuse a failover write. A failover always wins:
 * - a drill is claimed only while no failover of the app is in flight and the app runs on its primary;
 * - `requestFailover` aborts a drill in flight right after claiming its failover;
 * - every round of a drill's `advance` reads the app item first and aborts the drill when a failover
 *   is in flight — so a crash between the failover's claim and the abort, or a drill claimed in the
 *   instant a failover was, still ends the drill before its next effect.
 * An aborted drill follows its running restore jobs to their end and deletes what they created.
 * Two drills of one app never overlap: the drill item is claimed with one conditional write, and only
 * when the drill in it has ended.
 */

import { drillPlan } from '../domain/drill.ts';
import { ConflictError } from '../domain/errors.ts';
import { createFailover, type FailoverTrigger, isTerminal, Purpose } from '../domain/failover.ts';
import { evaluateGates } from '../domain/gates.ts';
import type { RecoveryPlan } from '../domain/plan.ts';
import type { Controller } from './controller.ts';
import { registerKept } from './expire-kept-resources.ts';
import { claimFailover, readApp } from './failover-repository.ts';
import { auditPlan } from './request-failover.ts';

/** What happened to a request to drill. */
export interface DrillStartResult {
  readonly effect: 'drill-started' | 'refused' | 'joined-existing';
  readonly reason: string;
  readonly drillId?: string;
}

const MAX_ATTEMPTS = 8;

/**
 * 1. The drill's plan (drill names, drill probe targets, no routing); a plan that cannot drill is
 *    refused with every reason, writing nothing.
 * 2. A failover in flight, or an app already on its recovery site: refused — drills yield to failovers.
 * 3. A drill in flight: joined (two drills of one app never overlap).
 * 4. Gates (restorable, recovery points); a refusal is recorded as an aborted drill, with its reason.
 * 5. The drill — with the data time of each chosen point, for the measured RPO — is claimed with ONE
 *    conditional write of the drill item; a lost race reads again.
 */
export async function requestDrill(
  controller: Controller,
  plan: RecoveryPlan,
  trigger: FailoverTrigger,
): Promise<DrillStartResult> {
  const derived = drillPlan(plan);
  if ('problems' in derived)
    return { effect: 'refused', reason: `${plan.name} cannot be drilled: ${derived.problems.join('; ')}` };
  const { store, clock } = controller;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const app = (await readApp(store, plan.name)).state;
    if (app.failover && !isTerminal(app.failover.phase))
      return {
        effect: 'refused',
        reason: `failover ${app.failover.id} of ${plan.name} is ${app.failover.phase}; drills yield to failovers`,
      };
    if (app.activeSite === 'recovery')
      return {
        effect: 'refused',
        reason: `${plan.name} runs on its recovery site; drill after failing back`,
      };
    const read = await readApp(store, plan.name, Purpose.Drill);
    const current = read.state.failover;
    if (current && !isTerminal(current.phase))
      return {
        effect: 'joined-existing',
        reason: `drill ${current.id} of ${plan.name} is already ${current.phase}; two drills of one app never overlap`,
        drillId: current.id,
      };
    // What the ended drill kept is registered before the new drill replaces it in the item.
    if (current) await registerKept(store, current);
    const now = clock.now();
    const audit = await auditPlan(controller, plan);
    const verdict = evaluateGates({
      plan: derived.plan,
      lastCompletedAt: null,
      freshness: audit.freshness,
      now,
    });
    const pointTimes = Object.fromEntries(
      audit.freshness.flatMap((f) =>
        f.ageSeconds === null
          ? []
          : [[f.resource, new Date(now.getTime() - f.ageSeconds * 1000).toISOString()]],
      ),
    );
    const drill = createFailover({
      id: controller.newId(),
      plan: derived.plan,
      trigger,
      at: now,
      recoveryPoints: verdict.recoveryPoints,
      pointTimes,
      purpose: Purpose.Drill,
      keep: plan.drill?.keep === true,
      ...(verdict.refusal ? { refusedBecause: verdict.refusal } : {}),
    });
    try {
      await claimFailover(store, read, drill);
    } catch (error) {
      if (error instanceof ConflictError) continue;
      throw error;
    }
    return verdict.refusal
      ? { effect: 'refused', reason: verdict.refusal, drillId: drill.id }
      : {
          effect: 'drill-started',
          reason: `restoring ${plan.resources.length} resource(s) under drill names in ${plan.recovery.region}`,
          drillId: drill.id,
        };
  }
  throw new ConflictError(`could not claim the drill of ${plan.name} after ${MAX_ATTEMPTS} attempts`);
}
