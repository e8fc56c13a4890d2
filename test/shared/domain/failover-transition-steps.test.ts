/**
 * The failover state machine, step by step: every event a step's state does not fit is refused with
 * its reason (the state built in the test, so the refusal is the only thing that can go wrong), and
 * each phase is left with the reason the evidence log records.
 */
import { describe, expect, it } from 'vitest';
import { type Failover, type FailoverEvent, Phase } from '#shared/domain/failover.ts';
import { transition } from '#shared/domain/failover-transition.ts';
import {
  at,
  DB,
  F1,
  independent,
  inPhase,
  probed,
  probeRequested,
  requested,
  restore,
  restored,
  run,
  start,
  startDrill,
  started,
} from '../../support/failovers.ts';
import { awsPlanDoc, awsResource, loadPlan, withPlan } from '../../support/plans.ts';

/** case-web depends on case-api, which is not the first step. */
const chain = loadPlan(
  withPlan(awsPlanDoc(), (d) => {
    d.spec.resources = [
      awsResource('case-db'),
      awsResource('case-api'),
      awsResource('case-web', { dependsOn: ['case-api'] }),
    ];
  }),
);

describe('transition: events a step is not in the state for', () => {
  it.each<[string, () => Failover, FailoverEvent, string]>([
    [
      'a second start of a restore whose job is recorded',
      () => run(start(), requested(), started('j1')),
      requested(DB, 2),
      'step restore:case-db is running; it cannot be started now',
    ],
    [
      'a job id already recorded',
      () => run(start(), requested(), started('j1')),
      started('j1', DB, 2),
      'job j1 of step restore:case-db is already recorded',
    ],
    [
      'a second job for a step with a job',
      () => run(start(), requested(), started('j1')),
      started('j2', DB, 2),
      'step restore:case-db is running with job j1; job j2 is not its own',
    ],
    [
      'a job for a step never started',
      () => start(),
      started('j1'),
      'step restore:case-db is pending; job j1 is not its own',
    ],
    [
      'a failed start of a step never started',
      () => start(),
      { type: 'restore-start-failed', ...F1, step: DB, at: at(1), reason: 'x' },
      'step restore:case-db is pending; no start of it is pending',
    ],
    [
      'a failed start of a step whose job is recorded',
      () => run(start(), requested(), started('j1')),
      { type: 'restore-start-failed', ...F1, step: DB, at: at(1), reason: 'x' },
      'step restore:case-db is running; no start of it is pending',
    ],
    [
      'a restore-failed naming another job',
      () =>
        run(
          start(independent),
          requested(),
          started('j1'),
          requested('restore:case-api'),
          started('j2', 'restore:case-api'),
        ),
      { type: 'restore-failed', ...F1, step: 'restore:case-api', jobId: 'j9', at: at(5), reason: 'x' },
      'job j9 is not the job of step restore:case-api (j2)',
    ],
    [
      'the end of a job for a step whose job was never recorded',
      () => run(start(), requested()),
      { type: 'restore-succeeded', ...F1, step: DB, jobId: 'j1', at: at(9) },
      'job j1 is not the job of step restore:case-db (none recorded)',
    ],
    [
      'a start before the dependency (not the first step) succeeded',
      () => run(start(chain), ...restore(DB, 'j-db', 1, 10)),
      requested('restore:case-web', 11),
      'step restore:case-web is pending; it cannot be started now',
    ],
    [
      'a probe result while no probe runs',
      () => restored(start()),
      { type: 'probe-passed', ...F1, step: 'validate:1', at: at(1300), detail: '200' },
      'step validate:1 is pending; no probe of it is running',
    ],
    [
      'a probe failure while no probe runs',
      () => restored(start()),
      { type: 'probe-failed', ...F1, step: 'validate:1', at: at(1300), reason: '503' },
      'step validate:1 is pending; no probe of it is running',
    ],
    [
      'a probe failure of an attempt that is over',
      () =>
        run(
          restored(start()),
          probeRequested(1300),
          { type: 'probe-failed', ...F1, step: 'validate:1', at: at(1300), reason: '503', attempt: 1 },
          probeRequested(1400),
        ),
      { type: 'probe-failed', ...F1, step: 'validate:1', at: at(1401), reason: '503', attempt: 1 },
      'attempt 1 of step validate:1 is over; it is at attempt 2',
    ],
    [
      'a switch outcome before the switch was asked for',
      () => probed(restored(start())),
      { type: 'switched', ...F1, at: at(1400), detail: 'ok' },
      'the switch is pending',
    ],
    [
      'a switch failure before the switch was asked for',
      () => probed(restored(start())),
      { type: 'switch-failed', ...F1, at: at(1400), reason: 'denied' },
      'the switch is pending',
    ],
    [
      'an unknown switch outcome before the switch was asked for',
      () => probed(restored(start())),
      { type: 'switch-unknown', ...F1, at: at(1400), reason: 'timeout' },
      'the switch is pending',
    ],
    [
      'a switch request during the retry delay',
      () =>
        run(
          probed(restored(start())),
          { type: 'switch-requested', ...F1, at: at(1400) },
          {
            type: 'switch-failed',
            ...F1,
            at: at(1400),
            reason: 'denied',
          },
        ),
      { type: 'switch-requested', ...F1, at: at(1405) },
      'the switch is not to be tried before 2026-11-21T12:23:30.000Z',
    ],
    [
      'a restore request during the retry delay',
      () =>
        run(start(), requested(), { type: 'restore-start-failed', ...F1, step: DB, at: at(1), reason: 'x' }),
      requested(DB, 5),
      'step restore:case-db is not to be tried before 2026-11-21T12:00:11.000Z',
    ],
    [
      'an unknown switch outcome of an attempt that is over',
      () =>
        run(
          probed(restored(start())),
          { type: 'switch-requested', ...F1, at: at(1400) },
          { type: 'switch-unknown', ...F1, at: at(1400), reason: 'timeout', attempt: 1 },
          { type: 'switch-requested', ...F1, at: at(1400 + 10) },
        ),
      { type: 'switch-unknown', ...F1, at: at(1420), reason: 'timeout', attempt: 1 },
      'attempt 1 of the switch is over; it is at attempt 2',
    ],
  ])('refuses %s', (_what, make, event, reason) => {
    expect(transition(make(), event)).toEqual({ ok: false, reason });
  });

  it('asks again for a restore start whose answer was never recorded, keeping its first start time', () => {
    const f = run(start(), requested(DB, 1), requested(DB, 30));
    expect(f.steps[0]).toMatchObject({
      status: 'running',
      attempts: 2,
      startedAt: at(1).toISOString(),
      jobId: null,
    });
  });

  it('records the detail of a restore that succeeded', () => {
    const f = run(start(), requested(), started('j1'), {
      type: 'restore-succeeded',
      ...F1,
      step: DB,
      jobId: 'j1',
      at: at(9),
      detail: 'restored as case-db-dr',
    });
    expect(f.steps[0]).toMatchObject({ status: 'succeeded', detail: 'restored as case-db-dr' });
  });
});

