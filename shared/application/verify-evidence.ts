/**
 * Use case: `standby evidence verify` — recompute each application's evidence chain and name the first
 * record that was changed, removed or reordered.
 */
import { type ChainVerdict, verifyChain } from '../domain/evidence.ts';
import type { StateStore } from '../ports/state-store.ts';
import { listEvidenceApps, readChain, readHead } from './evidence-log.ts';

/**
 * 1. The applications to check: the one asked for, or every application with a chain.
 * 2. For each, read the records in stored order and the head, and recompute the chain.
 */
export async function verifyEvidence(store: StateStore, app?: string): Promise<ChainVerdict[]> {
  const apps = app === undefined ? await listEvidenceApps(store) : [app];
  return Promise.all(
    apps.map(async (name) => verifyChain(name, await readChain(store, name), await readHead(store, name))),
  );
}
