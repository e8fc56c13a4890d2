/**
 * Where a failover lives: one item per application (`app#<name>` / `current`) holding the active site,
 * the latest failover and the facts that started recent ones, written only with conditional writes;
 * ended failovers are archived under their own key when the next one is claimed.
 *
 * Every change goes through {@link applyEvents}: events name their failover, so an event re-applied
 * after a lost race lands on the failover it was meant for or is refused — never on a newer one.
 */
import { ConflictError } from '../domain/errors.ts';
import { type Failover, type FailoverEvent, Phase, Purpose, StepStatus } from '../domain/failover.ts';
import { transition } from '../domain/failover-transition.ts';
import type { Notification } from '../ports/notifier.ts';
import type { ItemKey, StateStore, Versioned } from '../ports/state-store.ts';
import { fencedUpdate } from './lease.ts';
import { recordFailoverEvidence } from './record-failover-evidence.ts';

/** What the controller keeps per application. */
export interface AppState {
  readonly activeSite: 'primary' | 'recovery';
  /** The latest failover (in flight or ended), or null before the first. */
  readonly failover: Failover | null;
  /** When the last failover that switched traffic completed: the start of the cooldown. */
  readonly lastCompletedAt: string | null;
  /** Fencing token of the lease holder that last drove the failover (see `lease.ts`). */
  readonly fencingToken: number;
  /**
   * The trigger facts (de-duplication keys) of the latest claims, newest last: recorded in the same
   * write as the claim, so a redelivered fact is recognised even after its failover ended.
   */
  readonly handledTriggers?: readonly string[];
}

/** How many trigger facts the app item remembers. */
export const HANDLED_TRIGGERS_KEPT = 32;

/**
 * Store keys of one application. A drill lives in its own item (`drill`) beside the failover's
 * (`current`), with its own lease: nothing a drill writes can delay or refuse a failover's write.
 */
export const appKeys = {
  current: (app: string, purpose: Purpose = Purpose.Failover): ItemKey => ({
    partition: `app#${app}`,
    sort: SLOTS[purpose],
  }),
  archived: (app: string, f: Failover): ItemKey => ({
    partition: `app#${app}`,
    sort: `${f.purpose}#${f.startedAt}#${f.id}`,
  }),
  event: (app: string, eventId: string): ItemKey => ({ partition: `app#${app}`, sort: `event#${eventId}` }),
  /** One notice to one target: of one failover (two failovers may start in the same millisecond). */
  notification: (app: string, at: string, failoverId: string, n: number): ItemKey => ({
    partition: `app#${app}`,
    sort: `notification#${at}#${failoverId}#${n}`,
  }),
};

/** The item of each purpose. */
const SLOTS: { readonly [P in Purpose]: string } = { failover: 'current', drill: 'drill' };

/** The state of an app before its first failover. */
export const INITIAL_APP_STATE: AppState = {
  activeSite: 'primary',
  failover: null,
  lastCompletedAt: null,
  fencingToken: 0,
};

/** The app item as stored, with its version (`undefined` before the first write). */
export interface StoredApp {
  readonly state: AppState;
  readonly version: number | undefined;
}

/** Reads the app item (or, for purpose `drill`, the app's drill item). */
export async function readApp(
  store: StateStore,
  app: string,
  purpose: Purpose = Purpose.Failover,
): Promise<StoredApp> {
  const stored = await store.get<AppState>(appKeys.current(app, purpose));
  return { state: stored?.value ?? INITIAL_APP_STATE, version: stored?.version };
}

/** The application's state (the initial state before the first failover). */
export async function readAppState(
  store: StateStore,
  app: string,
  purpose: Purpose = Purpose.Failover,
): Promise<AppState> {
  return (await readApp(store, app, purpose)).state;
}

/**
 * Writes the app item (the drill item when `next` holds a drill) if it is still at the version read
 * (created when it was absent), fenced by the token in `next`. `ConflictError` when another writer
 * moved first; `LeaseLostError` when a newer lease holder wrote it. Once written, what the failover
 * did is put on the evidence chain (a crash in between is caught up by the next write, or by the
 * next `advance` that finds the failover ended).
 */
export async function writeApp(
  store: StateStore,
  app: string,
  read: StoredApp,
  next: AppState,
): Promise<Versioned<AppState>> {
  const key = appKeys.current(app, next.failover?.purpose);
  const written =
    read.version === undefined
      ? await store.create(key, next)
      : await fencedUpdate(store, key, next, read.version);
  const previous = read.state.failover;
  // Stryker disable next-line OptionalChaining: no writer takes the failover out of an app item, so next.failover is null only when previous is too.
  if (previous && previous.id !== next.failover?.id) await recordFailoverEvidence(store, previous);
  if (next.failover) await recordFailoverEvidence(store, next.failover);
  return written;
}

