import { describe, expect, it } from 'vitest';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import { readAppState } from '#shared/application/failover-repository.ts';
import { drillMustYield, preemptDrill } from '#shared/application/preempt-drill.ts';
import { requestDrill } from '#shared/application/request-drill.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { Purpose } from '#shared/domain/failover.ts';
import { drillable } from '../../support/drills.ts';
import { engineWorld, t0 } from '../../support/engine-world.ts';

const manual = { kind: 'manual', ref: 'cli', eventId: 'd1' } as const;

describe('preemptDrill', () => {
  it('aborts nothing, and says so, when the app has no drill or its drill has ended', async () => {
    const w = engineWorld();
    const plan = drillable();
    const c = w.controller();
    expect(await preemptDrill(w.store, plan.name, 'failover f9', t0)).toBe(false);
    await requestDrill(c, plan, manual);
    expect(await w.drive(c, plan, Purpose.Drill)).toBe('ended');
    expect(await preemptDrill(w.store, plan.name, 'failover f9', t0)).toBe(false);
    expect((await readAppState(w.store, plan.name, Purpose.Drill)).failover!.phase).toBe('completed');
  });

  it('aborts a drill in flight with the reason given', async () => {
    const w = engineWorld();
    const plan = drillable();
    const c = w.controller();
    await requestDrill(c, plan, manual);
    await advanceFailover(c, plan, Purpose.Drill);
    expect(await preemptDrill(w.store, plan.name, 'preempted by failover f9', t0)).toBe(true);
    const drill = (await readAppState(w.store, plan.name, Purpose.Drill)).failover!;
    expect(drill.ending ?? drill).toMatchObject({ reason: 'preempted by failover f9' });
  });
});

describe('drillMustYield', () => {
  it('lets a drill run while no failover is in flight and the app runs on its primary', async () => {
    expect(await drillMustYield(engineWorld().store, 'case-management')).toBeUndefined();
  });

  it('names the failover in flight, then the recovery site the app runs on after it', async () => {
    const w = engineWorld();
    const plan = drillable();
    const c = w.controller();
    await requestFailover(c, plan, { kind: 'alarm', ref: 'arn:alarm', eventId: 'e1' });
    expect(await drillMustYield(w.store, plan.name)).toBe('preempted by failover f1 (arn:alarm)');
    expect(await w.drive(c, plan)).toBe('ended');
    expect(await drillMustYield(w.store, plan.name)).toBe('case-management failed over to its recovery site');
  });
});
