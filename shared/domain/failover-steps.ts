/**
 * The small pieces the failover state machine (`failover-transition.ts`) is built from: entering and
 * ending phases, changing one step, and the checks a step's event must pass. Pure.
 */
import {
  type ApprovalDecision,
  type Failover,
  type FailoverEvent,
  type Phase,
  type Step,
  StepStatus,
  type TransitionResult,
} from './failover.ts';

/**
 * Enters `phase`. The history is the evidence log, in order: an event observed by a controller whose
 * clock runs behind the one that wrote the last entry is stamped no earlier than that entry.
 */
export function enter(failover: Failover, phase: Phase, at: Date, reason: string): Failover {
  const last = failover.history.at(-1);
  // Stryker disable next-line EqualityOperator: at equal times both stamps are the same text.
  const stamp = last && Date.parse(last.at) > at.getTime() ? last.at : iso(at);
  return { ...failover, phase, history: [...failover.history, { phase, at: stamp, reason }] };
}

/** Ends the failover in `phase`: every step not yet done is skipped. */
export function end(failover: Failover, phase: Phase, at: Date, reason: string): Failover {
  const ended = enter(failover, phase, at, reason);
  return { ...ended, endedAt: iso(at), reason, ending: null, steps: skipPending(ended.steps, at, true) };
}

/**
 * Work that never started will not start now; with `all`, nor will running probes or switches. A
 * drill's teardown steps are kept while it still has to clean up (`keepTeardown`, and while finishing).
 */
export function skipPending(steps: readonly Step[], at: Date, all = false, keepTeardown = !all): Step[] {
  return steps.map((s) =>
    (keepTeardown && s.kind === 'teardown') ||
    // Stryker disable next-line ConditionalExpression,StringLiteral: no restore runs when a failover ends (`fail` enters finishing first).
    !(s.status === P || (all && s.status === R && s.kind !== 'restore'))
      ? s
      : { ...s, status: StepStatus.Skipped, ...(s.status === R ? { endedAt: iso(at) } : {}) },
  );
}

/** Applies `change` to the step named `name` of kind `kind`; a string from `change` is a refusal. */
export function onStep<K extends Step['kind']>(
  failover: Failover,
  name: string,
  kind: K,
  change: (step: Extract<Step, { kind: K }>) => Extract<Step, { kind: K }> | string,
): TransitionResult {
  const index = failover.steps.findIndex((s) => s.name === name && s.kind === kind);
  const step = failover.steps[index] as Extract<Step, { kind: K }> | undefined;
  if (!step) return refuse(`failover ${failover.id} has no ${kind} step named ${name}`);
  const changed = change(step);
  if (typeof changed === 'string') return refuse(changed);
  return ok({ ...failover, steps: failover.steps.map((s, i) => (i === index ? changed : s)) });
}

/** Why a job event does not fit its step, or undefined. */
export function jobMismatch(step: Extract<Step, { kind: 'restore' }>, jobId: string): string | undefined {
  if (step.jobId !== jobId)
    return `job ${jobId} is not the job of step ${step.name} (${step.jobId ?? 'none recorded'})`;
  if (step.status !== R) return `step ${step.name} is already ${step.status}`;
  return undefined;
}

/** Whether every restore `dependsOn` names succeeded. */
export function dependenciesMet(f: Failover, dependsOn: readonly string[]): boolean {
  // Stryker disable next-line OptionalChaining,ConditionalExpression: a plan's dependsOn names its own resources (checked when loaded), and restore steps come before the teardown steps of the same resources.
  return dependsOn.every((d) => f.steps.find((s) => s.kind === 'restore' && s.resource === d)?.status === S);
}

/** The decision an approval event records. */
export function decisionOf(
  e: Extract<FailoverEvent, { type: 'approved' | 'rejected' }>,
  decision: ApprovalDecision['decision'],
): ApprovalDecision {
  return {
    decision,
    by: e.by,
    authenticated: e.authenticated,
    recipient: e.recipient,
    at: iso(e.at),
    nonce: e.nonce,
    ...(e.comment ? { comment: e.comment } : {}),
  };
}

/** The step with one more attempt started at `at` (its first start time kept). */
export function attempted<T extends Step>(s: T, at: Date): T {
  return { ...s, status: R, startedAt: s.startedAt ?? iso(at), attempts: s.attempts + 1, notBefore: null };
}

/** Why a probe or tear-down step cannot be asked for now (not pending or running, or waiting out a retry). */
export function notRequestable(s: Step, at: Date): string | undefined {
  if (s.status !== P && s.status !== R) return `step ${s.name} is ${s.status}; it cannot run now`;
  if (waiting(s, at)) return `step ${s.name} is not to be tried before ${s.notBefore}`;
  return undefined;
}

/** An outcome observed in an earlier attempt than the step's current one. */
export const stale = (s: Step, attempt: number | undefined) =>
  attempt !== undefined && attempt !== s.attempts;
/** Whether the step waits out a retry delay at `at`. */
// Stryker disable next-line ConditionalExpression: without a notBefore, Date.parse(null) is NaN and the comparison false anyway.
export const waiting = (s: Step, at: Date) => s.notBefore !== null && at.getTime() < Date.parse(s.notBefore);
/** The step named `name`. */
export const stepOf = (f: Failover, name: string) => f.steps.find((s) => s.name === name);
/** `seconds` after `at`, as ISO text. */
export const later = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000).toISOString();
/** `at` as ISO text. */
export const iso = (at: Date) => at.toISOString();
/** An accepted transition. */
export const ok = (failover: Failover): TransitionResult => ({ ok: true, failover });
/** A refused transition, with its reason. */
export const refuse = (reason: string): TransitionResult => ({ ok: false, reason });

/** Continues a successful step update with `next`; a refusal passes through. */
export const andThen = (result: TransitionResult, next: (f: Failover) => Failover): TransitionResult =>
  result.ok ? ok(next(result.failover)) : result;

/** Step states, short. */
export const { Pending: P, Running: R, Succeeded: S, Failed: F } = StepStatus;
