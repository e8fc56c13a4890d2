/**
 * The dispatch of `normalizeEvents`, every reason stated in full: the size cap, the shapes tried in
 * order, the EventBridge envelope and the sources and detail-types read from it, SNS batches, Standby
 * approvals and schedule firings.
 */
import { describe, expect, it } from 'vitest';
import { MAX_EVENT_CHARS, normalizeEvent, normalizeEvents } from '#shared/domain/events.ts';

const envelope = (more: Record<string, unknown>) => ({
  id: 'evt-1',
  'detail-type': 'Scheduled Event',
  source: 'aws.scheduler',
  time: '2026-11-21T12:00:00Z',
  ...more,
});

describe('the size cap', () => {
  it('reads input up to the cap, and refuses input over it, as text or as JSON', () => {
    const pad = (n: number) => ({ ...envelope({}), pad: 'x'.repeat(n) });
    const base = JSON.stringify(pad(0)).length;
    expect(normalizeEvents(pad(MAX_EVENT_CHARS - base))[0]).toMatchObject({
      accepted: true,
      kind: 'schedule',
    });
    expect(normalizeEvents(pad(MAX_EVENT_CHARS - base + 1))).toEqual([
      {
        accepted: false,
        reason: `input is ${MAX_EVENT_CHARS + 1} characters of JSON; at most 262144 are accepted (the clouds deliver at most 256 KB)`,
      },
    ]);
    expect(normalizeEvents('x'.repeat(MAX_EVENT_CHARS + 1))[0]).toMatchObject({
      reason: expect.stringContaining(`input is ${MAX_EVENT_CHARS + 1} characters`),
    });
    expect(normalizeEvents('x'.repeat(MAX_EVENT_CHARS))[0]).toMatchObject({
      reason: expect.stringContaining('expected a JSON object, received a string'),
    });
  });

  it.each([
    [undefined, 'expected a JSON object, received a undefined'],
    [null, 'expected a JSON object, received null'],
    [true, 'expected a JSON object, received a boolean'],
    ['{"a":1}', 'expected a JSON object, received a string ("{\\"a\\":1}")'],
  ])('rejects %j: %s', (input, reason) => {
    expect(normalizeEvents(input)).toEqual([{ accepted: false, reason }]);
  });

  it('rejects a function, which JSON cannot write, as not an object', () => {
    expect(normalizeEvents(() => 1)).toEqual([
      { accepted: false, reason: 'expected a JSON object, received a function' },
    ]);
  });

  it('turns a value that throws while read into a rejection', () => {
    const hostile = {
      get Records() {
        throw new Error('boom');
      },
    };
    expect(normalizeEvents(hostile)).toEqual([{ accepted: false, reason: 'input could not be read: boom' }]);
  });
});

describe('shapes', () => {
  it.each([
    ['standby before everything', { standby: 'nope', schemaId: 'x', 'detail-type': 'y' }, 'standby'],
    ['an Azure alert before EventBridge', { schemaId: 'other', 'detail-type': 'y' }, 'azure.monitor'],
    ['EventBridge before an alarm action', { ...envelope({}), alarmData: {} }, 'aws.scheduler'],
    ['an alarm action before an SNS alarm', { alarmData: {}, AlarmName: 'a' }, 'aws.cloudwatch'],
  ])('tries %s', (_case, input, source) => {
    expect(normalizeEvent(input)).toHaveProperty('source', source);
  });

  it.each([
    [{ NewStateValue: 'ALARM' }, 'SNS CloudWatch alarm message: AlarmName: missing (expected a string)'],
    [{ AlarmName: 'a' }, 'SNS CloudWatch alarm message: NewStateValue: '],
  ])('reads %j as an SNS alarm message', (input, reason) => {
    expect(normalizeEvent(input)).toMatchObject({
      accepted: false,
      source: 'aws.cloudwatch',
      reason: expect.stringContaining(reason),
    });
  });

  it('names at most five keys of an object it does not recognise', () => {
    expect(normalizeEvent({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 })).toEqual({
      accepted: true,
      kind: 'other',
      source: 'unknown',
      via: 'unknown',
      dedupKey: 'unknown:{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6}',
      reason:
        'not a recognised event: no detail-type, schemaId, alarmData, AlarmName or standby field (keys: a, b, c, d, e)',
    });
    expect(normalizeEvent({})).toMatchObject({ reason: expect.stringContaining('(keys: none)') });
  });
});

