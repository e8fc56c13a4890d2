import { describe, expect, it } from 'vitest';
import {
  ACCEPTS,
  createFailover,
  type Failover,
  type FailoverEvent,
  type FailoverEventType,
  nextCommands,
  Phase,
  StepStatus,
  transition,
} from '#shared/domain/failover.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const t0 = new Date('2026-11-21T12:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const automatic = loadPlan();
const approval = loadPlan(
  withPlan(awsPlanDoc(), (d) => {
    d.spec.failover = {
      mode: 'approval',
      approval: {
        notify: [{ sns: 'arn:aws:sns:eu-central-1:111122223333:dr-approvals' }],
        timeout: '30m',
        onTimeout: 'abort',
      },
    };
  }),
);
const points = { 'case-db': 'rp-db', 'case-api': 'rp-api' };
const trigger = { kind: 'alarm', ref: 'arn:alarm', eventId: 'e1' } as const;
const start = (plan = automatic) =>
  createFailover({ id: 'f1', plan, trigger, at: t0, recoveryPoints: points });

function run(f: Failover, ...events: FailoverEvent[]): Failover {
  return events.reduce((acc, e) => {
    const r = transition(acc, e);
    if (!r.ok) throw new Error(r.reason);
    return r.failover;
  }, f);
}

const restored = (f: Failover) =>
  run(
    f,
    { type: 'restore-started', step: 'restore:case-db', jobId: 'j-db', at: at(1) },
    { type: 'restore-succeeded', step: 'restore:case-db', at: at(600) },
    { type: 'restore-started', step: 'restore:case-api', jobId: 'j-api', at: at(601) },
    { type: 'restore-succeeded', step: 'restore:case-api', at: at(1200) },
  );

/** One sample of every event type, for the exhaustive phase × event table. */
const samples: Record<FailoverEventType, FailoverEvent> = {
  approved: { type: 'approved', at: at(5), by: 'ops' },
  rejected: { type: 'rejected', at: at(5), by: 'ops' },
  'approval-expired': { type: 'approval-expired', at: at(3600) },
  'restore-requested': { type: 'restore-requested', step: 'restore:case-db', at: at(5) },
  'restore-started': { type: 'restore-started', step: 'restore:case-db', jobId: 'j', at: at(5) },
  'restore-succeeded': { type: 'restore-succeeded', step: 'restore:case-db', at: at(5) },
  'restore-failed': { type: 'restore-failed', step: 'restore:case-db', at: at(5), reason: 'boom' },
  'probe-passed': { type: 'probe-passed', step: 'validate:1', at: at(5), detail: '200' },
  'probe-failed': { type: 'probe-failed', step: 'validate:1', at: at(5), reason: '503' },
  'switch-requested': { type: 'switch-requested', at: at(5) },
  switched: { type: 'switched', at: at(5) },
  'switch-failed': { type: 'switch-failed', at: at(5), reason: 'denied' },
  abort: { type: 'abort', at: at(5), reason: 'operator' },
};

/** A failover in each phase. */
const inPhase: Record<Phase, Failover> = {
  [Phase.AwaitingApproval]: start(approval),
  [Phase.Restoring]: start(),
  [Phase.Validating]: restored(start()),
  [Phase.Switching]: run(restored(start()), {
    type: 'probe-passed',
    step: 'validate:1',
    at: at(1300),
    detail: '200',
  }),
  [Phase.Completed]: run(
    restored(start()),
    { type: 'probe-passed', step: 'validate:1', at: at(1300), detail: '200' },
    { type: 'switched', at: at(1301) },
  ),
  [Phase.Aborted]: run(start(approval), { type: 'rejected', at: at(5), by: 'ops' }),
  [Phase.Failed]: run(start(), {
    type: 'restore-failed',
    step: 'restore:case-db',
    at: at(5),
    reason: 'boom',
  }),
};

