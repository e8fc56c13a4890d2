/**
 * The failover state machine's contract, stated here rather than read from the module: which events
 * each phase takes (a table written out, not `ACCEPTS`), that every finished step records when it
 * finished, that a switch can always be asked for again while it runs, and that an event for a step
 * the failover does not have is a refusal, never an exception.
 */
import { describe, expect, it } from 'vitest';
import { type Failover, type FailoverEvent, type FailoverEventType, Phase } from '#shared/domain/failover.ts';
import { MAX_SWITCH_ATTEMPTS, RETRY_AFTER_SECONDS, transition } from '#shared/domain/failover-transition.ts';
import {
  at,
  eventSamples,
  F1,
  inPhase,
  probed,
  restore,
  restored,
  run,
  start,
} from '../../support/failovers.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const restoreEvents = [
  'restore-requested',
  'restore-started',
  'restore-start-failed',
  'restore-succeeded',
  'restore-failed',
] as const;
/** What each phase takes, written out from SPEC §4. */
const TAKES: Record<Phase, readonly FailoverEventType[]> = {
  'awaiting-approval': ['approved', 'rejected', 'approval-expired', 'abort'],
  restoring: [...restoreEvents, 'abort'],
  validating: ['probe-requested', 'probe-passed', 'probe-failed', 'abort'],
  // Once traffic moves the failover is finished forward: no abort.
  switching: ['switch-requested', 'switched', 'switch-failed', 'switch-unknown'],
  finishing: [...restoreEvents],
  'tearing-down': ['teardown-requested', 'torn-down', 'teardown-waiting', 'teardown-failed'],
  completed: [],
  aborted: [],
  failed: [],
};

describe('transition: what each phase takes', () => {
  it.each(
    Object.values(Phase).flatMap((phase) =>
      (Object.keys(eventSamples) as FailoverEventType[]).map((type) => [phase, type] as const),
    ),
  )('a %s failover takes %s only when SPEC §4 says so', (phase, type) => {
    const result = transition(inPhase[phase], eventSamples[type]);
    const refusedByPhase = !result.ok && result.reason === `a ${phase} failover does not accept ${type}`;
    expect(refusedByPhase).toBe(!TAKES[phase].includes(type));
  });

  it.each(['awaiting-approval', 'restoring', 'validating'] as const)('aborts a %s failover', (phase) => {
    const f = run(inPhase[phase], { type: 'abort', ...F1, at: at(5000), reason: 'operator' });
    expect(f).toMatchObject({ phase: 'aborted', reason: 'operator', endedAt: at(5000).toISOString() });
  });
});

describe('transition: the switch', () => {
  const ask = () => run(inPhase[Phase.Switching], { type: 'switch-requested', ...F1, at: at(1400) });

  it('starts the switch when it is asked for: running, first attempt, start time recorded', () => {
    expect(ask().steps.at(-1)).toMatchObject({
      kind: 'switch',
      status: 'running',
      attempts: 1,
      startedAt: at(1400).toISOString(),
      notBefore: null,
    });
  });

  it('takes the request again while the switch runs with no outcome recorded (a crash between ask and answer)', () => {
    const again = transition(ask(), { type: 'switch-requested', ...F1, at: at(1460) });
    expect(again.ok && again.failover.steps.at(-1)).toMatchObject({
      status: 'running',
      attempts: 2,
      startedAt: at(1400).toISOString(),
    });
  });

  it('retries a failed switch after the delay, then fails the step and the failover for good', () => {
    let f = ask();
    for (let attempt = 1; attempt < MAX_SWITCH_ATTEMPTS; attempt++) {
      f = run(f, { type: 'switch-failed', ...F1, at: at(1400 + attempt), reason: 'denied' });
      expect(f.phase).toBe('switching');
      expect(f.steps.at(-1)).toMatchObject({
        status: 'pending',
        endedAt: null,
        notBefore: at(1400 + attempt + RETRY_AFTER_SECONDS).toISOString(),
      });
      f = run(f, { type: 'switch-requested', ...F1, at: at(1400 + attempt + RETRY_AFTER_SECONDS) });
    }
    const failed = run(f, { type: 'switch-failed', ...F1, at: at(1500), reason: 'denied' });
    expect(failed).toMatchObject({ phase: 'failed', endedAt: at(1500).toISOString() });
    expect(failed.steps.at(-1)).toMatchObject({
      status: 'failed',
      attempts: MAX_SWITCH_ATTEMPTS,
      endedAt: at(1500).toISOString(),
      detail: 'denied',
    });
  });
});

