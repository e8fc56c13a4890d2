/**
 * One failover of one application (SPEC §4) as data: its phases, its steps (a discriminated union),
 * the facts it reacts to and how a new one is made. The state machine is `failover-transition.ts`
 * (`transition(failover, event)`, pure), the effects to run now are `failover-commands.ts`
 * (`nextCommands(failover, now)`), and the driver in `shared/application/` persists every change with
 * a conditional write, scoped to the failover's id, before and after each effect.
 */
import type { RecoveryPlan } from './plan.ts';

/** The closed set of phases. `awaiting-approval` only in mode approval. */
export const Phase = {
  AwaitingApproval: 'awaiting-approval',
  Restoring: 'restoring',
  Validating: 'validating',
  Switching: 'switching',
  /**
   * A step failed (or an abort came) while restore jobs were still running: those jobs are followed
   * to their end and recorded (what they created is known for clean-up), then the failover ends
   * `failed` or `aborted` as {@link Failover.ending} says. Nothing new starts.
   */
  Finishing: 'finishing',
  /**
   * A drill's restores ended (validated, failed or aborted): what they created is deleted, one step per
   * created resource, then the drill ends as {@link Failover.ending} says (or `completed`).
   */
  TearingDown: 'tearing-down',
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

/**
 * Why a failover runs. Only `failover` moves traffic; a `drill` restores under drill names, validates
 * against drill targets, never switches, and tears down what its restores created.
 */
export const Purpose = { Failover: 'failover', Drill: 'drill' } as const;
/** One of {@link Purpose}. */
export type Purpose = (typeof Purpose)[keyof typeof Purpose];

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

/** What every step has. */
interface StepBase {
  readonly name: string;
  readonly status: StepStatus;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  /** How many times the step's effect was asked for (restore starts, probe runs, switch attempts). */
  readonly attempts: number;
  /** The step's effect is not tried again before this time (after a failed attempt). */
  readonly notBefore: string | null;
  readonly detail?: string;
}

/** Restore one resource from the recovery point chosen when the failover started. */
export interface RestoreStep extends StepBase {
  readonly kind: 'restore';
  /** The resource's name in the plan stored with the failover. */
  readonly resource: string;
  /** Resources (names) whose restores must succeed first. */
  readonly dependsOn: readonly string[];
  readonly recoveryPoint: string | null;
  /** Fixed per failover and resource: a repeated start gets the same job. */
  readonly idempotencyToken: string;
  /** The job this failover started; events and polls of any other job never move this step. */
  readonly jobId: string | null;
  /** When the data of the recovery point was captured (for the measured RPO of a drill), if known. */
  readonly pointCreatedAt?: string;
  /** What the restore created (ARN or Azure id), once known: the clean-up list. */
  readonly createdResource?: string;
}

/** Run one validation probe of the plan against the restored application. */
export interface ValidateStep extends StepBase {
  readonly kind: 'validate';
  /** Index of the probe in the stored plan's `validate`. */
  readonly probe: number;
  readonly url: string;
  /** Attempts allowed before the step fails (the probe's `attempts`). */
  readonly maxAttempts: number;
}

/** Send the application's traffic to the recovery site. */
export interface SwitchStep extends StepBase {
  readonly kind: 'switch';
}

/** Delete what a drill's restore of one resource created (never a production resource). */
export interface TeardownStep extends StepBase {
  readonly kind: 'teardown';
  /** The resource whose restore step's `createdResource` this step deletes. */
  readonly resource: string;
  /** When a delete was first found still in progress (`teardown-waiting`); absent until then. */
  readonly deletingSince?: string;
  /** How many of `attempts` found the delete still in progress: they count as no failure. */
  readonly waits?: number;
}

/** One step of a failover. */
export type Step = RestoreStep | ValidateStep | SwitchStep | TeardownStep;
/** The `kind` of a {@link Step}. */
export type StepKind = Step['kind'];

/** One entry of the failover's evidence log: every phase change, in order, with its time. */
export interface PhaseChange {
  readonly phase: Phase;
  readonly at: string;
  readonly reason: string;
}

/** What started the failover. */
export interface FailoverTrigger {
  readonly kind: 'alarm' | 'manual' | 'schedule';
  /** Alarm ARN / alert rule id, `cli`, or the schedule expression of a scheduled drill. */
  readonly ref: string;
  /** The fact that triggered it (an alarm's de-duplication key): a redelivery of it starts nothing. */
  readonly eventId: string;
}

/** A pending approval request. */
export interface ApprovalRequest {
  readonly requestedAt: string;
  readonly expiresAt: string;
  readonly onTimeout: 'abort' | 'proceed';
}

/** The human decision on an approval request, recorded in the same write as the transition. */
export interface ApprovalDecision {
  readonly decision: 'approve' | 'reject';
  /** Who decided: an authenticated identity, or — when none was given — the token's recipient. */
  readonly by: string;
  /** Whether `by` was authenticated by the platform (SSO, IAM, the OS user of the CLI). */
  readonly authenticated: boolean;
  /** The notify target the token was sent to. */
  readonly recipient: string;
  readonly at: string;
  /** The hash of the nonce of the token used: a token acts once, because it is recorded with what it did. */
  readonly nonce: string;
  /** What the approver wrote with the decision (the approval page's comment field), if anything. */
  readonly comment?: string;
}

/** The gates a human may override (break-glass): nothing else can be. */
export const OVERRIDABLE_GATES = ['fresh-backups', 'cooldown'] as const;
/** One of {@link OVERRIDABLE_GATES}. */
export type OverridableGate = (typeof OVERRIDABLE_GATES)[number];

/** A break-glass override: who accepted which refused gates, and why. Kept with the failover as evidence. */
export interface GateOverride {
  readonly by: string;
  readonly reason: string;
  /** The gates that refused and were accepted. */
  readonly accepted: readonly OverridableGate[];
}

/** How a failover in {@link Phase.Finishing} will end. */
export interface Ending {
  readonly phase: typeof Phase.Failed | typeof Phase.Aborted;
  readonly reason: string;
}

/** One failover of one application. */
export interface Failover {
  readonly id: string;
  readonly app: string;
  readonly purpose: Purpose;
  readonly phase: Phase;
  readonly trigger: FailoverTrigger;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly reason: string | null;
  readonly steps: readonly Step[];
  readonly approval: ApprovalRequest | null;
  readonly decision: ApprovalDecision | null;
  /** Set while finishing: the end the failover is heading for once its running jobs ended. */
  readonly ending: Ending | null;
  /** Set when a human overrode refusing gates to start it. */
  readonly override?: GateOverride;
  /** The plan as it was at the trigger: every effect of this failover acts on it, not on a later edit. */
  readonly plan: RecoveryPlan;
  readonly history: readonly PhaseChange[];
}

/** What every event names: the failover it is for. Applying it to another failover is a refusal. */
interface Scoped {
  readonly failoverId: string;
  readonly at: Date;
}

/** Facts the state machine reacts to; each names its failover, job events also their step and job. */
export type FailoverEvent =
  | (Scoped & { readonly type: 'approved' } & Omit<ApprovalDecision, 'decision' | 'at'>)
  | (Scoped & { readonly type: 'rejected' } & Omit<ApprovalDecision, 'decision' | 'at'>)
  /** `requestDelivered`: whether any approval request reached a recipient (proceeding needs one). */
  | (Scoped & { readonly type: 'approval-expired'; readonly requestDelivered: boolean })
  | (Scoped & { readonly type: 'restore-requested'; readonly step: string })
  | (Scoped & { readonly type: 'restore-started'; readonly step: string; readonly jobId: string })
  | (Scoped & { readonly type: 'restore-start-failed'; readonly step: string; readonly reason: string })
  | (Scoped & {
      readonly type: 'restore-succeeded';
      readonly step: string;
      readonly jobId: string;
      readonly createdResource?: string;
      readonly detail?: string;
    })
  | (Scoped & {
      readonly type: 'restore-failed';
      readonly step: string;
      readonly jobId: string;
      readonly reason: string;
    })
  | (Scoped & { readonly type: 'probe-requested'; readonly step: string })
  | (Scoped & { readonly type: 'probe-passed'; readonly step: string; readonly detail: string })
  /** `attempt`: the attempt it was observed in; a failure of an earlier attempt changes nothing. */
  | (Scoped & {
      readonly type: 'probe-failed';
      readonly step: string;
      readonly reason: string;
      readonly attempt?: number;
    })
  | (Scoped & { readonly type: 'switch-requested' })
  | (Scoped & { readonly type: 'switched'; readonly detail: string })
  /**
   * The switch did not happen: the routing was read back and still points at the primary. `attempt`:
   * the attempt it was observed in — an outcome of an earlier attempt changes nothing.
   */
  | (Scoped & { readonly type: 'switch-failed'; readonly reason: string; readonly attempt?: number })
  /** The switch call failed and the routing could not be read: unknown until reconciled. */
  | (Scoped & { readonly type: 'switch-unknown'; readonly reason: string; readonly attempt?: number })
  | (Scoped & { readonly type: 'teardown-requested'; readonly step: string })
  | (Scoped & { readonly type: 'torn-down'; readonly step: string; readonly detail: string })
  /** The delete was accepted and the resource still exists (being deleted): ask again later. */
  | (Scoped & { readonly type: 'teardown-waiting'; readonly step: string; readonly detail: string })
  | (Scoped & { readonly type: 'teardown-failed'; readonly step: string; readonly reason: string })
  | (Scoped & { readonly type: 'abort'; readonly reason: string });
/** The `type` of a {@link FailoverEvent}. */
export type FailoverEventType = FailoverEvent['type'];

/** The result of a transition: the new failover, or why the event changed nothing. */
export type TransitionResult =
  | { readonly ok: true; readonly failover: Failover }
  | { readonly ok: false; readonly reason: string };

/** Name of the restore step of a resource, the probe step at an index, and the switch step. */
export const stepName = {
  restore: (resource: string) => `restore:${resource}`,
  probe: (index: number) => `validate:${index + 1}`,
  switch: 'switch',
  teardown: (resource: string) => `teardown:${resource}`,
} as const;

/** The detail of a drill's teardown step when `spec.drill.keep` leaves what it restored for inspection. */
export const KEPT_FOR_INSPECTION = 'kept for inspection (spec.drill.keep)';

/** Longest idempotency token AWS Backup's StartRestoreJob accepts (and Azure's job names keep). */
export const MAX_IDEMPOTENCY_TOKEN_LENGTH = 64;

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
  /** Set when refusing gates were overridden by a human. */
  readonly override?: GateOverride;
  /** `drill`: no switch step, a teardown step per resource, never waits for approval. */
  readonly purpose?: Purpose;
  /** Data time of the chosen recovery point per resource name, when known (a drill's measured RPO). */
  readonly pointTimes?: Readonly<Record<string, string>>;
  /** A drill that keeps what it restored (`spec.drill.keep`): its teardown steps are skipped. */
  readonly keep?: boolean;
}

