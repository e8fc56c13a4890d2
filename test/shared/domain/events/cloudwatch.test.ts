import { describe, expect, it } from 'vitest';
import { normalizeEvent, normalizeEvents, regionFromName } from '#shared/domain/events.ts';
import { cloudwatchCases } from './cases.ts';
import { accepted, documented, expectNormalized, recorded } from './fixtures.ts';

describe('CloudWatch alarm decoders', () => {
  it.each(cloudwatchCases.recorded)('normalises the recorded fixture %s', (file, expected) => {
    expectNormalized(normalizeEvents(recorded(file)), expected);
  });

  it.each(cloudwatchCases.documented)('normalises the documented variant %s', (file, expected) => {
    expectNormalized(normalizeEvents(documented(file)), expected);
  });

  it('gives the same dedupKey to one alarm state change delivered by an alarm action and by SNS', () => {
    const viaAction = accepted(normalizeEvents(documented('cloudwatch-alarm-action-lambda-metric.json'))[0]);
    const viaSns = accepted(normalizeEvents(documented('sns-lambda-cloudwatch-alarm-two-records.json'))[0]);
    expect(viaAction.via).not.toBe(viaSns.via);
    expect(viaAction.dedupKey).toBe(viaSns.dedupKey);
  });

  it('lets an older state change that arrives later be recognised by occurredAt', () => {
    const alarm = accepted(normalizeEvent(recorded('aws/cloudwatch-alarm-state-change-alarm.json')));
    const staleOk = accepted(normalizeEvent(recorded('aws/cloudwatch-alarm-state-change-ok.json')));
    // The OK event was delivered later (its envelope time is later) but describes an earlier state.
    expect(staleOk.occurredAt!.getTime()).toBeLessThan(alarm.occurredAt!.getTime());
    expect(staleOk.dedupKey).not.toBe(alarm.dedupKey);
  });
});

describe('SNS alarm regions', () => {
  const snsAlarm = (message: Record<string, unknown>) =>
    normalizeEvent({ Records: [{ Sns: { MessageId: 'm', Message: JSON.stringify(message) } }] });
  const base = {
    AlarmName: 'case-api-health',
    AWSAccountId: '111122223333',
    NewStateValue: 'ALARM',
    StateChangeTime: '2026-11-21T09:58:15.490+0000',
  };

  it.each([
    ['US East (N. Virginia)', 'us-east-1'],
    ['EU (Ireland)', 'eu-west-1'],
    ['Europe (Ireland)', 'eu-west-1'],
    ['EU (Frankfurt)', 'eu-central-1'],
    ['Asia Pacific (Tokyo)', 'ap-northeast-1'],
    ['South America (Sao Paulo)', 'sa-east-1'],
    ['AWS GovCloud (US-West)', 'us-gov-west-1'],
    ['eu-central-2', 'eu-central-2'],
  ])('maps %s to %s', (name, code) => {
    expect(regionFromName(name)).toBe(code);
  });

  it.each(['EXAMPLE', 'Atlantis (Central)', ''])('knows no region called %j', (name) => {
    expect(regionFromName(name)).toBeUndefined();
  });

  it('builds the alarm ARN from the region name and account when AlarmArn is absent', () => {
    expect(snsAlarm({ ...base, Region: 'EU (Ireland)' })).toMatchObject({
      region: 'eu-west-1',
      alarm: { alarmArn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health' },
    });
  });

  it('builds a GovCloud ARN in the aws-us-gov partition', () => {
    expect(snsAlarm({ ...base, Region: 'AWS GovCloud (US-West)' })).toMatchObject({
      alarm: { alarmArn: 'arn:aws-us-gov:cloudwatch:us-gov-west-1:111122223333:alarm:case-api-health' },
    });
  });

  it('prefers the region in AlarmArn to the Region name', () => {
    const arn = 'arn:aws:cloudwatch:eu-central-1:111122223333:alarm:case-api-health';
    expect(snsAlarm({ ...base, Region: 'US East (N. Virginia)', AlarmArn: arn })).toMatchObject({
      region: 'eu-central-1',
      alarm: { alarmArn: arn },
    });
  });

  it('rejects a message with no AlarmArn and a region name it does not know', () => {
    expect(snsAlarm({ ...base, Region: 'Atlantis (Central)' })).toMatchObject({
      accepted: false,
      reason: expect.stringContaining('Atlantis (Central)'),
    });
  });
});

describe('CloudWatch alarm rejections and ignores', () => {
  const alarmEvent = recorded('aws/cloudwatch-alarm-state-change-alarm.json') as Record<string, unknown>;
  const detail = alarmEvent['detail'] as Record<string, unknown>;

  it.each<[string, unknown, string]>([
    [
      'an alarm state that does not exist',
      { ...alarmEvent, detail: { ...detail, state: { value: 'PANIC', timestamp: '2019-10-02T17:04:40Z' } } },
      'detail.state.value',
    ],
    [
      'an alarm without alarmName',
      { ...alarmEvent, detail: { ...detail, alarmName: undefined } },
      'detail.alarmName',
    ],
    [
      'an alarm with an unreadable timestamp',
      { ...alarmEvent, detail: { ...detail, state: { value: 'ALARM', timestamp: 'yesterday' } } },
      'detail.state.timestamp',
    ],
    [
      'an alarm action whose alarmData has no state',
      {
        source: 'aws.cloudwatch',
        alarmArn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:a',
        alarmData: { alarmName: 'a' },
      },
      'alarmData.state',
    ],
  ])('rejects %s, saying what is wrong', (_what, input, inReason) => {
    const result = normalizeEvent(input);
    expect(result.accepted).toBe(false);
    expect(result).toHaveProperty('reason', expect.stringContaining(inReason));
  });

  it('says which value it received', () => {
    const result = normalizeEvent({
      ...alarmEvent,
      detail: { ...detail, state: { value: 'PANIC', timestamp: 'x' } },
    });
    expect(result).toHaveProperty('reason', expect.stringContaining('"PANIC"'));
  });

  it.each<[string, unknown, string]>([
    [
      'a CloudWatch configuration change',
      { ...alarmEvent, 'detail-type': 'CloudWatch Alarm Configuration Change' },
      'only "CloudWatch Alarm State Change"',
    ],
  ])('ignores %s as kind other, with a reason', (_what, input, inReason) => {
    expect(normalizeEvent(input)).toMatchObject({
      accepted: true,
      kind: 'other',
      reason: expect.stringContaining(inReason),
    });
  });
});
