/**
 * The failover state machine for drills and the evidence log (see failover-transition-steps.test.ts),
 * step by step: every event a step's state does not fit is refused with
 * its reason (the state built in the test, so the refusal is the only thing that can go wrong), and
 * each phase is left with the reason the evidence log records.
 */
import { describe, expect, it } from 'vitest';
import { createFailover } from '#shared/domain/failover.ts';
import { transition } from '#shared/domain/failover-transition.ts';
import {
  approvalPlan,
  at,
  automatic,
  DB,
  F1,
  independent,
  points,
  probed,
  probeRequested,
  requested,
  restore,
  restored,
  run,
  start,
  startDrill,
  started,
  t0,
  trigger,
} from '../../support/failovers.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

describe('transition: a drill tears down what it restored', () => {
  it('skips the teardown of a resource whose restore created nothing, and deletes the others', () => {
    const f = run(
      startDrill(independent),
      ...restore(DB, 'j-db', 1, 10),
      requested('restore:case-api', 11),
      started('j-api', 'restore:case-api', 11),
      { type: 'abort', ...F1, at: at(12), reason: 'operator' },
      { type: 'restore-failed', ...F1, step: 'restore:case-api', jobId: 'j-api', at: at(20), reason: 'x' },
    );
    expect(f.phase).toBe('tearing-down');
    expect(
      f.steps.filter((s) => s.kind === 'teardown').map((s) => [s.name, s.status, s.detail ?? null]),
    ).toEqual([
      ['teardown:case-db', 'pending', null],
      ['teardown:case-api', 'skipped', 'its restore created nothing'],
      ['teardown:case-web', 'skipped', 'its restore created nothing'],
    ]);
  });

  it('refuses to delete again what was deleted', () => {
    const tearing = probed(restored(startDrill(automatic)));
    const f = run(
      tearing,
      { type: 'teardown-requested', ...F1, step: 'teardown:case-db', at: at(2000) },
      { type: 'torn-down', ...F1, step: 'teardown:case-db', at: at(2001), detail: 'deleted' },
    );
    expect(
      transition(f, { type: 'teardown-requested', ...F1, step: 'teardown:case-db', at: at(2002) }),
    ).toEqual({
      ok: false,
      reason: 'step teardown:case-db is succeeded; it cannot run now',
    });
    for (const event of [
      { type: 'torn-down', ...F1, step: 'teardown:case-api', at: at(2003), detail: 'x' },
      { type: 'teardown-failed', ...F1, step: 'teardown:case-api', at: at(2003), reason: 'x' },
    ] as const)
      expect(transition(f, event)).toEqual({
        ok: false,
        reason: 'step teardown:case-api is pending; no delete of it is running',
      });
  });

  it('ends after the teardown, naming what it left behind', () => {
    let f = probed(restored(startDrill(automatic)));
    for (const r of ['case-db', 'case-api'])
      for (let i = 0; i < 3; i++)
        f = run(
          f,
          { type: 'teardown-requested', ...F1, step: `teardown:${r}`, at: at(2000 + i * 100) },
          { type: 'teardown-failed', ...F1, step: `teardown:${r}`, at: at(2001 + i * 100), reason: 'denied' },
        );
    expect(f).toMatchObject({
      phase: 'failed',
      reason: 'teardown left case-db, case-api behind: delete by hand',
    });
  });
});

describe('transition: the evidence log keeps its order', () => {
  it('stamps a phase change observed by a controller whose clock runs behind no earlier than the last entry', () => {
    const f = run(start(approvalPlan()), {
      type: 'approved',
      ...F1,
      at: at(-5),
      by: 'ops',
      authenticated: true,
      recipient: 'sns:topic',
      nonce: 'n1',
    });
    expect(f.history.map((h) => h.at)).toEqual([at(0).toISOString(), at(0).toISOString()]);
  });

  it('stamps a phase change with its own time when the clock is ahead', () => {
    const f = run(start(approvalPlan()), {
      type: 'rejected',
      ...F1,
      at: at(5),
      by: 'ops',
      authenticated: true,
      recipient: 'sns:topic',
      nonce: 'n1',
    });
    expect(f.history.map((h) => h.at)).toEqual([at(0).toISOString(), at(5).toISOString()]);
  });
});

describe('transition: a drill that ends early', () => {
  it('ends a running probe when aborted, then tears down what was restored', () => {
    const f = run(restored(startDrill()), probeRequested(1300), {
      type: 'abort',
      ...F1,
      at: at(1301),
      reason: 'operator',
    });
    expect(f.phase).toBe('tearing-down');
    expect(f.steps.find((s) => s.kind === 'validate')).toMatchObject({
      status: 'skipped',
      endedAt: at(1301).toISOString(),
    });
  });

  it('names what its teardown left behind after the reason it failed', () => {
    const plan = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        d.spec.validate = [{ http: { url: 'https://case-api.dr.example.com/health', attempts: 1 } }];
      }),
    );
    let f = run(restored(startDrill(plan)), probeRequested(1300), {
      type: 'probe-failed',
      ...F1,
      step: 'validate:1',
      at: at(1301),
      reason: '503',
    });
    for (const r of ['case-db', 'case-api'])
      for (let i = 0; i < 3; i++)
        f = run(
          f,
          { type: 'teardown-requested', ...F1, step: `teardown:${r}`, at: at(2000 + i * 100) },
          { type: 'teardown-failed', ...F1, step: `teardown:${r}`, at: at(2001 + i * 100), reason: 'denied' },
        );
    expect(f).toMatchObject({
      phase: 'failed',
      reason: 'validation validate:1 failed: 503; teardown left case-db, case-api behind: delete by hand',
    });
  });
});

describe('transition: a drill that keeps what it restored', () => {
  it('keeps its teardown steps skipped as kept, even when a restore failed', () => {
    const kept = createFailover({
      id: 'f1',
      plan: automatic,
      trigger,
      at: t0,
      recoveryPoints: points,
      purpose: 'drill',
      keep: true,
    });
    const f = run(kept, requested(DB), started('j-db'), {
      type: 'restore-failed',
      ...F1,
      step: DB,
      jobId: 'j-db',
      at: at(5),
      reason: 'boom',
    });
    expect(f.phase).toBe('failed');
    expect(f.steps.filter((s) => s.kind === 'teardown').map((s) => [s.status, s.detail])).toEqual([
      ['skipped', 'kept for inspection (spec.drill.keep)'],
      ['skipped', 'kept for inspection (spec.drill.keep)'],
    ]);
  });
});