describe('transition: ending while jobs run', () => {
  it('follows every running restore to its end before it ends, however many there are', () => {
    const finishing = run(
      start(independent),
      requested(DB),
      started('j-db'),
      requested('restore:case-api'),
      started('j-api', 'restore:case-api'),
      requested('restore:case-web'),
      started('j-web', 'restore:case-web'),
      { type: 'restore-failed', ...F1, step: DB, jobId: 'j-db', at: at(5), reason: 'boom' },
    );
    const one = run(finishing, {
      type: 'restore-succeeded',
      ...F1,
      step: 'restore:case-api',
      jobId: 'j-api',
      at: at(6),
    });
    expect(one.phase).toBe('finishing');
    const both = run(one, {
      type: 'restore-succeeded',
      ...F1,
      step: 'restore:case-web',
      jobId: 'j-web',
      at: at(7),
    });
    expect(both).toMatchObject({
      phase: 'failed',
      reason: 'restore of case-db failed: boom',
      endedAt: at(7).toISOString(),
    });
  });

  it('keeps finishing, logged once, when a second restore fails while others still run', () => {
    const finishing = run(
      start(independent),
      requested(DB),
      started('j-db'),
      requested('restore:case-api'),
      started('j-api', 'restore:case-api'),
      requested('restore:case-web'),
      started('j-web', 'restore:case-web'),
      { type: 'restore-failed', ...F1, step: DB, jobId: 'j-db', at: at(5), reason: 'boom' },
    );
    const f = run(finishing, {
      type: 'restore-failed',
      ...F1,
      step: 'restore:case-api',
      jobId: 'j-api',
      at: at(6),
      reason: 'bang',
    });
    expect(f).toMatchObject({
      phase: 'finishing',
      ending: { phase: 'failed', reason: 'restore of case-db failed: boom' },
    });
    expect(f.history.map((h) => h.phase)).toEqual(['restoring', 'finishing']);
  });

  it('fails a start that fails while finishing at once: nothing is retried once the failover is ending', () => {
    const finishing = run(start(independent), requested(DB), started('j-db'), requested('restore:case-api'), {
      type: 'restore-failed',
      ...F1,
      step: DB,
      jobId: 'j-db',
      at: at(5),
      reason: 'boom',
    });
    expect(finishing.phase).toBe('finishing');
    const f = run(finishing, {
      type: 'restore-start-failed',
      ...F1,
      step: 'restore:case-api',
      at: at(6),
      reason: 'quota',
    });
    expect(f.steps[1]).toMatchObject({
      status: 'failed',
      attempts: 1,
      endedAt: at(6).toISOString(),
      detail: 'quota',
    });
    expect(f).toMatchObject({ phase: 'failed', reason: 'restore of case-db failed: boom' });
  });

  it('aborts at once while a probe (not a restore) runs, ending the probe', () => {
    const f = run(restored(start()), probeRequested(1300), {
      type: 'abort',
      ...F1,
      at: at(1301),
      reason: 'operator',
    });
    expect(f).toMatchObject({ phase: 'aborted', reason: 'operator' });
    expect(f.steps.find((s) => s.kind === 'validate')).toMatchObject({
      status: 'skipped',
      endedAt: at(1301).toISOString(),
    });
    // A step that never started is skipped without an end time.
    expect(f.steps.find((s) => s.kind === 'switch')).toMatchObject({ status: 'skipped', endedAt: null });
  });
});

