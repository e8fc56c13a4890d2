/**
 * The failover state machine: `transition(failover, event)` applies one fact and returns the new
 * failover, or a refusal with its reason — never throws. An event that names another failover, a job
 * that is not the step's own, or a step in a state the fact does not fit, is refused. Phases then move
 * on by themselves when their work is done (restores → probes → switch → completed).
 */
import {
  type Ending,
  type Failover,
  type FailoverEvent,
  type FailoverEventType,
  Phase,
  type Step,
  StepStatus,
  type TransitionResult,
} from './failover.ts';
import {
  andThen,
  attempted,
  decisionOf,
  dependenciesMet,
  end,
  enter,
  F,
  iso,
  jobMismatch,
  later,
  notRequestable,
  ok,
  onStep,
  P,
  R,
  refuse,
  S,
  skipPending,
  stale,
  stepOf,
  waiting,
} from './failover-steps.ts';
import {
  deleteFailed,
  leftBehind,
  leftBehindReason,
  stillDeleting,
  teardownPlan,
  tornDown,
} from './failover-teardown.ts';
import { PURPOSE_STEPS, STEP_KINDS } from './step-kinds.ts';

/** A failed restore start is tried this many times (same idempotency token) before the step fails. */
export const MAX_RESTORE_START_ATTEMPTS = 3;
/** A switch whose routing reads back unchanged is tried this many times before the failover fails. */
export const MAX_SWITCH_ATTEMPTS = 3;
/** Wait before trying a failed start, probe or switch again. */
export const RETRY_AFTER_SECONDS = 10;

/** Which events each phase accepts; anything else is refused with a reason, never thrown. */
export const ACCEPTS: Readonly<Record<Phase, readonly FailoverEventType[]>> = {
  [Phase.AwaitingApproval]: ['approved', 'rejected', 'approval-expired', 'abort'],
  [Phase.Restoring]: [
    'restore-requested',
    'restore-started',
    'restore-start-failed',
    'restore-succeeded',
    'restore-failed',
    'abort',
  ],
  [Phase.Validating]: ['probe-requested', 'probe-passed', 'probe-failed', 'abort'],
  // Once traffic starts to move the failover is finished forward, not aborted half-way.
  [Phase.Switching]: ['switch-requested', 'switched', 'switch-failed', 'switch-unknown'],
  // Only the jobs already running are followed (a start whose job id was never recorded is asked again).
  [Phase.Finishing]: [
    'restore-requested',
    'restore-started',
    'restore-start-failed',
    'restore-succeeded',
    'restore-failed',
  ],
  // A drill cleans up whatever ended it: nothing aborts the clean-up.
  [Phase.TearingDown]: ['teardown-requested', 'torn-down', 'teardown-waiting', 'teardown-failed'],
  // Stryker disable next-line ArrayDeclaration: no event type is named "Stryker was here".
  [Phase.Completed]: [],
  // Stryker disable next-line ArrayDeclaration: as above.
  [Phase.Aborted]: [],
  // Stryker disable next-line ArrayDeclaration: as above.
  [Phase.Failed]: [],
};

type Handler<T extends FailoverEventType> = (
  failover: Failover,
  event: Extract<FailoverEvent, { type: T }>,
) => TransitionResult;

