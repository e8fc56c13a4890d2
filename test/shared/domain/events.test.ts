import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type NormalizedEvent,
  type NormalizeResult,
  normalizeEvent,
  normalizeEvents,
  parseTime,
  regionFromName,
} from '#shared/domain/events.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const sharedFixtures = path.resolve(repoRoot, '../shared/fixtures');
const ownFixtures = path.resolve(repoRoot, 'test/fixtures/events');

const load = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
const shared = (name: string) => load(path.join(sharedFixtures, name));
const own = (name: string) => load(path.join(ownFixtures, name));

function accepted(result: NormalizeResult | undefined): NormalizedEvent {
  if (!result?.accepted) throw new Error(`expected an accepted event, got ${JSON.stringify(result)}`);
  return result;
}

/** Every event-shaped fixture: file, then what its single (or each) result must contain. */
const sharedCases: [string, Record<string, unknown>[]][] = [
  [
    'aws/cloudwatch-alarm-state-change-alarm.json',
    [
      {
        kind: 'alarm',
        source: 'aws.cloudwatch',
        via: 'eventbridge',
        eventId: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
        region: 'us-east-1',
        account: '123456789012',
        occurredAt: new Date('2019-10-02T17:04:40.989Z'),
        alarm: {
          cloud: 'aws',
          alarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh',
          alarmName: 'ServerCpuTooHigh',
          alarmType: 'metric',
          state: 'ALARM',
          previousState: 'OK',
          previousStateAt: new Date('2019-10-01T13:56:40.987Z'),
        },
      },
    ],
  ],
  [
    'aws/cloudwatch-alarm-state-change-ok.json',
    [{ kind: 'alarm-cleared', alarm: { state: 'OK', previousState: 'ALARM' } }],
  ],
  [
    'aws/sns-lambda-cloudwatch-alarm-single-metric.json',
    [
      {
        kind: 'alarm',
        source: 'aws.cloudwatch',
        via: 'sns',
        eventId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
        account: '123456789012',
        occurredAt: new Date('2015-06-03T17:43:27.123Z'),
        alarm: {
          alarmArn: 'arn:aws:cloudwatch:REGION:ACCOUNT_NUMBER:alarm:EXAMPLE',
          alarmName: 'EXAMPLE',
          alarmType: 'metric',
          previousState: 'INSUFFICIENT_DATA',
        },
      },
    ],
  ],
  [
    'aws/backup-job-state-change-completed.json',
    [
      {
        kind: 'backup-job',
        source: 'aws.backup',
        eventId: 'dafac799-9b88-0134-26b7-fef4d54a134f',
        job: {
          provider: 'aws-backup',
          jobId: 'a827233a-d405-4a86-a440-759fa94f34dd',
          state: 'COMPLETED',
          resourceArn: 'arn:aws:service:us-west-2:1112233445566:resource-type/resource-id',
          vaultArn:
            'arn:aws:backup:us-west-2:1112233445566:backup-vault:9732c1b4-1091-472a-9d9f-52e0565ee39a',
          recoveryPointArn:
            'arn:aws:backup:us-west-2:1112233445566:recovery-point:f1d966fe-a3bd-410b-b292-99f442d13b56',
          createdAt: new Date('2020-07-15T21:40:31.207Z'),
          completedAt: new Date('2020-07-15T21:41:05.921Z'),
        },
      },
    ],
  ],
  [
    'aws/backup-job-state-change-failed.json',
    [
      {
        kind: 'backup-job',
        job: { state: 'FAILED', statusMessage: expect.stringContaining('does not exist') },
      },
    ],
  ],
  [
    'aws/copy-job-state-change-completed.json',
    [
      {
        kind: 'copy-job',
        copy: {
          copyJobId: '0175DE71-5784-589F-D8AC-541ACCB4CAC8',
          state: 'COMPLETED',
          resourceArn: 'arn:aws:ec2:us-west-2:1112233445566:volume/vol-050eba21ee4d3c001',
          sourceVaultArn:
            'arn:aws:backup:us-west-2:1112233445566:backup-vault:846869de-4589-45c3-ab60-4fbbabcdd3ec',
          destinationVaultArn:
            'arn:aws:backup:us-west-2:1112233445566:backup-vault:846869de-4589-45c3-ab60-4fbbabcdd3ec',
          sourceRecoveryPointArn: 'arn:aws:ec2:us-west-2::snapshot/snap-03886bc8d6ef3a1f9',
          destinationRecoveryPointArn: 'arn:aws:ec2:us-west-2::snapshot/snap-0726fe70935586180',
        },
      },
    ],
  ],
  [
    'aws/restore-job-state-change-completed.json',
    [
      {
        kind: 'restore-job',
        restore: {
          restoreJobId: 'AB123456-78C9-0123-456D-789012E34567',
          state: 'COMPLETED',
          createdResourceArn:
            'arn:aws:rds:us-west-2:1112233445566:db:testinginstance1a2bcd34-567e-8901-23f4-5g6hijkl7890',
          sourceResourceArn: 'arn:aws:rds:us-west-2:1112233445566:db:example-database',
          vaultArn: 'arn:aws:backup:us-west-2:1112233445566:backup-vault:ExampleVault',
        },
      },
    ],
  ],
  [
    'aws/restore-job-state-change-failed.json',
    [
      {
        kind: 'restore-job',
        restore: {
          restoreJobId: '1B234A56-789B-01CD-2A34-4567A08901FD',
          state: 'FAILED',
          statusMessage: expect.stringContaining('instance profile'),
        },
      },
    ],
  ],
  [
    'azure/monitor-common-alert-metric-resolved.example.json',
    [
      {
        kind: 'alarm-cleared',
        source: 'azure.monitor',
        via: 'azure-common-alert',
        occurredAt: new Date('2019-03-22T14:03:16.224Z'),
        alarm: {
          cloud: 'azure',
          alertRuleName: 'WCUS-R2-Gen2',
          alertRuleId:
            '/subscriptions/<subscription ID>/resourceGroups/<resource-group>/providers/microsoft.insights/metricAlerts/WCUS-R2-Gen2',
          monitorCondition: 'Resolved',
          signalType: 'Metric',
          severity: 'Sev3',
          firedAt: new Date('2019-03-22T13:58:24.371Z'),
        },
      },
    ],
  ],
];

