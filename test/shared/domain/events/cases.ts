/**
 * The event fixtures and what each must normalise to, grouped by the decoder that reads them
 * (`shared/domain/events/<decoder>.ts`). Each decoder's test runs its group; `events.test.ts` checks
 * that the groups cover every documented fixture and feeds them all to the malformed-input tests.
 */
import { expect } from 'vitest';

/** A fixture file, then what its single (or each) result must contain. */
export type FixtureCase = [file: string, expected: Record<string, unknown>[]];

/** The fixtures one decoder reads: recorded payloads (`aws/...`, `azure/...`) and documented variants. */
export interface DecoderCases {
  readonly recorded: FixtureCase[];
  readonly documented: FixtureCase[];
}

/** CloudWatch alarms (EventBridge, SNS, alarm action): `events/cloudwatch.ts`. */
export const cloudwatchCases: DecoderCases = {
  recorded: [
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
  ],
  documented: [
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
  ],
};

/** AWS Backup job, recovery point and vault events: `events/aws-backup.ts`. */
export const awsBackupCases: DecoderCases = {
  recorded: [
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
  ],
  documented: [
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
  ],
};

/** Azure Monitor common alerts, Backup alerts included: `events/azure-monitor.ts`. */
export const azureMonitorCases: DecoderCases = {
  recorded: [
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
  ],
  documented: [
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
          alarm: {
            signalType: 'Log',
            alertRuleName: 'case-api-heartbeat',
            monitoringService: 'Log Alerts V2',
          },
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
  ],
};

/** EventBridge rule and Scheduler firings: `events/schedule.ts`. */
export const scheduleCases: DecoderCases = {
  recorded: [],
  documented: [
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
  ],
};

/** Standby approvals: `events/approval.ts`. */
export const approvalCases: DecoderCases = {
  recorded: [],
  documented: [
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
  ],
};

/** Every decoder's cases, so the fixture coverage check and the malformed-input corpus see them all. */
export const allCases: readonly DecoderCases[] = [
  cloudwatchCases,
  awsBackupCases,
  azureMonitorCases,
  scheduleCases,
  approvalCases,
];
