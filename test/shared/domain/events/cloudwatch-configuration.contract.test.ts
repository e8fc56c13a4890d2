/**
 * The alarm configuration a CloudWatch delivery carries — EventBridge `detail.configuration`, SNS
 * `Trigger` — is checked, not passed through: a field of the wrong type rejects the event naming the
 * field, before the alarm type is read from it.
 */
import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '#shared/domain/events.ts';

const ARN = 'arn:aws:cloudwatch:eu-central-1:111122223333:alarm:Case-API';
const AT = '2026-11-21T09:58:15.490+0000';

const stateChange = (configuration: unknown) => ({
  version: '0',
  id: 'evt-1',
  'detail-type': 'CloudWatch Alarm State Change',
  source: 'aws.cloudwatch',
  account: '111122223333',
  time: '2026-11-21T10:00:00Z',
  region: 'eu-central-1',
  resources: [ARN],
  detail: { alarmName: 'Case-API', state: { value: 'ALARM', timestamp: AT }, configuration },
});

const snsMessage = (more: Record<string, unknown>) => ({
  Records: [
    {
      Sns: {
        MessageId: 'msg-1',
        Message: JSON.stringify({
          AlarmName: 'Case-API',
          AlarmArn: ARN,
          NewStateValue: 'ALARM',
          StateChangeTime: AT,
          ...more,
        }),
      },
    },
  ],
});

describe('CloudWatch Alarm State Change: detail.configuration', () => {
  it.each<[unknown, string]>([
    [{ metrics: 'm1' }, 'detail.configuration.metrics: expected an array (received "m1")'],
    [
      { metrics: [{ id: 'e1', expression: 5 }] },
      'detail.configuration.metrics.0.expression: expected a string (received 5)',
    ],
    [{ alarmRule: 5 }, 'detail.configuration.alarmRule: expected a string (received 5)'],
  ])('rejects the configuration %j', (configuration, reason) => {
    expect(normalizeEvent(stateChange(configuration))).toEqual({
      accepted: false,
      source: 'aws.cloudwatch',
      reason: `CloudWatch Alarm State Change: ${reason}`,
    });
  });

  it('reads a metric-math configuration with fields it does not know', () => {
    expect(
      normalizeEvent(stateChange({ metrics: [{ id: 'e1', expression: 'm1 * 2', label: 'x' }], period: 60 })),
    ).toMatchObject({ accepted: true, alarm: { alarmType: 'metric-math' } });
  });
});

describe('CloudWatch alarm message (SNS): Trigger', () => {
  it.each<[unknown, string]>([
    ['x', 'Trigger: expected an object (received "x")'],
    [{ Metrics: 'm1' }, 'Trigger.Metrics: expected an array (received "m1")'],
    [
      { Metrics: [{ Id: 'e1', Expression: 5 }] },
      'Trigger.Metrics.0.Expression: expected a string (received 5)',
    ],
  ])('rejects the Trigger %j', (trigger, reason) => {
    expect(normalizeEvent(snsMessage({ Trigger: trigger }))).toEqual({
      accepted: false,
      source: 'aws.cloudwatch',
      reason: `Records[0].Sns.Message: SNS CloudWatch alarm message: ${reason}`,
    });
  });

  it('reads a metric-math Trigger with fields it does not know', () => {
    expect(
      normalizeEvent(
        snsMessage({ Trigger: { Metrics: [{ Id: 'e1', Expression: 'm1 * 2', Label: 'x' }], Period: 60 } }),
      ),
    ).toMatchObject({ accepted: true, alarm: { alarmType: 'metric-math' } });
  });
});
