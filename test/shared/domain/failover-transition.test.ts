import { describe, expect, it } from 'vitest';
import { createFailover, type FailoverEventType, Phase, StepStatus } from '#shared/domain/failover.ts';
import {
  ACCEPTS,
  MAX_RESTORE_START_ATTEMPTS,
  MAX_SWITCH_ATTEMPTS,
  RETRY_AFTER_SECONDS,
  transition,
} from '#shared/domain/failover-transition.ts';
import {
  approvalPlan,
  at,
  automatic,
  eventSamples,
  F1,
  inPhase,
  probed,
  restore,
  restored,
  run,
  start,
  startDrill,
  t0,
  trigger,
} from '../../support/failovers.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const samples = eventSamples;

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
      expect(result).toEqual({ ok: false, reason: `a ${phase} failover does not accept ${type}` });
    } else if (result.ok) {
      // An accepted event never drops the history: every phase change stays logged.
      expect(result.failover.history.slice(0, f.history.length)).toEqual(f.history);
    } else {
      // The phase accepts the event; only its content (a step's state, a job, a deadline) may refuse it.
      expect(result.reason).not.toContain('does not accept');
    }
  });

  it.each(Object.keys(samples) as FailoverEventType[])(
    'refuses %s when it names another failover, whatever the phase',
    (type) => {
      for (const f of Object.values(inPhase)) {
        const result = transition(f, { ...samples[type], failoverId: 'f2' });
        expect(result).toEqual({ ok: false, reason: 'the event is for failover f2; this is failover f1' });
      }
    },
  );

  it('starts automatic failovers in restoring with the plan stored and every step pending', () => {
    const f = start();
    expect(f).toMatchObject({ phase: Phase.Restoring, purpose: 'failover', plan: automatic, decision: null });
    expect(f.history).toEqual([
      { phase: 'restoring', at: t0.toISOString(), reason: 'triggered by arn:alarm' },
    ]);
    expect(f.steps.map((s) => [s.kind, s.name, s.status])).toEqual([
      ['restore', 'restore:case-db', 'pending'],
      ['restore', 'restore:case-api', 'pending'],
      ['validate', 'validate:1', 'pending'],
      ['switch', 'switch', 'pending'],
    ]);
    expect(f.steps[0]).toMatchObject({
      resource: 'case-db',
      recoveryPoint: 'rp-db',
      idempotencyToken: 'f1-case-db',
    });
  });

  it('caps the idempotency token at 64 characters', () => {
    const f = createFailover({ id: 'x'.repeat(60), plan: automatic, trigger, at: t0, recoveryPoints: {} });
    expect(f.steps.flatMap((s) => (s.kind === 'restore' ? [s.idempotencyToken.length] : []))).toEqual([
      64, 64,
    ]);
  });

  it('walks restoring → validating → switching → completed, logging every phase in order, every step with an end', () => {
    const f = inPhase[Phase.Completed];
    expect(f.history.map((h) => h.phase)).toEqual(['restoring', 'validating', 'switching', 'completed']);
    expect(f.endedAt).toBe(at(1301).toISOString());
    expect(f.steps.every((s) => s.status === StepStatus.Succeeded && s.endedAt !== null)).toBe(true);
  });

  it('refuses to start a restore before its dependencies succeeded', () => {
    const r = transition(start(), { type: 'restore-requested', ...F1, step: 'restore:case-api', at: at(1) });
    expect(r).toEqual({ ok: false, reason: 'step restore:case-api is pending; it cannot be started now' });
  });

  it('never lets the end of another job move a step: only its own job succeeds it', () => {
    const running = run(
      start(),
      { type: 'restore-requested', ...F1, step: 'restore:case-db', at: at(1) },
      { type: 'restore-started', ...F1, step: 'restore:case-db', jobId: 'j-own', at: at(1) },
    );
    const other = transition(running, {
      type: 'restore-succeeded',
      ...F1,
      step: 'restore:case-db',
      jobId: 'j-old',
      at: at(60),
    });
    expect(other).toEqual({ ok: false, reason: 'job j-old is not the job of step restore:case-db (j-own)' });
  });

  it('ignores a duplicate restore-succeeded for a step that already ended', () => {
    const once = run(start(), ...restore('restore:case-db', 'j-db', 1, 600));
    const twice = transition(once, {
      type: 'restore-succeeded',
      ...F1,
      step: 'restore:case-db',
      jobId: 'j-db',
      at: at(601),
    });
    expect(twice).toEqual({ ok: false, reason: 'step restore:case-db is already succeeded' });
  });

  it('retries a failed restore start with the same token after a delay, then fails the step', () => {
    let f = start();
    for (let attempt = 1; attempt <= MAX_RESTORE_START_ATTEMPTS; attempt++) {
      const now = attempt * RETRY_AFTER_SECONDS;
      f = run(
        f,
        { type: 'restore-requested', ...F1, step: 'restore:case-db', at: at(now) },
        { type: 'restore-start-failed', ...F1, step: 'restore:case-db', at: at(now), reason: 'throttled' },
      );
      expect(f.steps[0]).toMatchObject({ attempts: attempt });
    }
    expect(f.phase).toBe(Phase.Failed);
    expect(f.reason).toBe('restore of case-db could not start: throttled');
  });

  it('follows running sibling jobs to their end after a restore failed, then ends failed', () => {
    const f = inPhase[Phase.Finishing];
    expect(f.ending).toEqual({ phase: 'failed', reason: 'restore of case-db failed: boom' });
    expect(f.history.at(-1)?.reason).toBe(
      'restore of case-db failed: boom; following 1 running restore job(s) to their end',
    );
    const ended = run(f, {
      type: 'restore-succeeded',
      ...F1,
      step: 'restore:case-api',
      jobId: 'j-api',
      createdResource: 'arn:created',
      at: at(700),
    });
    expect(ended).toMatchObject({ phase: 'failed', reason: 'restore of case-db failed: boom', ending: null });
    expect(ended.steps[1]).toMatchObject({ status: 'succeeded', createdResource: 'arn:created' });
    expect(ended.steps.find((s) => s.kind === 'switch')?.status).toBe(StepStatus.Skipped);
  });

  it('retries a failed probe up to its attempts, then fails without switching', () => {
    let f = inPhase[Phase.Validating];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const now = 2000 + attempt * RETRY_AFTER_SECONDS;
      f = run(
        f,
        { type: 'probe-requested', ...F1, step: 'validate:1', at: at(now) },
        { type: 'probe-failed', ...F1, step: 'validate:1', at: at(now), reason: '503' },
      );
    }
    expect(f.phase).toBe(Phase.Failed);
    expect(f.reason).toBe('validation validate:1 failed: 503; traffic not switched');
    expect(f.steps.find((s) => s.kind === 'switch')?.status).toBe(StepStatus.Skipped);
  });

  it('does not try a probe again before its notBefore', () => {
    const f = run(
      inPhase[Phase.Validating],
      { type: 'probe-requested', ...F1, step: 'validate:1', at: at(2000) },
      { type: 'probe-failed', ...F1, step: 'validate:1', at: at(2000), reason: '503' },
    );
    const early = transition(f, { type: 'probe-requested', ...F1, step: 'validate:1', at: at(2005) });
    expect(early.ok).toBe(false);
  });

  it('keeps a switch of unknown outcome running until it is read back, and fails only after repeated definite failures', () => {
    const asked = run(inPhase[Phase.Switching], { type: 'switch-requested', ...F1, at: at(1400) });
    const unknown = run(asked, { type: 'switch-unknown', ...F1, at: at(1400), reason: 'timeout' });
    expect(unknown).toMatchObject({ phase: Phase.Switching });
    expect(unknown.steps.at(-1)).toMatchObject({ status: 'running', detail: 'outcome unknown: timeout' });
    let f = unknown;
    for (let attempt = 2; attempt <= MAX_SWITCH_ATTEMPTS; attempt++) {
      const now = 1400 + attempt * RETRY_AFTER_SECONDS;
      f = run(
        f,
        { type: 'switch-requested', ...F1, at: at(now) },
        { type: 'switch-failed', ...F1, at: at(now), reason: 'denied' },
      );
    }
    expect(f).toMatchObject({
      phase: Phase.Failed,
      reason: 'traffic switch failed: denied; traffic stays on the primary',
    });
  });

  it('ignores a switch outcome observed in an earlier attempt (a paused controller’s stale read)', () => {
    const first = run(inPhase[Phase.Switching], { type: 'switch-requested', ...F1, at: at(1400) });
    const second = run(
      first,
      { type: 'switch-unknown', ...F1, at: at(1400), reason: 'timeout', attempt: 1 },
      { type: 'switch-requested', ...F1, at: at(1400 + RETRY_AFTER_SECONDS) },
    );
    const stale = transition(second, {
      type: 'switch-failed',
      ...F1,
      at: at(1500),
      reason: 'read primary',
      attempt: 1,
    });
    expect(stale).toEqual({ ok: false, reason: 'attempt 1 of the switch is over; it is at attempt 2' });
  });

  it('records the decision with its nonce in the same transition as the approval', () => {
    const f = run(start(approvalPlan()), {
      type: 'approved',
      ...F1,
      at: at(5),
      by: 'alice',
      authenticated: true,
      recipient: 'sns:topic',
      nonce: 'n1',
    });
    expect(f).toMatchObject({
      phase: 'restoring',
      decision: {
        decision: 'approve',
        by: 'alice',
        authenticated: true,
        recipient: 'sns:topic',
        nonce: 'n1',
      },
    });
  });

  it.each([
    ['abort', 'approval timed out; onTimeout is abort', Phase.Aborted],
    ['proceed', 'approval timed out; onTimeout is proceed', Phase.Restoring],
  ] as const)('settles an expired approval with onTimeout %s', (onTimeout, reason, phase) => {
    const f = run(start(approvalPlan(onTimeout)), {
      type: 'approval-expired',
      ...F1,
      at: at(1800),
      requestDelivered: true,
    });
    expect(f.phase).toBe(phase);
    expect(f.history.at(-1)?.reason).toBe(reason);
  });

  it('does not proceed on silence when no approval request was ever delivered (fails closed)', () => {
    const f = run(start(approvalPlan('proceed')), {
      type: 'approval-expired',
      ...F1,
      at: at(1800),
      requestDelivered: false,
    });
    expect(f).toMatchObject({ phase: Phase.Aborted });
    expect(f.reason).toContain('no approval request was ever delivered');
  });

  it('refuses an approval expiry before the deadline', () => {
    const r = transition(start(approvalPlan()), {
      type: 'approval-expired',
      ...F1,
      at: at(1799),
      requestDelivered: true,
    });
    expect(r).toEqual({ ok: false, reason: 'the approval request has not expired yet' });
  });

  it('records a gate refusal as an aborted failover with its reason', () => {
    const f = createFailover({
      id: 'f2',
      plan: automatic,
      trigger,
      at: t0,
      recoveryPoints: {},
      refusedBecause: 'stale',
    });
    expect(f).toMatchObject({ phase: Phase.Aborted, reason: 'stale', endedAt: t0.toISOString() });
    expect(f.steps.every((s) => s.status === StepStatus.Skipped)).toBe(true);
  });

  it('completes without a switch when the plan has no routing', () => {
    const plan = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        delete d.spec.routing;
        d.spec.validate = [];
      }),
    );
    const f = restored(start(plan));
    expect(f).toMatchObject({
      phase: Phase.Completed,
      reason: 'restored and validated; no routing to switch',
    });
  });

  it('aborts a validating failover, skipping the probes and the switch', () => {
    const f = run(inPhase[Phase.Validating], { type: 'abort', ...F1, at: at(1300), reason: 'operator' });
    expect(f).toMatchObject({ phase: Phase.Aborted, reason: 'operator' });
    expect(probed).toBeDefined();
  });

  it("fails a drill's teardown, naming the resource, when its restore was asked for and no job was ever recorded", () => {
    const step = 'restore:case-db';
    const asked = run(startDrill(), { type: 'restore-requested', ...F1, step, at: at(1) });
    const aborted = run(asked, { type: 'abort', ...F1, at: at(60), reason: 'preempted by failover f2' });
    expect(aborted.phase).toBe(Phase.Finishing);
    const ended = run(
      aborted,
      { type: 'restore-requested', ...F1, step, at: at(120) },
      { type: 'restore-start-failed', ...F1, step, at: at(121), reason: 'throttled' },
    );
    expect(ended).toMatchObject({
      phase: Phase.Failed,
      reason: 'preempted by failover f2; teardown left case-db behind: delete by hand',
    });
    expect(ended.steps.find((s) => s.name === 'teardown:case-db')).toMatchObject({
      status: StepStatus.Failed,
      detail: expect.stringContaining('asked for 2 time(s) and no job was ever recorded'),
    });
    expect(ended.steps.find((s) => s.name === 'teardown:case-api')).toMatchObject({
      status: StepStatus.Skipped,
      detail: 'its restore created nothing',
    });
  });
});
