/**
 * The CloudWatch alarm decoders at their edges: every region display name an SNS alarm message may
 * carry (as CloudWatch writes them), and the alarm ARN built when the message has none.
 */
import { describe, expect, it } from 'vitest';
import { normalizeEvent, regionFromName } from '#shared/domain/events.ts';

describe('regionFromName', () => {
  it.each([
    ['US East (N. Virginia)', 'us-east-1'],
    ['US East (Ohio)', 'us-east-2'],
    ['US West (N. California)', 'us-west-1'],
    ['US West (Oregon)', 'us-west-2'],
    ['Africa (Cape Town)', 'af-south-1'],
    ['Asia Pacific (Hong Kong)', 'ap-east-1'],
    ['Asia Pacific (Taipei)', 'ap-east-2'],
    ['Asia Pacific (Mumbai)', 'ap-south-1'],
    ['Asia Pacific (Hyderabad)', 'ap-south-2'],
    ['Asia Pacific (Tokyo)', 'ap-northeast-1'],
    ['Asia Pacific (Seoul)', 'ap-northeast-2'],
    ['Asia Pacific (Osaka)', 'ap-northeast-3'],
    ['Asia Pacific (Singapore)', 'ap-southeast-1'],
    ['Asia Pacific (Sydney)', 'ap-southeast-2'],
    ['Asia Pacific (Jakarta)', 'ap-southeast-3'],
    ['Asia Pacific (Melbourne)', 'ap-southeast-4'],
    ['Asia Pacific (Malaysia)', 'ap-southeast-5'],
    ['Asia Pacific (Thailand)', 'ap-southeast-7'],
    ['Canada (Central)', 'ca-central-1'],
    ['Canada West (Calgary)', 'ca-west-1'],
    ['EU (Frankfurt)', 'eu-central-1'],
    ['EU (Zurich)', 'eu-central-2'],
    ['EU (Ireland)', 'eu-west-1'],
    ['EU (London)', 'eu-west-2'],
    ['EU (Paris)', 'eu-west-3'],
    ['EU (Milan)', 'eu-south-1'],
    ['EU (Spain)', 'eu-south-2'],
    ['EU (Stockholm)', 'eu-north-1'],
    ['Europe (Stockholm)', 'eu-north-1'],
    ['Israel (Tel Aviv)', 'il-central-1'],
    ['Mexico (Central)', 'mx-central-1'],
    ['Middle East (Bahrain)', 'me-south-1'],
    ['Middle East (UAE)', 'me-central-1'],
    ['South America (Sao Paulo)', 'sa-east-1'],
    ['South America (São Paulo)', 'sa-east-1'],
    ['AWS GovCloud (US-East)', 'us-gov-east-1'],
    ['AWS GovCloud (US-West)', 'us-gov-west-1'],
    ['China (Beijing)', 'cn-north-1'],
    ['China (Ningxia)', 'cn-northwest-1'],
    ['  EU (Paris) ', 'eu-west-3'],
    [' eu-west-3\n', 'eu-west-3'],
  ])('maps %j to %s', (name, code) => {
    expect(regionFromName(name)).toBe(code);
  });

  it.each([
    'XEurope (Ireland)',
    'Europe (Atlantis)',
    'toString',
    '__proto__',
    'constructor',
    'eu-west-3 (Paris)',
  ])('knows no region called %j', (name) => {
    expect(regionFromName(name)).toBeUndefined();
  });
});

describe('SNS alarm message with a Region the table does not hold', () => {
  it('takes a Region named like an Object property for no region at all', () => {
    const result = normalizeEvent({
      AlarmName: 'case-api-health',
      AlarmArn: 'arn:aws:cloudwatch:REGION:111122223333:alarm:case-api-health',
      NewStateValue: 'ALARM',
      StateChangeTime: '2026-11-21T09:58:15.490+0000',
      Region: 'constructor',
    });
    expect(result).toMatchObject({ accepted: true, kind: 'alarm' });
    expect(result).not.toHaveProperty('region');
  });
});

