import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import { createController } from '#shared/application/controller.ts';
import { readAppState } from '#shared/application/failover-repository.ts';
import { handleEvent } from '#shared/application/handle-event.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { jobIdOf } from '#shared/domain/failover.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import {
  FakeInventory,
  FakeProber,
  FakeRestores,
  FakeTraffic,
  RecordingNotifier,
} from '../../support/fake-ports.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const fixtures = resolve(import.meta.dirname, '../../../../shared/fixtures/aws');
const load = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(resolve(fixtures, name), 'utf8'));
const alarm = load('cloudwatch-alarm-state-change-alarm.json');
const ok = load('cloudwatch-alarm-state-change-ok.json');
const backupFailed = load('backup-job-state-change-failed.json');
const copyCompleted = load('copy-job-state-change-completed.json');
const ALARM_ARN = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh';

const planFor = (mode: 'automatic' | 'approval' | 'manual' = 'automatic') =>
  loadPlan(
    withPlan(awsPlanDoc(), (d) => {
      d.spec.triggers = [{ awsAlarm: ALARM_ARN }];
      d.spec.failover =
        mode === 'approval'
          ? {
              mode,
              approval: {
                notify: [{ sns: 'arn:aws:sns:eu-central-1:111122223333:dr-approvals' }],
                timeout: '30m',
              },
            }
          : { mode };
    }),
  );

function setup(plan: RecoveryPlan, options: { controllerRegion?: string } = {}) {
  const clock = new ManualClock(new Date('2026-11-21T12:00:00Z'));
  const restores = new FakeRestores(clock, 600);
  const traffic = new FakeTraffic();
  const controller = createController({
    store: new InMemoryStateStore(),
    inventory: new FakeInventory(clock),
    restores,
    prober: new FakeProber(),
    traffic,
    notifier: new RecordingNotifier(),
    clock,
    approvalKey: Buffer.alloc(32, 1),
    newId: (() => {
      let n = 0;
      return () => `f${++n}`;
    })(),
    owner: 'test',
  });
  const deps = { plans: [plan], controller, ...options };
  /** Lets simulated time pass until no restore is running, advancing the failover as jobs end. */
  const settle = async () => {
    for (let next = restores.nextCompletion(); next; next = restores.nextCompletion()) {
      clock.advanceTo(next);
      await advanceFailover(controller, plan);
    }
  };
  return { clock, restores, traffic, controller, deps, settle };
}

