import { describe, expect, it } from 'vitest';
import { nextScheduledDrill, runScheduledDrill, scheduleKey } from '#shared/application/scheduled-drills.ts';
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

describe('nextScheduledDrill', () => {
  const withSchedule = (schedule: string) =>
    drillable((d) => {
      d.spec.drill = { schedule };
    });

  it('knows no next drill without a schedule, before it is armed, or for a schedule it cannot read', async () => {
    const w = engineWorld();
    expect(await nextScheduledDrill(w.store, drillable())).toBeUndefined();
    expect(await nextScheduledDrill(w.store, weekly())).toBeUndefined();
    const unreadable: RecoveryPlan = { ...weekly(), drill: { schedule: 'every monday', keep: false } };
    expect(await nextScheduledDrill(w.store, unreadable)).toBeUndefined();
  });

  it('gives the next firing of a cron after the firing last acted on, and none for another expression', async () => {
    const w = engineWorld();
    await runScheduledDrill(w.controller(), weekly());
    // Armed on Saturday 2026-11-21 at 12:00: the next Monday at 06:00.
    expect(await nextScheduledDrill(w.store, weekly())).toEqual(new Date('2026-11-23T06:00:00Z'));
    expect(await nextScheduledDrill(w.store, withSchedule('cron(0 7 ? * MON *)'))).toBeUndefined();
  });

  it('gives the last firing plus the rate for a rate', async () => {
    const w = engineWorld();
    await runScheduledDrill(w.controller(), withSchedule('rate(2 days)'));
    expect(await nextScheduledDrill(w.store, withSchedule('rate(2 days)'))).toEqual(
      new Date('2026-11-23T12:00:00Z'),
    );
  });
});