const ARN = 'arn:aws:cloudwatch:eu-central-1:111122223333:alarm:Case-API';
const AT = '2026-11-21T09:58:15.490+0000';
const AT_DATE = new Date('2026-11-21T09:58:15.490Z');

function stateChange(detail: Record<string, unknown>, more: Record<string, unknown> = {}): unknown {
  return {
    version: '0',
    id: 'evt-1',
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: '111122223333',
    time: '2026-11-21T10:00:00Z',
    region: 'eu-central-1',
    resources: [ARN],
    detail: { alarmName: 'Case-API', state: { value: 'ALARM', timestamp: AT }, ...detail },
    ...more,
  };
}

describe('CloudWatch Alarm State Change (EventBridge)', () => {
  it('reads a metric alarm with its previous state, in full', () => {
    expect(
      normalizeEvent(
        stateChange({
          state: { value: 'ALARM', reason: 'Threshold crossed', timestamp: AT },
          previousState: { value: 'OK', timestamp: '2026-11-20T09:00:00Z' },
          configuration: { metrics: [{ id: 'm1' }] },
        }),
      ),
    ).toEqual({
      accepted: true,
      source: 'aws.cloudwatch',
      via: 'eventbridge',
      occurredAt: AT_DATE,
      dedupKey: `alarm:${ARN}:ALARM@2026-11-21T09:58:15.490Z`,
      eventId: 'evt-1',
      region: 'eu-central-1',
      account: '111122223333',
      kind: 'alarm',
      alarm: {
        cloud: 'aws',
        alarmArn: ARN,
        alarmName: 'Case-API',
        alarmType: 'metric',
        state: 'ALARM',
        previousState: 'OK',
        reason: 'Threshold crossed',
        previousStateAt: new Date('2026-11-20T09:00:00Z'),
        region: 'eu-central-1',
        account: '111122223333',
      },
    });
  });

  it.each([
    [{ alarmRule: 'ALARM(a) OR ALARM(b)' }, 'composite', { alarmRule: 'ALARM(a) OR ALARM(b)' }],
    [{ metrics: [{ id: 'e1', expression: 'm1 * 2' }, { id: 'm1' }] }, 'metric-math', {}],
    [{ metrics: [] }, 'metric', {}],
    [{}, 'metric', {}],
  ])('tells the alarm type of the configuration %j: %s', (configuration, alarmType, more) => {
    const result = normalizeEvent(stateChange({ configuration }));
    expect(result).toMatchObject({ alarm: { alarmType, ...more } });
    if (!('alarmRule' in more)) expect((result as { alarm: object }).alarm).not.toHaveProperty('alarmRule');
  });

  it('reads OK as a cleared alarm and INSUFFICIENT_DATA as nothing to act on', () => {
    expect(normalizeEvent(stateChange({ state: { value: 'OK', timestamp: AT } }))).toMatchObject({
      kind: 'alarm-cleared',
      dedupKey: `alarm:${ARN}:OK@2026-11-21T09:58:15.490Z`,
      alarm: { state: 'OK' },
    });
    expect(
      normalizeEvent(stateChange({ state: { value: 'INSUFFICIENT_DATA', timestamp: AT } })),
    ).toMatchObject({
      kind: 'other',
      alarm: { state: 'INSUFFICIENT_DATA' },
      reason:
        'alarm Case-API is INSUFFICIENT_DATA: missing data is not evidence of an outage, so it triggers nothing',
    });
  });

  it('builds the alarm ARN when the resources hold none, in the partition of the region', () => {
    for (const [region, arn] of [
      ['eu-central-1', 'arn:aws:cloudwatch:eu-central-1:111122223333:alarm:Case-API'],
      ['cn-north-1', 'arn:aws-cn:cloudwatch:cn-north-1:111122223333:alarm:Case-API'],
      ['us-gov-east-1', 'arn:aws-us-gov:cloudwatch:us-gov-east-1:111122223333:alarm:Case-API'],
    ] as const) {
      const result = normalizeEvent(
        stateChange({}, { region, resources: ['arn:aws:sns:eu-central-1:111122223333:t'] }),
      );
      expect(result).toMatchObject({ alarm: { alarmArn: arn } });
    }
  });

  it.each([
    ['no region', { region: undefined }],
    ['a region that is no AWS region', { region: 'Frankfurt' }],
    ['no account', { account: undefined }],
    ['an account that is not 12 digits', { account: '1111222233334' }],
  ])('rejects an alarm without an ARN and %s to build one', (_case, more) => {
    expect(normalizeEvent(stateChange({}, { resources: [], ...more }))).toEqual({
      accepted: false,
      source: 'aws.cloudwatch',
      reason:
        'CloudWatch Alarm State Change: resources has no alarm ARN and region/account are missing to build one',
    });
  });

  it('says which delivery field holds a time it cannot read', () => {
    expect(normalizeEvent(stateChange({ state: { value: 'ALARM', timestamp: 'soon' } }))).toEqual({
      accepted: false,
      source: 'aws.cloudwatch',
      reason: 'CloudWatch alarm: detail.state.timestamp: not a timestamp (received "soon")',
    });
  });
});