const fresh = { startedAt: null, endedAt: null, attempts: 0, notBefore: null } as const;

/**
 * Creates a failover: `awaiting-approval` in mode approval, else `restoring` — or `aborted` at once
 * when a gate refused it, so the refusal is on record with its reason. The plan is stored with it.
 */
export function createFailover(input: NewFailover): Failover {
  const { plan, at } = input;
  const iso = at.toISOString();
  const refused = input.refusedBecause !== undefined;
  const initial: StepStatus = refused ? StepStatus.Skipped : StepStatus.Pending;
  const restoreSteps: RestoreStep[] = plan.resources.map((r) => ({
    kind: 'restore',
    name: stepName.restore(r.name),
    status: initial,
    ...fresh,
    resource: r.name,
    dependsOn: r.dependsOn,
    recoveryPoint: input.recoveryPoints[r.name] ?? null,
    idempotencyToken: `${input.id}-${r.name}`.slice(0, MAX_IDEMPOTENCY_TOKEN_LENGTH),
    jobId: null,
    ...(input.pointTimes?.[r.name] ? { pointCreatedAt: input.pointTimes[r.name] } : {}),
  }));
  const purpose = input.purpose ?? Purpose.Failover;
  const probeSteps: ValidateStep[] = plan.validate.map((p, i) => ({
    kind: 'validate',
    name: stepName.probe(i),
    status: initial,
    ...fresh,
    probe: i,
    url: p.url,
    maxAttempts: Math.max(1, p.attempts),
  }));
  const switchStep: SwitchStep = {
    kind: 'switch',
    name: stepName.switch,
    status: plan.routing && !refused ? StepStatus.Pending : StepStatus.Skipped,
    ...fresh,
    ...(plan.routing ? {} : { detail: 'the plan has no routing block' }),
  };
  const teardownSteps: TeardownStep[] = plan.resources.map((r) => ({
    kind: 'teardown',
    name: stepName.teardown(r.name),
    status: input.keep ? StepStatus.Skipped : initial,
    ...fresh,
    resource: r.name,
    ...(input.keep ? { detail: KEPT_FOR_INSPECTION } : {}),
  }));
  const closing = purpose === Purpose.Drill ? teardownSteps : [switchStep];
  const approval =
    purpose === Purpose.Failover && plan.failover.mode === 'approval' ? plan.failover.approval : undefined;
  const phase = refused ? Phase.Aborted : approval ? Phase.AwaitingApproval : Phase.Restoring;
  const overridden = input.override
    ? `; gates ${input.override.accepted.join(', ')} overridden by ${input.override.by}: ${input.override.reason}`
    : '';
  const reason =
    input.refusedBecause ??
    `${
      approval
        ? 'waiting for a human to approve'
        : `${purpose === Purpose.Drill ? 'drill started' : 'triggered'} by ${input.trigger.ref}`
    }${overridden}`;
  return {
    id: input.id,
    app: plan.name,
    purpose,
    phase,
    trigger: input.trigger,
    startedAt: iso,
    endedAt: refused ? iso : null,
    reason: input.refusedBecause ?? null,
    steps: [...restoreSteps, ...probeSteps, ...closing],
    approval: approval
      ? {
          requestedAt: iso,
          expiresAt: new Date(at.getTime() + approval.timeoutSeconds * 1000).toISOString(),
          onTimeout: approval.onTimeout,
        }
      : null,
    decision: null,
    ending: null,
    ...(input.override ? { override: input.override } : {}),
    plan,
    history: [{ phase, at: iso, reason }],
  };
}
