/**
 * Use case: put what a failover (or drill) did on its application's evidence chain — every phase
 * change, in order, with its time (SPEC §4.5), and the human decision on it. Called after every write
 * of a failover; each fact has an identity, so calling it again (a crash between the state write and
 * this one, a concurrent writer) records nothing twice and catches up whatever is missing.
 */

import { measureDrill } from '../domain/drill.ts';
import { type EvidenceDraft, EvidenceKind } from '../domain/evidence.ts';
import { type Failover, isTerminal, Purpose } from '../domain/failover.ts';
import type { StateStore } from '../ports/state-store.ts';
import { appendEvidence } from './evidence-log.ts';

/** The facts of `failover` as evidence drafts, oldest first. */
export function failoverDrafts(failover: Failover): EvidenceDraft[] {
  const base = { failoverId: failover.id, purpose: failover.purpose };
  const drafts: EvidenceDraft[] = failover.history.map((change, i) => ({
    kind: EvidenceKind.Phase,
    at: change.at,
    ref: `${failover.purpose}/${failover.id}/phase/${i}`,
    data: {
      ...base,
      phase: change.phase,
      reason: change.reason,
      ...(i === 0 ? { trigger: failover.trigger } : {}),
      // The level a run proved goes on its terminal phase record (L5: a failover that moved traffic).
      ...(isTerminal(change.phase) && i === failover.history.length - 1
        ? { level: measureDrill(failover).level }
        : {}),
    },
  }));
  if (failover.override)
    drafts.splice(1, 0, {
      kind: EvidenceKind.Override,
      at: failover.startedAt,
      ref: `${failover.purpose}/${failover.id}/override`,
      data: { ...base, ...failover.override },
    });
  const decision = failover.decision;
  if (decision) {
    const { nonce: _nonce, ...recorded } = decision;
    const draft: EvidenceDraft = {
      kind: EvidenceKind.Approval,
      at: decision.at,
      ref: `${failover.purpose}/${failover.id}/decision`,
      data: { ...base, ...recorded },
    };
    // The decision goes right before the phase change it caused (the first at its time, after the first).
    const index = drafts.findIndex((d, i) => i > 0 && d.at >= decision.at);
    drafts.splice(index === -1 ? drafts.length : index, 0, draft);
  }
  if (failover.purpose === Purpose.Drill && isTerminal(failover.phase) && failover.endedAt)
    drafts.push({
      kind: EvidenceKind.Drill,
      at: failover.endedAt,
      ref: `drill/${failover.id}/result`,
      data: { ...measureDrill(failover) },
    });
  return drafts;
}

/** Records what is not yet on the chain of `failover`'s application. */
export async function recordFailoverEvidence(store: StateStore, failover: Failover): Promise<void> {
  await appendEvidence(store, failover.app, failoverDrafts(failover));
}