describe('the EventBridge envelope', () => {
  it('reads a schedule firing of either source, in full', () => {
    const arn = 'arn:aws:scheduler:eu-central-1:111122223333:schedule/default/drill';
    expect(
      normalizeEvent(
        envelope({ resources: [arn], region: 'eu-central-1', account: '111122223333', source: 'aws.events' }),
      ),
    ).toEqual({
      accepted: true,
      source: 'aws.events',
      via: 'eventbridge',
      occurredAt: new Date('2026-11-21T12:00:00Z'),
      dedupKey: `schedule:${arn}@2026-11-21T12:00:00.000Z`,
      eventId: 'evt-1',
      region: 'eu-central-1',
      account: '111122223333',
      kind: 'schedule',
      scheduleArn: arn,
    });
    expect(normalizeEvent(envelope({}))).toEqual({
      accepted: true,
      source: 'aws.scheduler',
      via: 'eventbridge',
      occurredAt: new Date('2026-11-21T12:00:00Z'),
      dedupKey: 'schedule:evt-1@2026-11-21T12:00:00.000Z',
      eventId: 'evt-1',
      kind: 'schedule',
    });
  });

  it('reads another detail-type of a schedule source as kind other', () => {
    expect(normalizeEvent(envelope({ 'detail-type': 'Schedule Deleted' }))).toMatchObject({
      kind: 'other',
      reason: 'EventBridge "Schedule Deleted" from aws.scheduler is not an event Standby acts on',
    });
  });

  it.each([
    [
      'a time that is no timestamp',
      { time: 'noon' },
      'EventBridge event: 1 problem: time: not a timestamp (received "noon"), expected ISO-8601 such as 2026-11-21T09:00:00Z',
      'aws.scheduler',
    ],
    [
      'an empty time',
      { time: '' },
      'EventBridge event: 1 problem: time: empty, expected a non-empty string (received "")',
      'aws.scheduler',
    ],
    [
      'an empty source',
      { source: '' },
      'EventBridge event: 1 problem: source: empty, expected a non-empty string (received "")',
      undefined,
    ],
    [
      'a source Standby does not read from EventBridge, and no id',
      { source: 'aws.sns', id: undefined },
      'EventBridge event: 2 problems: id: missing (expected a string); source: "aws.sns" is not a source Standby acts on from EventBridge (it reads aws.cloudwatch, aws.backup, aws.events, aws.scheduler)',
      'aws.sns',
    ],
    [
      'a detail-type the source does not send, and an empty id',
      { source: 'aws.cloudwatch', 'detail-type': 'CloudWatch Alarm Configuration Change', id: '' },
      'EventBridge event: 2 problems: id: empty, expected a non-empty string (received ""); detail-type: "CloudWatch Alarm Configuration Change" from aws.cloudwatch is not an event Standby acts on (it reads "CloudWatch Alarm State Change")',
      'aws.cloudwatch',
    ],
    [
      'a schedule detail-type it does not read, and no time',
      { 'detail-type': 'Schedule Deleted', time: undefined },
      'EventBridge event: 2 problems: time: missing (expected a string); detail-type: "Schedule Deleted" from aws.scheduler is not an event Standby acts on (it reads "Scheduled Event")',
      'aws.scheduler',
    ],
    [
      'an AWS Backup detail-type it does not read, and detail of the wrong type',
      { source: 'aws.backup', 'detail-type': 'Backup Plan State Change', detail: [] },
      'EventBridge event: 2 problems: detail: expected an object (received []); detail-type: "Backup Plan State Change" from aws.backup is not an event Standby acts on (it reads "Backup Job State Change", "Copy Job State Change", "Restore Job State Change", "Recovery Point State Change", "Recovery Point Change", "Backup Vault …")',
      'aws.backup',
    ],
  ])('rejects an envelope with %s, listing every problem', (_case, more, reason, source) => {
    expect(normalizeEvent(envelope(more))).toEqual({
      accepted: false,
      reason,
      ...(source ? { source } : {}),
    });
  });

  it('adds no source problem when the source is not text, and no detail-type problem for one it reads', () => {
    expect(normalizeEvent(envelope({ source: 7 }))).toEqual({
      accepted: false,
      reason: 'EventBridge event: 1 problem: source: expected a string (received 7)',
    });
    expect(
      normalizeEvent(
        envelope({ source: 'aws.backup', 'detail-type': 'Backup Job State Change', id: undefined }),
      ),
    ).toEqual({
      accepted: false,
      source: 'aws.backup',
      reason: 'EventBridge event: 1 problem: id: missing (expected a string)',
    });
  });

  it('adds no detail-type problem when the detail-type itself is missing', () => {
    expect(
      normalizeEvent({ ...envelope({}), 'detail-type': undefined, schemaId: undefined, standby: undefined }),
    ).toMatchObject({
      kind: 'other',
    });
    expect(normalizeEvent(envelope({ 'detail-type': 7 }))).toEqual({
      accepted: false,
      source: 'aws.scheduler',
      reason: 'EventBridge event: 1 problem: detail-type: expected a string (received 7)',
    });
  });
});

