import { describe, expect, it } from 'vitest';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import { readAppState } from '#shared/application/failover-repository.ts';
import { recordRestoreEnd } from '#shared/application/record-restore-end.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const alarm = { kind: 'alarm', ref: 'arn:alarm', eventId: 'e1' } as const;
/** case-db and case-api restored side by side: two jobs run at once. */
const plan = loadPlan(
  withPlan(awsPlanDoc(), (d) => {
    for (const r of d.spec.resources as { dependsOn?: string[] }[]) r.dependsOn = [];
  }),
);

async function twoJobsRunning() {
  const w = engineWorld();
  const c = w.controller();
  await requestFailover(c, plan, alarm);
  await advanceFailover(c, plan);
  const steps = (await readAppState(w.store, plan.name)).failover!.steps;
  expect(steps.slice(0, 2).map((s) => [s.name, s.status, s.kind === 'restore' && s.jobId])).toEqual([
    ['restore:case-db', 'running', 'job-1'],
    ['restore:case-api', 'running', 'job-2'],
  ]);
  return { w, c };
}
const stepsOf = async (w: ReturnType<typeof engineWorld>) =>
  (await readAppState(w.store, plan.name)).failover!.steps.slice(0, 2).map((s) => [s.name, s.status]);

describe('recordRestoreEnd', () => {
  it('records the end on the step that started that very job', async () => {
    const { w, c } = await twoJobsRunning();
    const report = {
      jobId: 'job-2',
      ended: true,
      succeeded: true,
      message: 'COMPLETED',
      createdResource: 'api-dr',
    };
    expect(await recordRestoreEnd(c, plan.name, report)).toEqual({
      kind: 'recorded',
      failoverId: 'f1',
      reason: 'COMPLETED',
    });
    expect(await stepsOf(w)).toEqual([
      ['restore:case-db', 'running'],
      ['restore:case-api', 'succeeded'],
    ]);
  });

  it('records a failed job as the failure of its step, with the report’s message', async () => {
    const { w, c } = await twoJobsRunning();
    const report = { jobId: 'job-1', ended: true, succeeded: false, message: 'ABORTED: snapshot missing' };
    expect(await recordRestoreEnd(c, plan.name, report)).toMatchObject({
      kind: 'recorded',
      failoverId: 'f1',
    });
    const failover = (await readAppState(w.store, plan.name)).failover!;
    expect(failover.steps[0]).toMatchObject({ status: 'failed', detail: 'ABORTED: snapshot missing' });
    expect(failover.steps[1]).toMatchObject({ status: 'running' });
  });

  it('takes a report of a job still running as progress, changing nothing', async () => {
    const { w, c } = await twoJobsRunning();
    const report = { jobId: 'job-1', ended: false, succeeded: false, message: 'RUNNING' };
    expect(await recordRestoreEnd(c, plan.name, report)).toEqual({ kind: 'progress', failoverId: 'f1' });
    expect(await stepsOf(w)).toEqual([
      ['restore:case-db', 'running'],
      ['restore:case-api', 'running'],
    ]);
  });

  it('moves nothing for a job no failover or drill of the app recorded', async () => {
    const { w, c } = await twoJobsRunning();
    const report = { jobId: 'job-9', ended: true, succeeded: true, message: 'COMPLETED' };
    expect(await recordRestoreEnd(c, plan.name, report)).toEqual({ kind: 'not-ours' });
    expect(await recordRestoreEnd(c, 'another-app', report)).toEqual({ kind: 'not-ours' });
    expect(await stepsOf(w)).toEqual([
      ['restore:case-db', 'running'],
      ['restore:case-api', 'running'],
    ]);
  });
});
