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
    [
      'an EventBridge event without id',
      { ...alarmEvent, id: undefined },
      'EventBridge event: 1 problem: id: missing',
    ],
    ['an EventBridge event with time as a number', { ...alarmEvent, time: 1 }, 'time'],
  ])('rejects %s, saying what is wrong', (_what, input, inReason) => {
    const result = normalizeEvent(input);
    expect(result.accepted).toBe(false);
    expect(result).toHaveProperty('reason', expect.stringContaining(inReason));
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'an unknown source with missing and invalid fields',
      { 'detail-type': 'Order Placed', source: 'com.example.shop', time: 'yesterday', detail: 3 },
      [
        '4 problems',
        'id: missing (expected a string)',
        'detail: expected an object (received 3)',
        'time: not a timestamp (received "yesterday")',
        'source: "com.example.shop" is not a source Standby acts on',
      ],
    ],
    [
      'a detail-type of a known source Standby does not act on, without id',
      { ...alarmEvent, id: undefined, source: 'aws.backup', 'detail-type': 'Backup Plan State Change' },
      [
        '2 problems',
        'id: missing',
        'detail-type: "Backup Plan State Change" from aws.backup is not an event',
      ],
    ],
    [
      'a job event whose detail misses two fields',
      {
        ...alarmEvent,
        source: 'aws.backup',
        'detail-type': 'Backup Job State Change',
        detail: { state: '' },
      },
      ['detail.backupJobId: missing (expected a string)', 'detail.state: empty, expected a non-empty string'],
    ],
  ])('rejects %s, listing every problem in one reason', (_what, input, fragments) => {
    const result = normalizeEvent(input);
    expect(result.accepted).toBe(false);
    for (const fragment of fragments)
      expect(result).toHaveProperty('reason', expect.stringContaining(fragment));
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