describe('transition: every finished step records when it finished', () => {
  const last = (f: Failover, name: string) => f.steps.find((s) => s.name === name);

  it.each<[string, () => Failover, string, number]>([
    [
      'a restore that succeeded',
      () => run(start(), ...restore('restore:case-db', 'j', 1, 600)),
      'restore:case-db',
      600,
    ],
    [
      'a restore that failed',
      () =>
        run(
          start(),
          { type: 'restore-requested', ...F1, step: 'restore:case-db', at: at(1) },
          { type: 'restore-started', ...F1, step: 'restore:case-db', jobId: 'j', at: at(1) },
          { type: 'restore-failed', ...F1, step: 'restore:case-db', jobId: 'j', at: at(77), reason: 'x' },
        ),
      'restore:case-db',
      77,
    ],
    ['a probe that passed', () => probed(restored(start())), 'validate:1', 1300],
    [
      'a probe that failed for good',
      () =>
        run(
          restored(
            start(
              loadPlan(
                withPlan(awsPlanDoc(), (d) => {
                  d.spec.validate = [
                    { http: { url: 'https://case-api.dr.example.com/health', attempts: 1 } },
                  ];
                }),
              ),
            ),
          ),
          { type: 'probe-requested', ...F1, step: 'validate:1', at: at(1300) },
          { type: 'probe-failed', ...F1, step: 'validate:1', at: at(1333), reason: '503' },
        ),
      'validate:1',
      1333,
    ],
    ['a switch that succeeded', () => inPhase[Phase.Completed], 'switch', 1301],
  ])('%s', (_what, make, name, endedAt) => {
    expect(last(make(), name)?.endedAt).toBe(at(endedAt).toISOString());
  });

  it('a teardown that succeeded or failed for good', () => {
    const tearing = inPhase[Phase.TearingDown];
    const step = tearing.steps.find((s) => s.kind === 'teardown' && s.status === 'pending');
    if (!step) throw new Error('the drill fixture has no pending teardown step');
    const asked = { type: 'teardown-requested', ...F1, step: step.name } as const;
    const done = run(
      tearing,
      { ...asked, at: at(2000) },
      { type: 'torn-down', ...F1, step: step.name, at: at(2001), detail: 'deleted' },
    );
    expect(last(done, step.name)).toMatchObject({ status: 'succeeded', endedAt: at(2001).toISOString() });
    let f = tearing;
    for (let i = 0; i < 3; i++)
      f = run(
        f,
        { ...asked, at: at(2000 + i * 100) },
        { type: 'teardown-failed', ...F1, step: step.name, at: at(2050 + i * 100), reason: 'denied' },
      );
    expect(last(f, step.name)).toMatchObject({ status: 'failed', endedAt: at(2250).toISOString() });
  });
});

describe('transition: probes', () => {
  const twoProbes = loadPlan(
    withPlan(awsPlanDoc(), (d) => {
      d.spec.validate = [
        { http: { url: 'https://case-api.dr.example.com/health' } },
        { http: { url: 'https://case-api.dr.example.com/ready' } },
      ];
    }),
  );

  it('never runs a probe again once it passed', () => {
    const f = run(
      restored(start(twoProbes)),
      { type: 'probe-requested', ...F1, step: 'validate:1', at: at(1300) },
      { type: 'probe-passed', ...F1, step: 'validate:1', at: at(1301), detail: '200' },
    );
    expect(f.phase).toBe('validating');
    expect(transition(f, { type: 'probe-requested', ...F1, step: 'validate:1', at: at(1400) })).toEqual({
      ok: false,
      reason: 'step validate:1 is succeeded; it cannot run now',
    });
  });
});

describe('transition: an event for a step the failover does not have', () => {
  const step = 'restore:nobody';
  it.each(
    (
      [
        ['restoring', { type: 'restore-requested', ...F1, step, at: at(5) }],
        ['restoring', { type: 'restore-started', ...F1, step, jobId: 'j', at: at(5) }],
        ['restoring', { type: 'restore-start-failed', ...F1, step, at: at(5), reason: 'x' }],
        ['restoring', { type: 'restore-succeeded', ...F1, step, jobId: 'j', at: at(5) }],
        ['restoring', { type: 'restore-failed', ...F1, step, jobId: 'j', at: at(5), reason: 'x' }],
        ['finishing', { type: 'restore-failed', ...F1, step, jobId: 'j', at: at(5), reason: 'x' }],
        ['validating', { type: 'probe-requested', ...F1, step: 'validate:9', at: at(5) }],
        ['validating', { type: 'probe-passed', ...F1, step: 'validate:9', at: at(5), detail: '200' }],
        ['validating', { type: 'probe-failed', ...F1, step: 'validate:9', at: at(5), reason: '503' }],
        ['tearing-down', { type: 'teardown-requested', ...F1, step: 'teardown:nobody', at: at(5) }],
        ['tearing-down', { type: 'torn-down', ...F1, step: 'teardown:nobody', at: at(5), detail: 'x' }],
        ['tearing-down', { type: 'teardown-failed', ...F1, step: 'teardown:nobody', at: at(5), reason: 'x' }],
      ] as [Phase, FailoverEvent][]
    ).map(([phase, event]) => [phase, event.type, event] as const),
  )(
    'in phase %s, %s for a step it does not have is refused naming the step, without throwing',
    (phase, _type, event) => {
      const name = 'step' in event ? event.step : '';
      const kind = name.split(':')[0] === 'validate' ? 'validate' : name.split(':')[0];
      expect(transition(inPhase[phase], event)).toEqual({
        ok: false,
        reason: `failover f1 has no ${kind} step named ${name}`,
      });
    },
  );

  it('refuses a step event naming a step of another kind (a probe event for a restore step)', () => {
    expect(
      transition(inPhase[Phase.Validating], {
        type: 'probe-requested',
        ...F1,
        step: 'restore:case-db',
        at: at(5),
      }),
    ).toEqual({ ok: false, reason: 'failover f1 has no validate step named restore:case-db' });
  });
});
