import { describe, expect, it } from 'vitest';
import { advanceApp } from '#shared/application/advance-all.ts';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import { readChain } from '#shared/application/evidence-log.ts';
import { claimFailover, readApp, readAppState } from '#shared/application/failover-repository.ts';
import { recordRestoreEnd } from '#shared/application/record-restore-end.ts';
import { requestDrill } from '#shared/application/request-drill.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { createFailover, Purpose } from '#shared/domain/failover.ts';
import { DRILL_URL, drillable } from '../../support/drills.ts';
import { engineWorld, t0 } from '../../support/engine-world.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const manual = { kind: 'manual', ref: 'cli', eventId: 'd1' } as const;
const alarm = { kind: 'alarm', ref: 'arn:alarm', eventId: 'e1' } as const;

describe('drills on the failover engine', () => {
  it('restores under drill names, validates the drill target, never switches, tears down one delete per created resource', async () => {
    const w = engineWorld({ ages: { 'case-db': 120, 'case-api': 300 } });
    const plan = drillable();
    const c = w.controller();
    expect(await requestDrill(c, plan, manual)).toMatchObject({ effect: 'drill-started', drillId: 'f1' });
    expect(await w.drive(c, plan, Purpose.Drill)).toBe('ended');

    const drill = (await readAppState(w.store, plan.name, Purpose.Drill)).failover!;
    expect(drill.history.map((h) => h.phase)).toEqual([
      'restoring',
      'validating',
      'tearing-down',
      'completed',
    ]);
    expect(drill.steps.some((s) => s.kind === 'switch')).toBe(false);
    expect(
      w.restores.calls.map(
        (r) => r.resource.source.kind === 'aws-backup' && r.resource.source.restore?.metadata,
      ),
    ).toEqual([{ DBInstanceIdentifier: 'case-db-drill' }, { DBInstanceIdentifier: 'case-api-drill' }]);
    expect(w.prober.calls).toEqual([DRILL_URL]);
    expect(w.traffic.changes).toBe(0);
    expect(w.cleaner.deleted).toEqual(['case-db-restored', 'case-api-restored']);
    // The failover item is untouched: a drill is its own item.
    expect((await readAppState(w.store, plan.name)).failover).toBeNull();

    const result = (await readChain(w.store, plan.name)).map((r) => r.value).find((r) => r.kind === 'drill')!;
    expect(result.data).toMatchObject({
      outcome: 'completed',
      level: 'L3',
      // At the drill's start case-db's point was 120s old (of its 5m), case-api's 300s (of 15m).
      rpoSeconds: 120,
      rpoTargetSeconds: 300,
      rpoResource: 'case-db',
      // start → the probe passed after both restores (2 × 600s).
      rtoSeconds: 1200,
      rtoTargetSeconds: 3600,
      leftBehind: [],
    });
  });

  it('refuses a plan that would restore under production names or probe production, naming each', async () => {
    const w = engineWorld();
    const plan = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        (d.spec.resources as { drill?: unknown }[])[0]!.drill = {
          metadata: { DBInstanceIdentifier: 'case-db-dr' },
        };
      }),
    );
    const result = await requestDrill(w.controller(), plan, manual);
    expect(result.effect).toBe('refused');
    expect(result.reason).toContain('case-db: drill.metadata must give DBInstanceIdentifier a drill value');
    expect(result.reason).toContain('case-api has no drill.metadata');
    expect(result.reason).toContain(
      'validate[0] (https://case-api.dr.example.com/internal/health) has no drillUrl',
    );
    expect(w.restores.calls).toEqual([]);
  });

  it('never runs two drills of one application at once', async () => {
    const w = engineWorld();
    const plan = drillable();
    const results = await Promise.all([
      requestDrill(w.controller('a'), plan, manual),
      requestDrill(w.controller('b'), plan, { ...manual, eventId: 'd2' }),
    ]);
    expect(results.map((r) => r.effect).sort()).toEqual(['drill-started', 'joined-existing']);
  });

  it('yields to a failover in flight', async () => {
    const w = engineWorld();
    const plan = drillable();
    await requestFailover(w.controller(), plan, alarm);
    expect(await requestDrill(w.controller(), plan, manual)).toMatchObject({
      effect: 'refused',
      reason: expect.stringContaining('drills yield to failovers'),
    });
  });

  it('is preempted by a real alarm: the drill is aborted and cleaned up, the failover runs once', async () => {
    const w = engineWorld();
    const plan = drillable();
    const c = w.controller();
    await requestDrill(c, plan, manual);
    await advanceFailover(c, plan, Purpose.Drill); // case-db's restore starts
    w.clock.advance(600);
    await advanceFailover(c, plan, Purpose.Drill); // case-db restored; case-api's restore running
    w.clock.advance(60);
    expect(await requestFailover(c, plan, alarm)).toMatchObject({
      effect: 'failover-started',
      failoverId: 'f2',
    });
    expect((await readAppState(w.store, plan.name, Purpose.Drill)).failover?.phase).toBe('finishing');

    expect(await w.drive(c, plan)).toBe('ended');
    expect(await w.drive(c, plan, Purpose.Drill)).toBe('ended');
    const drill = (await readAppState(w.store, plan.name, Purpose.Drill)).failover!;
    expect(drill.phase).toBe('aborted');
    expect(drill.history.map((h) => h.phase)).toEqual(['restoring', 'finishing', 'tearing-down', 'aborted']);
    expect(drill.reason).toContain('preempted by failover f2');
    expect(w.cleaner.deleted.sort()).toEqual(['case-api-restored', 'case-db-restored']);
    const failover = (await readAppState(w.store, plan.name)).failover!;
    expect(failover.phase).toBe('completed');
    expect(w.traffic.changes).toBe(1);
  });

  it('aborts itself at its next round when the failover claim came without the abort (a crash in between)', async () => {
    const w = engineWorld();
    const plan = drillable();
    const c = w.controller();
    await requestDrill(c, plan, manual);
    // A failover claimed by a controller that died before preempting the drill.
    const read = await readApp(w.store, plan.name);
    await claimFailover(
      w.store,
      read,
      createFailover({
        id: 'fx',
        plan,
        trigger: alarm,
        at: t0,
        recoveryPoints: { 'case-db': 'rp', 'case-api': 'rp' },
      }),
    );
    expect(await w.drive(c, plan, Purpose.Drill)).toBe('ended');
    const drill = (await readAppState(w.store, plan.name, Purpose.Drill)).failover!;
    expect(drill).toMatchObject({
      phase: 'aborted',
      reason: expect.stringContaining('preempted by failover fx'),
    });
    expect(w.restores.calls).toEqual([]);
  });

  it('ends failed, naming what it left behind, when a delete keeps failing', async () => {
    const w = engineWorld({ undeletable: ['case-api-restored'] });
    const plan = drillable();
    const c = w.controller();
    await requestDrill(c, plan, manual);
    await w.drive(c, plan, Purpose.Drill);
    const drill = (await readAppState(w.store, plan.name, Purpose.Drill)).failover!;
    expect(drill.phase).toBe('failed');
    expect(drill.reason).toBe('teardown left case-api behind: delete by hand');
    expect(w.cleaner.deleted).toEqual(['case-db-restored']);
  });

  it('waits for a delete that takes a while, and completes once what it restored is gone', async () => {
    const w = engineWorld({ slowDeletes: { 'case-db-restored': 3 } });
    const plan = drillable();
    const c = w.controller();
    await requestDrill(c, plan, manual);
    await w.drive(c, plan, Purpose.Drill);
    const drill = (await readAppState(w.store, plan.name, Purpose.Drill)).failover!;
    expect(drill.phase).toBe('completed');
    expect(drill.steps.find((s) => s.name === 'teardown:case-db')).toMatchObject({
      status: 'succeeded',
      attempts: 4,
      waits: 3,
      detail: 'deleted case-db-restored',
    });
    expect(w.cleaner.deleted).toEqual([
      'case-db-restored',
      'case-api-restored',
      'case-db-restored',
      'case-db-restored',
      'case-db-restored',
    ]);
  });

  it('keeps what it restored with spec.drill.keep', async () => {
    const w = engineWorld();
    const plan = drillable((d) => {
      d.spec.drill = { keep: true };
    });
    const c = w.controller();
    await requestDrill(c, plan, manual);
    await w.drive(c, plan, Purpose.Drill);
    expect((await readAppState(w.store, plan.name, Purpose.Drill)).failover?.phase).toBe('completed');
    expect(w.cleaner.deleted).toEqual([]);
  });

  it("records a drill restore job's end event on the drill, not on the failover", async () => {
    const w = engineWorld();
    const plan = drillable();
    const c = w.controller();
    await requestDrill(c, plan, manual);
    await advanceFailover(c, plan, Purpose.Drill);
    w.clock.advance(600);
    const report = {
      jobId: 'job-1',
      ended: true,
      succeeded: true,
      message: 'COMPLETED',
      createdResource: 'db-drill',
    };
    expect(await recordRestoreEnd(c, plan.name, report)).toMatchObject({
      kind: 'recorded',
      failoverId: 'f1',
    });
    const drill = (await readAppState(w.store, plan.name, Purpose.Drill)).failover!;
    expect(drill.steps[0]).toMatchObject({ status: 'succeeded', createdResource: 'db-drill' });
  });

  it('is carried on by the scheduled advance of every app (a preempted drill tears down)', async () => {
    const w = engineWorld();
    const plan = drillable();
    const c = w.controller();
    await requestDrill(c, plan, manual);
    await advanceFailover(c, plan, Purpose.Drill);
    await requestFailover(c, plan, alarm);
    for (let i = 0; i < 10; i++) {
      await advanceApp(c, plan);
      w.clock.advance(600);
    }
    expect((await readAppState(w.store, plan.name)).failover?.phase).toBe('completed');
    expect((await readAppState(w.store, plan.name, Purpose.Drill)).failover?.phase).toBe('aborted');
    expect(w.cleaner.deleted).toEqual(['case-db-restored']);
  });
});
