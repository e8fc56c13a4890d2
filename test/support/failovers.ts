/** Failovers in every phase, built through the real state machine, for the domain tests. */
import {
  createFailover,
  type Failover,
  type FailoverEvent,
  type FailoverEventType,
  Phase,
} from '#shared/domain/failover.ts';
import { transition } from '#shared/domain/failover-transition.ts';
import { awsPlanDoc, awsResource, loadPlan, withPlan } from './plans.ts';

export const t0 = new Date('2026-11-21T12:00:00Z');
export const at = (s: number) => new Date(t0.getTime() + s * 1000);
export const automatic = loadPlan();
export const approvalPlan = (onTimeout: 'abort' | 'proceed' = 'abort') =>
  loadPlan(
    withPlan(awsPlanDoc(), (d) => {
      d.spec.failover = {
        mode: 'approval',
        approval: {
          notify: [{ sns: 'arn:aws:sns:eu-central-1:111122223333:dr-approvals' }],
          timeout: '30m',
          onTimeout,
        },
      };
    }),
  );
export const points = { 'case-db': 'rp-db', 'case-api': 'rp-api' };
export const trigger = { kind: 'alarm', ref: 'arn:alarm', eventId: 'e1' } as const;
/** Scope of every event of failover f1. */
export const F1 = { failoverId: 'f1' } as const;

export const start = (plan = automatic, id = 'f1') =>
  createFailover({ id, plan, trigger, at: t0, recoveryPoints: points });

/** A drill of `plan` (restore, validate, teardown; never a switch). */
export const startDrill = (plan = automatic, id = 'f1') =>
  createFailover({ id, plan, trigger, at: t0, recoveryPoints: points, purpose: 'drill' });

/** A plan of three independent resources: case-db, case-api and case-web. */
export const independent = loadPlan(
  withPlan(awsPlanDoc(), (d) => {
    d.spec.resources = [awsResource('case-db'), awsResource('case-api'), awsResource('case-web')];
  }),
);

/** The first restore step of the test plans. */
export const DB = 'restore:case-db';

/** `restore-requested` of failover f1's `step`, `s` seconds after t0. */
export const requested = (step = DB, s = 1): FailoverEvent => ({
  type: 'restore-requested',
  ...F1,
  step,
  at: at(s),
});

/** `restore-started` of failover f1's `step` with `jobId`, `s` seconds after t0. */
export const started = (jobId: string, step = DB, s = 1): FailoverEvent => ({
  type: 'restore-started',
  ...F1,
  step,
  jobId,
  at: at(s),
});

/** `probe-requested` of failover f1's first probe, `s` seconds after t0. */
export const probeRequested = (s: number): FailoverEvent => ({
  type: 'probe-requested',
  ...F1,
  step: 'validate:1',
  at: at(s),
});

/** Applies events in turn; a refusal throws with its reason. */
export function run(f: Failover, ...events: FailoverEvent[]): Failover {
  return events.reduce((acc, e) => {
    const r = transition(acc, e);
    if (!r.ok) throw new Error(r.reason);
    return r.failover;
  }, f);
}

/** Requests, starts and ends a restore step with job `job`. */
export const restore = (step: string, jobId: string, from: number, to: number): FailoverEvent[] => [
  { type: 'restore-requested', ...F1, step, at: at(from) },
  { type: 'restore-started', ...F1, step, jobId, at: at(from) },
  { type: 'restore-succeeded', ...F1, step, jobId, at: at(to) },
];

export const restored = (f: Failover) =>
  run(f, ...restore('restore:case-db', 'j-db', 1, 600), ...restore('restore:case-api', 'j-api', 601, 1200));

export const probed = (f: Failover) =>
  run(
    f,
    { type: 'probe-requested', ...F1, step: 'validate:1', at: at(1300) },
    { type: 'probe-passed', ...F1, step: 'validate:1', at: at(1300), detail: '200' },
  );

