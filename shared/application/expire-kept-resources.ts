/**
 * Use case: delete what drills kept for inspection once it expires (`spec.drill.keep`, `keepFor`).
 * Called by the scheduled advance of every app, after its drill moved on.
 *
 * Each ended drill that kept something gets one item (`app#<name>` / `kept#<drillId>`), created once
 * — by this sweep when it finds the drill ended, or by `requestDrill` before a new drill replaces it, so
 * no kept drill is missed. Once expired, each resource is deleted through the same cleaner a drill's
 * teardown uses (a resource already gone counts as deleted), at most `MAX_DELETE_ATTEMPTS` times. The
 * outcome goes on the app's evidence chain when the record settles (`drill/<id>/cleanup`: what was
 * deleted, and what is left for a human, named), and the settled item is left for the store to expire.
 * Two controllers sweeping at once may both delete (harmless); only one write of each round lands.
 */
import { drillPlan } from '../domain/drill.ts';
import { ConflictError } from '../domain/errors.ts';
import { EvidenceKind } from '../domain/evidence.ts';
import { type Failover, isTerminal, Purpose } from '../domain/failover.ts';
import {
  type DeleteOutcome,
  dueForDeletion,
  isSettled,
  type KeptRecord,
  keptRecord,
  leftBehind,
  withDeleteOutcome,
} from '../domain/kept-resources.ts';
import type { RecoveryPlan } from '../domain/plan.ts';
import type { ItemKey, StateStore } from '../ports/state-store.ts';
import type { Controller } from './controller.ts';
import { appendEvidence } from './evidence-log.ts';
import { readAppState } from './failover-repository.ts';

/** How long a settled record stays in the store (it is on the evidence chain for good). */
const SETTLED_RECORD_DAYS = 90;

const KEPT_PREFIX = 'kept#';

export const keptKey = (app: string, drillId: string): ItemKey => ({
  partition: `app#${app}`,
  sort: `${KEPT_PREFIX}${drillId}`,
});

/** A kept record as stored: `settled` once every resource was deleted or left to a human. */
export type StoredKept = KeptRecord & { readonly settled?: boolean };

/** Records what an ended drill kept, once; nothing for a drill in flight or one that kept nothing. */
export async function registerKept(store: StateStore, drill: Failover): Promise<void> {
  if (!isTerminal(drill.phase)) return;
  const record = keptRecord(drill);
  if (!record) return;
  try {
    await store.create(keptKey(drill.app, drill.id), record);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error; // already registered
  }
}

/** Every kept record of `app` (settled ones until the store expires them). */
export async function listKept(store: StateStore, app: string): Promise<StoredKept[]> {
  return (await store.query<StoredKept>(`app#${app}`, KEPT_PREFIX)).map((i) => i.value);
}

/** When the next unsettled kept record of `app` expires, if any (for a simulation moving time on). */
export async function nextKeptExpiry(store: StateStore, app: string): Promise<Date | undefined> {
  const times = (await listKept(store, app)).filter((k) => !k.settled).map((k) => Date.parse(k.expiresAt));
  return times.length ? new Date(Math.min(...times)) : undefined;
}

/** What the sweep did to one kept record. */
export interface KeptSweep {
  readonly drillId: string;
  readonly deleted: readonly string[];
  readonly failed: readonly string[];
  readonly settled: boolean;
}

/**
 * 1. Register the app's drill if it ended keeping something.
 * 2. For each kept record not yet settled whose time is up: delete each remaining resource (no cleaner
 *    configured: each attempt fails, saying so), record the outcomes with one conditional write.
 * 3. A record that settles goes on the evidence chain first, then is written settled.
 */
export async function expireKeptResources(controller: Controller, plan: RecoveryPlan): Promise<KeptSweep[]> {
  const { store, clock } = controller;
  const drill = (await readAppState(store, plan.name, Purpose.Drill)).failover;
  if (drill) await registerKept(store, drill);
  const sweeps: KeptSweep[] = [];
  for (const item of await store.query<StoredKept>(`app#${plan.name}`, KEPT_PREFIX)) {
    if (item.value.settled) continue;
    const now = clock.now();
    const due = dueForDeletion(item.value, now);
    if (due.length === 0) continue;
    let record: KeptRecord = item.value;
    for (const kept of due) {
      const outcome = await deleteKept(controller, plan, kept.resource, kept.createdResource);
      record = withDeleteOutcome(record, kept.createdResource, outcome, clock.now());
    }
    const settled = isSettled(record);
    if (settled) await appendEvidence(store, plan.name, [cleanupDraft(record, clock.now())]);
    try {
      await store.update(
        item.key,
        { ...record, settled },
        item.version,
        settled ? { expiresAt: new Date(now.getTime() + SETTLED_RECORD_DAYS * 86_400_000) } : undefined,
      );
    } catch (error) {
      if (error instanceof ConflictError) continue; // another controller swept it first
      throw error;
    }
    const after = new Map(record.resources.map((r) => [r.createdResource, r]));
    sweeps.push({
      drillId: record.drillId,
      deleted: due.filter((k) => after.get(k.createdResource)?.deletedAt).map((k) => k.createdResource),
      failed: due.filter((k) => !after.get(k.createdResource)?.deletedAt).map((k) => k.createdResource),
      settled,
    });
  }
  return sweeps;
}

async function deleteKept(
  { cleaner }: Controller,
  plan: RecoveryPlan,
  name: string,
  createdResource: string,
): Promise<DeleteOutcome> {
  // The resource as the drill restored it (drill names), as the drill's own teardown passes it.
  const derived = drillPlan(plan);
  const resource = ('plan' in derived ? derived.plan : plan).resources.find((r) => r.name === name);
  if (!cleaner) return { state: 'failed', error: 'no clean-up of restored resources is configured' };
  if (!resource) return { state: 'failed', error: `${name} is no longer in the plan` };
  try {
    const { state, detail } = await cleaner.delete(resource, createdResource);
    return { state, detail };
  } catch (error) {
    return { state: 'failed', error: (error as Error).message };
  }
}

function cleanupDraft(record: KeptRecord, at: Date) {
  const left = leftBehind(record);
  return {
    kind: EvidenceKind.Cleanup,
    at: at.toISOString(),
    ref: `drill/${record.drillId}/cleanup`,
    data: {
      drillId: record.drillId,
      keptUntil: record.expiresAt,
      deleted: record.resources.filter((r) => r.deletedAt).map((r) => r.createdResource),
      leftBehind: left.map((r) => ({ createdResource: r.createdResource, error: r.lastError ?? null })),
    },
  };
}