/** The app state after `failover` replaced the stored one: active site and cooldown follow a completion. */
export function withFailover(state: AppState, failover: Failover, fencingToken?: number): AppState {
  const completed = failover.phase === Phase.Completed && state.failover?.phase !== Phase.Completed;
  const switched = failover.steps.some((s) => s.kind === 'switch' && s.status === StepStatus.Succeeded);
  return {
    ...state,
    activeSite: completed && switched ? 'recovery' : state.activeSite,
    failover,
    lastCompletedAt: completed ? (failover.endedAt ?? state.lastCompletedAt) : state.lastCompletedAt,
    // The writer's own token when it holds a lease: fencedUpdate refuses it if a newer holder wrote.
    fencingToken: fencingToken ?? state.fencingToken ?? 0,
  };
}

/**
 * Claims a new failover: archives the previous one under its own key (idempotent), then replaces the
 * app item conditionally on the version read, recording the trigger fact in the same write.
 * `ConflictError` when another instance wrote first.
 */
export async function claimFailover(store: StateStore, read: StoredApp, failover: Failover): Promise<void> {
  const { state } = read;
  const previous = state.failover;
  if (previous)
    await store.create(appKeys.archived(failover.app, previous), previous).catch((e) => {
      if (!(e instanceof ConflictError)) throw e; // already archived by an earlier attempt
    });
  const handledTriggers = [...(state.handledTriggers ?? []), failover.trigger.eventId].slice(
    -HANDLED_TRIGGERS_KEPT,
  );
  await writeApp(store, failover.app, read, { ...withFailover(state, failover), handledTriggers });
}

/** The outcome of {@link applyEvents}. */
export type ApplyResult =
  | { readonly ok: true; readonly failover: Failover; readonly refusals: readonly string[] }
  | { readonly ok: false; readonly reason: string };

const MAX_WRITE_ATTEMPTS = 8;

/**
 * Applies events to the app's current failover in ONE conditional write, re-reading and re-applying on
 * a lost race. Each event names its failover: on a re-read that finds another failover, it is refused.
 * Events that no longer apply are skipped; successes go before failures, so a job that started is on
 * record even when its sibling's failure ends the failover. Timeline of a race: A reads v3, B reads v3,
 * B writes v4, A's write expecting v3 fails; A re-reads v4 and applies its events there — or finds they
 * no longer apply. A lease holder whose token was superseded is refused for good (`LeaseLostError`).
 */
export async function applyEvents(
  store: StateStore,
  app: string,
  events: readonly FailoverEvent[],
  fencingToken?: number,
  purpose: Purpose = Purpose.Failover,
): Promise<ApplyResult> {
  const ordered = [...events].sort((a, b) => Number(isFailure(a)) - Number(isFailure(b)));
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const read = await readApp(store, app, purpose);
    const current = read.state.failover;
    if (!current) return { ok: false, reason: `${app} has no failover` };
    let failover = current;
    const refusals: string[] = [];
    for (const event of ordered) {
      const result = transition(failover, event);
      if (result.ok) failover = result.failover;
      else refusals.push(result.reason);
    }
    if (refusals.length === ordered.length) return { ok: false, reason: refusals.join('; ') };
    try {
      await writeApp(store, app, read, withFailover(read.state, failover, fencingToken));
      return { ok: true, failover, refusals };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error; // a lost lease (LEASE_LOST) is final
    }
  }
  throw new ConflictError(
    `could not record ${events.map((e) => e.type).join(', ')} for ${app} after ${MAX_WRITE_ATTEMPTS} attempts`,
  );
}

/** Notifications recorded for an app, oldest first. */
export async function listNotifications(
  store: StateStore,
  app: string,
): Promise<(Notification & { delivered: boolean })[]> {
  const items = await store.query<Notification & { delivered: boolean }>(`app#${app}`, 'notification#');
  return items.map((i) => i.value);
}

/** Ended failovers (or drills) of an app, oldest first (the current one is in the app item). */
export async function listArchived(
  store: StateStore,
  app: string,
  purpose: Purpose = Purpose.Failover,
): Promise<Failover[]> {
  return (await store.query<Failover>(`app#${app}`, `${purpose}#`)).map((i) => i.value);
}

const isFailure = (e: FailoverEvent): boolean =>
  e.type === 'restore-failed' ||
  e.type === 'restore-start-failed' ||
  e.type === 'probe-failed' ||
  e.type === 'switch-failed' ||
  e.type === 'abort';
