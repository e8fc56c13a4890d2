import { describe, expect, it } from 'vitest';
import { CompositeRestoreService, CompositeTrafficSwitch } from '#shared/application/composite-actions.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import { FakeRestores, FakeTraffic } from '../../support/fake-ports.ts';
import { awsPlanDoc, azurePlanDoc, loadPlan } from '../../support/plans.ts';

const clock = () => new ManualClock(new Date('2026-11-21T12:00:00Z'));

describe('CompositeRestoreService', () => {
  it('starts and describes each restore on the service of its backup source kind', async () => {
    const c = clock();
    const awsRestores = new FakeRestores(c, 0);
    const azureRestores = new FakeRestores(c, 0);
    const service = new CompositeRestoreService({ 'aws-backup': awsRestores, 'azure-backup': azureRestores });
    const db = loadPlan(awsPlanDoc()).resources[0]!;
    const files = loadPlan(azurePlanDoc()).resources[0]!;

    expect(await service.start({ resource: db, recoveryPointId: 'rp-db', idempotencyToken: 't-db' })).toEqual(
      {
        jobId: 'job-1',
      },
    );
    await service.start({ resource: files, recoveryPointId: 'rp-files', idempotencyToken: 't-files' });
    expect(awsRestores.calls.map((r) => r.recoveryPointId)).toEqual(['rp-db']);
    expect(azureRestores.calls.map((r) => r.recoveryPointId)).toEqual(['rp-files']);
    expect(await service.describe(db, 'job-1')).toEqual({
      state: 'succeeded',
      createdResource: 'case-db-restored',
    });
    expect(await service.describe(files, 'job-1')).toEqual({
      state: 'succeeded',
      createdResource: 'evidence-files-restored',
    });
  });

  it('refuses a resource whose kind it has no service for, naming the kind and the resource', async () => {
    const service = new CompositeRestoreService({ 'azure-backup': new FakeRestores(clock()) });
    const db = loadPlan(awsPlanDoc()).resources[0]!;
    // Awaited as the engine awaits it (the router throws before any service is called).
    const start = (async () =>
      service.start({ resource: db, recoveryPointId: 'rp', idempotencyToken: 't' }))();
    await expect(start).rejects.toThrow(InvalidInputError);
    await expect(start).rejects.toThrow(
      'this controller cannot restore aws-backup resources (case-management/case-db)',
    );
    await expect((async () => service.describe(db, 'job-1'))()).rejects.toThrow(
      'this controller cannot restore aws-backup resources (case-management/case-db)',
    );
  });
});

describe('CompositeTrafficSwitch', () => {
  const aws = () => loadPlan(awsPlanDoc());
  const azure = () => loadPlan(azurePlanDoc());
  const unrouted = (): RecoveryPlan => {
    const { routing: _routing, ...plan } = aws();
    return plan;
  };

  it('reads and switches each plan on the switch of its routing kind', async () => {
    const route53 = new FakeTraffic();
    const trafficManager = new FakeTraffic();
    trafficManager.site = 'recovery';
    const traffic = new CompositeTrafficSwitch({ route53, azureTrafficManager: trafficManager });
    expect(await traffic.activeSite(aws())).toBe('primary');
    expect(await traffic.activeSite(azure())).toBe('recovery');

    await traffic.switchTo(aws(), 'recovery');
    expect([route53.site, route53.changes]).toEqual(['recovery', 1]);
    await traffic.switchTo(azure(), 'primary');
    expect([trafficManager.site, trafficManager.changes]).toEqual(['primary', 1]);
  });

  it('reads the active site of a plan without routing, or of an unknown kind, as unknown', async () => {
    const traffic = new CompositeTrafficSwitch({ route53: new FakeTraffic() });
    expect(await traffic.activeSite(unrouted())).toBe('unknown');
    expect(await traffic.activeSite(azure())).toBe('unknown');
  });

  it('refuses to switch routing it has no switch for, naming the kind and the plan, and switches nothing', async () => {
    const route53 = new FakeTraffic();
    const traffic = new CompositeTrafficSwitch({ route53 });
    const refused = traffic.switchTo(azure(), 'recovery');
    await expect(refused).rejects.toThrow(InvalidInputError);
    await expect(refused).rejects.toThrow(
      'this controller cannot switch azureTrafficManager routing of evidence-portal',
    );
    await expect(traffic.switchTo(unrouted(), 'recovery')).rejects.toThrow(
      'this controller cannot switch missing routing of case-management',
    );
    expect(route53.changes).toBe(0);
  });
});
