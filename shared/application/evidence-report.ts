/**
 * Use case: `standby evidence` — the evidence report of each application, from its evidence chain.
 */

import { verifyChain } from '../domain/evidence.ts';
import { type AppEvidence, buildAppEvidence } from '../domain/evidence-report.ts';
import type { RecoveryPlan } from '../domain/plan.ts';
import type { Clock } from '../ports/clock.ts';
import type { StateStore } from '../ports/state-store.ts';
import { readChain, readHead } from './evidence-log.ts';

/**
 * For each plan: 1. read its chain and head; 2. verify the chain (a broken chain proves nothing);
 * 3. build the report from the records.
 */
export async function evidenceReport(
  deps: { readonly store: StateStore; readonly clock: Clock },
  plans: readonly RecoveryPlan[],
): Promise<AppEvidence[]> {
  return Promise.all(
    plans.map(async (plan) => {
      const stored = await readChain(deps.store, plan.name);
      const verdict = verifyChain(plan.name, stored, await readHead(deps.store, plan.name));
      return buildAppEvidence(
        plan,
        stored.map((r) => r.value),
        verdict,
        deps.clock.now(),
      );
    }),
  );
}
