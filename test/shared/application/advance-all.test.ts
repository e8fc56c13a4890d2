import { describe, expect, it } from 'vitest';
import { advanceAll } from '#shared/application/advance-all.ts';
import type { AdvanceResult, FailoverController } from '#shared/application/failover-controller.ts';
import { awsPlanDoc, loadPlans } from '../../support/plans.ts';

const plans = loadPlans(awsPlanDoc('a-app'), awsPlanDoc('b-app'), awsPlanDoc('c-app'));

/** A controller whose advance answers from a table: a result, or an error to throw. */
const controllerAnswering = (answers: Record<string, AdvanceResult | Error>) =>
  ({
    advance: async (plan: { name: string }) => {
      const answer = answers[plan.name]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  }) as unknown as FailoverController;

describe('advanceAll', () => {
  it('advances every plan and reports how each stopped', async () => {
    const reports: unknown[] = [];
    const report = await advanceAll(
      plans,
      controllerAnswering({ 'a-app': 'ended', 'b-app': 'waiting-for-jobs', 'c-app': 'idle' }),
      (r, failed) => reports.push({ r, failed }),
    );
    expect(report).toEqual({ 'a-app': 'ended', 'b-app': 'waiting-for-jobs', 'c-app': 'idle' });
    expect(reports).toEqual([{ r: report, failed: 0 }]);
  });

  it('advances the other plans when one fails, reports them, then raises the failure', async () => {
    const reports: unknown[] = [];
    const boom = new Error('store down');
    await expect(
      advanceAll(
        plans,
        controllerAnswering({ 'a-app': 'ended', 'b-app': boom, 'c-app': 'idle' }),
        (r, failed) => reports.push({ r, failed }),
      ),
    ).rejects.toBe(boom);
    expect(reports).toEqual([{ r: { 'a-app': 'ended', 'c-app': 'idle' }, failed: 1 }]);
  });

  it('raises several failures together', async () => {
    await expect(
      advanceAll(
        plans,
        controllerAnswering({ 'a-app': new Error('x'), 'b-app': new Error('y'), 'c-app': 'idle' }),
      ),
    ).rejects.toThrow('2 plan(s) could not advance');
  });
});
