/**
 * A drill's tear-down steps: what each delete outcome does to its step, and which steps there is
 * anything to delete for. A delete that fails is tried a few times; a delete still in progress (an
 * Aurora cluster, an EKS cluster) is asked about again, without counting as a failure, up to a wait
 * limit. Whatever is not deleted in the end is named, for a human. Pure.
 */
import { type Failover, type Step, StepStatus, type TeardownStep } from './failover.ts';
import { F, iso, later, P, R, S } from './failover-steps.ts';

/** A delete of what a drill restored is tried this many times before its step fails (left for a human). */
export const MAX_TEARDOWN_ATTEMPTS = 3;
/** Wait before asking again about a delete that is still in progress. */
export const TEARDOWN_POLL_SECONDS = 30;
/** A delete still in progress this long after it was first found so fails its step (left for a human). */
export const TEARDOWN_WAIT_LIMIT_SECONDS = 2 * 3600;

type Outcome = TeardownStep | string;

const notRunning = (s: Step) => `step ${s.name} is ${s.status}; no delete of it is running`;

/** The resource is gone. */
export function tornDown(s: TeardownStep, at: Date, detail: string): Outcome {
  return s.status !== R ? notRunning(s) : { ...s, status: S, endedAt: iso(at), detail };
}

/** The delete was accepted and the resource still exists: ask again later — unless it has waited too long. */
export function stillDeleting(s: TeardownStep, at: Date, detail: string): Outcome {
  if (s.status !== R) return notRunning(s);
  const since = s.deletingSince ?? iso(at);
  return at.getTime() - Date.parse(since) < TEARDOWN_WAIT_LIMIT_SECONDS * 1000
    ? {
        ...s,
        status: P,
        deletingSince: since,
        waits: (s.waits ?? 0) + 1,
        notBefore: later(at, TEARDOWN_POLL_SECONDS),
        detail,
      }
    : { ...s, status: F, endedAt: iso(at), detail: `still being deleted since ${since}: ${detail}` };
}

/** The delete failed: tried again after `retryAfterSeconds`, until the attempts (polls not counted) run out. */
export function deleteFailed(s: TeardownStep, at: Date, reason: string, retryAfterSeconds: number): Outcome {
  if (s.status !== R) return notRunning(s);
  return s.attempts - (s.waits ?? 0) < MAX_TEARDOWN_ATTEMPTS
    ? { ...s, status: P, notBefore: later(at, retryAfterSeconds), detail: reason }
    : { ...s, status: F, endedAt: iso(at), detail: reason };
}

/**
 * Teardown steps of resources whose restore created nothing are skipped: there is nothing to delete.
 * A restore whose start was asked for but never answered with a job may have created something all
 * the same (the answer was lost, or the error came after the provider acted): its teardown fails at
 * once, naming what to look for, so the drill ends failed and a human is told — never "nothing".
 */
export function teardownPlan(steps: readonly Step[], at: Date): Step[] {
  const restores = new Map(steps.flatMap((s) => (s.kind === 'restore' ? [[s.resource, s] as const] : [])));
  return steps.map((s) => {
    if (s.kind !== 'teardown' || s.status !== P) return s;
    const restore = restores.get(s.resource);
    if (restore?.status === S) return s;
    if (restore?.status === F && restore.jobId === null && restore.attempts > 0)
      return {
        ...s,
        status: F,
        endedAt: iso(at),
        detail: `its restore was asked for ${restore.attempts} time(s) and no job was ever recorded; if one started, it restored ${s.resource} under its drill name: find it and delete it by hand`,
      };
    return { ...s, status: StepStatus.Skipped, endedAt: iso(at), detail: 'its restore created nothing' };
  });
}

/** What failed teardown steps leave behind (resource names). */
export function leftBehind(steps: Failover['steps']): string[] {
  return steps.flatMap((s) => (s.kind === 'teardown' && s.status === F ? [s.resource] : []));
}

/** The reason a failover ends failed when its tear-down left `names` behind. */
export const leftBehindReason = (names: readonly string[]) =>
  `teardown left ${names.join(', ')} behind: delete by hand`;
