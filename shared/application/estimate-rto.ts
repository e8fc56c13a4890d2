/**
 * The RTO estimate of a failover dry run, from the restores the state has seen.
 *
 * 1. Read every failover and drill of every application of the plan set, the one in flight or last
 *    run and the archived ones (restore durations are compared by resource type across applications).
 * 2. Keep each restore that succeeded, with its duration.
 * 3. Estimate the plan's RTO from them, with `defaultOf` for a type never seen.
 */
import { type Failover, Purpose } from '../domain/failover.ts';
import type { ProtectedResource, RecoveryPlan } from '../domain/plan.ts';
import {
  estimateRto,
  type RestoreDefault,
  type RtoEstimate,
  restoreObservations,
} from '../domain/rto-estimate.ts';
import type { StateStore } from '../ports/state-store.ts';
import { listArchived, readAppState } from './failover-repository.ts';

/** The estimate for `plan` from what `store` has seen of every plan in `plans`. */
export async function estimatePlanRto(
  plan: RecoveryPlan,
  plans: readonly RecoveryPlan[],
  store: StateStore,
  defaultOf: (resource: ProtectedResource) => RestoreDefault | undefined,
): Promise<RtoEstimate> {
  const byId = new Map<string, Failover>();
  for (const p of plans)
    for (const purpose of Object.values(Purpose)) {
      const current = (await readAppState(store, p.name, purpose)).failover;
      for (const f of [...(await listArchived(store, p.name, purpose)), ...(current ? [current] : [])])
        byId.set(f.id, f);
    }
  return estimateRto(plan, restoreObservations([...byId.values()]), defaultOf);
}
