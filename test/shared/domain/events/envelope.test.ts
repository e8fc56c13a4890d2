import { describe, expect, it } from 'vitest';
import { normalizeEvent, normalizeEvents } from '#shared/domain/events.ts';
import { recorded } from './fixtures.ts';

describe('event envelopes (EventBridge, SNS batch)', () => {
  const alarmEvent = recorded('aws/cloudwatch-alarm-state-change-alarm.json') as Record<string, unknown>;

  it('unwraps an EventBridge event that arrives inside an SNS message', () => {
    const inner = recorded('aws/backup-job-state-change-failed.json');
    const results = normalizeEvents({
      Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'm-1', Message: JSON.stringify(inner) } }],
    });
    expect(results[0]).toMatchObject({
      accepted: true,
      kind: 'backup-job',
      via: 'sns',
      job: { state: 'FAILED' },
    });
  });

  it('ignores an SNS message that is plain text, with a reason', () => {
    const results = normalizeEvents({
      Records: [{ Sns: { MessageId: 'm-2', Message: 'An AWS Backup job was completed successfully.' } }],
    });
    expect(results[0]).toMatchObject({
      accepted: true,
      kind: 'other',
      reason: expect.stringContaining('plain text'),
    });
  });

  it.each<[string, unknown, string]>([
    ['an empty SNS batch', { Records: [] }, 'Records is empty'],
    ['an SNS record without Sns', { Records: [{ EventSource: 'aws:sns' }] }, 'Records[0].Sns'],
    ['an EventBridge event without id', { ...alarmEvent, id: undefined }, 'EventBridge event: id'],
    ['an EventBridge event with time as a number', { ...alarmEvent, time: 1 }, 'time'],
  ])('rejects %s, saying what is wrong', (_what, input, inReason) => {
    const result = normalizeEvent(input);
    expect(result.accepted).toBe(false);
    expect(result).toHaveProperty('reason', expect.stringContaining(inReason));
  });

  it.each<[string, unknown, string]>([
    [
      'an EventBridge event from another service',
      { ...alarmEvent, source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification' },
      'aws.ec2',
    ],
  ])('ignores %s as kind other, with a reason', (_what, input, inReason) => {
    expect(normalizeEvent(input)).toMatchObject({
      accepted: true,
      kind: 'other',
      reason: expect.stringContaining(inReason),
    });
  });
});
