import { describe, expect, it } from 'vitest';
import { readAppState } from '#shared/application/failover-repository.ts';
import { requestDrill } from '#shared/application/request-drill.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { ConflictError } from '#shared/domain/errors.ts';
import { Purpose } from '#shared/domain/failover.ts';
import { BeatenStore } from '../../support/beaten-store.ts';
import { drillable } from '../../support/drills.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { InterleavingStore } from '../../support/interleaving-store.ts';
import { awsPlanDoc, loadPlan } from '../../support/plans.ts';

const manual = (eventId = 'd1') => ({ kind: 'manual', ref: 'cli', eventId }) as const;

describe('requestDrill, what each request says', () => {
  it('starts a drill, saying how many resources it restores where', async () => {
    const w = engineWorld();
    expect(await requestDrill(w.controller(), drillable(), manual())).toEqual({
      effect: 'drill-started',
      reason: 'restoring 2 resource(s) under drill names in eu-central-1',
      drillId: 'f1',
    });
  });

  it('refuses a plan that cannot be drilled, naming the plan', async () => {
    const w = engineWorld();
    const result = await requestDrill(w.controller(), loadPlan(awsPlanDoc()), manual());
    expect(result.effect).toBe('refused');
    expect(result.reason).toMatch(/^case-management cannot be drilled: /);
    expect(result).not.toHaveProperty('drillId');
  });

  it('refuses while the app runs on its recovery site, writing no drill', async () => {
    const w = engineWorld();
    const plan = drillable();
    const c = w.controller();
    await requestFailover(c, plan, { kind: 'alarm', ref: 'arn:alarm', eventId: 'e1' });
    expect(await w.drive(c, plan)).toBe('ended');
    expect(await requestDrill(c, plan, manual())).toEqual({
      effect: 'refused',
      reason: 'case-management runs on its recovery site; drill after failing back',
    });
    expect((await readAppState(w.store, plan.name, Purpose.Drill)).failover).toBeNull();
  });

  it('joins a drill in flight, naming it', async () => {
    const w = engineWorld();
    const plan = drillable();
    const c = w.controller();
    await requestDrill(c, plan, manual('d1'));
    expect(await requestDrill(c, plan, manual('d2'))).toEqual({
      effect: 'joined-existing',
      reason: 'drill f1 of case-management is already restoring; two drills of one app never overlap',
      drillId: 'f1',
    });
  });

  it('records a drill refused by a gate as an aborted drill, with the gate’s reason', async () => {
    const w = engineWorld({ ages: { 'case-api': 'missing' } });
    const plan = drillable();
    const result = await requestDrill(w.controller(), plan, manual());
    expect(result.effect).toBe('refused');
    expect(result.drillId).toBe('f1');
    const drill = (await readAppState(w.store, plan.name, Purpose.Drill)).failover!;
    expect([drill.phase, drill.reason]).toEqual(['aborted', result.reason]);
    expect(w.restores.calls).toEqual([]);
  });

  it('keeps the data time of each chosen point, and none for a resource whose age is unknown', async () => {
    const w = engineWorld({ ages: { 'case-db': 120, 'case-api': 'error' } });
    const plan = drillable();
    // Refused (case-api's backups cannot be read), the drill is still recorded with what was chosen.
    await requestDrill(w.controller(), plan, manual());
    const drill = (await readAppState(w.store, plan.name, Purpose.Drill)).failover!;
    const times = Object.fromEntries(
      drill.steps.flatMap((s) => (s.kind === 'restore' ? [[s.resource, s.pointCreatedAt ?? null]] : [])),
    );
    expect(times).toEqual({ 'case-db': '2026-11-21T11:58:00.000Z', 'case-api': null });
  });

  it('reads again after losing the claim, and joins the drill that won', async () => {
    const w = engineWorld();
    const plan = drillable();
    const store = new InterleavingStore(w.store).at(
      'create',
      'drill',
      1,
      async () => {
        await requestDrill(w.controller('controller-b'), plan, manual('d0'));
      },
      { when: 'before' },
    );
    expect(await requestDrill(w.controller('controller-a', store), plan, manual())).toMatchObject({
      effect: 'joined-existing',
      // The ids come from one counter: this request took f1, the winner f2.
      drillId: 'f2',
    });
  });

  it('gives up after 8 lost claims with a conflict naming the app', async () => {
    const w = engineWorld();
    const store = new BeatenStore(w.store, 'drill');
    await expect(requestDrill(w.controller('controller-a', store), drillable(), manual())).rejects.toThrow(
      new ConflictError('could not claim the drill of case-management after 8 attempts'),
    );
    expect(store.writes).toBe(8);
  });

  it('fails on a store error other than a lost claim', async () => {
    const w = engineWorld();
    const store = new InterleavingStore(w.store).at('create', 'drill', 1, async () => {}, {
      when: 'before',
      fail: new Error('ProvisionedThroughputExceeded'),
    });
    await expect(requestDrill(w.controller('controller-a', store), drillable(), manual())).rejects.toThrow(
      'ProvisionedThroughputExceeded',
    );
  });
});