describe('failover state machine', () => {
  it.each(
    Object.values(Phase).flatMap((phase) =>
      Object.keys(samples).map((type) => [phase, type as FailoverEventType] as const),
    ),
  )('in phase %s, %s is accepted exactly when the ACCEPTS table says so', (phase, type) => {
    const f = inPhase[phase];
    expect(f.phase).toBe(phase);
    const result = transition(f, samples[type]);
    if (!ACCEPTS[phase].includes(type)) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain(phase);
    } else if (result.ok) {
      // An accepted event never drops the history: every phase change stays logged.
      expect(result.failover.history.slice(0, f.history.length)).toEqual(f.history);
    } else {
      // The phase accepts the event; only its content (a step's state, a deadline) may refuse it.
      expect(result.reason).not.toContain('does not accept');
    }
  });

  it('starts automatic failovers in restoring with every step pending and the history opened', () => {
    const f = start();
    expect(f.phase).toBe(Phase.Restoring);
    expect(f.history).toEqual([
      { phase: 'restoring', at: t0.toISOString(), reason: 'triggered by arn:alarm' },
    ]);
    expect(f.steps.map((s) => [s.name, s.status])).toEqual([
      ['restore:case-db', 'pending'],
      ['restore:case-api', 'pending'],
      ['validate:1', 'pending'],
      ['switch', 'pending'],
    ]);
  });

  it('starts only restores whose dependencies succeeded', () => {
    expect(nextCommands(start())).toEqual([
      {
        type: 'start-restore',
        step: 'restore:case-db',
        recoveryPoint: 'rp-db',
        idempotencyToken: 'f1-case-db',
      },
    ]);
    const dbDone = run(
      start(),
      { type: 'restore-started', step: 'restore:case-db', jobId: 'j-db', at: at(1) },
      { type: 'restore-succeeded', step: 'restore:case-db', at: at(600) },
    );
    expect(nextCommands(dbDone).map((c) => c.type === 'start-restore' && c.step)).toEqual([
      'restore:case-api',
    ]);
  });

  it('asks again with the same idempotency token when a restore was requested but its job id never recorded', () => {
    const crashed = run(start(), { type: 'restore-requested', step: 'restore:case-db', at: at(1) });
    expect(crashed.steps[0]?.status).toBe(StepStatus.Running);
    expect(nextCommands(crashed)).toEqual([
      {
        type: 'start-restore',
        step: 'restore:case-db',
        recoveryPoint: 'rp-db',
        idempotencyToken: 'f1-case-db',
      },
    ]);
  });

  it('polls running restores that have a job id', () => {
    const running = run(start(), {
      type: 'restore-started',
      step: 'restore:case-db',
      jobId: 'j-db',
      at: at(1),
    });
    expect(nextCommands(running)).toEqual([
      { type: 'check-restore', step: 'restore:case-db', jobId: 'j-db' },
    ]);
  });

  it('walks restoring → validating → switching → completed, logging every phase in order', () => {
    const f = inPhase[Phase.Completed];
    expect(f.history.map((h) => h.phase)).toEqual(['restoring', 'validating', 'switching', 'completed']);
    expect(f.endedAt).toBe(at(1301).toISOString());
    expect(f.steps.every((s) => s.status === StepStatus.Succeeded)).toBe(true);
  });

  it('runs the switch only after every probe passed', () => {
    expect(nextCommands(inPhase[Phase.Validating])).toEqual([
      { type: 'run-probe', step: 'validate:1', index: 0 },
    ]);
    expect(nextCommands(inPhase[Phase.Switching])).toEqual([{ type: 'switch-traffic' }]);
  });

  it('fails on a failed restore, skipping the work that never started, traffic untouched', () => {
    const f = inPhase[Phase.Failed];
    expect(f.reason).toBe('restore of case-db failed: boom');
    expect(f.steps.find((s) => s.kind === 'switch')?.status).toBe(StepStatus.Skipped);
    expect(nextCommands(f)).toEqual([]);
  });

  it('fails on a failed probe and never switches', () => {
    const f = run(inPhase[Phase.Validating], {
      type: 'probe-failed',
      step: 'validate:1',
      at: at(1300),
      reason: '503',
    });
    expect(f.phase).toBe(Phase.Failed);
    expect(f.steps.find((s) => s.kind === 'switch')?.status).toBe(StepStatus.Skipped);
  });

  it.each([
    ['abort', 'approval timed out; onTimeout is abort', Phase.Aborted],
    ['proceed', 'approval timed out; onTimeout is proceed', Phase.Restoring],
  ] as const)('settles an expired approval with onTimeout %s', (onTimeout, reason, phase) => {
    const plan = loadPlan(
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
    const f = run(start(plan), { type: 'approval-expired', at: at(1800) });
    expect(f.phase).toBe(phase);
    expect(f.history.at(-1)?.reason).toBe(reason);
  });

  it('refuses an approval expiry before the deadline', () => {
    const r = transition(start(approval), { type: 'approval-expired', at: at(1799) });
    expect(r).toEqual({ ok: false, reason: 'the approval request has not expired yet' });
  });

  it('records a gate refusal as an aborted failover with its reason', () => {
    const f = createFailover({
      id: 'f2',
      plan: automatic,
      trigger,
      at: t0,
      recoveryPoints: {},
      refusedBecause: 'stale backups',
    });
    expect(f.phase).toBe(Phase.Aborted);
    expect(f.reason).toBe('stale backups');
    expect(f.steps.every((s) => s.status === StepStatus.Skipped)).toBe(true);
    expect(f.history).toEqual([{ phase: 'aborted', at: t0.toISOString(), reason: 'stale backups' }]);
  });

  it('completes without a switch when the plan has no routing', () => {
    const plan = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        delete d.spec.routing;
        d.spec.validate = [];
      }),
    );
    const f = restored(start(plan));
    expect(f.phase).toBe(Phase.Completed);
    expect(f.reason).toBe('restored and validated; no routing to switch');
  });

  it('ignores a duplicate restore-succeeded for a step that already ended', () => {
    const once = run(
      start(),
      { type: 'restore-started', step: 'restore:case-db', jobId: 'j-db', at: at(1) },
      { type: 'restore-succeeded', step: 'restore:case-db', at: at(600) },
    );
    const twice = transition(once, { type: 'restore-succeeded', step: 'restore:case-db', at: at(601) });
    expect(twice.ok).toBe(false);
  });
});
