/**
 * One failover of one application (SPEC §4) as data, and its state machine as a pure function.
 *
 * `transition(failover, event)` applies one fact (an approval, a restore job that started or ended,
 * a probe result, the switch) and returns the new failover; phases then move on by themselves when
 * their work is done. `nextCommands(failover)` says which effects should run now. The driver in
 * `shared/application/` persists every transition with a conditional write before and after each
 * effect, which is what makes a crash at any point resumable without a duplicated effect.
 */
import type { ProtectedResource, RecoveryPlan } from './plan.ts';

/** The closed set of phases. `awaiting-approval` only in mode approval. */
export const Phase = {
  AwaitingApproval: 'awaiting-approval',
  Restoring: 'restoring',
  Validating: 'validating',
  Switching: 'switching',
  Completed: 'completed',
  Aborted: 'aborted',
  Failed: 'failed',
} as const;
/** One of {@link Phase}. */
export type Phase = (typeof Phase)[keyof typeof Phase];

/** Phases after which nothing more happens. */
export const TERMINAL_PHASES: readonly Phase[] = [Phase.Completed, Phase.Aborted, Phase.Failed];

/** True when the failover has ended, one way or another. */
export const isTerminal = (phase: Phase): boolean => TERMINAL_PHASES.includes(phase);

/** Step states (SPEC §5 `status --json` → `failover.steps[].status`). */
export const StepStatus = {
  Pending: 'pending',
  Running: 'running',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Skipped: 'skipped',
} as const;
/** One of {@link StepStatus}. */
export type StepStatus = (typeof StepStatus)[keyof typeof StepStatus];

/** One step of a failover: restore a resource, run a probe, or switch traffic. */
export interface Step {
  readonly name: string;
  readonly kind: 'restore' | 'validate' | 'switch';
  readonly status: StepStatus;
  readonly jobId: string | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  /** Restore steps: the resources that must be restored first. */
  readonly dependsOn: readonly string[];
  /** Restore steps: the recovery point chosen when the failover started. */
  readonly recoveryPoint?: string;
  /** Restore steps: the idempotency token the restore is started with, fixed per failover and resource. */
  readonly idempotencyToken?: string;
  readonly detail?: string;
}

/** One entry of the failover's evidence log: every phase change, in order, with its time. */
export interface PhaseChange {
  readonly phase: Phase;
  readonly at: string;
  readonly reason: string;
}

/** What started the failover. */
export interface FailoverTrigger {
  readonly kind: 'alarm' | 'manual';
  /** Alarm ARN / alert rule id, or `cli`. */
  readonly ref: string;
  readonly eventId: string;
}

/** A pending approval request. */
export interface ApprovalRequest {
  readonly requestedAt: string;
  readonly expiresAt: string;
  readonly onTimeout: 'abort' | 'proceed';
}

/** One failover of one application. */
export interface Failover {
  readonly id: string;
  readonly app: string;
  readonly phase: Phase;
  readonly trigger: FailoverTrigger;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly reason: string | null;
  readonly steps: readonly Step[];
  readonly approval: ApprovalRequest | null;
  readonly history: readonly PhaseChange[];
}

/** Facts the state machine reacts to. */
export type FailoverEvent =
  | { readonly type: 'approved'; readonly at: Date; readonly by: string }
  | { readonly type: 'rejected'; readonly at: Date; readonly by: string }
  | { readonly type: 'approval-expired'; readonly at: Date }
  | { readonly type: 'restore-requested'; readonly step: string; readonly at: Date }
  | { readonly type: 'restore-started'; readonly step: string; readonly jobId: string; readonly at: Date }
  | { readonly type: 'restore-succeeded'; readonly step: string; readonly at: Date; readonly detail?: string }
  | { readonly type: 'restore-failed'; readonly step: string; readonly at: Date; readonly reason: string }
  | { readonly type: 'probe-passed'; readonly step: string; readonly at: Date; readonly detail: string }
  | { readonly type: 'probe-failed'; readonly step: string; readonly at: Date; readonly reason: string }
  | { readonly type: 'switch-requested'; readonly at: Date }
  | { readonly type: 'switched'; readonly at: Date }
  | { readonly type: 'switch-failed'; readonly at: Date; readonly reason: string }
  | { readonly type: 'abort'; readonly at: Date; readonly reason: string };
