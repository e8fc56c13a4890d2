import { describe, expect, it } from 'vitest';
import { advanceApp } from '#shared/application/advance-all.ts';
import { readAppState } from '#shared/application/failover-repository.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { dueFiring, runScheduledDrill, scheduleKey } from '#shared/application/scheduled-drills.ts';
import { Purpose } from '#shared/domain/failover.ts';
import { parseSchedule, type Schedule } from '#shared/domain/schedule-expression.ts';
import { drillable } from '../../support/drills.ts';
import { engineWorld } from '../../support/engine-world.ts';

// engineWorld starts at 2026-11-21T12:00Z, a Saturday.
const weekly = (schedule = 'cron(0 6 ? * MON *)') =>
  drillable((d) => {
    d.spec.drill = { schedule };
  });
const parsed = (text: string): Schedule => {
  const p = parseSchedule(text);
  if (!p.ok) throw new Error(p.problem);
  return p.schedule;
};

describe('scheduled drills', () => {
  it('reads and writes nothing for a plan without a schedule', async () => {
    const w = engineWorld();
    const plan = drillable();
    expect(await runScheduledDrill(w.controller(), plan)).toBeUndefined();
    expect(await w.store.get(scheduleKey(plan.name))).toBeUndefined();
    expect(await w.store.query(`app#${plan.name}`)).toEqual([]);
  });

  it('arms a new schedule without drilling, then drills once at each firing', async () => {
    const w = engineWorld();
    const plan = weekly();
    const c = w.controller();
    expect(await runScheduledDrill(c, plan)).toMatchObject({ effect: 'armed' });
    expect((await readAppState(w.store, plan.name, Purpose.Drill)).failover).toBeNull();

    w.clock.advanceTo(new Date('2026-11-23T05:59:00Z'));
    expect(await runScheduledDrill(c, plan)).toMatchObject({ effect: 'not-due' });

    w.clock.advanceTo(new Date('2026-11-23T06:01:00Z'));
    expect(await runScheduledDrill(c, plan)).toMatchObject({
      effect: 'drill-started',
      firing: '2026-11-23T06:00:00.000Z',
    });
    const drill = (await readAppState(w.store, plan.name, Purpose.Drill)).failover!;
    expect(drill.trigger).toEqual({
      kind: 'schedule',
      ref: 'cron(0 6 ? * MON *)',
      eventId: 'schedule:case-management@2026-11-23T06:00:00.000Z',
    });
    // The same firing is done: the next tick does nothing.
    expect(await runScheduledDrill(c, plan)).toMatchObject({ effect: 'not-due' });
  });

  it('lets two controllers ticking at once start one drill', async () => {
    const w = engineWorld();
    const plan = weekly();
    await runScheduledDrill(w.controller('a'), plan);
    w.clock.advanceTo(new Date('2026-11-23T06:00:00Z'));
    const results = await Promise.all([
      runScheduledDrill(w.controller('a'), plan),
      runScheduledDrill(w.controller('b'), plan),
    ]);
    const effects = results.map((r) => r?.effect).sort();
    expect(effects.filter((e) => e === 'drill-started')).toHaveLength(1);
    expect(effects).not.toContain('refused');
    // One drill on record: none archived, the one in the drill item started by the schedule.
    expect(await w.store.query(`app#${plan.name}`, 'drill#')).toEqual([]);
    expect((await readAppState(w.store, plan.name, Purpose.Drill)).failover?.trigger.kind).toBe('schedule');
  });

  it('runs one drill after a long outage, for the latest firing', async () => {
    const w = engineWorld();
    const plan = weekly('rate(1 day)');
    const c = w.controller();
    await runScheduledDrill(c, plan);
    w.clock.advance(7 * 86_400 + 3_600);
    expect(await runScheduledDrill(c, plan)).toMatchObject({
      effect: 'drill-started',
      firing: '2026-11-28T12:00:00.000Z',
    });
    expect(await runScheduledDrill(c, plan)).toMatchObject({ effect: 'not-due' });
  });

  it('arms again when the schedule changes', async () => {
    const w = engineWorld();
    const c = w.controller();
    await runScheduledDrill(c, weekly());
    w.clock.advanceTo(new Date('2026-11-23T06:00:00Z'));
    expect(await runScheduledDrill(c, weekly('cron(0 7 ? * MON *)'))).toMatchObject({ effect: 'armed' });
  });

  it('records a firing that found a failover in flight as refused, and drills again at the next one', async () => {
    const w = engineWorld();
    const plan = weekly();
    const c = w.controller();
    await runScheduledDrill(c, plan);
    await requestFailover(c, plan, { kind: 'alarm', ref: 'arn:alarm', eventId: 'e1' });
    w.clock.advanceTo(new Date('2026-11-23T06:00:00Z'));
    expect(await runScheduledDrill(c, plan)).toMatchObject({
      effect: 'refused',
      reason: expect.stringContaining('drills yield to failovers'),
      firing: '2026-11-23T06:00:00.000Z',
    });
    expect(await runScheduledDrill(c, plan)).toMatchObject({ effect: 'not-due' });
  });

  it('is part of every scheduled advance of the app', async () => {
    const w = engineWorld();
    const plan = weekly();
    const c = w.controller();
    await advanceApp(c, plan);
    w.clock.advanceTo(new Date('2026-11-23T06:00:00Z'));
    await advanceApp(c, plan);
    const drill = (await readAppState(w.store, plan.name, Purpose.Drill)).failover!;
    expect(drill.trigger.kind).toBe('schedule');
    expect(drill.steps.filter((s) => s.kind === 'restore' && s.status !== 'pending').length).toBeGreaterThan(
      0,
    );
  });

  it.each([
    { text: 'rate(1 day)', last: '2026-11-21T12:00:00Z', now: '2026-11-22T11:59:00Z', due: 'none' },
    {
      text: 'rate(1 day)',
      last: '2026-11-21T12:00:00Z',
      now: '2026-11-22T12:00:00Z',
      due: '2026-11-22T12:00:00.000Z',
    },
    {
      text: 'rate(1 day)',
      last: '2026-11-21T12:00:00Z',
      now: '2026-11-24T13:00:00Z',
      due: '2026-11-24T12:00:00.000Z',
    },
    { text: 'cron(0 6 ? * MON *)', last: '2026-11-23T06:00:00Z', now: '2026-11-29T23:59:00Z', due: 'none' },
    {
      text: 'cron(0 6 ? * MON *)',
      last: '2026-11-23T06:00:00Z',
      now: '2026-11-30T06:00:00Z',
      due: '2026-11-30T06:00:00.000Z',
    },
  ])('$text last fired $last: at $now the due firing is $due', ({ text, last, now, due }) => {
    expect(dueFiring(parsed(text), new Date(last), new Date(now))?.toISOString() ?? 'none').toBe(due);
  });
});
