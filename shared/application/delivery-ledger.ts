/**
 * The delivery ledger: which event facts were handled, and the newest state seen of each trigger, so a
 * redelivered or late event is recognised. The claim of a failover records its trigger fact in the app
 * item itself (see `failover-repository.ts`); these markers only spare the work of handling a fact twice.
 */
import { ConflictError } from '../domain/errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { ItemKey, StateStore } from '../ports/state-store.ts';
import { appKeys } from './failover-repository.ts';

/** How long a handled-event marker is kept. */
const MARKER_DAYS = 7;

/** Whether `eventId` has not been marked handled for `app` yet. */
export async function firstDelivery(store: StateStore, app: string, eventId: string): Promise<boolean> {
  return (await store.get(appKeys.event(app, eventId))) === undefined;
}

/** Marks an event handled, after its effect is recorded (so a crash before this redoes it, safely). */
export async function markDelivered(
  deps: { readonly store: StateStore; readonly clock: Clock },
  app: string,
  eventId: string,
): Promise<void> {
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + MARKER_DAYS * 86_400_000);
  await deps.store
    .create(appKeys.event(app, eventId), { at: now.toISOString() }, { expiresAt })
    .catch((e) => {
      if (!(e instanceof ConflictError)) throw e;
    });
}

/** Last state seen of one trigger, to recognise an older state change that arrives late. */
export interface TriggerState {
  readonly state: 'alarm' | 'alarm-cleared';
  readonly at: string;
}

const triggerKey = (app: string, ref: string): ItemKey => ({
  partition: `app#${app}`,
  sort: `trigger#${ref.toLowerCase()}`,
});

const MAX_ATTEMPTS = 5;

/**
 * Records the newest state change seen for a trigger. Returns the recorded state when it is newer
 * than this one (the event is out of order), else undefined after recording this one.
 */
export async function recordTriggerState(
  store: StateStore,
  app: string,
  ref: string,
  state: TriggerState['state'],
  at: Date,
): Promise<TriggerState | undefined> {
  const key = triggerKey(app, ref);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.get<TriggerState>(key);
    if (current && Date.parse(current.value.at) > at.getTime()) return current.value;
    const next: TriggerState = { state, at: at.toISOString() };
    try {
      if (current) await store.update(key, next, current.version);
      else await store.create(key, next);
      return undefined;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  // Others kept writing first: let the platform retry the event rather than guess its order.
  throw new ConflictError(`could not record the state of ${ref} for ${app}: too many concurrent writers`);
}