/** One handler per event type: adding an event type fails to compile until it is handled here. */
const HANDLERS: { readonly [T in FailoverEventType]: Handler<T> } = {
  approved: (f, e) =>
    ok(
      settle(
        enter({ ...f, decision: decisionOf(e, 'approve') }, Phase.Restoring, e.at, `approved by ${e.by}`),
        e.at,
      ),
    ),
  rejected: (f, e) =>
    ok(end({ ...f, decision: decisionOf(e, 'reject') }, Phase.Aborted, e.at, `rejected by ${e.by}`)),
  'approval-expired': (f, e) => {
    const approval = f.approval;
    if (!approval || e.at.getTime() < Date.parse(approval.expiresAt))
      return refuse('the approval request has not expired yet');
    if (approval.onTimeout === 'abort')
      return ok(end(f, Phase.Aborted, e.at, 'approval timed out; onTimeout is abort'));
    // Proceeding on silence is only safe when someone was asked: fail closed when no request arrived.
    return e.requestDelivered
      ? ok(settle(enter(f, Phase.Restoring, e.at, 'approval timed out; onTimeout is proceed'), e.at))
      : ok(
          end(
            f,
            Phase.Aborted,
            e.at,
            'approval timed out; onTimeout is proceed, but no approval request was ever delivered, so it does not proceed',
          ),
        );
  },
  'restore-requested': (f, e) =>
    onStep(f, e.step, 'restore', (s) => {
      if (waiting(s, e.at)) return `step ${s.name} is not to be tried before ${s.notBefore}`;
      // Stryker disable next-line ConditionalExpression: outside restoring no restore is pending (finishing skipped them).
      const first = s.status === P && f.phase === Phase.Restoring && dependenciesMet(f, s.dependsOn);
      // Running without a job id: the start was asked for, but its answer never recorded. Ask again.
      const again = s.status === R && s.jobId === null;
      if (!first && !again) return `step ${s.name} is ${s.status}; it cannot be started now`;
      return attempted(s, e.at);
    }),
  'restore-started': (f, e) =>
    onStep(f, e.step, 'restore', (s) => {
      if (s.jobId === e.jobId) return `job ${e.jobId} of step ${s.name} is already recorded`;
      if (s.status !== R || s.jobId !== null)
        return `step ${s.name} is ${s.status}${s.jobId ? ` with job ${s.jobId}` : ''}; job ${e.jobId} is not its own`;
      return { ...s, jobId: e.jobId };
    }),
  'restore-start-failed': (f, e) => {
    const changed = onStep(f, e.step, 'restore', (s) => {
      if (s.status !== R || s.jobId !== null)
        return `step ${s.name} is ${s.status}; no start of it is pending`;
      const retry = f.phase === Phase.Restoring && s.attempts < MAX_RESTORE_START_ATTEMPTS;
      return retry
        ? { ...s, notBefore: later(e.at, RETRY_AFTER_SECONDS), detail: e.reason }
        : { ...s, status: F, endedAt: iso(e.at), detail: e.reason };
    });
    return andThen(changed, (next) =>
      // Stryker disable next-line OptionalChaining: `changed` succeeded, so the step exists.
      stepOf(next, e.step)?.status === F
        ? fail(next, e.at, `restore of ${e.step.replace('restore:', '')} could not start: ${e.reason}`)
        : next,
    );
  },
  'restore-succeeded': (f, e) =>
    andThen(
      onStep(
        f,
        e.step,
        'restore',
        (s) =>
          jobMismatch(s, e.jobId) ?? {
            ...s,
            status: S,
            endedAt: iso(e.at),
            ...(e.createdResource ? { createdResource: e.createdResource } : {}),
            ...(e.detail ? { detail: e.detail } : {}),
          },
      ),
      (next) => settle(next, e.at),
    ),
  'restore-failed': (f, e) =>
    andThen(
      onStep(
        f,
        e.step,
        'restore',
        (s) => jobMismatch(s, e.jobId) ?? { ...s, status: F, endedAt: iso(e.at), detail: e.reason },
      ),
      (next) => fail(next, e.at, `restore of ${e.step.replace('restore:', '')} failed: ${e.reason}`),
    ),
  'probe-requested': (f, e) =>
    onStep(f, e.step, 'validate', (s) => {
      const refused = notRequestable(s, e.at);
      if (refused) return refused;
      return attempted(s, e.at);
    }),
  'probe-passed': (f, e) =>
    andThen(
      onStep(f, e.step, 'validate', (s) =>
        s.status !== R
          ? `step ${s.name} is ${s.status}; no probe of it is running`
          : { ...s, status: S, endedAt: iso(e.at), detail: e.detail },
      ),
      (next) => settle(next, e.at),
    ),
  'probe-failed': (f, e) => {
    const changed = onStep(f, e.step, 'validate', (s) => {
      if (s.status !== R) return `step ${s.name} is ${s.status}; no probe of it is running`;
      if (stale(s, e.attempt))
        return `attempt ${e.attempt} of step ${s.name} is over; it is at attempt ${s.attempts}`;
      return s.attempts < s.maxAttempts
        ? { ...s, status: P, notBefore: later(e.at, RETRY_AFTER_SECONDS), detail: e.reason }
        : { ...s, status: F, endedAt: iso(e.at), detail: e.reason };
    });
    return andThen(changed, (next) =>
      // Stryker disable next-line OptionalChaining: `changed` succeeded, so the step exists.
      stepOf(next, e.step)?.status === F
        ? fail(
            next,
            e.at,
            `validation ${e.step} failed: ${e.reason}${next.purpose === 'drill' ? '' : '; traffic not switched'}`,
          )
        : next,
    );
  },
  'switch-requested': (f, e) =>
    onStep(f, 'switch', 'switch', (s) => {
      if (waiting(s, e.at)) return `the switch is not to be tried before ${s.notBefore}`;
      // Running again: an unknown outcome, or a crash before the outcome was recorded. The effect reads
      // the routing before it changes anything, so asking again never moves traffic twice.
      // Stryker disable next-line ConditionalExpression,StringLiteral: a guard — in switching the switch step is pending or running.
      if (s.status !== P && s.status !== R) return `the switch is ${s.status}; it cannot be asked for now`;
      return attempted(s, e.at);
    }),
  switched: (f, e) =>
    andThen(
      onStep(f, 'switch', 'switch', (s) =>
        s.status !== R
          ? `the switch is ${s.status}`
          : { ...s, status: S, endedAt: iso(e.at), detail: e.detail },
      ),
      (next) => settle(next, e.at),
    ),
  'switch-failed': (f, e) => {
    const changed = onStep(f, 'switch', 'switch', (s) => {
      if (s.status !== R) return `the switch is ${s.status}`;
      if (stale(s, e.attempt))
        return `attempt ${e.attempt} of the switch is over; it is at attempt ${s.attempts}`;
      return s.attempts < MAX_SWITCH_ATTEMPTS
        ? { ...s, status: P, notBefore: later(e.at, RETRY_AFTER_SECONDS), detail: e.reason }
        : { ...s, status: F, endedAt: iso(e.at), detail: e.reason };
    });
    return andThen(changed, (next) =>
      // Stryker disable next-line OptionalChaining: `changed` succeeded, so the switch step exists.
      stepOf(next, 'switch')?.status === F
        ? end(next, Phase.Failed, e.at, `traffic switch failed: ${e.reason}; traffic stays on the primary`)
        : next,
    );
  },
  'switch-unknown': (f, e) =>
    onStep(f, 'switch', 'switch', (s) =>
      s.status !== R
        ? `the switch is ${s.status}`
        : stale(s, e.attempt)
          ? `attempt ${e.attempt} of the switch is over; it is at attempt ${s.attempts}`
          : { ...s, notBefore: later(e.at, RETRY_AFTER_SECONDS), detail: `outcome unknown: ${e.reason}` },
    ),
  abort: (f, e) => ok(fail(f, e.at, e.reason, Phase.Aborted)),
  'teardown-requested': (f, e) =>
    onStep(f, e.step, 'teardown', (s) => {
      const refused = notRequestable(s, e.at);
      if (refused) return refused;
      return attempted(s, e.at);
    }),
  'torn-down': (f, e) =>
    andThen(
      onStep(f, e.step, 'teardown', (s) => tornDown(s, e.at, e.detail)),
      (next) => settle(next, e.at),
    ),
  'teardown-waiting': (f, e) =>
    andThen(
      onStep(f, e.step, 'teardown', (s) => stillDeleting(s, e.at, e.detail)),
      (next) => settle(next, e.at),
    ),
  'teardown-failed': (f, e) =>
    andThen(
      onStep(f, e.step, 'teardown', (s) => deleteFailed(s, e.at, e.reason, RETRY_AFTER_SECONDS)),
      (next) => settle(next, e.at),
    ),
};

