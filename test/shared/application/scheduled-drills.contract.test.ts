import { describe, expect, it } from 'vitest';
import { runScheduledDrill, scheduleKey } from '#shared/application/scheduled-drills.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { drillable } from '../../support/drills.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { InterleavingStore } from '../../support/interleaving-store.ts';

const SCHEDULE = 'cron(0 6 ? * MON *)';
const weekly = () =>
  drillable((d) => {
    d.spec.drill = { schedule: SCHEDULE };
  });

describe('runScheduledDrill, what each tick says', () => {
  it('says it armed the schedule, then that no firing came since', async () => {
    const w = engineWorld();
    const c = w.controller();
    expect(await runScheduledDrill(c, weekly())).toEqual({
      effect: 'armed',
      reason: `case-management: ${SCHEDULE} armed; the first drill runs at its next firing`,
    });
    expect(await runScheduledDrill(c, weekly())).toEqual({
      effect: 'not-due',
      reason: `case-management: no firing of ${SCHEDULE} since 2026-11-21T12:00:00.000Z`,
    });
  });

  it('leaves arming to a controller that armed first', async () => {
    const w = engineWorld();
    const other = w.controller('controller-b');
    const store = new InterleavingStore(w.store).at(
      'create',
      'drill-schedule',
      1,
      async () => {
        await runScheduledDrill(other, weekly());
      },
      { when: 'before' },
    );
    expect(await runScheduledDrill(w.controller('controller-a', store), weekly())).toEqual({
      effect: 'not-due',
      reason: `case-management: another controller armed ${SCHEDULE}`,
    });
    expect((await w.store.get(scheduleKey('case-management')))?.version).toBe(1);
  });

  it('fails on a store error other than a lost race, arming nothing', async () => {
    const w = engineWorld();
    const store = new InterleavingStore(w.store).at('create', 'drill-schedule', 1, async () => {}, {
      when: 'before',
      fail: new Error('ProvisionedThroughputExceeded'),
    });
    await expect(runScheduledDrill(w.controller('controller-a', store), weekly())).rejects.toThrow(
      'ProvisionedThroughputExceeded',
    );
    expect(await w.store.get(scheduleKey('case-management'))).toBeUndefined();
  });

  it('does nothing with a schedule it cannot read (plans are checked on load), saying why', async () => {
    const w = engineWorld();
    const plan: RecoveryPlan = { ...weekly(), drill: { schedule: 'every monday', keep: false } };
    const result = await runScheduledDrill(w.controller(), plan);
    expect(result?.effect).toBe('not-due');
    expect(result?.reason).not.toBe('');
    expect(await w.store.get(scheduleKey('case-management'))).toBeUndefined();
  });
});