/** How to build a failover in each phase. */
const phaseBuilders: Record<Phase, () => Failover> = {
  [Phase.AwaitingApproval]: () => start(approvalPlan()),
  [Phase.Restoring]: () => start(),
  [Phase.Validating]: () => restored(start()),
  [Phase.Switching]: () => probed(restored(start())),
  [Phase.Finishing]: () =>
    run(
      start(
        loadPlan(
          withPlan(awsPlanDoc(), (d) => {
            for (const r of d.spec.resources as { dependsOn?: string[] }[]) r.dependsOn = [];
          }),
        ),
      ),
      { type: 'restore-requested', ...F1, step: 'restore:case-db', at: at(1) },
      { type: 'restore-started', ...F1, step: 'restore:case-db', jobId: 'j-db', at: at(1) },
      { type: 'restore-requested', ...F1, step: 'restore:case-api', at: at(1) },
      { type: 'restore-started', ...F1, step: 'restore:case-api', jobId: 'j-api', at: at(1) },
      { type: 'restore-failed', ...F1, step: 'restore:case-db', jobId: 'j-db', at: at(5), reason: 'boom' },
    ),
  [Phase.TearingDown]: () => probed(restored(startDrill())),
  [Phase.Completed]: () =>
    run(
      probed(restored(start())),
      { type: 'switch-requested', ...F1, at: at(1301) },
      {
        type: 'switched',
        ...F1,
        at: at(1301),
        detail: 'switched',
      },
    ),
  [Phase.Aborted]: () =>
    run(start(approvalPlan()), {
      type: 'rejected',
      ...F1,
      at: at(5),
      by: 'ops',
      authenticated: true,
      recipient: 'sns:topic',
      nonce: 'n1',
    }),
  [Phase.Failed]: () =>
    run(
      start(),
      { type: 'restore-requested', ...F1, step: 'restore:case-db', at: at(1) },
      { type: 'restore-started', ...F1, step: 'restore:case-db', jobId: 'j-db', at: at(1) },
      { type: 'restore-failed', ...F1, step: 'restore:case-db', jobId: 'j-db', at: at(5), reason: 'boom' },
    ),
};

/**
 * A failover in each phase, built through the real state machine when a test reads it (not when this
 * file is imported): a state-machine mutant that breaks the building then fails the test that reads
 * it, where a mutation tester sees it, instead of the whole file's import.
 */
export const inPhase: Readonly<Record<Phase, Failover>> = Object.defineProperties(
  {} as Record<Phase, Failover>,
  Object.fromEntries(
    Object.values(Phase).map((phase) => [phase, { enumerable: true, get: () => phaseBuilders[phase]() }]),
  ),
);

/** One sample of every event type, for the exhaustive phase × event table. */
export const eventSamples: Record<FailoverEventType, FailoverEvent> = {
  approved: {
    type: 'approved',
    ...F1,
    at: at(5),
    by: 'ops',
    authenticated: true,
    recipient: 'sns:topic',
    nonce: 'n1',
  },
  rejected: {
    type: 'rejected',
    ...F1,
    at: at(5),
    by: 'ops',
    authenticated: true,
    recipient: 'sns:topic',
    nonce: 'n1',
  },
  'approval-expired': { type: 'approval-expired', ...F1, at: at(3600), requestDelivered: true },
  'restore-requested': { type: 'restore-requested', ...F1, step: 'restore:case-db', at: at(5) },
  'restore-started': { type: 'restore-started', ...F1, step: 'restore:case-db', jobId: 'j', at: at(5) },
  'restore-start-failed': {
    type: 'restore-start-failed',
    ...F1,
    step: 'restore:case-db',
    at: at(5),
    reason: 'x',
  },
  'restore-succeeded': { type: 'restore-succeeded', ...F1, step: 'restore:case-db', jobId: 'j', at: at(5) },
  'restore-failed': {
    type: 'restore-failed',
    ...F1,
    step: 'restore:case-db',
    jobId: 'j',
    at: at(5),
    reason: 'x',
  },
  'probe-requested': { type: 'probe-requested', ...F1, step: 'validate:1', at: at(5) },
  'probe-passed': { type: 'probe-passed', ...F1, step: 'validate:1', at: at(5), detail: '200' },
  'probe-failed': { type: 'probe-failed', ...F1, step: 'validate:1', at: at(5), reason: '503' },
  'switch-requested': { type: 'switch-requested', ...F1, at: at(5) },
  switched: { type: 'switched', ...F1, at: at(5), detail: 'ok' },
  'switch-failed': { type: 'switch-failed', ...F1, at: at(5), reason: 'denied' },
  'switch-unknown': { type: 'switch-unknown', ...F1, at: at(5), reason: 'timeout' },
  abort: { type: 'abort', ...F1, at: at(5), reason: 'operator' },
  'teardown-requested': { type: 'teardown-requested', ...F1, step: 'teardown:case-db', at: at(5) },
  'torn-down': { type: 'torn-down', ...F1, step: 'teardown:case-db', at: at(5), detail: 'deleted' },
  'teardown-waiting': {
    type: 'teardown-waiting',
    ...F1,
    step: 'teardown:case-db',
    at: at(5),
    detail: 'deleting',
  },
  'teardown-failed': {
    type: 'teardown-failed',
    ...F1,
    step: 'teardown:case-db',
    at: at(5),
    reason: 'denied',
  },
};
