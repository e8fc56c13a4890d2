import { describe, expect, it } from 'vitest';
import { advanceAll, advanceAppAndDrill } from '#shared/application/advance-all.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { awsPlanDoc, loadPlan } from '../../support/plans.ts';

const plans = ['a', 'b', 'c'].map((name) => loadPlan(awsPlanDoc(name)));

describe('advanceAll, failures', () => {
  it('raises a single failure as itself, after reporting the others', async () => {
    const c = engineWorld().controller();
    const failure = new Error('b exploded');
    const reports: [Record<string, string>, number][] = [];
    await expect(
      advanceAll(
        plans,
        c,
        (r, n) => reports.push([r, n]),
        async (_, p) => {
          if (p.name === 'b') throw failure;
          return 'idle';
        },
      ),
    ).rejects.toBe(failure);
    expect(reports).toEqual([[{ a: 'idle', c: 'idle' }, 1]]);
  });

  it('raises several failures together, counted', async () => {
    const c = engineWorld().controller();
    const run = advanceAll(plans, c, undefined, async (_, p) => {
      if (p.name !== 'a') throw new Error(`${p.name} exploded`);
      return 'idle';
    });
    await expect(run).rejects.toBeInstanceOf(AggregateError);
    await expect(run).rejects.toThrow('2 plan(s) could not advance');
  });
});

describe('advanceAppAndDrill', () => {
  it('says how the failover and the drill stopped', async () => {
    const w = engineWorld();
    expect(await advanceAppAndDrill(w.controller(), plans[0]!)).toEqual({ failover: 'idle', drill: 'idle' });
  });
});
