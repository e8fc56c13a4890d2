/**
 * A drill's tear-down while a delete takes a while (an Aurora or EKS cluster): polls of a delete in
 * progress wait 30 s each and cost no attempt; a failure still has its 3 attempts, polls not counted;
 * a delete still in progress 2 h after it was first found so fails its step, named for a human.
 */
import { describe, expect, it } from 'vitest';
import {
  type Failover,
  type FailoverEvent,
  type RestoreStep,
  type Step,
  StepStatus,
  type TeardownStep,
} from '#shared/domain/failover.ts';
import {
  leftBehind,
  leftBehindReason,
  MAX_TEARDOWN_ATTEMPTS,
  TEARDOWN_POLL_SECONDS,
  TEARDOWN_WAIT_LIMIT_SECONDS,
  teardownPlan,
} from '#shared/domain/failover-teardown.ts';
import { transition } from '#shared/domain/failover-transition.ts';
import { at, automatic, F1, probed, restored, run, startDrill } from '../../support/failovers.ts';

const DB = 'teardown:case-db';
const asked = (s: number): FailoverEvent => ({ type: 'teardown-requested', ...F1, step: DB, at: at(s) });
const waiting = (s: number, detail = 'deleting 2 cluster instances'): FailoverEvent => ({
  type: 'teardown-waiting',
  ...F1,
  step: DB,
  at: at(s),
  detail,
});
const failed = (s: number): FailoverEvent => ({
  type: 'teardown-failed',
  ...F1,
  step: DB,
  at: at(s),
  reason: 'throttled',
});
const gone = (s: number): FailoverEvent => ({
  type: 'torn-down',
  ...F1,
  step: DB,
  at: at(s),
  detail: 'deleted',
});
const stepOf = (f: Failover) => f.steps.find((s) => s.name === DB);
const tearing = () => probed(restored(startDrill(automatic)));

describe('transition: a delete that takes a while', () => {
  it('asks again 30 s after each poll that finds the delete in progress, remembering when it was first found', () => {
    const f = run(tearing(), asked(2000), waiting(2001), asked(2031), waiting(2032, 'cluster deleting'));
    expect(TEARDOWN_POLL_SECONDS).toBe(30);
    expect(f.phase).toBe('tearing-down');
    expect(stepOf(f)).toMatchObject({
      status: 'pending',
      attempts: 2,
      waits: 2,
      deletingSince: at(2001).toISOString(),
      notBefore: at(2062).toISOString(),
      detail: 'cluster deleting',
      endedAt: null,
    });
    expect(transition(f, asked(2061))).toEqual({
      ok: false,
      reason: `step ${DB} is not to be tried before ${at(2062).toISOString()}`,
    });
  });

  it('counts no poll as a failed attempt: after any number of polls a failure is still retried', () => {
    let f = run(tearing(), asked(2000));
    for (let i = 1; i <= 10; i++) f = run(f, waiting(2000 + i * 31 - 30), asked(2000 + i * 31));
    f = run(f, failed(2400));
    expect(stepOf(f)).toMatchObject({ status: 'pending', attempts: 11, waits: 10, detail: 'throttled' });
  });

  it('still fails a delete after its attempts run out, polls between them not counted', () => {
    let f = run(tearing(), asked(2000), waiting(2001), asked(2040));
    for (let i = 0; i < MAX_TEARDOWN_ATTEMPTS; i++)
      f = run(f, ...(i ? [asked(2100 + i * 20)] : []), failed(2101 + i * 20));
    expect(stepOf(f)).toMatchObject({ status: 'failed', attempts: 4, waits: 1, detail: 'throttled' });
    expect(f.phase).toBe('tearing-down'); // case-api is still to be deleted
  });

  it('completes the drill once the delete is found done', () => {
    let f = run(tearing(), asked(2000), waiting(2001), asked(2031), gone(2032));
    expect(stepOf(f)).toMatchObject({
      status: 'succeeded',
      endedAt: at(2032).toISOString(),
      detail: 'deleted',
    });
    f = run(
      f,
      { type: 'teardown-requested', ...F1, step: 'teardown:case-api', at: at(2040) },
      {
        type: 'torn-down',
        ...F1,
        step: 'teardown:case-api',
        at: at(2041),
        detail: 'deleted',
      },
    );
    expect(f.phase).toBe('completed');
  });

  it('fails the step when the delete is still in progress 2 h after it was first found so', () => {
    const limit = TEARDOWN_WAIT_LIMIT_SECONDS;
    expect(limit).toBe(7200);
    const justBefore = run(
      tearing(),
      asked(2000),
      waiting(2001),
      asked(2001 + limit - 60),
      waiting(2001 + limit - 30),
    );
    expect(stepOf(justBefore)).toMatchObject({ status: 'pending', waits: 2 });
    const after = run(justBefore, asked(2001 + limit), waiting(2001 + limit, 'cluster deleting'));
    expect(stepOf(after)).toMatchObject({
      status: 'failed',
      endedAt: at(2001 + limit).toISOString(),
      detail: `still being deleted since ${at(2001).toISOString()}: cluster deleting`,
    });
  });

  it('refuses a poll outcome for a step whose delete is not running', () => {
    for (const f of [tearing(), run(tearing(), asked(2000), gone(2001))])
      expect(transition(f, waiting(2002))).toEqual({
        ok: false,
        reason: `step ${DB} is ${stepOf(f)?.status}; no delete of it is running`,
      });
  });
});