describe('CloudWatch alarm action (Lambda invoked directly)', () => {
  const action = (more: Record<string, unknown>) => ({
    source: 'aws.cloudwatch',
    alarmArn: ARN,
    alarmData: { alarmName: 'Case-API', state: { value: 'ALARM', timestamp: AT } },
    ...more,
  });

  it('reads region and account from the ARN when the action does not give them', () => {
    expect(normalizeEvent(action({}))).toEqual({
      accepted: true,
      source: 'aws.cloudwatch',
      via: 'alarm-action',
      occurredAt: AT_DATE,
      dedupKey: `alarm:${ARN}:ALARM@2026-11-21T09:58:15.490Z`,
      region: 'eu-central-1',
      account: '111122223333',
      kind: 'alarm',
      alarm: {
        cloud: 'aws',
        alarmArn: ARN,
        alarmName: 'Case-API',
        alarmType: 'metric',
        state: 'ALARM',
        region: 'eu-central-1',
        account: '111122223333',
      },
    });
  });

  it('prefers the region and account the action gives', () => {
    expect(normalizeEvent(action({ region: 'eu-west-1', accountId: '444455556666' }))).toMatchObject({
      region: 'eu-west-1',
      account: '444455556666',
      alarm: { region: 'eu-west-1', account: '444455556666' },
    });
  });

  it('says which field holds a time it cannot read', () => {
    expect(
      normalizeEvent(action({ alarmData: { alarmName: 'a', state: { value: 'OK', timestamp: 'never' } } })),
    ).toMatchObject({
      accepted: false,
      reason: 'CloudWatch alarm: alarmData.state.timestamp: not a timestamp (received "never")',
    });
  });
});