const ownCases: [string, Record<string, unknown>[]][] = [
  [
    'cloudwatch-alarm-state-change-composite.json',
    [
      {
        kind: 'alarm',
        alarm: {
          alarmType: 'composite',
          alarmArn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health',
          alarmRule: 'ALARM(case-api-5xx) OR ALARM(case-api-route53-health)',
        },
      },
    ],
  ],
  [
    'cloudwatch-alarm-state-change-metric-math.json',
    [{ kind: 'alarm', alarm: { alarmType: 'metric-math', alarmName: 'case-api-5xx-ratio' } }],
  ],
  [
    'cloudwatch-alarm-state-change-insufficient-data.json',
    [
      {
        kind: 'other',
        reason: expect.stringContaining('INSUFFICIENT_DATA'),
        alarm: { state: 'INSUFFICIENT_DATA' },
      },
    ],
  ],
  [
    'cloudwatch-alarm-action-lambda-metric.json',
    [
      {
        kind: 'alarm',
        via: 'alarm-action',
        region: 'eu-west-1',
        account: '111122223333',
        occurredAt: new Date('2026-11-21T09:58:15.490Z'),
        alarm: {
          alarmType: 'metric',
          alarmArn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health',
        },
      },
    ],
  ],
  [
    'cloudwatch-alarm-action-lambda-composite-ok.json',
    [
      {
        kind: 'alarm-cleared',
        via: 'alarm-action',
        alarm: { alarmType: 'composite', previousState: 'ALARM' },
      },
    ],
  ],
  [
    'sns-lambda-cloudwatch-alarm-two-records.json',
    [
      {
        kind: 'alarm',
        via: 'sns',
        region: 'eu-west-1',
        alarm: {
          alarmArn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health',
          state: 'ALARM',
        },
      },
      {
        kind: 'alarm-cleared',
        region: 'eu-west-1',
        alarm: {
          alarmType: 'metric-math',
          alarmArn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-5xx-ratio',
        },
      },
    ],
  ],
  [
    'backup-job-state-change-running.json',
    [
      {
        kind: 'backup-job',
        job: { state: 'RUNNING', resourceArn: 'arn:aws:rds:eu-west-1:111122223333:db:case-db' },
      },
    ],
  ],
  [
    'recovery-point-state-change-expired.json',
    [
      {
        kind: 'recovery-point',
        point: {
          status: 'EXPIRED',
          vaultArn: 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault',
          recoveryPointArn:
            'arn:aws:rds:eu-central-1:111122223333:snapshot:awsbackup:copyjob-0123456789abcdef',
          change: 'Recovery Point State Change',
        },
      },
    ],
  ],
  [
    'backup-vault-state-change-created.json',
    [
      {
        kind: 'vault-change',
        vault: {
          vaultArn: 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault',
          vaultName: 'dr-vault',
          state: 'CREATED',
        },
      },
    ],
  ],
  [
    'backup-plan-state-change.json',
    [{ kind: 'other', source: 'aws.backup', reason: expect.stringContaining('Backup Plan State Change') }],
  ],
  [
    'scheduled-event-rule.json',
    [
      {
        kind: 'schedule',
        source: 'aws.events',
        scheduleArn: 'arn:aws:events:eu-central-1:111122223333:rule/standby-audit',
        occurredAt: new Date('2026-11-21T12:00:00Z'),
      },
    ],
  ],
  ['scheduled-event-scheduler.json', [{ kind: 'schedule', source: 'aws.scheduler' }]],
  [
    'monitor-common-alert-metric-fired-rule-id.json',
    [
      {
        kind: 'alarm',
        region: 'westeurope',
        alarm: {
          cloud: 'azure',
          alertRuleId:
            '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/case-rg/providers/Microsoft.Insights/metricAlerts/case-api-availability',
          monitorCondition: 'Fired',
        },
      },
    ],
  ],
  [
    'monitor-common-alert-log-fired.json',
    [
      {
        kind: 'alarm',
        alarm: { signalType: 'Log', alertRuleName: 'case-api-heartbeat', monitoringService: 'Log Alerts V2' },
      },
    ],
  ],
  [
    'monitor-common-alert-availability-resolved.json',
    [
      {
        kind: 'alarm-cleared',
        occurredAt: new Date('2026-11-21T10:20:00Z'),
        alarm: { alertRuleName: 'case-api-webtest' },
      },
    ],
  ],
  [
    'monitor-common-alert-azure-backup-job-failed.json',
    [
      {
        kind: 'backup-job',
        source: 'azure.monitor',
        job: {
          provider: 'azure-backup',
          state: 'FAILED',
          jobId: '88df0be3-7c77-46c9-bfc2-fb92e3b1918a',
          protectedItemId: expect.stringContaining('/protectedItems/VM;iaasvmcontainerv2;case-rg;case-vm'),
        },
      },
    ],
  ],
  [
    'standby-approval-approve.json',
    [
      {
        kind: 'approval',
        source: 'standby',
        token: 'apv_2f8c1e0d9b7a6f5e4d3c2b1a',
        decision: 'approve',
        actor: 'oncall@example.com',
      },
    ],
  ],
];

