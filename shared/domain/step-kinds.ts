/**
 * What the engine knows of each step kind, and the kinds each purpose runs in order. Adding a kind to
 * `Step` fails to compile until it is described here (and the effect, intent and handler maps then
 * list what else it needs).
 */
import { Phase, type Purpose, type Step, type StepKind } from './failover.ts';

/** What the engine must know of each step kind. */
export interface StepKindDescriptor<K extends StepKind> {
  /** The phase in which steps of this kind run; the phase moves on when they are all done. */
  readonly phase:
    | typeof Phase.Restoring
    | typeof Phase.Validating
    | typeof Phase.Switching
    | typeof Phase.TearingDown;
  /** Why the phase moved on, when it ran steps of this kind (and when it had none). */
  readonly done: readonly [withSteps: string, without: string];
  /** The cloud job of a step, for displays and evidence. */
  readonly jobId: (step: Extract<Step, { kind: K }>) => string | null;
  /** What a person reads for the step: named after what it does or checks (its id stays `name`). */
  readonly label: (step: Extract<Step, { kind: K }>) => string;
}

/**
 * Every step kind, in the order their phases run: adding a kind to {@link Step} fails to compile until
 * it is described here (and the effect, intent and handler maps then list what else it needs).
 */
export const STEP_KINDS: { readonly [K in StepKind]: StepKindDescriptor<K> } = {
  restore: {
    phase: Phase.Restoring,
    done: ['every restore succeeded', 'nothing to restore'],
    jobId: (s) => s.jobId,
    label: (s) => s.name,
  },
  validate: {
    phase: Phase.Validating,
    done: ['every probe passed', 'nothing to validate'],
    jobId: () => null,
    label: (s) => probeLabel(s.url),
  },
  switch: {
    phase: Phase.Switching,
    done: ['traffic is on the recovery site', 'restored and validated; no routing to switch'],
    jobId: () => null,
    label: (s) => s.name,
  },
  teardown: {
    phase: Phase.TearingDown,
    done: ['everything the restores created was deleted', 'nothing to tear down'],
    jobId: () => null,
    label: (s) => s.name,
  },
};

/**
 * The step kinds each purpose runs, in order: a failover ends by switching traffic, a drill by
 * tearing down what it restored — and never switches.
 */
export const PURPOSE_STEPS: { readonly [P in Purpose]: readonly StepKind[] } = {
  failover: ['restore', 'validate', 'switch'],
  drill: ['restore', 'validate', 'teardown'],
};

/** The job id of a step, for displays: only restore steps have jobs. */
export const jobIdOf = (step: Step): string | null =>
  (STEP_KINDS[step.kind].jobId as (s: Step) => string | null)(step);

/** The label of a step, for displays: a probe is named by the URL it checks, not `validate:1`. */
export const labelOf = (step: Step): string => (STEP_KINDS[step.kind].label as (s: Step) => string)(step);

/** A probe step's label: `validate <url>`. */
export const probeLabel = (url: string): string => `validate ${url}`;
