import { describe, expect, it } from 'vitest';
import { createFailover, type NewFailover } from '#shared/domain/failover.ts';
import { approvalPlan, automatic, points, t0, trigger } from '../../support/failovers.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const make = (input: Partial<NewFailover> = {}) =>
  createFailover({ id: 'f1', plan: automatic, trigger, at: t0, recoveryPoints: points, ...input });
const noRouting = loadPlan(
  withPlan(awsPlanDoc(), (d) => {
    delete d.spec.routing;
  }),
);

describe('createFailover', () => {
  it.each([
    {
      case: 'an automatic failover',
      input: {},
      phase: 'restoring',
      reason: 'triggered by arn:alarm',
      approval: false,
    },
    {
      case: 'a failover of an approval plan',
      input: { plan: approvalPlan() },
      phase: 'awaiting-approval',
      reason: 'waiting for a human to approve',
      approval: true,
    },
    {
      case: 'a drill of an approval plan (drills never wait for approval)',
      input: { plan: approvalPlan(), purpose: 'drill' as const },
      phase: 'restoring',
      reason: 'drill started by arn:alarm',
      approval: false,
    },
    {
      case: 'a failover whose refusing gates were overridden',
      input: {
        override: { by: 'alice', reason: 'region down', accepted: ['cooldown', 'fresh-backups'] as const },
      },
      phase: 'restoring',
      reason: 'triggered by arn:alarm; gates cooldown, fresh-backups overridden by alice: region down',
      approval: false,
    },
  ])('starts $case in $phase, logging why', ({ input, phase, reason, approval }) => {
    const f = make(input as Partial<NewFailover>);
    expect(f.phase).toBe(phase);
    expect(f.history).toEqual([{ phase, at: t0.toISOString(), reason }]);
    expect(f.approval !== null).toBe(approval);
  });

  it('asks for approval until the plan’s timeout', () => {
    expect(make({ plan: approvalPlan('proceed') }).approval).toEqual({
      requestedAt: t0.toISOString(),
      expiresAt: new Date(t0.getTime() + 30 * 60_000).toISOString(),
      onTimeout: 'proceed',
    });
  });

  it('skips the switch of a plan without routing, saying why', () => {
    expect(make({ plan: noRouting }).steps.at(-1)).toEqual({
      kind: 'switch',
      name: 'switch',
      status: 'skipped',
      startedAt: null,
      endedAt: null,
      attempts: 0,
      notBefore: null,
      detail: 'the plan has no routing block',
    });
    expect(make().steps.at(-1)).not.toHaveProperty('detail');
  });

  it('gives a drill a teardown step per resource, skipped with the reason when the drill keeps what it restored', () => {
    const teardowns = (keep: boolean) =>
      make({ purpose: 'drill', keep }).steps.flatMap((s) =>
        s.kind === 'teardown' ? [[s.name, s.status, s.detail ?? null]] : [],
      );
    expect(teardowns(false)).toEqual([
      ['teardown:case-db', 'pending', null],
      ['teardown:case-api', 'pending', null],
    ]);
    expect(teardowns(true)).toEqual([
      ['teardown:case-db', 'skipped', 'kept for inspection (spec.drill.keep)'],
      ['teardown:case-api', 'skipped', 'kept for inspection (spec.drill.keep)'],
    ]);
  });
});
