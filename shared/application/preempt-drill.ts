/**
 * Use case: a failover preempts a drill of the same application — the drill is aborted (scoped to its
 * own id, so it can never land on a later drill), then follows its running jobs and tears down what it
 * restored. See `request-drill.ts` for the invariant this upholds.
 */
import { isTerminal, Purpose } from '../domain/failover.ts';
import type { StateStore } from '../ports/state-store.ts';
import { applyEvents, readAppState } from './failover-repository.ts';

/** Aborts the app's drill in flight, if any, because of `reason`; true when one was aborted. */
export async function preemptDrill(
  store: StateStore,
  app: string,
  reason: string,
  at: Date,
): Promise<boolean> {
  const drill = (await readAppState(store, app, Purpose.Drill)).failover;
  if (!drill || isTerminal(drill.phase)) return false;
  const result = await applyEvents(
    store,
    app,
    [{ type: 'abort', failoverId: drill.id, at, reason }],
    undefined,
    Purpose.Drill,
  );
  return result.ok;
}

/**
 * Whether a drill of `app` must yield now: a failover is in flight or the app runs on its recovery
 * site. Returns the reason, or undefined.
 */
export async function drillMustYield(store: StateStore, app: string): Promise<string | undefined> {
  const state = await readAppState(store, app);
  if (state.failover && !isTerminal(state.failover.phase))
    return `preempted by failover ${state.failover.id} (${state.failover.trigger.ref})`;
  if (state.activeSite === 'recovery') return `${app} failed over to its recovery site`;
  return undefined;
}
