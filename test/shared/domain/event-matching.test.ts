import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchEvent } from '#shared/domain/event-matching.ts';
import { type NormalizedEvent, normalizeEvent, normalizeEvents } from '#shared/domain/events.ts';
import type { BackupSource, RecoveryPlan } from '#shared/domain/plan.ts';
import { eventPlan } from '../../support/event-plans.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const load = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
const shared = (name: string) => load(path.resolve(repoRoot, 'test/fixtures', name));
const own = (name: string) => load(path.resolve(repoRoot, 'test/fixtures/events', name));

function event(raw: unknown): NormalizedEvent {
  const result = normalizeEvent(raw);
  if (!result.accepted) throw new Error(result.reason);
  return result;
}

const SUB = '00000000-0000-0000-0000-000000000001';

const plan = eventPlan;
const aws = (resourceArn: string, vaultArn: string): BackupSource => ({
  kind: 'aws-backup',
  resourceArn,
  vaultArn,
});

const caseManagement = plan(
  'case-management',
  [
    { awsAlarm: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health' },
    // Written with different case from the alert payloads on purpose.
    {
      azureAlertRule: `/subscriptions/${SUB}/resourceGroups/CASE-RG/providers/microsoft.insights/metricAlerts/Case-API-Availability`,
    },
    {
      azureAlertRule: `/subscriptions/${SUB}/resourceGroups/case-rg/providers/microsoft.insights/scheduledQueryRules/case-api-heartbeat`,
    },
  ],
  [
    [
      'case-db',
      aws(
        'arn:aws:rds:eu-west-1:111122223333:db:case-db',
        'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault',
      ),
    ],
    [
      'case-files',
      aws('arn:aws:s3:::case-files', 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault'),
    ],
    [
      'case-vm',
      {
        kind: 'azure-recovery-services',
        protectedItemId: `/subscriptions/${SUB}/resourceGroups/case-rg/providers/Microsoft.RecoveryServices/vaults/case-rsv/backupFabrics/Azure/protectionContainers/iaasvmcontainer;iaasvmcontainerv2;case-rg;case-vm/protectedItems/vm;iaasvmcontainerv2;case-rg;case-vm`,
      },
    ],
  ],
);
const recordedWorld = plan(
  'recorded-world',
  [
    { awsAlarm: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh' },
    {
      azureAlertRule:
        '/subscriptions/<subscription ID>/resourcegroups/<RESOURCE-GROUP>/providers/Microsoft.Insights/metricalerts/wcus-r2-gen2',
    },
  ],
  [
    [
      'service',
      aws(
        'arn:aws:service:us-west-2:1112233445566:resource-type/resource-id',
        'arn:aws:backup:us-west-2:1112233445566:backup-vault:other',
      ),
    ],
    [
      'volume',
      aws(
        'arn:aws:ec2:us-west-2:1112233445566:volume/vol-050eba21ee4d3c001',
        'arn:aws:backup:us-west-2:1112233445566:backup-vault:other',
      ),
    ],
    [
      'database',
      aws(
        'arn:aws:rds:us-west-2:1112233445566:db:example-database',
        'arn:aws:backup:us-west-2:1112233445566:backup-vault:ExampleVault',
      ),
    ],
  ],
);
const plans = [caseManagement, recordedWorld];

describe('matchEvent', () => {
  it.each<[string, () => unknown, { app: string; resources: string[]; by: string }[]]>([
    [
      'an EventBridge alarm, by alarm ARN',
      () => shared('aws/cloudwatch-alarm-state-change-alarm.json'),
      [{ app: 'recorded-world', resources: [], by: 'alarm-arn' }],
    ],
    [
      'a cleared alarm, by alarm ARN',
      () => shared('aws/cloudwatch-alarm-state-change-ok.json'),
      [{ app: 'recorded-world', resources: [], by: 'alarm-arn' }],
    ],
    [
      'a composite alarm, by its own ARN',
      () => own('cloudwatch-alarm-state-change-composite.json'),
      [{ app: 'case-management', resources: [], by: 'alarm-arn' }],
    ],
    [
      'an alarm action payload',
      () => own('cloudwatch-alarm-action-lambda-metric.json'),
      [{ app: 'case-management', resources: [], by: 'alarm-arn' }],
    ],
    [
      'an Azure alert with a rule id, case-insensitively',
      () => own('monitor-common-alert-metric-fired-rule-id.json'),
      [{ app: 'case-management', resources: [], by: 'alert-rule-id' }],
    ],
    [
      'the recorded Azure metric alert, case-insensitively',
      () => shared('azure/monitor-common-alert-metric-resolved.example.json'),
      [{ app: 'recorded-world', resources: [], by: 'alert-rule-id' }],
    ],
    [
      'an Azure log alert that names only its rule, by name within the subscription',
      () => own('monitor-common-alert-log-fired.json'),
      [{ app: 'case-management', resources: [], by: 'alert-rule-name' }],
    ],
    [
      'a backup job, by resource ARN',
      () => shared('aws/backup-job-state-change-completed.json'),
      [{ app: 'recorded-world', resources: ['service'], by: 'resource-arn' }],
    ],
    [
      'a failed backup job, by resource ARN',
      () => shared('aws/backup-job-state-change-failed.json'),
      [{ app: 'recorded-world', resources: ['service'], by: 'resource-arn' }],
    ],
    [
      'a copy job, by resource ARN',
      () => shared('aws/copy-job-state-change-completed.json'),
      [{ app: 'recorded-world', resources: ['volume'], by: 'resource-arn' }],
    ],
    [
      'a restore job, by source resource ARN',
      () => shared('aws/restore-job-state-change-completed.json'),
      [{ app: 'recorded-world', resources: ['database'], by: 'resource-arn' }],
    ],
    [
      'a recovery point, by resource ARN',
      () => own('recovery-point-state-change-expired.json'),
      [{ app: 'case-management', resources: ['case-db'], by: 'resource-arn' }],
    ],
    [
      'a vault change, to every resource kept in that vault',
      () => own('backup-vault-state-change-created.json'),
      [{ app: 'case-management', resources: ['case-db', 'case-files'], by: 'vault-arn' }],
    ],
    [
      'an Azure Backup job alert, by protected item id case-insensitively',
      () => own('monitor-common-alert-azure-backup-job-failed.json'),
      [{ app: 'case-management', resources: ['case-vm'], by: 'protected-item-id' }],
    ],
  ])('matches %s', (_what, raw, expected) => {
    const result = matchEvent(event(raw()), plans);
    expect(result).toEqual({ matched: true, matches: expected.map((m) => expect.objectContaining(m)) });
  });

  it('matches a backup job by vault when its resource is not protected but its vault is', () => {
    const raw = own('backup-job-state-change-running.json') as { detail: Record<string, unknown> };
    const moved = {
      ...raw,
      detail: {
        ...raw.detail,
        resourceArn: 'arn:aws:rds:eu-west-1:111122223333:db:unlisted',
        backupVaultArn: 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault',
      },
    };
    expect(matchEvent(event(moved), plans)).toEqual({
      matched: true,
      matches: [{ app: 'case-management', resources: ['case-db', 'case-files'], by: 'vault-arn' }],
    });
  });

  it('returns every app whose trigger is the alarm', () => {
    const twin = plan(
      'twin',
      [{ awsAlarm: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health' }],
      [],
    );
    const result = matchEvent(event(own('cloudwatch-alarm-action-lambda-metric.json')), [...plans, twin]);
    expect(result.matched && result.matches.map((m) => m.app)).toEqual(['case-management', 'twin']);
  });

  it.each<[string, () => NormalizedEvent, NormalizedEvent[] | RecoveryPlan[], string]>([
    [
      'an alarm no plan names',
      () => event(own('cloudwatch-alarm-state-change-metric-math.json')),
      plans,
      'no plan has trigger awsAlarm arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-5xx-ratio',
    ],
    [
      'the placeholder SNS sample',
      () => event(shared('aws/sns-lambda-cloudwatch-alarm-single-metric.json')),
      plans,
      'no plan has trigger awsAlarm',
    ],
    [
      'an Azure alert with an unknown rule id',
      () => event(own('monitor-common-alert-availability-resolved.json')),
      plans,
      'case-api-webtest',
    ],
    [
      'a restore job that names no resource or vault',
      () => event(shared('aws/restore-job-state-change-failed.json')),
      plans,
      'names no resource',
    ],
    [
      'a backup job of an unprotected resource',
      () => event(own('backup-job-state-change-running.json')),
      [recordedWorld],
      'no protected resource has resource-arn',
    ],
    [
      'an INSUFFICIENT_DATA alarm',
      () => event(own('cloudwatch-alarm-state-change-insufficient-data.json')),
      plans,
      'INSUFFICIENT_DATA',
    ],
    ['a schedule', () => event(own('scheduled-event-rule.json')), plans, 'schedule'],
    ['an approval', () => event(own('standby-approval-approve.json')), plans, 'token'],
    [
      'any event when there are no plans',
      () => event(shared('aws/cloudwatch-alarm-state-change-alarm.json')),
      [],
      'no plan',
    ],
  ])('does not match %s, and says why', (_what, make, against, inReason) => {
    expect(matchEvent(make(), against as RecoveryPlan[])).toEqual({
      matched: false,
      reason: expect.stringContaining(inReason),
    });
  });

  it('does not match an Azure rule name in another subscription', () => {
    const raw = own('monitor-common-alert-log-fired.json') as {
      data: { essentials: Record<string, unknown> };
    };
    const elsewhere = {
      ...raw,
      data: {
        ...raw.data,
        essentials: {
          ...raw.data.essentials,
          alertTargetIDs: [
            '/subscriptions/99999999-0000-0000-0000-000000000000/resourcegroups/x/providers/microsoft.operationalinsights/workspaces/w',
          ],
        },
      },
    };
    expect(matchEvent(event(elsewhere), plans)).toEqual({
      matched: false,
      reason: expect.stringContaining('in subscription 99999999-0000-0000-0000-000000000000'),
    });
  });

  it('matches each record of an SNS batch on its own', () => {
    const results = normalizeEvents(own('sns-lambda-cloudwatch-alarm-two-records.json'));
    const outcomes = results.map((r) => (r.accepted ? matchEvent(r, plans).matched : 'rejected'));
    expect(outcomes).toEqual([true, false]);
  });
});
