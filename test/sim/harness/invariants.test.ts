/**
 * Each invariant fires on the state that breaks it, and a clean completed failover passes them all:
 * the harness can fail, and says which invariant and why. The drill invariants: drill-invariants.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { InvariantChecker } from '#sim/harness/invariants.ts';
import { app, at, failover, input, restore, run, T0, Truth } from './checker-fixtures.ts';

describe('InvariantChecker', () => {
  it('refuses an app item written with a lower fencing token than one seen before', () => {
    const checker = new InvariantChecker(new Truth());
    expect(checker.check(input(app([], 'primary', 3)))).toEqual([]);
    expect(checker.check(input(app([], 'primary', 4)))).toEqual([]);
    expect(checker.check(input(app([], 'primary', 2))).map((v) => v.invariant)).toEqual([
      'fencing-token-grows',
    ]);
  });

  it('passes a failover that restored, then switched, then recorded it', () => {
    expect(
      run(
        (t) => {
          t.job('j1', 'F1-db');
          t.site = 'recovery';
        },
        app([failover({ phase: 'switching' })], 'primary'),
      ),
    ).toEqual([]);
  });

  it.each([
    {
      invariant: 'own-job',
      why: 'a step succeeded while its job still runs',
      truth: (t: Truth) => t.job('j1', 'F1-db', 'db', { endsAt: T0 + 999_000 }),
      state: app([failover({ phase: 'validating', steps: [restore()] })], 'primary'),
    },
    {
      invariant: 'own-job',
      why: "a step records another failover's job",
      truth: (t: Truth) => {
        t.job('j0', 'F0-db');
        t.job('j1', 'F1-db');
      },
      state: app(
        [
          failover({
            id: 'F0',
            phase: 'failed',
            steps: [restore({ idempotencyToken: 'F0-db', jobId: 'j0', status: 'failed' })],
          }),
          failover({ phase: 'validating', steps: [restore({ jobId: 'j0' })] }),
        ],
        'primary',
      ),
    },
    {
      invariant: 'own-job',
      why: 'a step succeeded without a job',
      truth: (t: Truth) => t.job('j1', 'F1-db'),
      state: app([failover({ phase: 'validating', steps: [restore({ jobId: null })] })], 'primary'),
    },
    {
      invariant: 'no-job-after-end',
      why: 'a job started for a failover that had already failed',
      truth: (t: Truth) => t.job('j1', 'F1-db'),
      state: app(
        [failover({ phase: 'failed', steps: [restore({ status: 'failed', jobId: null })] })],
        'primary',
      ),
    },
    {
      invariant: 'job-owned',
      why: 'a job started with a token no failover holds',
      truth: (t: Truth) => t.job('j9', 'nobody-db'),
      state: app([], 'primary'),
    },
    {
      invariant: 'approval-before-effect',
      why: 'a restore started before any approval of its failover',
      truth: (t: Truth) => t.job('j1', 'F1-db', 'db', { endsAt: T0 + 999_000 }),
      state: app(
        [
          failover({
            phase: 'restoring',
            steps: [restore({ status: 'running' })],
            approval: { expiresAt: at(1800), onTimeout: 'proceed' },
          }),
        ],
        'primary',
      ),
    },
    {
      invariant: 'switch-after-restores',
      why: 'traffic moved while a restore still ran',
      truth: (t: Truth) => {
        t.job('j1', 'F1-db', 'db', { endsAt: T0 + 999_000 });
        t.site = 'recovery';
      },
      state: app([failover({ phase: 'switching', steps: [restore({ status: 'running' })] })], 'primary'),
    },
    {
      invariant: 'stored-site',
      why: 'a failover recorded failed while traffic is on the recovery site',
      truth: (t: Truth) => {
        t.job('j1', 'F1-db');
        t.site = 'recovery';
      },
      state: app([failover({ phase: 'failed' })], 'primary'),
    },
    {
      invariant: 'never-both-off',
      why: 'no site receives traffic',
      truth: (t: Truth) => {
        t.site = 'none';
      },
      state: app([], 'primary'),
    },
    {
      invariant: 'one-in-flight',
      why: 'two failovers in flight',
      truth: () => {},
      state: app(
        [failover({ id: 'F0', phase: 'restoring', steps: [] }), failover({ phase: 'restoring', steps: [] })],
        'primary',
      ),
    },
    {
      invariant: 'history-order',
      why: 'a phase change recorded before the one it follows',
      truth: (t: Truth) => t.job('j1', 'F1-db'),
      state: app(
        [
          failover({
            phase: 'validating',
            history: [
              { phase: 'restoring', at: at(10) },
              { phase: 'validating', at: at(5) },
            ],
          }),
        ],
        'primary',
      ),
    },
    {
      invariant: 'one-failover-per-alarm',
      why: 'one ALARM fact started two failovers',
      truth: (t: Truth) => t.job('j1', 'F1-db'),
      state: app(
        [failover({ id: 'F0', phase: 'failed', steps: [] }), failover({ phase: 'validating' })],
        'primary',
      ),
    },
  ])('reports $invariant when $why', ({ invariant, truth, state }) => {
    expect(run(truth, state)).toContain(invariant);
  });

  it('reports restore-once when a failover starts a second job for one resource under a new token', () => {
    const truth = new Truth();
    const checker = new InvariantChecker(truth);
    truth.job('j1', 'F1-db-a', 'db', { endsAt: T0 + 999_000 });
    const running = (token: string, jobId: string) =>
      app(
        [
          failover({
            phase: 'restoring',
            steps: [restore({ status: 'running', idempotencyToken: token, jobId })],
          }),
        ],
        'primary',
      );
    expect(checker.check(input(running('F1-db-a', 'j1')))).toEqual([]);
    truth.job('j2', 'F1-db-b', 'db', { endsAt: T0 + 999_000 });
    expect(checker.check(input(running('F1-db-b', 'j2'))).map((v) => v.invariant)).toContain('restore-once');
  });

  it('accepts an effect after the approval was delivered, or once a proceed timeout has passed', () => {
    const waiting = app(
      [
        failover({
          phase: 'restoring',
          steps: [restore({ status: 'running' })],
          approval: { expiresAt: at(100), onTimeout: 'proceed' },
        }),
      ],
      'primary',
    );
    const started = (t: Truth) => t.job('j1', 'F1-db', 'db', { endsAt: T0 + 999_000 });
    expect(run(started, waiting, { approved: new Set(['F1']) })).toEqual([]);
    expect(run(started, waiting, { now: T0 + 100_000 })).toEqual([]);
  });
});