describe('handleEvent', () => {
  it('starts a failover from the recorded EventBridge alarm and carries it to completed', async () => {
    const plan = planFor();
    const s = setup(plan);
    const [outcome] = await handleEvent(alarm, s.deps);
    expect(outcome).toMatchObject({
      accepted: true,
      source: 'aws.cloudwatch',
      kind: 'alarm',
      app: plan.name,
      effect: 'failover-started',
    });
    await s.settle();
    expect((await readAppState(s.controller.store, plan.name)).failover?.phase).toBe('completed');
    expect(s.traffic.site).toBe('recovery');
  });

  it('gives exactly one failover and one restore per resource however often the alarm is redelivered', async () => {
    const plan = planFor();
    const s = setup(plan);
    const deliveries = [alarm, alarm, backupFailed, ok, alarm, copyCompleted, alarm, ok];
    const outcomes = [];
    for (const d of deliveries) outcomes.push(...(await handleEvent(d, s.deps)));
    await s.settle();
    for (const d of [alarm, ok, alarm]) outcomes.push(...(await handleEvent(d, s.deps)));
    expect(outcomes.filter((o) => o.effect === 'failover-started')).toHaveLength(1);
    expect(s.restores.created).toBe(plan.resources.length);
    expect(s.traffic.changes).toBe(1);
    expect(outcomes[1]).toMatchObject({
      effect: 'ignored',
      reason: expect.stringContaining('duplicate delivery'),
    });
  });

  it('ignores an ALARM older than an OK already seen for the same alarm', async () => {
    const plan = planFor();
    const s = setup(plan);
    const detail = ok.detail as { state: Record<string, unknown> };
    const newerOk = {
      ...ok,
      detail: { ...detail, state: { ...detail.state, timestamp: '2019-10-02T17:30:40.000+0000' } },
    };
    await handleEvent(newerOk, s.deps);
    const [outcome] = await handleEvent(alarm, s.deps);
    expect(outcome).toMatchObject({ effect: 'ignored', reason: expect.stringContaining('out of order') });
    expect(s.restores.calls).toEqual([]);
  });

  it('asks for approval in mode approval and leaves routing alone; an approval event completes it', async () => {
    const plan = planFor('approval');
    const s = setup(plan);
    const [outcome] = await handleEvent(alarm, s.deps);
    expect(outcome).toMatchObject({ effect: 'approval-requested' });
    expect(s.traffic.changes).toBe(0);
    const [request] = (s.controller.notifier as RecordingNotifier).sent;
    const [approved] = await handleEvent(
      { standby: 'approval', token: request!.approveToken, decision: 'approve' },
      s.deps,
    );
    expect(approved).toMatchObject({ kind: 'approval', app: plan.name, effect: 'failover-started' });
    await s.settle();
    expect(s.traffic.site).toBe('recovery');
  });

  it('ignores alarms for plans in mode manual, with the reason', async () => {
    const s = setup(planFor('manual'));
    const [outcome] = await handleEvent(alarm, s.deps);
    expect(outcome).toMatchObject({ effect: 'ignored', reason: expect.stringContaining('mode manual') });
  });

  it('leaves failovers to the controller of the recovery region', async () => {
    const s = setup(planFor(), { controllerRegion: 'eu-west-1' });
    const [outcome] = await handleEvent(alarm, s.deps);
    expect(outcome).toMatchObject({
      effect: 'ignored',
      reason: expect.stringContaining('recovery region eu-central-1'),
    });
  });

  it.each([
    ['a string', 'not json'],
    ['null', null],
    ['an alarm event without detail', { ...alarm, detail: undefined }],
  ])('rejects %s with a reason instead of throwing', async (_name, input) => {
    const s = setup(planFor());
    const [outcome] = await handleEvent(input, s.deps);
    expect(outcome).toMatchObject({ accepted: false, effect: 'rejected' });
    expect(outcome?.reason.length).toBeGreaterThan(5);
  });

  it('ignores an alarm no plan names, saying so', async () => {
    const s = setup(loadPlan());
    const [outcome] = await handleEvent(alarm, s.deps);
    expect(outcome).toMatchObject({ accepted: true, app: null, effect: 'ignored' });
  });

  it('reports restore job events of its own jobs as restore progress', async () => {
    const plan = planFor();
    const s = setup(plan);
    await handleEvent(alarm, s.deps);
    const state = await readAppState(s.controller.store, plan.name);
    const jobId = jobIdOf(state.failover!.steps[0]!)!;
    const restoreEvent = load('restore-job-state-change-completed.json') as {
      detail: Record<string, unknown>;
    };
    const event = {
      ...restoreEvent,
      detail: {
        ...restoreEvent.detail,
        restoreJobId: jobId,
        sourceResourceArn: 'arn:aws:rds:eu-west-1:111122223333:db:case-db',
      },
    };
    const [outcome] = await handleEvent(event, s.deps);
    expect(outcome).toMatchObject({ kind: 'restore-job', app: plan.name, effect: 'restore-progress' });
    const after = await readAppState(s.controller.store, plan.name);
    expect(after.failover!.steps[0]!.status).toBe('succeeded');
  });
});

describe('handleEvent in a region that does not drive the plan', () => {
  it('leaves approvals and restore job ends to the controller of the recovery region', async () => {
    const plan = planFor('approval');
    const home = setup(plan);
    await handleEvent(alarm, home.deps);
    const [request] = (home.controller.notifier as RecordingNotifier).sent;
    const away = { ...home.deps, controllerRegion: 'eu-west-1' };
    const [outcome] = await handleEvent(
      { standby: 'approval', token: request!.approveToken, decision: 'approve' },
      away,
    );
    expect(outcome).toMatchObject({
      effect: 'ignored',
      reason: expect.stringContaining('recovery region eu-central-1'),
    });
    expect((await readAppState(home.controller.store, plan.name)).failover?.phase).toBe('awaiting-approval');
  });
});
