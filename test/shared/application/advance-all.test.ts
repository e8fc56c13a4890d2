import { describe, expect, it } from 'vitest';
import { advanceAll } from '#shared/application/advance-all.ts';
import type { AdvanceResult } from '#shared/application/advance-failover.ts';
import type { Controller } from '#shared/application/controller.ts';
import { awsPlanDoc, loadPlans } from '../../support/plans.ts';

const plans = loadPlans(awsPlanDoc('a-app'), awsPlanDoc('b-app'), awsPlanDoc('c-app'));

const controller = {} as Controller;

/** An advance that answers from a table: a result, or an error to throw. */
const answering =
  (answers: Record<string, AdvanceResult | Error>) =>
  async (_c: Controller, plan: { name: string }): Promise<AdvanceResult> => {
    const answer = answers[plan.name]!;
    if (answer instanceof Error) throw answer;
    return answer;
  };

describe('advanceAll', () => {
  it('advances every plan and reports how each stopped', async () => {
    const reports: unknown[] = [];
    const report = await advanceAll(
      plans,
      controller,
      (r, failed) => reports.push({ r, failed }),
      answering({ 'a-app': 'ended', 'b-app': 'waiting-for-jobs', 'c-app': 'idle' }),
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
        controller,
        (r, failed) => reports.push({ r, failed }),
        answering({ 'a-app': 'ended', 'b-app': boom, 'c-app': 'idle' }),
      ),
    ).rejects.toBe(boom);
    expect(reports).toEqual([{ r: { 'a-app': 'ended', 'c-app': 'idle' }, failed: 1 }]);
  });

  it('raises several failures together', async () => {
    await expect(
      advanceAll(
        plans,
        controller,
        undefined,
        answering({ 'a-app': new Error('x'), 'b-app': new Error('y'), 'c-app': 'idle' }),
      ),
    ).rejects.toThrow('2 plan(s) could not advance');
  });
});