/** The `type` of a {@link FailoverEvent}. */
export type FailoverEventType = FailoverEvent['type'];

/** Effects the driver should run now. */
export type Command =
  | {
      readonly type: 'start-restore';
      readonly step: string;
      readonly recoveryPoint: string;
      readonly idempotencyToken: string;
    }
  | { readonly type: 'check-restore'; readonly step: string; readonly jobId: string }
  | { readonly type: 'run-probe'; readonly step: string; readonly index: number }
  | { readonly type: 'switch-traffic' };

/** The result of a transition: the new failover, or why the event changed nothing. */
export type TransitionResult =
  | { readonly ok: true; readonly failover: Failover }
  | { readonly ok: false; readonly reason: string };

/** Name of the restore step of a resource, the probe step at an index, and the switch step. */
export const stepName = {
  restore: (resource: string) => `restore:${resource}`,
  probe: (index: number) => `validate:${index + 1}`,
  switch: 'switch',
} as const;

/** What a new failover needs. */
export interface NewFailover {
  readonly id: string;
  readonly plan: RecoveryPlan;
  readonly trigger: FailoverTrigger;
  readonly at: Date;
  /** Recovery point per resource name, chosen from the freshness check at start. */
  readonly recoveryPoints: Readonly<Record<string, string>>;
  /** Set when the failover is refused at start (a gate): it is created already `aborted`. */
  readonly refusedBecause?: string;
}

/**
 * Creates a failover: `awaiting-approval` in mode approval, else `restoring` — or `aborted` at once
 * when a gate refused it, so the refusal is on record with its reason.
 */
export function createFailover(input: NewFailover): Failover {
  const { plan, at } = input;
  const iso = at.toISOString();
  const restoreSteps: Step[] = plan.resources.map((r: ProtectedResource) => ({
    name: stepName.restore(r.name),
    kind: 'restore',
    status: StepStatus.Pending,
    jobId: null,
    startedAt: null,
    endedAt: null,
    dependsOn: r.dependsOn.map(stepName.restore),
    ...(input.recoveryPoints[r.name] ? { recoveryPoint: input.recoveryPoints[r.name] } : {}),
    idempotencyToken: `${input.id}-${r.name}`.slice(0, 64),
  }));
  const probeSteps: Step[] = plan.validate.map((p, i) => ({
    name: stepName.probe(i),
    kind: 'validate',
    status: StepStatus.Pending,
    jobId: null,
    startedAt: null,
    endedAt: null,
    dependsOn: [],
    detail: p.url,
  }));
  const switchStep: Step = {
    name: stepName.switch,
    kind: 'switch',
    status: plan.routing ? StepStatus.Pending : StepStatus.Skipped,
    jobId: null,
    startedAt: null,
    endedAt: null,
    dependsOn: [],
    ...(plan.routing ? {} : { detail: 'the plan has no routing block' }),
  };
  const approval = plan.failover.mode === 'approval' ? plan.failover.approval : undefined;
  const phase = input.refusedBecause ? Phase.Aborted : approval ? Phase.AwaitingApproval : Phase.Restoring;
  const reason =
    input.refusedBecause ??
    (approval ? 'waiting for a human to approve' : `triggered by ${input.trigger.ref}`);
  const failover: Failover = {
    id: input.id,
    app: plan.name,
    phase,
    trigger: input.trigger,
    startedAt: iso,
    endedAt: input.refusedBecause ? iso : null,
    reason: input.refusedBecause ?? null,
    steps: [...restoreSteps, ...probeSteps, switchStep].map((s) =>
      input.refusedBecause && s.status === StepStatus.Pending ? { ...s, status: StepStatus.Skipped } : s,
    ),
    approval: approval
      ? {
          requestedAt: iso,
          expiresAt: new Date(at.getTime() + approval.timeoutSeconds * 1000).toISOString(),
          onTimeout: approval.onTimeout,
        }
      : null,
    history: [{ phase, at: iso, reason }],
  };
  return phase === Phase.Restoring ? settle(failover, at) : failover;
}

