import { describe, expect, it } from 'vitest';
import {
  freshnessMetrics,
  MONITOR_METRICS_SCOPE,
  MonitorMetricsPublisher,
} from '#azure/adapters/monitor-metrics.ts';
import { runAudit } from '#shared/application/run-audit.ts';
import { ErrorCode } from '#shared/domain/errors.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import { FakeInventory } from '../../support/fake-ports.ts';
import { azurePlanDoc, azureResource, loadPlan, withPlan } from '../../support/plans.ts';
import { recordingCredential, recordingTransport } from './recording-transport.ts';

const APP_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-standby/providers/Microsoft.Web/sites/standby-ne';
const clock = new ManualClock(new Date('2026-11-21T12:00:00Z'));
const plan = loadPlan(
  withPlan(azurePlanDoc(), (d) => {
    d.spec.resources = [azureResource('evidence-files'), azureResource('evidence-db')];
  }),
);
const audit = (ages: Record<string, number | 'missing' | 'error'>) =>
  runAudit([plan], { inventory: new FakeInventory(clock, ages), clock });

describe('freshnessMetrics', () => {
  it('reports the age of each resource with a point, the resources needing attention and the audit itself', async () => {
    const docs = freshnessMetrics(await audit({ 'evidence-files': 600, 'evidence-db': 'missing' }));
    expect(docs.map((d) => d.data.baseData.metric)).toEqual([
      'BackupAgeSeconds',
      'ResourcesNeedingAttention',
      'AuditCompleted',
    ]);
    expect(docs[0]).toEqual({
      time: '2026-11-21T12:00:00.000Z',
      data: {
        baseData: {
          metric: 'BackupAgeSeconds',
          namespace: 'Standby',
          dimNames: ['App', 'Resource'],
          series: [
            { dimValues: ['evidence-portal', 'evidence-files'], min: 600, max: 600, sum: 600, count: 1 },
          ],
        },
      },
    });
    expect(docs[1]!.data.baseData.series).toEqual([
      { dimValues: ['evidence-portal'], min: 1, max: 1, sum: 1, count: 1 },
    ]);
  });
});

describe('MonitorMetricsPublisher', () => {
  it("posts each metric to the regional ingestion endpoint of the app's resource, with a managed-identity token", async () => {
    const t = recordingTransport();
    const { credential, scopes } = recordingCredential();
    await new MonitorMetricsPublisher({
      resourceId: APP_ID,
      region: 'northeurope',
      credential,
      httpClient: t.httpClient,
    }).publish(await audit({}));
    expect(t.requests.map((r) => r.url)).toEqual(
      Array(3).fill(`https://northeurope.monitoring.azure.com${APP_ID}/metrics`),
    );
    expect(t.requests[0]!.headers.get('authorization')).toBe('Bearer managed-identity-token');
    expect(scopes).toContain(MONITOR_METRICS_SCOPE);
  });

  it('throws a provider error naming the metric the API refused', async () => {
    const t = recordingTransport(403);
    const publishing = new MonitorMetricsPublisher({
      resourceId: APP_ID,
      region: 'northeurope',
      credential: recordingCredential().credential,
      httpClient: t.httpClient,
    }).publish(await audit({}));
    await expect(publishing).rejects.toMatchObject({
      code: ErrorCode.Unauthorized,
      message: expect.stringContaining('BackupAgeSeconds: HTTP 403'),
    });
  });

  it.each([
    [
      'a resource id that is not one',
      { resourceId: 'standby-ne', region: 'northeurope' },
      /not an Azure resource id/,
    ],
    [
      'a display name as region',
      { resourceId: APP_ID, region: 'North Europe' },
      /region name such as northeurope/,
    ],
  ])('refuses %s', (_name, options, message) => {
    expect(
      () => new MonitorMetricsPublisher({ ...options, credential: recordingCredential().credential }),
    ).toThrow(message);
  });
});
