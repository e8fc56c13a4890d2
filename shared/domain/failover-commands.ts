/**
 * Which effects a failover wants now, and the intent each one is recorded with before it runs.
 * Pure: the driver writes the intents in one conditional write and runs only the commands whose
 * intent that write recorded.
 */
import {
  type Failover,
  type FailoverEvent,
  Phase,
  type RestoreStep,
  type Step,
  StepStatus,
} from './failover.ts';

/** Effects the driver should run now. */
export type Command =
  | {
      readonly type: 'start-restore';
      readonly step: string;
      readonly resource: string;
      readonly recoveryPoint: string;
      readonly idempotencyToken: string;
    }
  | {
      readonly type: 'check-restore';
      readonly step: string;
      readonly resource: string;
      readonly jobId: string;
    }
  | { readonly type: 'run-probe'; readonly step: string; readonly probe: number }
  | { readonly type: 'switch-traffic' }
  | {
      readonly type: 'delete-restored';
      readonly step: string;
      readonly resource: string;
      /** What the resource's restore created (its `createdResource`), or null when it reported nothing. */
      readonly createdResource: string | null;
    };
/** The `type` of a {@link Command}. */
export type CommandType = Command['type'];

/** Restores: follow running jobs; start ready ones (and ask again for starts whose job id is unknown). */
function restoreCommands(f: Failover, now: Date, startNew: boolean): Command[] {
  const restores = f.steps.filter((s): s is RestoreStep => s.kind === 'restore');
  const succeeded = new Set(restores.filter((s) => s.status === StepStatus.Succeeded).map((s) => s.resource));
  return restores.flatMap((s): Command[] => {
    if (s.status === StepStatus.Running && s.jobId)
      return [{ type: 'check-restore', step: s.name, resource: s.resource, jobId: s.jobId }];
    const ready = s.dependsOn.every((d) => succeeded.has(d));
    const start = (s.status === StepStatus.Pending && startNew && ready) || s.status === StepStatus.Running;
    return start && due(s, now)
      ? [
          {
            type: 'start-restore',
            step: s.name,
            resource: s.resource,
            recoveryPoint: s.recoveryPoint ?? '',
            idempotencyToken: s.idempotencyToken,
          },
        ]
      : [];
  });
}

/** The commands of each phase: adding a phase fails to compile until it is listed here. */
const BY_PHASE: { readonly [P in Phase]: (f: Failover, now: Date) => Command[] } = {
  [Phase.AwaitingApproval]: () => [],
  [Phase.Restoring]: (f, now) => restoreCommands(f, now, true),
  // Stryker disable next-line BooleanLiteral: entering finishing skips every pending restore, so none is left to start.
  [Phase.Finishing]: (f, now) => restoreCommands(f, now, false),
  [Phase.Validating]: (f, now) =>
    f.steps.flatMap((s): Command[] =>
      s.kind === 'validate' &&
      (s.status === StepStatus.Pending || s.status === StepStatus.Running) &&
      due(s, now)
        ? [{ type: 'run-probe', step: s.name, probe: s.probe }]
        : [],
    ),
  [Phase.Switching]: (f, now) =>
    f.steps.some(
      (s) =>
        s.kind === 'switch' &&
        // Stryker disable next-line ConditionalExpression: in switching the switch step is pending or running (it ends the phase).
        (s.status === StepStatus.Pending || s.status === StepStatus.Running) &&
        due(s, now),
    )
      ? [{ type: 'switch-traffic' }]
      : [],
  [Phase.TearingDown]: (f, now) =>
    f.steps.flatMap((s): Command[] => {
      if (s.kind !== 'teardown' || !(s.status === StepStatus.Pending || s.status === StepStatus.Running))
        return [];
      if (!due(s, now)) return [];
      const restore = f.steps.find(
        // Stryker disable next-line ConditionalExpression: restore steps come before the teardown steps of the same resources.
        (r): r is RestoreStep => r.kind === 'restore' && r.resource === s.resource,
      );
      return [
        {
          type: 'delete-restored',
          step: s.name,
          resource: s.resource,
          // Stryker disable next-line OptionalChaining: every teardown step has its resource's restore step.
          createdResource: restore?.createdResource ?? null,
        },
      ];
    }),
  [Phase.Completed]: () => [],
  [Phase.Aborted]: () => [],
  [Phase.Failed]: () => [],
};

/**
 * The effects to run now: restores whose dependencies succeeded (all at once — the adapter keeps within
 * the provider's start quota), checks of running restores, the probes once every restore succeeded,
 * the switch once every probe passed. Steps waiting out a retry delay (`notBefore`) are left alone.
 */
export function nextCommands(failover: Failover, now: Date): Command[] {
  return BY_PHASE[failover.phase](failover, now);
}

/** The intent recorded before a command's effect runs; `null` for effects that change nothing (a poll). */
const INTENTS: {
  readonly [T in CommandType]: (
    c: Extract<Command, { type: T }>,
    failoverId: string,
    at: Date,
  ) => FailoverEvent | null;
} = {
  'start-restore': (c, failoverId, at) => ({ type: 'restore-requested', failoverId, step: c.step, at }),
  'check-restore': () => null,
  'run-probe': (c, failoverId, at) => ({ type: 'probe-requested', failoverId, step: c.step, at }),
  'switch-traffic': (_c, failoverId, at) => ({ type: 'switch-requested', failoverId, at }),
  'delete-restored': (c, failoverId, at) => ({ type: 'teardown-requested', failoverId, step: c.step, at }),
};

/** The intent event of `command` for failover `failoverId`, or `null` when it needs none. */
export function intentOf(command: Command, failoverId: string, at: Date): FailoverEvent | null {
  return (INTENTS[command.type] as (c: Command, id: string, at: Date) => FailoverEvent | null)(
    command,
    failoverId,
    at,
  );
}

/** When the step may be tried: no retry delay pending at `now`. */
const due = (s: Step, now: Date): boolean => s.notBefore === null || now.getTime() >= Date.parse(s.notBefore);
