/** The checks the plan schema runs itself, each message in words: durations, restore requests, drill schedules. */

import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { InvalidPlanError } from '#shared/domain/errors.ts';
import { readPlans } from '#shared/domain/plan-file.ts';
import { awsPlanDoc, azurePlanDoc, type PlanDoc, withPlan } from '../../support/plans.ts';

function problemsOf(doc: PlanDoc): { path: string; message: string }[] {
  try {
    readPlans([{ file: 'plan.yaml', text: stringify(doc) }]);
  } catch (error) {
    if (!(error instanceof InvalidPlanError)) throw error;
    return error.problems.map(({ path, message }) => ({ path, message }));
  }
  return [];
}
const DURATION = 'a positive whole number followed by s, m, h or d (e.g. 90s, 15m, 1h, 2d)';
const objectives = (d: PlanDoc) => d.spec['objectives'] as Record<string, unknown>;

describe('plan schema: durations', () => {
  it.each([
    [15, `expected a duration: ${DURATION}`],
    ['fifteen', `"fifteen" is not a duration; expected ${DURATION}`],
    [undefined, `is required: a duration, ${DURATION}`],
  ])('says what is wrong with an rpo of %j', (rpo, message) => {
    const doc = withPlan(awsPlanDoc(), (d) => {
      objectives(d)['rpo'] = rpo;
    });
    expect(problemsOf(doc)).toEqual([{ path: 'spec.objectives.rpo', message }]);
  });
});

describe('plan schema: Azure restore requests', () => {
  const request = (d: PlanDoc) =>
    (
      (d.spec['resources'] as Record<string, Record<string, Record<string, unknown>>>[])[0]!['azureBackup']![
        'restore'
      ] as Record<string, Record<string, unknown>>
    )['request']!;

  it.each([
    'AzureBackupRecoveryPointBasedRestoreRequest',
    'AzureBackupRestoreWithRehydrationRequest',
    undefined,
  ])('accepts a request of objectType %j', (objectType) => {
    const doc = withPlan(azurePlanDoc(), (d) => {
      request(d)['objectType'] = objectType;
    });
    expect(problemsOf(doc)).toEqual([]);
  });

  it('refuses a request that does not restore from a recovery point, naming the ones that do', () => {
    const doc = withPlan(azurePlanDoc(), (d) => {
      request(d)['objectType'] = 'AzureBackupRestoreFromSnapshotRequest';
    });
    expect(problemsOf(doc)).toEqual([
      {
        path: 'spec.resources[0].azureBackup.restore.request.objectType',
        message:
          '"AzureBackupRestoreFromSnapshotRequest" does not restore from a recovery point; use one of AzureBackupRecoveryPointBasedRestoreRequest, AzureBackupRestoreWithRehydrationRequest',
      },
    ]);
  });
});

describe('plan schema: drill schedules', () => {
  it('refuses a schedule EventBridge Scheduler cannot read, in the parser’s words', () => {
    const doc = withPlan(awsPlanDoc(), (d) => {
      d.spec['drill'] = { schedule: 'weekly' };
    });
    expect(problemsOf(doc)).toEqual([
      {
        path: 'spec.drill.schedule',
        message:
          'weekly: expected rate(<value> <unit>) or cron(<6 fields>), as EventBridge Scheduler writes them',
      },
    ]);
  });
});