/** Which events each phase accepts; anything else is refused with a reason, never thrown. */
export const ACCEPTS: Readonly<Record<Phase, readonly FailoverEventType[]>> = {
  [Phase.AwaitingApproval]: ['approved', 'rejected', 'approval-expired', 'abort'],
  [Phase.Restoring]: ['restore-requested', 'restore-started', 'restore-succeeded', 'restore-failed', 'abort'],
  [Phase.Validating]: ['probe-passed', 'probe-failed', 'abort'],
  // Once traffic starts to move the failover is finished forward, not aborted half-way.
  [Phase.Switching]: ['switch-requested', 'switched', 'switch-failed'],
  [Phase.Completed]: [],
  [Phase.Aborted]: [],
  [Phase.Failed]: [],
};

/** Applies one event. Pure: returns a new failover, or `ok: false` with the reason it was refused. */
export function transition(failover: Failover, event: FailoverEvent): TransitionResult {
  if (!ACCEPTS[failover.phase].includes(event.type))
    return { ok: false, reason: `a ${failover.phase} failover does not accept ${event.type}` };
  const at = event.at;
  switch (event.type) {
    case 'approved':
      return ok(settle(enter(failover, Phase.Restoring, at, `approved by ${event.by}`), at));
    case 'rejected':
      return ok(end(failover, Phase.Aborted, at, `rejected by ${event.by}`));
    case 'approval-expired': {
      const approval = failover.approval;
      if (!approval || at.getTime() < Date.parse(approval.expiresAt))
        return { ok: false, reason: 'the approval request has not expired yet' };
      return approval.onTimeout === 'proceed'
        ? ok(settle(enter(failover, Phase.Restoring, at, 'approval timed out; onTimeout is proceed'), at))
        : ok(end(failover, Phase.Aborted, at, 'approval timed out; onTimeout is abort'));
    }
    case 'restore-requested':
      return updateStep(failover, event.step, 'restore', move([P], R, at));
    case 'restore-started':
      return updateStep(failover, event.step, 'restore', move([P, R], R, at, { jobId: event.jobId }));
    case 'restore-succeeded':
      return then(
        updateStep(
          failover,
          event.step,
          'restore',
          move([R], S, at, event.detail ? { detail: event.detail } : {}),
        ),
        (f) => settle(f, at),
      );
    case 'restore-failed':
      return then(
        updateStep(failover, event.step, 'restore', move([P, R], F, at, { detail: event.reason })),
        (f) =>
          end(
            f,
            Phase.Failed,
            at,
            `restore of ${event.step.replace('restore:', '')} failed: ${event.reason}`,
          ),
      );
    case 'probe-passed':
      return then(
        updateStep(failover, event.step, 'validate', move([P, R], S, at, { detail: event.detail })),
        (f) => settle(f, at),
      );
    case 'probe-failed':
      return then(
        updateStep(failover, event.step, 'validate', move([P, R], F, at, { detail: event.reason })),
        (f) =>
          end(f, Phase.Failed, at, `validation ${event.step} failed: ${event.reason}; traffic not switched`),
      );
    case 'switch-requested':
      return updateStep(failover, stepName.switch, 'switch', move([P], R, at));
    case 'switched':
      return then(updateStep(failover, stepName.switch, 'switch', move([P, R], S, at)), (f) => settle(f, at));
    case 'switch-failed':
      return then(
        updateStep(failover, stepName.switch, 'switch', move([P, R], F, at, { detail: event.reason })),
        (f) => end(f, Phase.Failed, at, `traffic switch failed: ${event.reason}`),
      );
    case 'abort':
      return ok(end(failover, Phase.Aborted, at, event.reason));
  }
}

/**
 * The effects to run now: restores whose dependencies succeeded (all of them at once — the adapter
 * keeps within the provider's start quota), checks of running restores, the probes once every restore
 * succeeded, and the switch once every probe passed.
 */