describe('CloudWatch alarm message (SNS)', () => {
  const sns = (message: Record<string, unknown>, topic?: string) =>
    normalizeEvent({
      Records: [
        {
          Sns: {
            MessageId: 'msg-1',
            Message: JSON.stringify(message),
            ...(topic ? { TopicArn: topic } : {}),
          },
        },
      ],
    });
  const message = { AlarmName: 'Case-API', NewStateValue: 'ALARM', StateChangeTime: AT };

  it('reads a message with every field, in full', () => {
    expect(
      sns(
        {
          ...message,
          AlarmArn: ARN,
          NewStateReason: 'Threshold crossed',
          OldStateValue: 'OK',
          Trigger: { Metrics: [{ Id: 'e1', Expression: 'm1 * 2' }] },
        },
        'arn:aws:sns:eu-central-1:111122223333:alarms',
      ),
    ).toEqual({
      accepted: true,
      source: 'aws.cloudwatch',
      via: 'sns',
      occurredAt: AT_DATE,
      dedupKey: `alarm:${ARN}:ALARM@2026-11-21T09:58:15.490Z`,
      eventId: 'msg-1',
      region: 'eu-central-1',
      account: '111122223333',
      topic: 'arn:aws:sns:eu-central-1:111122223333:alarms',
      kind: 'alarm',
      alarm: {
        cloud: 'aws',
        alarmArn: ARN,
        alarmName: 'Case-API',
        alarmType: 'metric-math',
        state: 'ALARM',
        previousState: 'OK',
        reason: 'Threshold crossed',
        region: 'eu-central-1',
        account: '111122223333',
      },
    });
  });

  it('reads a composite alarm by its AlarmRule, and the account from AWSAccountId first', () => {
    expect(
      sns({ ...message, AlarmArn: ARN, AlarmRule: 'ALARM(a)', AWSAccountId: '444455556666' }),
    ).toMatchObject({ account: '444455556666', alarm: { alarmType: 'composite', alarmRule: 'ALARM(a)' } });
  });

  it('takes no account from an ARN whose account is not 12 digits', () => {
    const result = sns({ ...message, AlarmArn: 'arn:aws:cloudwatch:eu-central-1:ACCOUNT:alarm:Case-API' });
    expect(result).toMatchObject({ accepted: true, region: 'eu-central-1' });
    expect(result).not.toHaveProperty('account');
  });

  it('reads the Region name when the ARN has no AWS region', () => {
    expect(
      sns({
        ...message,
        AlarmArn: 'arn:aws:cloudwatch:REGION:111122223333:alarm:Case-API',
        Region: 'EU (Paris)',
      }),
    ).toMatchObject({ region: 'eu-west-3' });
  });

  it('rejects a message it can build no ARN for, naming the Region', () => {
    expect(sns({ ...message, Region: 'EU (Paris)' })).toEqual({
      accepted: false,
      source: 'aws.cloudwatch',
      reason:
        'Records[0].Sns.Message: SNS CloudWatch alarm message: AlarmArn is missing and cannot be built (Region "EU (Paris)" is not a known region name, or AWSAccountId is missing)',
    });
  });
});

describe('CloudWatch: where each delivery looks', () => {
  const other = 'arn:aws:cloudwatch:eu-central-1:444455556666:alarm:Case-API';

  it('takes the alarm ARN from the resources over one it could build, skipping what is no ARN', () => {
    expect(normalizeEvent(stateChange({}, { resources: ['not-an-arn', other] }))).toMatchObject({
      alarm: { alarmArn: other },
    });
  });

  it('names the delivery in a rejection of its shape or its time', () => {
    expect(normalizeEvent(stateChange({ alarmName: '' }))).toMatchObject({
      reason:
        'CloudWatch Alarm State Change: detail.alarmName: empty, expected a non-empty string (received "")',
    });
    expect(normalizeEvent({ source: 'aws.cloudwatch', alarmArn: '', alarmData: {} })).toMatchObject({
      reason: expect.stringMatching(/^CloudWatch alarm action: alarmArn: empty/),
    });
    expect(
      normalizeEvent({
        AlarmName: 'Case-API',
        AlarmArn: ARN,
        NewStateValue: 'ALARM',
        StateChangeTime: 'soon',
      }),
    ).toEqual({
      accepted: false,
      source: 'aws.cloudwatch',
      reason: 'CloudWatch alarm: StateChangeTime: not a timestamp (received "soon")',
    });
  });

  it('reads an alarm action whose alarmArn is no ARN, without region or account', () => {
    const result = normalizeEvent({
      source: 'aws.cloudwatch',
      alarmArn: 'Case-API',
      alarmData: { alarmName: 'Case-API', state: { value: 'ALARM', timestamp: AT } },
    });
    expect(result).toMatchObject({ accepted: true, kind: 'alarm', alarm: { alarmArn: 'Case-API' } });
    expect(result).not.toHaveProperty('region');
    expect(result).not.toHaveProperty('account');
  });

  it.each(['1111222233334', '11112222333x'])(
    'takes no account from an SNS alarm ARN whose account is %s',
    (account) => {
      const result = normalizeEvent({
        AlarmName: 'Case-API',
        AlarmArn: `arn:aws:cloudwatch:eu-central-1:${account}:alarm:Case-API`,
        NewStateValue: 'ALARM',
        StateChangeTime: AT,
      });
      expect(result).toMatchObject({ accepted: true, region: 'eu-central-1' });
      expect(result).not.toHaveProperty('account');
    },
  );
});
