import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEventsHandler, type EventsRuntime } from '#functions/handlers/events.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { ProviderError } from '#shared/domain/errors.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { awsPlanDoc, ids, loadPlan, withPlan } from '../../support/plans.ts';
import { capturingLogger, fakeController, lambdaContext } from './support.ts';

const sharedFixture = (name: string): unknown =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../../fixtures/aws', name), 'utf8'));
const ownFixture = (name: string): unknown =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../../fixtures/events', name), 'utf8'));

const EVENTBRIDGE_ALARM = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh';
const SNS_PLACEHOLDER_ALARM = 'arn:aws:cloudwatch:REGION:ACCOUNT_NUMBER:alarm:EXAMPLE';

/** The recorded SNS-wrapped alarm, with its placeholder alarm ARN replaced by `arn` (wrapper untouched). */
function snsAlarmFor(arn: string): unknown {
  const text = JSON.stringify(sharedFixture('sns-lambda-cloudwatch-alarm-single-metric.json'));
  return JSON.parse(text.replaceAll(SNS_PLACEHOLDER_ALARM, arn));
}

function planWith(triggers: string[], mode: 'automatic' | 'approval' = 'automatic'): RecoveryPlan {
  return loadPlan(
    withPlan(awsPlanDoc(), (d) => {
      d.spec.triggers = triggers.map((awsAlarm) => ({ awsAlarm }));
      if (mode === 'approval')
        d.spec.failover = { mode, approval: { notify: [{ sns: ids.topic }], timeout: '30m' } };
    }),
  );
}

function setup(
  plan: RecoveryPlan,
  options: { region?: string; store?: InMemoryStateStore; trustedTopics?: string[] } = {},
) {
  const fakes = fakeController(options.store ? { store: options.store } : {});
  const log = capturingLogger();
  const runtime: EventsRuntime = {
    plans: [plan],
    controller: fakes.controller,
    region: options.region ?? plan.recovery.region,
    trustedTopics: options.trustedTopics ?? ['arn:aws:sns:EXAMPLE'],
    logger: log.logger,
  };
  const handler = createEventsHandler(async () => runtime);
  return { ...fakes, log, invoke: (event: unknown) => handler(event, lambdaContext()) };
}

describe('events handler', () => {
  it.each([
    [
      'the EventBridge alarm state change',
      () => sharedFixture('cloudwatch-alarm-state-change-alarm.json'),
      EVENTBRIDGE_ALARM,
    ],
    ['the SNS-wrapped alarm', () => snsAlarmFor(ids.alarm), ids.alarm],
    [
      'the alarm action that invokes Lambda directly',
      () => ownFixture('cloudwatch-alarm-action-lambda-metric.json'),
      ids.alarm,
    ],
  ])('starts a failover from %s and starts the first restores', async (_name, event, alarm) => {
    const s = setup(planWith([alarm]));
    const { outcomes } = await s.invoke(event());
    expect(outcomes).toEqual([
      expect.objectContaining({
        accepted: true,
        kind: 'alarm',
        app: 'case-management',
        effect: 'failover-started',
      }),
    ]);
    expect(s.restores.calls.map((c) => c.resource.name)).toEqual(['case-db']);
    expect(s.log.lines()).toContainEqual(
      expect.objectContaining({
        level: 30,
        requestId: lambdaContext().awsRequestId,
        function: 'standby-events',
      }),
    );
  });

  it('answers the recorded SNS sample, whose alarm no plan names, with an ignored outcome', async () => {
    const s = setup(planWith([ids.alarm]));
    const { outcomes } = await s.invoke(sharedFixture('sns-lambda-cloudwatch-alarm-single-metric.json'));
    expect(outcomes).toEqual([
      expect.objectContaining({
        accepted: true,
        effect: 'ignored',
        reason: expect.stringContaining('no plan has trigger'),
      }),
    ]);
    expect(s.restores.calls).toEqual([]);
  });

  it('refuses an SNS delivery from a topic it does not trust, with the reason, and changes nothing', async () => {
    const s = setup(planWith([ids.alarm]), { trustedTopics: ['arn:aws:sns:eu-west-1:111122223333:alarms'] });
    const { outcomes } = await s.invoke(sharedFixture('sns-lambda-cloudwatch-alarm-single-metric.json'));
    expect(outcomes).toEqual([
      expect.objectContaining({
        accepted: false,
        effect: 'rejected',
        reason:
          'delivered by SNS topic arn:aws:sns:EXAMPLE, which is not a trusted topic of this controller (arn:aws:sns:eu-west-1:111122223333:alarms)',
      }),
    ]);
    expect(await s.deps.store.query('app#case-management')).toEqual([]);
  });

  const withoutDetail = () => {
    const { detail: _detail, ...envelope } = sharedFixture(
      'cloudwatch-alarm-state-change-alarm.json',
    ) as Record<string, unknown>;
    return envelope;
  };
  it.each([
    ['the recorded EventBridge alarm without its detail', withoutDetail],
    [
      'an SNS record without a MessageId',
      () => ({ Records: [{ EventSource: 'aws:sns', Sns: { Message: '{}' } }] }),
    ],
    ['an empty SNS batch', () => ({ Records: [] })],
    ['an array', () => ['ALARM']],
    ['null', () => null],
  ])('returns a rejected outcome for %s and does not throw', async (_name, event) => {
    const s = setup(planWith([ids.alarm]));
    const { outcomes } = await s.invoke(event());
    expect(outcomes).toEqual([expect.objectContaining({ accepted: false, effect: 'rejected' })]);
    expect(outcomes[0]?.reason).not.toBe('');
    expect(s.log.lines()).toContainEqual(expect.objectContaining({ level: 40 }));
  });

  it('leaves the failover of a plan recovering in another region to that region', async () => {
    const s = setup(planWith([ids.alarm]), { region: 'us-west-2' });
    const { outcomes } = await s.invoke(snsAlarmFor(ids.alarm));
    expect(outcomes[0]).toMatchObject({ effect: 'ignored', reason: expect.stringContaining('us-west-2') });
    expect(s.restores.calls).toEqual([]);
  });

  it('throws on a store failure so Lambda retries the event, and logs the error code once', async () => {
    const store = new InMemoryStateStore();
    store.get = async () => {
      throw new ProviderError('dynamodb:GetItem', 'ProvisionedThroughputExceededException');
    };
    const s = setup(planWith([ids.alarm]), { store });
    await expect(s.invoke(snsAlarmFor(ids.alarm))).rejects.toThrow(ProviderError);
    const errors = s.log.lines().filter((l) => l['level'] === 50);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'PROVIDER', requestId: lambdaContext().awsRequestId }),
    ]);
  });

  it('asks for approval and never writes the approval tokens to the log', async () => {
    const s = setup(planWith([ids.alarm], 'approval'));
    const { outcomes } = await s.invoke(snsAlarmFor(ids.alarm));
    expect(outcomes[0]).toMatchObject({ effect: 'approval-requested' });
    const sent = s.notifier.sent[0]!;
    const { outcomes: decided } = await s.invoke({
      standby: 'approval',
      token: sent.approveToken,
      decision: 'approve',
      actor: 'oncall@example.com',
      at: '2026-11-21T12:01:00Z',
    });
    expect(decided[0]).toMatchObject({ kind: 'approval', effect: 'failover-started' });
    expect(s.log.text()).not.toContain(sent.approveToken!);
    expect(s.log.text()).not.toContain(sent.rejectToken!);
  });
});
