import { describe, expect, it } from 'vitest';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { auditIntervalOf } from '../../../cdk/constructs/self-monitoring.ts';

/** A plan whose resources have these RPOs (its own objective a day, so the resources decide). */
const planWith = (...rpoSeconds: number[]) =>
  ({
    rpoSeconds: 86_400,
    resources: rpoSeconds.map((rpo, i) => ({ name: `r${i}`, rpoSeconds: rpo })),
  }) as unknown as RecoveryPlan;

describe('auditIntervalOf', () => {
  it.each([
    ['a third of the smallest RPO', [planWith(3600, 1800)], 10],
    ['rounded down to whole minutes', [planWith(1000)], 5],
    ['across plans', [planWith(3600), planWith(900)], 5],
    ['at least 1 minute', [planWith(60)], 1],
    ['at most 15 minutes', [planWith(86_400)], 15],
    ['15 minutes without resources', [], 15],
  ])('is %s', (_rule, plans, minutes) => {
    expect(auditIntervalOf(plans).toSeconds()).toBe(minutes * 60);
  });
});
