import { describe, expect, it } from 'vitest';
import { createFailover } from '#shared/domain/failover.ts';
import { jobIdOf, labelOf, PURPOSE_STEPS, STEP_KINDS } from '#shared/domain/step-kinds.ts';
import {
  approvalPlan,
  at,
  automatic,
  F1,
  points,
  probed,
  restore,
  restored,
  run,
  start,
  startDrill,
  t0,
  trigger,
} from '../../support/failovers.ts';

describe('labelOf', () => {
  it('names a restore, switch and teardown step by its name, and a probe by what it checks', () => {
    const failover = start();
    const drill = startDrill();
    const labels = [...failover.steps, ...drill.steps.filter((s) => s.kind === 'teardown')].map((s) => [
      s.kind,
      s.name,
      labelOf(s),
    ]);
    for (const [kind, name, label] of labels)
      if (kind === 'validate') expect(label).not.toBe(name);
      else expect(label).toBe(name);
    expect(labels.map(([kind]) => kind)).toEqual([
      'restore',
      'restore',
      'validate',
      'switch',
      'teardown',
      'teardown',
    ]);
  });
});

describe('jobIdOf', () => {
  it('gives the job of a restore step, and null for every other kind', () => {
    const f = run(start(), ...restore('restore:case-db', 'j-db', 1, 10));
    const drill = startDrill();
    expect(f.steps.map((s) => [s.kind, jobIdOf(s)])).toEqual([
      ['restore', 'j-db'],
      ['restore', null],
      ['validate', null],
      ['switch', null],
    ]);
    expect(drill.steps.filter((s) => s.kind === 'teardown').map(jobIdOf)).toEqual([null, null]);
  });
});

describe('PURPOSE_STEPS and STEP_KINDS', () => {
  it('runs restore, validate, switch for a failover and restore, validate, teardown for a drill', () => {
    expect(PURPOSE_STEPS).toEqual({
      failover: ['restore', 'validate', 'switch'],
      drill: ['restore', 'validate', 'teardown'],
    });
    expect(Object.fromEntries(Object.entries(STEP_KINDS).map(([k, d]) => [k, d.phase]))).toEqual({
      restore: 'restoring',
      validate: 'validating',
      switch: 'switching',
      teardown: 'tearing-down',
    });
  });

  it('logs why a drill’s teardown ended: everything deleted, or nothing to delete', () => {
    const tearing = probed(restored(startDrill()));
    const cleaned = run(
      tearing,
      { type: 'teardown-requested', ...F1, step: 'teardown:case-db', at: at(2000) },
      { type: 'torn-down', ...F1, step: 'teardown:case-db', at: at(2001), detail: 'deleted' },
      { type: 'teardown-requested', ...F1, step: 'teardown:case-api', at: at(2002) },
      { type: 'torn-down', ...F1, step: 'teardown:case-api', at: at(2003), detail: 'deleted' },
    );
    expect(cleaned.history.slice(-2).map((h) => [h.phase, h.reason])).toEqual([
      ['tearing-down', 'every probe passed'],
      ['completed', 'everything the restores created was deleted'],
    ]);
    const kept = createFailover({
      id: 'f1',
      plan: automatic,
      trigger,
      at: t0,
      recoveryPoints: points,
      purpose: 'drill',
      keep: true,
    });
    expect(
      probed(restored(kept))
        .history.slice(-2)
        .map((h) => [h.phase, h.reason]),
    ).toEqual([
      ['tearing-down', 'every probe passed'],
      ['completed', 'nothing to tear down'],
    ]);
  });

  it('logs a restore phase with nothing to restore as such', () => {
    const empty = { ...approvalPlan(), resources: [] };
    const f = run(createFailover({ id: 'f1', plan: empty, trigger, at: t0, recoveryPoints: {} }), {
      type: 'approved',
      ...F1,
      at: at(5),
      by: 'ops',
      authenticated: true,
      recipient: 'sns:topic',
      nonce: 'n1',
    });
    expect(f.history.map((h) => [h.phase, h.reason])).toEqual([
      ['awaiting-approval', 'waiting for a human to approve'],
      ['restoring', 'approved by ops'],
      ['validating', 'nothing to restore'],
    ]);
  });
});