describe('normalizeEvents', () => {
  it.each(sharedCases)('normalises the recorded fixture %s', (file, expected) => {
    const results = normalizeEvents(shared(file));
    expect(results).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(results[i]).toMatchObject({ accepted: true, ...e });
    });
  });

  it.each(ownCases)('normalises the documented variant %s', (file, expected) => {
    const results = normalizeEvents(own(file));
    expect(results).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(results[i]).toMatchObject({ accepted: true, ...e });
    });
  });

  it('covers every built fixture, and each says it was built from the documentation', () => {
    const files = readdirSync(ownFixtures).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(ownCases.map(([f]) => f).sort());
    for (const f of files) expect(own(f)).toHaveProperty('_about', expect.stringContaining('documented'));
  });

  it('gives the same dedupKey to one alarm state change delivered by an alarm action and by SNS', () => {
    const viaAction = accepted(normalizeEvents(own('cloudwatch-alarm-action-lambda-metric.json'))[0]);
    const viaSns = accepted(normalizeEvents(own('sns-lambda-cloudwatch-alarm-two-records.json'))[0]);
    expect(viaAction.via).not.toBe(viaSns.via);
    expect(viaAction.dedupKey).toBe(viaSns.dedupKey);
  });

  it('lets an older state change that arrives later be recognised by occurredAt', () => {
    const alarm = accepted(normalizeEvent(shared('aws/cloudwatch-alarm-state-change-alarm.json')));
    const staleOk = accepted(normalizeEvent(shared('aws/cloudwatch-alarm-state-change-ok.json')));
    // The OK event was delivered later (its envelope time is later) but describes an earlier state.
    expect(staleOk.occurredAt!.getTime()).toBeLessThan(alarm.occurredAt!.getTime());
    expect(staleOk.dedupKey).not.toBe(alarm.dedupKey);
  });

  it('unwraps an EventBridge event that arrives inside an SNS message', () => {
    const inner = shared('aws/backup-job-state-change-failed.json');
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
});