describe('transition: the reasons in the evidence log', () => {
  it('logs why each phase of a failover ended', () => {
    expect(inPhase[Phase.Completed].history.map((h) => [h.phase, h.reason])).toEqual([
      ['restoring', 'triggered by arn:alarm'],
      ['validating', 'every restore succeeded'],
      ['switching', 'every probe passed'],
      ['completed', 'traffic is on the recovery site'],
    ]);
    const f = run(
      probed(restored(start())),
      { type: 'switch-requested', ...F1, at: at(1301) },
      { type: 'switched', ...F1, at: at(1302), detail: 'weights 0/100' },
    );
    expect(f.history.map((h) => h.reason)).toEqual([
      'triggered by arn:alarm',
      'every restore succeeded',
      'every probe passed',
      'traffic is on the recovery site',
    ]);
  });

  it('logs a phase with nothing to do as such', () => {
    const plan = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        d.spec.validate = [];
      }),
    );
    expect(restored(start(plan)).history.map((h) => [h.phase, h.reason])).toEqual([
      ['restoring', 'triggered by arn:alarm'],
      ['validating', 'every restore succeeded'],
      ['switching', 'nothing to validate'],
    ]);
  });

  it('says a failed probe of a drill failed, without speaking of traffic', () => {
    const plan = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        d.spec.validate = [{ http: { url: 'https://case-api.dr.example.com/health', attempts: 1 } }];
      }),
    );
    const f = run(restored(startDrill(plan)), probeRequested(1300), {
      type: 'probe-failed',
      ...F1,
      step: 'validate:1',
      at: at(1301),
      reason: '503',
    });
    expect(f.history.at(-1)).toMatchObject({
      phase: 'tearing-down',
      reason: 'validation validate:1 failed: 503; tearing down what was restored',
    });
  });
});