describe('SNS batches', () => {
  const record = (message: string, more: Record<string, unknown> = {}) => ({
    EventSource: 'aws:sns',
    Sns: { MessageId: 'msg-1', Message: message, ...more },
  });

  it('reads an EventBridge event inside an SNS message as delivered by SNS, with its topic', () => {
    expect(
      normalizeEvents({
        Records: [record(JSON.stringify(envelope({})), { TopicArn: 'arn:aws:sns:eu-central-1:1:t' })],
      }),
    ).toEqual([
      {
        accepted: true,
        source: 'aws.scheduler',
        via: 'sns',
        occurredAt: new Date('2026-11-21T12:00:00Z'),
        dedupKey: 'schedule:evt-1@2026-11-21T12:00:00.000Z',
        eventId: 'evt-1',
        kind: 'schedule',
        topic: 'arn:aws:sns:eu-central-1:1:t',
      },
    ]);
  });

  it('reads a plain-text message as kind other, in full', () => {
    expect(
      normalizeEvents({
        Records: [
          record('Backup done', {
            Timestamp: '2026-11-21T12:00:00Z',
            TopicArn: 'arn:aws:sns:eu-central-1:1:t',
          }),
          record('Backup done', { Timestamp: 'later' }),
        ],
      }),
    ).toEqual([
      {
        accepted: true,
        kind: 'other',
        source: 'aws.sns',
        via: 'sns',
        occurredAt: new Date('2026-11-21T12:00:00Z'),
        dedupKey: 'sns:msg-1',
        eventId: 'msg-1',
        topic: 'arn:aws:sns:eu-central-1:1:t',
        reason:
          'Records[0].Sns.Message is plain text ("Backup done"), not a CloudWatch alarm or EventBridge event',
      },
      {
        accepted: true,
        kind: 'other',
        source: 'aws.sns',
        via: 'sns',
        dedupKey: 'sns:msg-1',
        eventId: 'msg-1',
        reason:
          'Records[1].Sns.Message is plain text ("Backup done"), not a CloudWatch alarm or EventBridge event',
      },
    ]);
  });

  it('names the record of a rejection, keeping its source', () => {
    expect(normalizeEvents({ Records: [record('{}'), record('{"standby":"x"}'), { Sns: {} }] })).toEqual([
      expect.objectContaining({ accepted: true, kind: 'other' }),
      {
        accepted: false,
        source: 'standby',
        reason: 'Records[1].Sns.Message: standby: unknown Standby input "x"; expected "approval"',
      },
      {
        accepted: false,
        source: 'aws.sns',
        reason:
          'SNS record: Records[2].Sns.MessageId: missing (expected a string); Records[2].Sns.Message: missing (expected a string)',
      },
    ]);
  });

  it('refuses an empty batch, and points a single-event caller at normalizeEvents for two records', () => {
    expect(normalizeEvents({ Records: [] })).toEqual([
      { accepted: false, reason: 'Records is empty; expected at least one SNS record' },
    ]);
    expect(normalizeEvent({ Records: [record('x'), record('y')] })).toEqual({
      accepted: false,
      source: 'aws.sns',
      reason: 'Records holds 2 records; normalizeEvent takes one event, use normalizeEvents for a batch',
    });
  });
});

describe('Standby approvals', () => {
  it('reads an approval in full, and one without actor or time', () => {
    expect(
      normalizeEvent({
        standby: 'approval',
        token: 'tok-1',
        decision: 'reject',
        actor: 'ops',
        at: '2026-11-21T12:00:00Z',
      }),
    ).toEqual({
      accepted: true,
      kind: 'approval',
      source: 'standby',
      via: 'standby',
      occurredAt: new Date('2026-11-21T12:00:00Z'),
      dedupKey: 'approval:tok-1:reject',
      token: 'tok-1',
      decision: 'reject',
      actor: 'ops',
    });
    expect(normalizeEvent({ standby: 'approval', token: 'tok-1', decision: 'approve', actor: '' })).toEqual({
      accepted: true,
      kind: 'approval',
      source: 'standby',
      via: 'standby',
      dedupKey: 'approval:tok-1:approve',
      token: 'tok-1',
      decision: 'approve',
    });
  });

  it.each([
    [{ at: 'noon' }, 'Standby approval: at: not a timestamp (received "noon")'],
    [{ token: 'x'.repeat(4097) }, 'Standby approval: token: '],
    [{ actor: 'x'.repeat(257) }, 'Standby approval: actor: '],
  ])('rejects an approval with %j', (more, reason) => {
    const result = normalizeEvent({ standby: 'approval', token: 'tok-1', decision: 'approve', ...more });
    expect(result).toMatchObject({
      accepted: false,
      source: 'standby',
      reason: expect.stringContaining(reason),
    });
  });

  it('takes a token and an actor at their caps', () => {
    const result = normalizeEvent({
      standby: 'approval',
      token: 'x'.repeat(4096),
      decision: 'approve',
      actor: 'a'.repeat(256),
    });
    expect(result).toMatchObject({ accepted: true, kind: 'approval' });
  });
});
