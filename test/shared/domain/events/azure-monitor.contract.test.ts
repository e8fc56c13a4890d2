/**
 * Azure Monitor common alerts, each result stated in full: a metric alert fired and resolved, an
 * Azure Backup alert told apart by its service or by the item its context names, and the ids of the
 * backed-up item read from each context field that may hold one.
 */
import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '#shared/domain/events.ts';

const SUB = '0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
const RULE_ID = `/subscriptions/${SUB}/resourceGroups/case-rg/providers/Microsoft.Insights/metricAlerts/case-api`;
const ALERT_ID = `/subscriptions/${SUB}/providers/Microsoft.AlertsManagement/alerts/AbC-123`;
const INSTANCE = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/v/backupInstances/pg`;
const ITEM = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/backupFabrics/Azure/protectionContainers/c/protectedItems/vm`;
const FIRED = '2026-11-21T02:56:13.9392346Z';
const RESOLVED = '2026-11-21T03:10:00Z';

function alert(essentials: Record<string, unknown>, alertContext?: unknown): unknown {
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId: ALERT_ID,
        alertRule: 'case-api',
        monitorCondition: 'Fired',
        firedDateTime: FIRED,
        ...essentials,
      },
      ...(alertContext === undefined ? {} : { alertContext }),
    },
  };
}

describe('Azure Monitor metric, log and availability alerts', () => {
  it('reads a fired alert with every optional field', () => {
    expect(
      normalizeEvent(
        alert({
          alertRuleID: RULE_ID,
          severity: 'Sev1',
          signalType: 'Metric',
          monitoringService: 'Platform',
          alertTargetIDs: ['/subscriptions/x/target'],
          originAlertId: 'origin-1',
          region: 'westeurope',
        }),
      ),
    ).toEqual({
      accepted: true,
      source: 'azure.monitor',
      via: 'azure-common-alert',
      occurredAt: new Date('2026-11-21T02:56:13.939Z'),
      dedupKey: `azure-alert:${ALERT_ID.toLowerCase()}:Fired`,
      region: 'westeurope',
      kind: 'alarm',
      alarm: {
        cloud: 'azure',
        alertId: ALERT_ID,
        alertRuleName: 'case-api',
        alertRuleId: RULE_ID,
        monitorCondition: 'Fired',
        signalType: 'Metric',
        severity: 'Sev1',
        monitoringService: 'Platform',
        targetIds: ['/subscriptions/x/target'],
        originAlertId: 'origin-1',
        firedAt: new Date('2026-11-21T02:56:13.939Z'),
        region: 'westeurope',
      },
    });
  });

  it('reads a resolved alert with no optional field, at the time it resolved', () => {
    expect(
      normalizeEvent(
        alert({
          alertRuleId: RULE_ID,
          monitorCondition: 'Resolved',
          resolvedDateTime: RESOLVED,
          alertTargetIDs: null,
        }),
      ),
    ).toEqual({
      accepted: true,
      source: 'azure.monitor',
      via: 'azure-common-alert',
      occurredAt: new Date(RESOLVED),
      dedupKey: `azure-alert:${ALERT_ID.toLowerCase()}:Resolved`,
      kind: 'alarm-cleared',
      alarm: {
        cloud: 'azure',
        alertId: ALERT_ID,
        alertRuleName: 'case-api',
        alertRuleId: RULE_ID,
        monitorCondition: 'Resolved',
        targetIds: [],
        firedAt: new Date('2026-11-21T02:56:13.939Z'),
        resolvedAt: new Date(RESOLVED),
      },
    });
  });

  it('prefers alertRuleID to alertRuleId when both are given', () => {
    const result = normalizeEvent(alert({ alertRuleID: RULE_ID, alertRuleId: `${RULE_ID}-other` }));
    expect(result).toMatchObject({ alarm: { alertRuleId: RULE_ID } });
  });

  it('reads a fired alert with a resolved time as fired, at the time it fired', () => {
    expect(normalizeEvent(alert({ resolvedDateTime: RESOLVED }))).toMatchObject({
      kind: 'alarm',
      occurredAt: new Date('2026-11-21T02:56:13.939Z'),
      alarm: { resolvedAt: new Date(RESOLVED) },
    });
  });

  it.each([
    [
      'a firedDateTime that is no time',
      { firedDateTime: 'yesterday' },
      'Azure Monitor common alert: data.essentials.firedDateTime: not a timestamp (received "yesterday")',
    ],
    [
      'a resolved alert with a resolvedDateTime that is no time',
      { monitorCondition: 'Resolved', resolvedDateTime: 'later' },
      'Azure Monitor common alert: data.essentials.resolvedDateTime: a Resolved alert needs a timestamp (received "later")',
    ],
    [
      'a resolved alert without resolvedDateTime',
      { monitorCondition: 'Resolved' },
      'Azure Monitor common alert: data.essentials.resolvedDateTime: a Resolved alert needs a timestamp (received undefined)',
    ],
  ])('rejects %s, saying so', (_case, essentials, reason) => {
    expect(normalizeEvent(alert(essentials))).toEqual({ accepted: false, source: 'azure.monitor', reason });
  });

  it.each([
    ['an alert id', { alertId: 'a'.repeat(2049) }, 'data.essentials.alertId'],
    ['a rule name', { alertRule: 'a'.repeat(2049) }, 'data.essentials.alertRule'],
    ['a rule id', { alertRuleID: 'a'.repeat(2049) }, 'data.essentials.alertRuleID'],
    ['a rule id (alertRuleId)', { alertRuleId: 'a'.repeat(2049) }, 'data.essentials.alertRuleId'],
    ['a target id', { alertTargetIDs: ['a'.repeat(2049)] }, 'data.essentials.alertTargetIDs.0'],
    [
      'the target list',
      { alertTargetIDs: Array.from({ length: 101 }, () => 't') },
      'data.essentials.alertTargetIDs',
    ],
  ])('refuses %s longer than the cap, and takes one at the cap', (_case, essentials, field) => {
    const result = normalizeEvent(alert(essentials));
    expect(result).toMatchObject({ accepted: false, reason: expect.stringContaining(field) });
    const atCap = Object.fromEntries(
      Object.entries(essentials).map(([k, v]) => [
        k,
        Array.isArray(v)
          ? v.slice(0, 100).map((t: string) => t.slice(0, 2048))
          : (v as string).slice(0, 2048),
      ]),
    );
    expect(normalizeEvent(alert(atCap)).accepted).toBe(true);
  });
});

