/**
 * Use case: run an application's drill when its `spec.drill.schedule` says one is due. Called by the
 * scheduled advance of every app (Lambda, Azure timer, `standby advance`), so the same tick that
 * carries failovers on starts drills — no scheduler resource per plan to keep in step with the plans.
 *
 * The schedule's state is one item per app (`app#<name>` / `drill-schedule`): the expression and the
 * firing last acted on. A new or changed schedule is armed first (no drill at deploy time). A due
 * firing asks for the drill first and is marked done after, with one conditional write: at least once —
 * a crash in between asks again at the next tick, and two controllers ticking at once both ask, which
 * is safe because two drills of one app never overlap (the second joins the first). A controller that
 * was down for a week runs one drill, not seven.
 */
import { ConflictError } from '../domain/errors.ts';
import type { RecoveryPlan } from '../domain/plan.ts';
import { nextFiring, parseSchedule, previousFiring, type Schedule } from '../domain/schedule-expression.ts';
import type { ItemKey, StateStore } from '../ports/state-store.ts';
import type { Controller } from './controller.ts';
import { type DrillStartResult, requestDrill } from './request-drill.ts';

/** What the schedule did on this tick. */
export type ScheduledDrillResult =
  | { readonly effect: 'armed'; readonly reason: string }
  | { readonly effect: 'not-due'; readonly reason: string }
  | ({ readonly firing: string } & DrillStartResult);

/** The stored schedule state of an app. */
export interface ScheduleMark {
  readonly schedule: string;
  /** The firing last acted on (or the arming time), ISO 8601. */
  readonly lastFiring: string;
}

export const scheduleKey = (app: string): ItemKey => ({ partition: `app#${app}`, sort: 'drill-schedule' });

/**
 * 1. No schedule: nothing (and nothing read, so apps without one cost nothing).
 * 2. No mark, or a mark for another expression: arm — record now as the last firing.
 * 3. The latest firing at or before now (cron), or the last firing + the rate, is after the mark: ask
 *    for the drill (its trigger names the firing), then mark the firing done, conditionally on the
 *    mark read (a lost race: another controller marked it).
 */
export async function runScheduledDrill(
  controller: Controller,
  plan: RecoveryPlan,
): Promise<ScheduledDrillResult | undefined> {
  const text = plan.drill?.schedule;
  if (!text) return undefined;
  const parsed = parseSchedule(text);
  if (!parsed.ok) return { effect: 'not-due', reason: parsed.problem }; // plans are validated on load
  const { store, clock } = controller;
  const now = clock.now();
  const key = scheduleKey(plan.name);
  const stored = await store.get<ScheduleMark>(key);
  if (!stored || stored.value.schedule !== text) {
    const mark: ScheduleMark = { schedule: text, lastFiring: now.toISOString() };
    const armed = await write(store, key, mark, stored?.version);
    return armed
      ? { effect: 'armed', reason: `${plan.name}: ${text} armed; the first drill runs at its next firing` }
      : { effect: 'not-due', reason: `${plan.name}: another controller armed ${text}` };
  }
  const firing = dueFiring(parsed.schedule, new Date(stored.value.lastFiring), now);
  if (!firing)
    return {
      effect: 'not-due',
      reason: `${plan.name}: no firing of ${text} since ${stored.value.lastFiring}`,
    };
  const at = firing.toISOString();
  const result = await requestDrill(controller, plan, {
    kind: 'schedule',
    ref: text,
    eventId: `schedule:${plan.name}@${at}`,
  });
  await write(store, key, { schedule: text, lastFiring: at }, stored.version);
  return { ...result, firing: at };
}

/**
 * When the app's schedule next fires after the firing last acted on: undefined without a schedule, before
 * it is armed, or when the cron has no firing in the next 5 years. For a simulation moving time on.
 */
export async function nextScheduledDrill(store: StateStore, plan: RecoveryPlan): Promise<Date | undefined> {
  const text = plan.drill?.schedule;
  const parsed = text ? parseSchedule(text) : undefined;
  if (!parsed?.ok) return undefined;
  const mark = (await store.get<ScheduleMark>(scheduleKey(plan.name)))?.value;
  if (!mark || mark.schedule !== text) return undefined;
  const last = new Date(mark.lastFiring);
  return parsed.schedule.kind === 'rate'
    ? new Date(last.getTime() + parsed.schedule.seconds * 1000)
    : nextFiring(parsed.schedule, last);
}

/** The firing due after `last` and at or before `now`, if any. */
export function dueFiring(schedule: Schedule, last: Date, now: Date): Date | undefined {
  if (schedule.kind === 'cron') {
    const previous = previousFiring(schedule, now);
    return previous && previous.getTime() > last.getTime() ? previous : undefined;
  }
  // A rate fires every `seconds` from the last firing: the latest one at or before now.
  const every = schedule.seconds * 1000;
  const k = Math.floor((now.getTime() - last.getTime()) / every);
  return k >= 1 ? new Date(last.getTime() + k * every) : undefined;
}

/** Creates or replaces the mark conditionally; false when another controller wrote first. */
async function write(
  store: StateStore,
  key: ItemKey,
  mark: ScheduleMark,
  version: number | undefined,
): Promise<boolean> {
  try {
    if (version === undefined) await store.create(key, mark);
    else await store.update(key, mark, version);
    return true;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
}
