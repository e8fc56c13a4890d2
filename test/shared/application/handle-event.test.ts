import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import { createController } from '#shared/application/controller.ts';
import { readAppState } from '#shared/application/failover-repository.ts';
import { handleEvent } from '#shared/application/handle-event.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { jobIdOf } from '#shared/domain/step-kinds.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import type { StateStore } from '#shared/ports/state-store.ts';
import {
  FakeInventory,
  FakeProber,
  FakeRestores,
  FakeTraffic,
  RecordingNotifier,
} from '../../support/fake-ports.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const fixtures = resolve(import.meta.dirname, '../../fixtures/aws');
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

/** The recorded COMPLETED event, for the job of the current failover's first restore step. */
async function firstJobCompleted(store: StateStore, app: string, detail: Record<string, unknown> = {}) {
  const state = await readAppState(store, app);
  const restoreEvent = load('restore-job-state-change-completed.json') as { detail: Record<string, unknown> };
  return {
    ...restoreEvent,
    detail: {
      ...restoreEvent.detail,
      restoreJobId: jobIdOf(state.failover!.steps[0]!),
      sourceResourceArn: 'arn:aws:rds:eu-west-1:111122223333:db:case-db',
      ...detail,
    },
  };
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
    const [outcome] = await handleEvent(await firstJobCompleted(s.controller.store, plan.name), s.deps);
    expect(outcome).toMatchObject({ kind: 'restore-job', app: plan.name, effect: 'restore-progress' });
    const after = await readAppState(s.controller.store, plan.name);
    expect(after.failover!.steps[0]!.status).toBe('succeeded');
  });
});

describe('handleEvent with restores that need work after the job', () => {
  it('does not end an Aurora restore step on the job’s COMPLETED event: its instances come first', async () => {
    const plan = planFor();
    const s = setup(plan);
    await handleEvent(alarm, s.deps);
    const event = await firstJobCompleted(s.controller.store, plan.name, { resourceType: 'Aurora' });
    const [outcome] = await handleEvent(event, s.deps);
    expect(outcome).toMatchObject({
      effect: 'restore-progress',
      reason: expect.stringContaining('still needs its post-restore work'),
    });
    const after = await readAppState(s.controller.store, plan.name);
    expect(after.failover!.steps[0]!.status).toBe('running');
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

describe('handleEvent trusts no sender blindly', () => {
  const approvalEvent = (token: string, extra: Record<string, unknown> = {}) => ({
    standby: 'approval',
    token,
    decision: 'approve',
    ...extra,
  });

  it.each([
    ['an approve token sent with decision reject', (t: string) => approvalEvent(t, { decision: 'reject' })],
    ['a token with a padding character appended', (t: string) => approvalEvent(`${t}=`)],
    [
      'a token spelled with a standard-base64 character',
      (t: string) => approvalEvent(`${t.slice(0, -10)}+${t.slice(-9)}`),
    ],
  ])('refuses %s and changes nothing', async (_case, forge) => {
    const plan = planFor('approval');
    const s = setup(plan);
    await handleEvent(alarm, s.deps);
    const [request] = (s.controller.notifier as RecordingNotifier).sent;
    const token = request!.approveToken!;
    const [outcome] = await handleEvent(forge(token), s.deps);
    expect(outcome).toMatchObject({
      accepted: true,
      effect: 'refused',
      reason: expect.stringContaining('approval token refused'),
    });
    expect((await readAppState(s.controller.store, plan.name)).failover).toMatchObject({
      phase: 'awaiting-approval',
      decision: null,
    });
  });

  it('never records a self-declared actor as the approver: the history names the token’s recipient', async () => {
    const plan = planFor('approval');
    const s = setup(plan);
    await handleEvent(alarm, s.deps);
    const [request] = (s.controller.notifier as RecordingNotifier).sent;
    await handleEvent(approvalEvent(request!.approveToken!, { actor: 'Jane Doe (CISO)' }), s.deps);
    const failover = (await readAppState(s.controller.store, plan.name)).failover!;
    expect(failover.decision).toMatchObject({
      authenticated: false,
      recipient: 'sns:arn:aws:sns:eu-central-1:111122223333:dr-approvals',
    });
    expect(failover.history.map((h) => h.reason)).toContain(
      'approved by the recipient of sns:arn:aws:sns:eu-central-1:111122223333:dr-approvals (unauthenticated; says "Jane Doe (CISO)")',
    );
  });

  it('refuses an OK dated in the future, so a later real ALARM still fails over', async () => {
    const plan = planFor();
    const s = setup(plan);
    s.clock.advanceTo(new Date('2019-10-02T17:40:00Z'));
    const forged = {
      ...ok,
      id: 'forged',
      time: '2099-01-01T00:00:00Z',
      detail: {
        ...(ok.detail as object),
        state: { ...(ok.detail as { state: object }).state, timestamp: '2099-01-01T00:00:00.000+0000' },
      },
    };
    const [refused] = await handleEvent(forged, s.deps);
    expect(refused).toMatchObject({
      accepted: false,
      effect: 'rejected',
      reason: expect.stringContaining('dated 2099-01-01T00:00:00.000Z'),
    });
    const [started] = await handleEvent(alarm, s.deps);
    expect(started).toMatchObject({ effect: 'failover-started' });
  });

  it('rejects a payload larger than the clouds deliver before reading it', async () => {
    const s = setup(planFor());
    const [outcome] = await handleEvent({ ...alarm, padding: 'x'.repeat(300_000) }, s.deps);
    expect(outcome).toMatchObject({
      accepted: false,
      reason: expect.stringContaining('at most 262144 are accepted'),
    });
  });
});