describe('Azure Backup alerts', () => {
  it('reads a fired alert of the Azure Backup service as a failed job, in full', () => {
    expect(
      normalizeEvent(
        alert(
          {
            monitoringService: 'Azure Backup',
            description: 'Backup failed for this datasource.',
            region: 'westeurope',
          },
          { protectedItemId: ITEM, extendedInfo: { jobId: 'job-1' } },
        ),
      ),
    ).toEqual({
      accepted: true,
      source: 'azure.monitor',
      via: 'azure-common-alert',
      occurredAt: new Date('2026-11-21T02:56:13.939Z'),
      dedupKey: `azure-alert:${ALERT_ID.toLowerCase()}:Fired`,
      region: 'westeurope',
      kind: 'backup-job',
      job: {
        provider: 'azure-backup',
        jobId: 'job-1',
        state: 'FAILED',
        providerState: 'alert Fired',
        protectedItemId: ITEM,
        statusMessage: 'Backup failed for this datasource.',
        completedAt: new Date('2026-11-21T02:56:13.939Z'),
      },
    });
  });

  it('reads a resolved Backup alert as a job in an unknown state, not completed, named by its rule', () => {
    expect(
      normalizeEvent(
        alert(
          { monitoringService: 'AZURE BACKUP', monitorCondition: 'Resolved', resolvedDateTime: RESOLVED },
          { backupInstanceId: INSTANCE, extendedInfo: 'none' },
        ),
      ),
    ).toEqual({
      accepted: true,
      source: 'azure.monitor',
      via: 'azure-common-alert',
      occurredAt: new Date(RESOLVED),
      dedupKey: `azure-alert:${ALERT_ID.toLowerCase()}:Resolved`,
      kind: 'backup-job',
      job: {
        provider: 'azure-backup',
        state: 'UNKNOWN',
        providerState: 'alert Resolved',
        backupInstanceId: INSTANCE,
        statusMessage: 'case-api',
      },
    });
  });

  it.each([
    ['a protectedItemId', { protectedItemId: ITEM }, { protectedItemId: ITEM }],
    ['a backupInstanceId', { backupInstanceId: INSTANCE }, { backupInstanceId: INSTANCE }],
  ])('tells a Backup alert of another service by %s in its context', (_case, context, ids) => {
    const result = normalizeEvent(alert({ monitoringService: 'Log Alerts V2' }, context));
    expect(result).toMatchObject({ kind: 'backup-job', job: { ...ids, state: 'FAILED' } });
  });

  it.each([
    ['sourceId', { sourceId: INSTANCE }, { backupInstanceId: INSTANCE }],
    ['affectedItems', { affectedItems: ITEM }, { protectedItemId: ITEM }],
    ['resourceId', { resourceId: INSTANCE }, { backupInstanceId: INSTANCE }],
    [
      'the first field that parses',
      { backupInstanceId: 'not-an-id', sourceId: INSTANCE, resourceId: `${INSTANCE}-2` },
      { backupInstanceId: INSTANCE },
    ],
    [
      'both kinds',
      { protectedItemId: ITEM, backupInstanceId: INSTANCE },
      { backupInstanceId: INSTANCE, protectedItemId: ITEM },
    ],
  ])('reads the backed-up item from %s', (_case, context, ids) => {
    const result = normalizeEvent(alert({ monitoringService: 'Azure Backup' }, context));
    expect(result).toMatchObject({ kind: 'backup-job' });
    const job = (result as { job: Record<string, unknown> }).job;
    expect({ backupInstanceId: job['backupInstanceId'], protectedItemId: job['protectedItemId'] }).toEqual({
      backupInstanceId: undefined,
      protectedItemId: undefined,
      ...ids,
    });
  });

  it('reads an alert of another service whose context names no item as an alarm', () => {
    expect(normalizeEvent(alert({ monitoringService: 'Platform' }, { protectedItemId: 7 }))).toMatchObject({
      kind: 'alarm',
    });
  });

  it.each(['', 5])('keeps the rule name as the message when the description is %j', (description) => {
    const result = normalizeEvent(alert({ monitoringService: 'Azure Backup', description }, {}));
    expect(result).toMatchObject({ kind: 'backup-job', job: { statusMessage: 'case-api' } });
  });

  it('takes a job id only when it is text', () => {
    const result = normalizeEvent(
      alert({ monitoringService: 'Azure Backup' }, { extendedInfo: { jobId: 7 } }),
    );
    expect((result as { job: object }).job).not.toHaveProperty('jobId');
  });
});

describe('other Azure payloads', () => {
  it('reads another schema as kind other, in full', () => {
    expect(normalizeEvent({ schemaId: 'Microsoft.Insights/activityLogs', data: {} })).toEqual({
      accepted: true,
      kind: 'other',
      source: 'azure.monitor',
      via: 'unknown',
      dedupKey: 'unknown:{"schemaId":"Microsoft.Insights/activityLogs","data":{}}',
      reason:
        'schemaId "Microsoft.Insights/activityLogs" is not the Azure Monitor common alert schema (azureMonitorCommonAlertSchema)',
    });
  });
});

describe('Azure Monitor rejections', () => {
  it('names the shape and the field', () => {
    expect(normalizeEvent(alert({ alertId: '' }))).toEqual({
      accepted: false,
      source: 'azure.monitor',
      reason:
        'Azure Monitor common alert: data.essentials.alertId: empty, expected a non-empty string (received "")',
    });
  });
});
