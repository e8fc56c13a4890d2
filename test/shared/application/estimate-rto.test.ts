import { describe, expect, it } from 'vitest';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import type { Controller } from '#shared/application/controller.ts';
import { estimatePlanRto } from '#shared/application/estimate-rto.ts';
import { requestDrill } from '#shared/application/request-drill.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { Purpose } from '#shared/domain/failover.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { drillable } from '../../support/drills.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { awsPlanDoc, loadPlan } from '../../support/plans.ts';

const manual = (eventId: string) => ({ kind: 'manual', ref: 'cli', eventId }) as const;
const noDefault = () => undefined;

/**
 * Runs `purpose` of `plan` to its end, polling every `pollSeconds` (the fake restores take 600 s, so
 * each restore is recorded as lasting the first poll interval past 600 s).
 */
async function runToEnd(
  w: ReturnType<typeof engineWorld>,
  c: Controller,
  plan: RecoveryPlan,
  purpose: Purpose,
  pollSeconds: number,
) {
  for (let i = 0; i < 50; i++) {
    const r = await advanceFailover(c, plan, purpose);
    if (r === 'ended') return;
    if (r !== 'waiting-for-jobs') throw new Error(`unexpected ${r}`);
    w.clock.advance(pollSeconds);
  }
  throw new Error('did not end');
}

describe('estimatePlanRto', () => {
  it('knows nothing before any restore: the default of each resource, else no estimate', async () => {
    const w = engineWorld();
    const plan = loadPlan();
    const none = await estimatePlanRto(plan, [plan], w.store, noDefault);
    expect([none.seconds, none.withinRto, none.resources.map((r) => r.basis)]).toEqual([
      null,
      null,
      ['none', 'none'],
    ]);
    const byDefault = await estimatePlanRto(plan, [plan], w.store, () => ({ seconds: 300, basis: 'sim' }));
    expect([byDefault.seconds, byDefault.withinRto]).toEqual([600, true]);
  });

  it('counts the restores of the current failover', async () => {
    const w = engineWorld();
    const plan = loadPlan();
    const c = w.controller();
    expect((await requestFailover(c, plan, manual('f'))).effect).toBe('failover-started');
    await runToEnd(w, c, plan, Purpose.Failover, 900);
    const estimate = await estimatePlanRto(plan, [plan], w.store, noDefault);
    // Two waves (case-db, then case-api), each restore seen lasting 900 s.
    expect(estimate.resources.map((r) => [r.resource, r.wave, r.seconds, r.basis])).toEqual([
      ['case-db', 1, 900, 'seen'],
      ['case-api', 2, 900, 'seen'],
    ]);
    expect(estimate.seconds).toBe(1800);
  });

  it('counts the restores of archived drills as well as the current one', async () => {
    const w = engineWorld();
    const plan = drillable();
    const c = w.controller();
    await requestDrill(c, plan, manual('d1'));
    await runToEnd(w, c, plan, Purpose.Drill, 1500);
    // The second drill archives the first; its own restores are shorter.
    expect((await requestDrill(c, plan, manual('d2'))).effect).toBe('drill-started');
    await runToEnd(w, c, plan, Purpose.Drill, 700);
    const estimate = await estimatePlanRto(plan, [plan], w.store, noDefault);
    expect(estimate.seconds).toBe(3000);
    expect(estimate.resources[0]!.detail).toMatch(
      /^longest of 4 aws:rds:db restore\(s\) seen \(case-management\/case-db, /,
    );
  });

  it('compares restores by type across every application of the plan set', async () => {
    const w = engineWorld();
    const seen = drillable();
    const c = w.controller();
    await requestDrill(c, seen, manual('d1'));
    await runToEnd(w, c, seen, Purpose.Drill, 900);
    const other = loadPlan(awsPlanDoc('billing'));
    const fromOthers = await estimatePlanRto(other, [seen, other], w.store, noDefault);
    expect(fromOthers.resources.map((r) => [r.seconds, r.basis])).toEqual([
      [900, 'seen'],
      [900, 'seen'],
    ]);
    // A plan set without the drilled application knows nothing.
    expect((await estimatePlanRto(other, [other], w.store, noDefault)).seconds).toBeNull();
  });
});