/** Applies one event. Pure: returns a new failover, or `ok: false` with the reason it was refused. */
export function transition(failover: Failover, event: FailoverEvent): TransitionResult {
  if (event.failoverId !== failover.id)
    return refuse(`the event is for failover ${event.failoverId}; this is failover ${failover.id}`);
  if (!ACCEPTS[failover.phase].includes(event.type))
    return refuse(`a ${failover.phase} failover does not accept ${event.type}`);
  return (HANDLERS[event.type] as Handler<typeof event.type>)(failover, event);
}

/** Restore steps whose job still runs (or whose start is still unanswered). */
export const runningRestores = (f: Failover) => f.steps.filter((s) => s.kind === 'restore' && s.status === R);

/**
 * Ends the failover `phase` (failed by default), or — while restore jobs still run — enters
 * `finishing`, which follows them to their end and then ends as recorded in `ending`.
 */
function fail(f: Failover, at: Date, reason: string, phase: Ending['phase'] = Phase.Failed): Failover {
  if (f.phase === Phase.Finishing) return settle(f, at);
  const running = runningRestores(f);
  if (running.length === 0) return windDown(f, at, f.ending ?? { phase, reason });
  const finishing = enter(
    f,
    Phase.Finishing,
    at,
    `${reason}; following ${running.length} running restore job(s) to their end`,
  );
  return { ...finishing, ending: f.ending ?? { phase, reason }, steps: skipPending(finishing.steps, at) };
}

