/**
 * The matching rules of `matchEvent`, stated on built events: which key of which event kind matches
 * which resource, in what order, and how each identifier's case is treated (AWS ARNs exactly, Azure
 * ids and subscription GUIDs case-insensitively). The recorded payloads are in event-matching.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { type EventMatch, matchEvent } from '#shared/domain/event-matching.ts';
import type { AzureAlertSignal, NormalizedEvent } from '#shared/domain/events.ts';
import { eventPlan } from '../../support/event-plans.ts';

const SUB = '7d3a9f0c-be12-4c5d-af60-1e2b3c4d5e6f';
const VAULT = 'arn:aws:backup:eu-central-1:111122223333:backup-vault:ExampleVault';
const DB_ARN = 'arn:aws:rds:eu-west-1:111122223333:db:Case-DB';
const INSTANCE = `/subscriptions/${SUB}/resourceGroups/Case-RG/providers/Microsoft.DataProtection/backupVaults/Case-BV/backupInstances/Case-Disk`;
const ITEM = `/subscriptions/${SUB}/resourceGroups/Case-RG/providers/Microsoft.RecoveryServices/vaults/case-rsv/backupFabrics/Azure/protectionContainers/c/protectedItems/VM;Case-VM`;
const RULE = `/subscriptions/${SUB}/resourceGroups/Case-RG/providers/microsoft.insights/scheduledQueryRules/Case-API-Heartbeat`;

const plan = eventPlan;

const cases = plan(
  'cases',
  [{ azureAlertRule: RULE }],
  [
    ['case-db', { kind: 'aws-backup', resourceArn: DB_ARN, vaultArn: VAULT }],
    ['case-files', { kind: 'aws-backup', resourceArn: 'arn:aws:s3:::case-files', vaultArn: VAULT }],
    ['case-disk', { kind: 'azure-backup', backupInstanceId: INSTANCE }],
    ['case-vm', { kind: 'azure-recovery-services', protectedItemId: ITEM }],
  ],
);
const plans = [cases];
const base = { accepted: true, source: 'aws.backup', via: 'eventbridge', dedupKey: 'k' } as const;
const UNLISTED = 'arn:aws:rds:eu-west-1:111122223333:db:unlisted';
const everyVaultResource: EventMatch = {
  matched: true,
  matches: [{ app: 'cases', resources: ['case-db', 'case-files'], by: 'vault-arn' }],
};

const backupJob = (
  job: Partial<Extract<NormalizedEvent, { kind: 'backup-job' }>['job']>,
): NormalizedEvent => ({
  ...base,
  kind: 'backup-job',
  job: { provider: 'aws-backup', jobId: 'job-1', state: 'FAILED', providerState: 'FAILED', ...job },
});
const copyJob = (resourceArn: string, destinationVaultArn?: string): NormalizedEvent => ({
  ...base,
  kind: 'copy-job',
  copy: {
    copyJobId: 'copy-1',
    state: 'FAILED',
    providerState: 'FAILED',
    resourceArn,
    ...(destinationVaultArn ? { destinationVaultArn } : {}),
  },
});
const restoreJob = (sourceResourceArn: string, vaultArn?: string): NormalizedEvent => ({
  ...base,
  kind: 'restore-job',
  restore: {
    restoreJobId: 'restore-1',
    state: 'FAILED',
    providerState: 'FAILED',
    sourceResourceArn,
    ...(vaultArn ? { vaultArn } : {}),
  },
});
const recoveryPoint = (resourceArn: string, vaultArn?: string): NormalizedEvent => ({
  ...base,
  kind: 'recovery-point',
  point: { recoveryPointArn: 'rp-1', change: 'EXPIRED', resourceArn, ...(vaultArn ? { vaultArn } : {}) },
});
const vaultChange = (vaultArn: string): NormalizedEvent => ({
  ...base,
  kind: 'vault-change',
  vault: { vaultArn, change: 'CREATED' },
});
function alert(signal: Partial<AzureAlertSignal>): NormalizedEvent {
  return {
    ...base,
    source: 'azure.monitor',
    via: 'azure-common-alert',
    kind: 'alarm',
    occurredAt: new Date('2026-11-21T12:00:00Z'),
    alarm: {
      cloud: 'azure',
      alertId: 'a-1',
      alertRuleName: 'Case-API-Heartbeat',
      monitorCondition: 'Fired',
      targetIds: [],
      firedAt: new Date('2026-11-21T12:00:00Z'),
      ...signal,
    },
  };
}

describe('matchEvent: resource keys', () => {
  it.each<[string, NormalizedEvent, EventMatch]>([
    [
      'an Azure Backup job by its backup instance id, whatever its case',
      backupJob({ provider: 'azure-backup', backupInstanceId: `${INSTANCE.toUpperCase()}/` }),
      { matched: true, matches: [{ app: 'cases', resources: ['case-disk'], by: 'backup-instance-id' }] },
    ],
    [
      'a Recovery Services job by its protected item id, whatever its case',
      backupJob({ provider: 'azure-backup', protectedItemId: ITEM.toLowerCase() }),
      { matched: true, matches: [{ app: 'cases', resources: ['case-vm'], by: 'protected-item-id' }] },
    ],
    [
      'a backup job by its mixed-case resource ARN, as written',
      backupJob({ resourceArn: DB_ARN, vaultArn: VAULT }),
      { matched: true, matches: [{ app: 'cases', resources: ['case-db'], by: 'resource-arn' }] },
    ],
    [
      'a backup job of an unlisted resource, by its vault',
      backupJob({ resourceArn: UNLISTED, vaultArn: VAULT }),
      everyVaultResource,
    ],
    [
      'a copy job of an unlisted resource, by its destination vault',
      copyJob(UNLISTED, VAULT),
      everyVaultResource,
    ],
    ['a restore job of an unlisted resource, by its vault', restoreJob(UNLISTED, VAULT), everyVaultResource],
    [
      'a recovery point of an unlisted resource, by its vault',
      recoveryPoint(UNLISTED, VAULT),
      everyVaultResource,
    ],
    ['a vault change of the mixed-case vault', vaultChange(VAULT), everyVaultResource],
    [
      'a copy job by its resource ARN before its vault',
      copyJob(DB_ARN, VAULT),
      { matched: true, matches: [{ app: 'cases', resources: ['case-db'], by: 'resource-arn' }] },
    ],
  ])('matches %s', (_what, event, expected) => {
    expect(matchEvent(event, plans)).toEqual(expected);
  });

  it.each<[string, NormalizedEvent, string]>([
    [
      'a resource ARN in another case (ARNs are case-sensitive)',
      backupJob({ resourceArn: DB_ARN.toLowerCase() }),
      `backup job job-1: no protected resource has resource-arn ${DB_ARN.toLowerCase()}`,
    ],
    [
      'a vault ARN in another case',
      recoveryPoint(UNLISTED, VAULT.toLowerCase()),
      `recovery point rp-1: no protected resource has resource-arn ${UNLISTED} or vault-arn ${VAULT.toLowerCase()}`,
    ],
    [
      'a vault change of a vault in another case',
      vaultChange(VAULT.toUpperCase()),
      `vault ${VAULT.toUpperCase()}: no protected resource has vault-arn ${VAULT.toUpperCase()}`,
    ],
    [
      'an Azure backup instance id held by no resource',
      backupJob({ provider: 'azure-backup', backupInstanceId: `${INSTANCE}-other` }),
      `backup job job-1: no protected resource has backup-instance-id ${INSTANCE}-other`,
    ],
    ['a job that names nothing', backupJob({}), 'backup job job-1 names no resource, vault or item to match'],
    [
      'a job without an id that names nothing',
      backupJob({ jobId: undefined }),
      'backup job (no id) names no resource, vault or item to match',
    ],
    [
      'a copy job of an unlisted resource',
      copyJob(UNLISTED),
      `copy job copy-1: no protected resource has resource-arn ${UNLISTED}`,
    ],
    [
      'a restore job of an unlisted resource',
      restoreJob(UNLISTED),
      `restore job restore-1: no protected resource has resource-arn ${UNLISTED}`,
    ],
    [
      'a recovery point without an ARN',
      { ...base, kind: 'recovery-point', point: { change: 'EXPIRED', resourceArn: UNLISTED } },
      `recovery point (no ARN): no protected resource has resource-arn ${UNLISTED}`,
    ],
    [
      'a vault change that names the vault only by name',
      { ...base, kind: 'vault-change', vault: { vaultName: 'ExampleVault', change: 'CREATED' } },
      'vault ExampleVault names no resource, vault or item to match',
    ],
    [
      'a vault change that names no vault',
      { ...base, kind: 'vault-change', vault: { change: 'CREATED' } },
      'vault (unnamed) names no resource, vault or item to match',
    ],
  ])('does not match %s', (_what, event, reason) => {
    expect(matchEvent(event, plans)).toEqual({ matched: false, reason });
  });
});

describe('matchEvent: Azure alerts', () => {
  const byName: EventMatch = {
    matched: true,
    matches: [{ app: 'cases', resources: [], trigger: RULE, by: 'alert-rule-name' }],
  };

  it.each<[string, Partial<AzureAlertSignal>, EventMatch]>([
    [
      'by rule id in another case',
      { alertRuleId: RULE.toUpperCase() },
      { matched: true, matches: [{ app: 'cases', resources: [], trigger: RULE, by: 'alert-rule-id' }] },
    ],
    ['by rule name alone, in no named subscription', { alertRuleName: 'case-api-heartbeat' }, byName],
    [
      'by rule name, its target in the upper-case spelling of the subscription GUID',
      {
        targetIds: [
          `/subscriptions/${SUB.toUpperCase()}/resourceGroups/w/providers/Microsoft.OperationalInsights/workspaces/w`,
        ],
      },
      byName,
    ],
    [
      'by rule name, one target (of a form not parsed as a resource id) in the subscription',
      {
        targetIds: [
          `/subscriptions/${SUB.toUpperCase()}`,
          '/subscriptions/00000000-0000-0000-0000-000000000009',
        ],
      },
      byName,
    ],
    [
      'by rule name, its targets naming no subscription at the start of their path',
      { targetIds: ['workspace-w', '/tenants/t/subscriptions/abcdef00-0000-0000-0000-000000000000'] },
      byName,
    ],
  ])('matches an alert %s', (_what, signal, expected) => {
    expect(matchEvent(alert(signal), plans)).toEqual(expected);
  });

  it.each<[string, Partial<AzureAlertSignal>, string]>([
    [
      'with a rule id no plan names',
      { alertRuleId: `${RULE}-2` },
      `no plan has trigger azureAlertRule ${RULE}-2`,
    ],
    [
      'naming only a rule no plan has',
      { alertRuleName: 'Case-API-Heartbeat-2' },
      'no plan has an azureAlertRule named Case-API-Heartbeat-2 (the alert carries no rule id)',
    ],
    [
      'naming its rule, in another subscription',
      { targetIds: ['/subscriptions/ABCDEF00-0000-0000-0000-000000000000/resourceGroups/w'] },
      'no plan has an azureAlertRule named Case-API-Heartbeat in subscription abcdef00-0000-0000-0000-000000000000 (the alert carries no rule id)',
    ],
    [
      'naming its rule, its targets in two other subscriptions',
      {
        targetIds: [
          '/subscriptions/ABCDEF00-0000-0000-0000-000000000000/resourceGroups/w',
          '/subscriptions/abcdef00-0000-0000-0000-000000000001/resourceGroups/w',
        ],
      },
      'no plan has an azureAlertRule named Case-API-Heartbeat in subscription abcdef00-0000-0000-0000-000000000000, abcdef00-0000-0000-0000-000000000001 (the alert carries no rule id)',
    ],
  ])('does not match an alert %s', (_what, signal, reason) => {
    expect(matchEvent(alert(signal), plans)).toEqual({ matched: false, reason });
  });

  it('matches by rule name when the trigger spells the subscription GUID in upper case and the target in lower', () => {
    const upper = RULE.replace(SUB, SUB.toUpperCase());
    const shouting = plan('shouting', [{ azureAlertRule: upper }], []);
    const signal = {
      targetIds: [
        `/subscriptions/${SUB}/resourceGroups/w/providers/Microsoft.OperationalInsights/workspaces/w`,
      ],
    };
    expect(matchEvent(alert(signal), [shouting])).toEqual({
      matched: true,
      matches: [{ app: 'shouting', resources: [], trigger: upper, by: 'alert-rule-name' }],
    });
  });

  it('reads the subscription of a target spelled /SUBSCRIPTIONS/<guid> (not a full resource id)', () => {
    const signal = { targetIds: ['/SUBSCRIPTIONS/ABCDEF00-0000-0000-0000-000000000000'] };
    expect(matchEvent(alert(signal), plans)).toEqual({
      matched: false,
      reason:
        'no plan has an azureAlertRule named Case-API-Heartbeat in subscription abcdef00-0000-0000-0000-000000000000 (the alert carries no rule id)',
    });
  });

  it('matches a rule name against a trigger that is not a parsable resource id by its last segment', () => {
    const loose = plan('loose', [{ azureAlertRule: 'monitor/alerts/Case-API-Heartbeat' }], []);
    const signal = { targetIds: [`/subscriptions/${SUB}/resourceGroups/w`] };
    expect(matchEvent(alert(signal), [loose])).toEqual({
      matched: true,
      matches: [
        { app: 'loose', resources: [], trigger: 'monitor/alerts/Case-API-Heartbeat', by: 'alert-rule-name' },
      ],
    });
  });
});