describe('normalizeEvent', () => {
  it('unwraps a one-record SNS batch', () => {
    expect(normalizeEvent(shared('aws/sns-lambda-cloudwatch-alarm-single-metric.json'))).toMatchObject({
      accepted: true,
      kind: 'alarm',
    });
  });

  it('rejects a batch of several records, pointing at normalizeEvents', () => {
    expect(normalizeEvent(own('sns-lambda-cloudwatch-alarm-two-records.json'))).toMatchObject({
      accepted: false,
      reason: expect.stringContaining('normalizeEvents'),
    });
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

describe('rejections and ignores', () => {
  const alarmEvent = shared('aws/cloudwatch-alarm-state-change-alarm.json') as Record<string, unknown>;
  const detail = alarmEvent['detail'] as Record<string, unknown>;
  const azure = shared('azure/monitor-common-alert-metric-resolved.example.json') as {
    data: { essentials: Record<string, unknown> };
  };

  it.each<[string, unknown, string]>([
    ['null', null, 'received null'],
    ['a number', 42, 'received a number'],
    ['a string', 'ALARM', 'received a string'],
    ['an array', [alarmEvent], 'received an array'],
    ['an empty SNS batch', { Records: [] }, 'Records is empty'],
    ['an SNS record without Sns', { Records: [{ EventSource: 'aws:sns' }] }, 'Records[0].Sns'],
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
    ['an EventBridge event without id', { ...alarmEvent, id: undefined }, 'EventBridge event: id'],
    ['an EventBridge event with time as a number', { ...alarmEvent, time: 1 }, 'time'],
    [
      'a backup job without backupJobId',
      { ...(shared('aws/backup-job-state-change-failed.json') as object), detail: { state: 'FAILED' } },
      'detail.backupJobId',
    ],
    [
      'a restore job with status of the wrong type',
      {
        ...(shared('aws/restore-job-state-change-failed.json') as object),
        detail: { restoreJobId: 'x', status: 7 },
      },
      'detail.status',
    ],
    [
      'an Azure alert with an unknown monitorCondition',
      {
        ...azure,
        data: { ...azure.data, essentials: { ...azure.data.essentials, monitorCondition: 'Maybe' } },
      },
      'data.essentials.monitorCondition',
    ],
    [
      'an Azure alert without alertRule',
      { ...azure, data: { ...azure.data, essentials: { ...azure.data.essentials, alertRule: undefined } } },
      'data.essentials.alertRule',
    ],
    [
      'a resolved Azure alert without resolvedDateTime',
      { ...azure, data: { ...azure.data, essentials: { ...azure.data.essentials, resolvedDateTime: null } } },
      'resolvedDateTime',
    ],
    ['an approval without decision', { standby: 'approval', token: 't' }, 'decision'],
    ['an approval with decision maybe', { standby: 'approval', token: 't', decision: 'maybe' }, 'decision'],
    ['an approval with an empty token', { standby: 'approval', token: '', decision: 'approve' }, 'token'],
    ['an unknown Standby input', { standby: 'launch-missiles' }, 'expected "approval"'],
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
    ['an unknown JSON object', { hello: 'world' }, 'not a recognised event'],
    ['an empty object', {}, 'not a recognised event'],
    [
      'a CloudWatch configuration change',
      { ...alarmEvent, 'detail-type': 'CloudWatch Alarm Configuration Change' },
      'only "CloudWatch Alarm State Change"',
    ],
    [
      'an EventBridge event from another service',
      { ...alarmEvent, source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification' },
      'aws.ec2',
    ],
    [
      'another Azure schema',
      { schemaId: 'Microsoft.Insights/activityLogs', data: {} },
      'not the Azure Monitor common alert schema',
    ],
  ])('ignores %s as kind other, with a reason', (_what, input, inReason) => {
    expect(normalizeEvent(input)).toMatchObject({
      accepted: true,
      kind: 'other',
      reason: expect.stringContaining(inReason),
    });
  });
});

describe('parseTime', () => {
  it.each([
    ['2019-10-02T17:04:40Z', '2019-10-02T17:04:40.000Z'],
    ['2019-10-02T17:04:40.989+0000', '2019-10-02T17:04:40.989Z'],
    ['2019-03-22T13:58:24.3713213Z', '2019-03-22T13:58:24.371Z'],
    ['2026-11-21T10:00:00.5+02:00', '2026-11-21T08:00:00.500Z'],
  ])('reads %s', (text, iso) => {
    expect(parseTime(text)?.toISOString()).toBe(iso);
  });

  it.each(['', 'yesterday', '2019-13-45T99:00:00Z', '1571936400', `2019-10-02T17:04:40Z${' '.repeat(100)}`])(
    'refuses %j',
    (text) => {
      expect(parseTime(text)).toBeUndefined();
    },
  );
});

describe('normalizeEvents under malformed input', () => {
  // A small deterministic generator, so a failure is reproducible from the seed.
  function rng(seed: number) {
    let s = seed >>> 0;
    return () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const keys = [
    'detail-type',
    'detail',
    'schemaId',
    'data',
    'Records',
    'Sns',
    'Message',
    'alarmData',
    'standby',
    'state',
  ];
  function junk(next: () => number, depth: number): unknown {
    const pick = Math.floor(next() * 9);
    if (depth > 4 && pick > 5) return null;
    switch (pick) {
      case 0:
        return null;
      case 1:
        return next() * 1e6 - 5e5;
      case 2:
        return next() > 0.5;
      case 3:
        return 'x'.repeat(Math.floor(next() * 50));
      case 4:
        return [junk(next, depth + 1), junk(next, depth + 1)];
      case 5:
        return JSON.stringify(junk(next, depth + 1));
      default:
        return Object.fromEntries(
          Array.from({ length: 1 + Math.floor(next() * 4) }, () => [
            keys[Math.floor(next() * keys.length)]!,
            junk(next, depth + 1),
          ]),
        );
    }
  }
  /** Replaces one randomly chosen nested field of a valid fixture with junk. */
  function mutate(value: unknown, next: () => number): unknown {
    if (typeof value !== 'object' || value === null) return junk(next, 3);
    const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as never) : { ...value };
    const fields = Object.keys(copy);
    const field = fields[Math.floor(next() * fields.length)];
    if (field === undefined) return copy;
    copy[field] = next() < 0.5 ? mutate(copy[field], next) : junk(next, 3);
    return copy;
  }
  const fixtures = [...sharedCases.map(([f]) => shared(f)), ...ownCases.map(([f]) => own(f))];
  const wellFormed = (results: NormalizeResult[]) =>
    results.length > 0 &&
    results.every((r) =>
      r.accepted ? typeof r.kind === 'string' : typeof r.reason === 'string' && r.reason.length > 0,
    );

  it('never throws on 2,000 random values, and always returns results with a kind or a reason', () => {
    const next = rng(1);
    for (let i = 0; i < 2000; i++) {
      const input = junk(next, 0);
      const results = normalizeEvents(input);
      expect(wellFormed(results), JSON.stringify(input)).toBe(true);
    }
  });

  it('never throws on 2,000 fixtures with a field replaced by junk', () => {
    const next = rng(2);
    for (let i = 0; i < 2000; i++) {
      const input = mutate(fixtures[i % fixtures.length], next);
      expect(wellFormed(normalizeEvents(input)), JSON.stringify(input)).toBe(true);
    }
  });

  it('survives deep nesting, huge strings, circular objects and throwing getters', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { detail: deep };
    const circular: Record<string, unknown> = { 'detail-type': 'x' };
    circular['detail'] = circular;
    const hostile = Object.defineProperty({}, 'schemaId', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const huge = 'A'.repeat(5_000_000);
    for (const input of [
      deep,
      circular,
      hostile,
      huge,
      { Records: [{ Sns: { MessageId: 'm', Message: huge } }] },
      { 'detail-type': huge, id: huge, source: huge, time: huge },
      { standby: 'approval', token: huge, decision: 'approve' },
      Symbol('s'),
      () => 1,
      undefined,
      BigInt(1),
    ]) {
      const results = normalizeEvents(input);
      expect(wellFormed(results)).toBe(true);
      for (const r of results) if (!r.accepted) expect(r.reason.length).toBeLessThan(1000);
    }
  });
});