export function nextCommands(failover: Failover): Command[] {
  const byName = new Map(failover.steps.map((s) => [s.name, s]));
  switch (failover.phase) {
    case Phase.Restoring:
      return failover.steps
        .filter((s) => s.kind === 'restore')
        .flatMap((s): Command[] => {
          if (s.status === StepStatus.Running && s.jobId)
            return [{ type: 'check-restore', step: s.name, jobId: s.jobId }];
          const ready = s.dependsOn.every((d) => byName.get(d)?.status === StepStatus.Succeeded);
          // A running step without a job id crashed between asking and recording: ask again with the same token.
          if ((s.status === StepStatus.Pending && ready) || (s.status === StepStatus.Running && !s.jobId))
            return [
              {
                type: 'start-restore',
                step: s.name,
                recoveryPoint: s.recoveryPoint ?? '',
                idempotencyToken: s.idempotencyToken ?? s.name,
              },
            ];
          return [];
        });
    case Phase.Validating:
      return failover.steps
        .map((s, i) => ({ s, i }))
        .filter(
          ({ s }) =>
            s.kind === 'validate' && (s.status === StepStatus.Pending || s.status === StepStatus.Running),
        )
        .map(({ s }) => ({ type: 'run-probe', step: s.name, index: Number(s.name.split(':')[1]) - 1 }));
    case Phase.Switching:
      return [{ type: 'switch-traffic' }];
    default:
      return [];
  }
}

/** Moves the phase on while the current phase's work is all done (restores → probes → switch → done). */
function settle(failover: Failover, at: Date): Failover {
  let f = failover;
  const all = (kind: Step['kind']) => f.steps.filter((s) => s.kind === kind);
  const done = (steps: Step[]) =>
    steps.every((s) => s.status === StepStatus.Succeeded || s.status === StepStatus.Skipped);
  if (f.phase === Phase.Restoring && done(all('restore')))
    f = enter(
      f,
      Phase.Validating,
      at,
      all('validate').length ? 'every restore succeeded' : 'every restore succeeded; no probes configured',
    );
  if (f.phase === Phase.Validating && done(all('validate')))
    f = enter(f, Phase.Switching, at, all('validate').length ? 'every probe passed' : 'nothing to validate');
  if (f.phase === Phase.Switching && done(all('switch')))
    f = end(
      f,
      Phase.Completed,
      at,
      all('switch')[0]?.status === StepStatus.Skipped
        ? 'restored and validated; no routing to switch'
        : 'traffic is on the recovery site',
    );
  return f;
}

function enter(failover: Failover, phase: Phase, at: Date, reason: string): Failover {
  return { ...failover, phase, history: [...failover.history, { phase, at: at.toISOString(), reason }] };
}

function end(failover: Failover, phase: Phase, at: Date, reason: string): Failover {
  const iso = at.toISOString();
  return {
    ...enter(failover, phase, at, reason),
    endedAt: iso,
    reason,
    // Work that never started will not start now.
    steps: failover.steps.map((s) =>
      s.status === StepStatus.Pending ? { ...s, status: StepStatus.Skipped } : s,
    ),
  };
}

function updateStep(
  failover: Failover,
  name: string,
  kind: Step['kind'],
  change: (step: Step) => Step | undefined,
): TransitionResult {
  const index = failover.steps.findIndex((s) => s.name === name && s.kind === kind);
  const step = failover.steps[index];
  if (!step) return { ok: false, reason: `no ${kind} step named ${name}` };
  const changed = change(step);
  if (!changed) return { ok: false, reason: `step ${name} is ${step.status}; the event does not apply` };
  return ok({ ...failover, steps: failover.steps.map((s, i) => (i === index ? changed : s)) });
}

const ok = (failover: Failover): TransitionResult => ({ ok: true, failover });

/** Continues a successful step update with `next` (settle or end); a refusal passes through. */
const then = (result: TransitionResult, next: (f: Failover) => Failover): TransitionResult =>
  result.ok ? ok(next(result.failover)) : result;

const { Pending: P, Running: R, Succeeded: S, Failed: F } = StepStatus;

/**
 * A step change: from one of `from` to `to` at `at` (start time kept if already set, end time set
 * when `to` is final), with `extra` fields; `undefined` when the step is in no state of `from`.
 */
function move(from: readonly StepStatus[], to: StepStatus, at: Date, extra: Partial<Step> = {}) {
  return (s: Step): Step | undefined =>
    from.includes(s.status)
      ? {
          ...s,
          status: to,
          startedAt: s.startedAt ?? at.toISOString(),
          ...(to === R ? {} : { endedAt: at.toISOString() }),
          ...extra,
        }
      : undefined;
}