const base = { startedAt: null, endedAt: null, attempts: 0, notBefore: null } as const;
const restoreStep = (resource: string, over: Partial<RestoreStep> = {}): RestoreStep => ({
  ...base,
  kind: 'restore',
  name: `restore:${resource}`,
  status: StepStatus.Succeeded,
  resource,
  dependsOn: [],
  recoveryPoint: 'rp',
  idempotencyToken: `t-${resource}`,
  jobId: `j-${resource}`,
  ...over,
});
const teardownStep = (resource: string, over: Partial<TeardownStep> = {}): TeardownStep => ({
  ...base,
  kind: 'teardown',
  name: `teardown:${resource}`,
  status: StepStatus.Pending,
  resource,
  ...over,
});
const when = new Date('2026-11-21T14:00:00Z');
const outcome = (steps: readonly Step[]) =>
  teardownPlan(steps, when).map((s) => [s.name, s.status, s.detail ?? null]);

describe('teardownPlan: which tear-down steps have anything to delete', () => {
  it.each([
    ['a restore that succeeded: its teardown runs', restoreStep('db'), ['pending', null]],
    [
      'a restore never asked for (failed before its turn): nothing to delete',
      restoreStep('db', { status: StepStatus.Failed, jobId: null, attempts: 0 }),
      ['skipped', 'its restore created nothing'],
    ],
    [
      'a restore skipped after one unanswered ask: nothing it could have created counts',
      restoreStep('db', { status: StepStatus.Skipped, jobId: null, attempts: 1 }),
      ['skipped', 'its restore created nothing'],
    ],
    [
      'a restore whose job failed: nothing to delete',
      restoreStep('db', { status: StepStatus.Failed, attempts: 1 }),
      ['skipped', 'its restore created nothing'],
    ],
    [
      'a restore asked for and never answered with a job: may have created something — fails, for a human',
      restoreStep('db', { status: StepStatus.Failed, jobId: null, attempts: 2 }),
      [
        'failed',
        'its restore was asked for 2 time(s) and no job was ever recorded; if one started, it restored db under its drill name: find it and delete it by hand',
      ],
    ],
  ] as const)('%s', (_name, restore, [status, detail]) => {
    expect(outcome([restore, teardownStep('db')])).toEqual([
      ['restore:db', restore.status, null],
      ['teardown:db', status, detail],
    ]);
  });

  it('skips a teardown step whose resource has no restore step, and leaves steps of other kinds alone', () => {
    const validate: Step = {
      ...base,
      kind: 'validate',
      name: 'validate:1',
      status: StepStatus.Pending,
      probe: 0,
      url: 'https://x',
      maxAttempts: 1,
    };
    expect(outcome([validate, teardownStep('cache')])).toEqual([
      ['validate:1', 'pending', null],
      ['teardown:cache', 'skipped', 'its restore created nothing'],
    ]);
  });

  it('leaves a teardown step that is no longer pending as it is', () => {
    const done = teardownStep('db', { status: StepStatus.Succeeded, detail: 'deleted' });
    expect(teardownPlan([restoreStep('db', { status: StepStatus.Failed }), done], when)[1]).toBe(done);
  });
});

describe('leftBehind: what failed teardown steps leave', () => {
  it('names the resources of failed teardown steps only (not of failed restores)', () => {
    expect(
      leftBehind([
        restoreStep('api', { status: StepStatus.Failed }),
        teardownStep('db', { status: StepStatus.Failed }),
        teardownStep('api', { status: StepStatus.Succeeded }),
        teardownStep('web', { status: StepStatus.Skipped }),
      ]),
    ).toEqual(['db']);
    expect(leftBehindReason(['db', 'web'])).toBe('teardown left db, web behind: delete by hand');
  });
});
