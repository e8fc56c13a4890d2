import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAppState } from '#shared/application/failover-repository.ts';
import { handleEvent } from '#shared/application/handle-event.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const fixtures = resolve(import.meta.dirname, '../../fixtures/aws');
const load = (name: string) => JSON.parse(readFileSync(resolve(fixtures, name), 'utf8'));
const ALARM_ARN = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh';
const plan = loadPlan(
  withPlan(awsPlanDoc(), (d) => {
    d.spec.triggers = [{ awsAlarm: ALARM_ARN }];
  }),
);

/** The recorded alarm (ALARM) or OK state change, its state dated `timestamp` (CloudWatch's format). */
const change = (state: 'ALARM' | 'OK', timestamp: string) => {
  const e = load(
    state === 'ALARM' ? 'cloudwatch-alarm-state-change-alarm.json' : 'cloudwatch-alarm-state-change-ok.json',
  );
  return { ...e, detail: { ...e.detail, state: { ...e.detail.state, timestamp } } };
};
const setup = (options: { trustedTopics?: string[] } = {}) => {
  const w = engineWorld();
  const controller = w.controller();
  return { ...w, controller, deps: { plans: [plan], controller, ...options } };
};

describe('handleEvent: alarms', () => {
  it('starts the failover on the alarm it names, and carries it on', async () => {
    const w = setup();
    expect(await handleEvent(change('ALARM', '2026-11-21T11:59:00.000+0000'), w.deps)).toMatchObject([
      { app: 'case-management', effect: 'failover-started', failoverId: 'f1' },
    ]);
    const failover = (await readAppState(w.store, plan.name)).failover!;
    expect(failover.trigger).toMatchObject({ kind: 'alarm', ref: ALARM_ARN });
    expect(failover.steps[0]!.status).toBe('running');
  });

  it('carries the failover it joins on, when the alarm fires again', async () => {
    const w = setup();
    await handleEvent(change('ALARM', '2026-11-21T11:59:00.000+0000'), w.deps);
    w.clock.advance(600);
    expect(await handleEvent(change('ALARM', '2026-11-21T12:09:00.000+0000'), w.deps)).toMatchObject([
      { effect: 'joined-existing', failoverId: 'f1' },
    ]);
    expect((await readAppState(w.store, plan.name)).failover!.steps[0]!.status).toBe('succeeded');
  });

  it('says a cleared alarm leaves a failover in flight going, or that nothing is in flight', async () => {
    const w = setup();
    expect((await handleEvent(change('OK', '2026-11-21T11:58:00.000+0000'), w.deps))[0]).toMatchObject({
      effect: 'ignored',
      reason: `${ALARM_ARN} cleared; nothing in flight`,
    });
    await handleEvent(change('ALARM', '2026-11-21T11:59:00.000+0000'), w.deps);
    expect((await handleEvent(change('OK', '2026-11-21T11:59:30.000+0000'), w.deps))[0]).toMatchObject({
      effect: 'ignored',
      reason: `${ALARM_ARN} cleared; failover f1 (restoring) goes on — a recovered primary does not undo a failover half-way`,
    });
  });

  it('names the newer state it already saw when a change arrives out of order', async () => {
    const w = setup();
    await handleEvent(change('OK', '2026-11-21T11:59:00.000+0000'), w.deps);
    expect((await handleEvent(change('ALARM', '2026-11-21T11:58:00.000+0000'), w.deps))[0]!.reason).toBe(
      `out of order: ${ALARM_ARN} was already seen OK at 2026-11-21T11:59:00.000Z, after this change (2026-11-21T11:58:00.000Z)`,
    );
    const v = setup();
    await handleEvent(change('ALARM', '2026-11-21T11:59:00.000+0000'), v.deps);
    expect((await handleEvent(change('OK', '2026-11-21T11:58:00.000+0000'), v.deps))[0]!.reason).toBe(
      `out of order: ${ALARM_ARN} was already seen in ALARM at 2026-11-21T11:59:00.000Z, after this change (2026-11-21T11:58:00.000Z)`,
    );
  });
});

describe('handleEvent: which senders and times it trusts', () => {
  it('accepts a change dated up to 300 s after its own time, and refuses one a second later', async () => {
    const w = setup();
    expect((await handleEvent(change('OK', '2026-11-21T12:05:00.000+0000'), w.deps))[0]!.accepted).toBe(true);
    const [late] = await handleEvent(change('OK', '2026-11-21T12:05:01.000+0000'), w.deps);
    expect(late).toMatchObject({ accepted: false, effect: 'rejected', kind: null, app: null });
    expect(late!.reason).toBe(
      "dated 2026-11-21T12:05:01.000Z, more than 300s after this controller's time 2026-11-21T12:00:00.000Z; refused rather than let a future time order later events",
    );
  });

  it('refuses an SNS delivery from a topic it does not trust, naming the topics it does', async () => {
    const sns = load('sns-lambda-cloudwatch-alarm-single-metric.json');
    const w = setup({ trustedTopics: ['arn:aws:sns:eu-central-1:111122223333:standby-alarms'] });
    expect((await handleEvent(sns, w.deps))[0]).toMatchObject({
      accepted: false,
      effect: 'rejected',
      reason:
        'delivered by SNS topic arn:aws:sns:EXAMPLE, which is not a trusted topic of this controller (arn:aws:sns:eu-central-1:111122223333:standby-alarms)',
    });
    const none = setup({ trustedTopics: [] });
    expect((await handleEvent(sns, none.deps))[0]!.reason).toMatch(/\(none configured\)$/);
    const trusted = setup({ trustedTopics: ['arn:aws:sns:EXAMPLE'] });
    expect((await handleEvent(sns, trusted.deps))[0]!.effect).not.toBe('rejected');
  });

  it('reads trusted topics only for SNS deliveries', async () => {
    const w = setup({ trustedTopics: ['arn:aws:sns:eu-central-1:111122223333:standby-alarms'] });
    expect((await handleEvent(change('OK', '2026-11-21T11:59:00.000+0000'), w.deps))[0]!.accepted).toBe(true);
  });
});
