/**
 * Use case: carry one application's current failover as far as it can go now.
 */
import { ConflictError } from '../domain/errors.ts';
import { isTerminal, Phase, Purpose } from '../domain/failover.ts';
import { type Command, intentOf, nextCommands } from '../domain/failover-commands.ts';
import { ACCEPTS, transition } from '../domain/failover-transition.ts';
import type { RecoveryPlan } from '../domain/plan.ts';
import type { Controller } from './controller.ts';
import { applyEvents, listNotifications, readApp, withFailover, writeApp } from './failover-repository.ts';
import {
  acquireLease,
  assertHolding,
  type Lease,
  LeaseLostError,
  releaseLease,
  renewLease,
} from './lease.ts';
import { drillMustYield } from './preempt-drill.ts';
import { recordFailoverEvidence } from './record-failover-evidence.ts';
import { runEffect } from './run-effect.ts';

/** Why `advance` stopped. */
export type AdvanceResult = 'idle' | 'waiting-for-approval' | 'waiting-for-jobs' | 'ended' | 'held-elsewhere';

const MAX_ROUNDS = 1000;
/** Lease time that must be left when a restore start or a switch goes out. */
const EFFECT_MARGIN_SECONDS = 60;

/**
 * Under the app's lease (one driver at a time), in rounds:
 * 1. an expired approval request is settled by its `onTimeout`;
 * 2. the intents of this round's effects (restores to start, probes to run, the switch) are recorded in
 *    ONE write, conditional on the version read: if another writer moved first, nothing runs and the
 *    round starts over — so effects run only for intents this round's own write recorded, for the
 *    failover it read, never for one that replaced it meanwhile;
 * 3. the lease is renewed: a controller that may have lost it (paused past its expiry) acts no more;
 * 4. the effects run in parallel (starts, polls, probes, the switch), each ending in a scoped event;
 * 5. their results are recorded in ONE write — parallel steps never race each other for the item;
 * 6. repeat while something changed; stop when the failover ended or waits for a job, a retry delay
 *    or a human.
 */
export async function advanceFailover(
  controller: Controller,
  plan: RecoveryPlan,
  purpose: Purpose = Purpose.Failover,
): Promise<AdvanceResult> {
  const { store, clock, owner, leaseSeconds, leaseSkewSeconds } = controller;
  const name = `${purpose}/${plan.name}`;
  const taken = await acquireLease(store, {
    name,
    owner,
    now: clock.now(),
    ttlSeconds: leaseSeconds,
    skewSeconds: leaseSkewSeconds,
  });
  if (!taken.acquired) return 'held-elsewhere';
  let lease = taken.lease;
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let read = await readApp(store, plan.name, purpose);
      const failover = read.state.failover;
      if (!failover) return 'idle';
      if (isTerminal(failover.phase)) {
        // Evidence a crash left unwritten after the last state write is caught up here.
        await recordFailoverEvidence(store, failover);
        return 'ended';
      }
      const now = clock.now();
      const token = lease.fencingToken;
      // A new holder writes its token into the app item first, so a holder it overtook (paused, or with
      // a slow clock) is fenced out of every later write — not only once this holder writes something.
      // The round goes on from what it wrote (a lost race reads again).
      if ((read.state.fencingToken ?? 0) < token) {
        try {
          const stamped = await writeApp(store, plan.name, read, { ...read.state, fencingToken: token });
          read = { state: stamped.value, version: stamped.version };
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          continue;
        }
      }
      // 1b. A drill yields to a failover of its app before any further effect (see request-drill.ts).
      if (purpose === Purpose.Drill && ACCEPTS[failover.phase].includes('abort')) {
        const reason = await drillMustYield(store, plan.name);
        if (reason) {
          await applyEvents(
            store,
            plan.name,
            [{ type: 'abort', failoverId: failover.id, at: now, reason }],
            token,
            purpose,
          );
          continue;
        }
      }
      if (failover.phase === Phase.AwaitingApproval) {
        if (failover.approval && now.getTime() >= Date.parse(failover.approval.expiresAt)) {
          const requestDelivered = (await listNotifications(store, plan.name)).some(
            (n) => n.kind === 'approval-request' && n.failoverId === failover.id && n.delivered,
          );
          const expired = {
            type: 'approval-expired',
            failoverId: failover.id,
            at: now,
            requestDelivered,
          } as const;
          await applyEvents(store, plan.name, [expired], token, purpose);
          continue;
        }
        return 'waiting-for-approval';
      }
      // 2. Intents, on the version read.
      let next = failover;
      const commands: Command[] = [];
      for (const command of nextCommands(failover, now)) {
        const intent = intentOf(command, failover.id, now);
        const result = intent ? transition(next, intent) : undefined;
        if (result && !result.ok) continue;
        if (result) next = result.failover;
        commands.push(command);
      }
      if (commands.length === 0) return 'waiting-for-jobs';
      if (next !== failover) {
        try {
          await writeApp(store, plan.name, read, withFailover(read.state, next, token));
        } catch (error) {
          if (error instanceof ConflictError) continue;
          throw error;
        }
        // 3. Still the holder? Renewing also gives the effects a full lease to run in.
        lease = await renew(controller, lease);
      }
      // 4. Effects, for the failover this round wrote; each right after checking the lease is still ours.
      // Time taken after the read, with a margin for the call itself to reach the cloud.
      const fence = () => assertHolding(store, name, token, clock, EFFECT_MARGIN_SECONDS);
      const results = (await Promise.all(commands.map((c) => runEffect(c, next, controller, fence)))).filter(
        (e) => e !== undefined,
      );
      // 5. Results, in one write.
      if (results.length === 0 || !(await applyEvents(store, plan.name, results, token, purpose)).ok)
        return 'waiting-for-jobs';
    }
    throw new Error(`advance(${plan.name}) did not settle after ${MAX_ROUNDS} rounds`);
  } catch (error) {
    // Another controller took the lease over (this one paused, or its clock ran slow): it carries on.
    if (error instanceof LeaseLostError) return 'held-elsewhere';
    throw error;
  } finally {
    // A lease that cannot be released expires by itself; never let that hide the round's own error.
    // Stryker disable next-line ArrowFunction,BooleanLiteral: what the swallowed failure turns into is never read.
    await releaseLease(store, lease, clock.now()).catch(() => false);
  }
}

async function renew(controller: Controller, lease: Lease): Promise<Lease> {
  const renewed = await renewLease(controller.store, {
    lease,
    now: controller.clock.now(),
    ttlSeconds: controller.leaseSeconds,
  });
  if (!renewed.renewed) throw new LeaseLostError(lease.name, lease.fencingToken, renewed.reason);
  return renewed.lease;
}