/**
 * Ends the failover as `ending` says — except a drill whose restores created something: it tears that
 * down first, keeping `ending` for when the clean-up is done.
 */
function windDown(f: Failover, at: Date, ending: Ending): Failover {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: a guard — no event of a tearing-down failover calls `fail`.
  if (!PURPOSE_STEPS[f.purpose].includes('teardown') || f.phase === Phase.TearingDown)
    return end(f, ending.phase, at, ending.reason);
  const steps = teardownPlan(skipPending(f.steps, at, true, true), at);
  if (!steps.some((s) => s.kind === 'teardown' && s.status === P)) {
    const unknown = leftBehind(steps);
    return unknown.length
      ? end({ ...f, steps }, Phase.Failed, at, `${ending.reason}; ${leftBehindReason(unknown)}`)
      : end({ ...f, steps }, ending.phase, at, ending.reason);
  }
  const tearing = enter(
    { ...f, steps },
    Phase.TearingDown,
    at,
    `${ending.reason}; tearing down what was restored`,
  );
  return { ...tearing, ending };
}

/** Moves the phase on while the current phase's work is all done. */
function settle(failover: Failover, at: Date): Failover {
  let f = failover;
  if (f.phase === Phase.Finishing && runningRestores(f).length === 0 && f.ending)
    return windDown(f, at, f.ending);
  // The kinds in the order this purpose's phases run: each phase ends when its steps are all done.
  const kinds = PURPOSE_STEPS[f.purpose];
  kinds.forEach((kind, i) => {
    const { phase, done } = STEP_KINDS[kind];
    const steps = f.steps.filter((s) => s.kind === kind);
    // A teardown that failed for good is done too: what it could not delete is left for a human, named.
    const finished = (s: Step) =>
      // Stryker disable next-line ConditionalExpression: a failed restore, probe or switch ends its phase through `fail`/`end`, never here.
      s.status === S || s.status === StepStatus.Skipped || (s.kind === 'teardown' && s.status === F);
    if (f.phase !== phase || !steps.every(finished)) return;
    const reason = steps.some((s) => s.status === S) ? done[0] : done[1];
    const next = kinds[i + 1];
    if (next) {
      const entered = enter(f, STEP_KINDS[next].phase, at, reason);
      // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: on this path every restore succeeded, so teardownPlan skips nothing; it is applied for the day that changes.
      f = next === 'teardown' ? { ...entered, steps: teardownPlan(entered.steps, at) } : entered;
      return;
    }
    const left = steps.flatMap((s) => (s.status === F ? [s.kind === 'teardown' ? s.resource : s.name] : []));
    f = left.length
      ? end(f, Phase.Failed, at, `${f.ending ? `${f.ending.reason}; ` : ''}${leftBehindReason(left)}`)
      : f.ending
        ? end(f, f.ending.phase, at, `${f.ending.reason}; ${reason}`)
        : end(f, Phase.Completed, at, reason);
  });
  return f;
}
