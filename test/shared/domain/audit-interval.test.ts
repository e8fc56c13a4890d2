import { describe, expect, it } from 'vitest';
import { auditIntervalMinutes } from '#shared/domain/audit-interval.ts';
import { azurePlanDoc, azureResource, loadPlan, withPlan } from '../../support/plans.ts';

const planWith = (planRpo: string, resourceRpo?: string) =>
  loadPlan(
    withPlan(azurePlanDoc(), (d) => {
      d.spec.objectives = { rpo: planRpo, rto: '4h' };
      d.spec.resources = [azureResource('evidence-files', resourceRpo ? { rpo: resourceRpo } : {})];
    }),
  );

describe('auditIntervalMinutes', () => {
  it.each([
    ['a day-long RPO is still audited every 15 minutes', '1d', undefined, 15],
    ['a 45-minute RPO: a third of it', '45m', undefined, 15],
    ['a 30-minute RPO: 10 minutes', '30m', undefined, 10],
    ['a 15-minute RPO: 5 minutes', '15m', undefined, 5],
    ['a 10-minute RPO: whole minutes, rounded down', '10m', undefined, 3],
    ['a 1-minute RPO: never below 1 minute', '1m', undefined, 1],
    ["a resource's own tighter RPO counts", '1d', '6m', 2],
  ])('%s', (_name, planRpo, resourceRpo, minutes) => {
    expect(auditIntervalMinutes([planWith(planRpo, resourceRpo)])).toBe(minutes);
  });

  it('takes the smallest RPO over all plans, and the most without a plan', () => {
    expect(auditIntervalMinutes([planWith('1d'), planWith('12m')])).toBe(4);
    expect(auditIntervalMinutes([])).toBe(15);
  });
});
