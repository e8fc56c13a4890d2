/**
 * `drillPlan`: the plan a drill runs — drill names for every AWS name key, Azure drill requests, the
 * drill URL of every probe, no routing and no approval — or every reason it cannot run.
 */
import { describe, expect, it } from 'vitest';
import { drillPlan } from '#shared/domain/drill.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import { DRILL_URL, drillable } from '../../support/drills.ts';
import { awsPlanDoc, azurePlanDoc, azureResource, ids, loadPlan, withPlan } from '../../support/plans.ts';

describe('drillPlan', () => {
  it('runs the plan under drill names, probing the drill URL, with no routing and no approval', () => {
    const plan = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        d.spec.failover = {
          mode: 'approval',
          approval: { notify: [{ sns: ids.topic }], timeout: '30m' },
          requireFreshBackups: true,
        };
        for (const r of d.spec.resources as {
          name: string;
          drill?: unknown;
          awsBackup: { restore: { metadata: Record<string, string> } };
        }[]) {
          r.awsBackup.restore.metadata = {
            DBInstanceIdentifier: `${r.name}-dr`,
            DBSubnetGroupName: 'dr-subnets',
          };
          r.drill = { metadata: { DBInstanceIdentifier: `${r.name}-drill` } };
        }
        (d.spec.validate as { http: Record<string, unknown> }[])[0]!.http['drillUrl'] = DRILL_URL;
      }),
    );
    const drill = drillPlan(plan);
    if (!('plan' in drill)) throw new Error(drill.problems.join('; '));
    expect(drill.plan.routing).toBeUndefined();
    expect('routing' in drill.plan).toBe(false);
    expect(drill.plan.failover).toEqual({ mode: 'automatic', requireFreshBackups: false });
    expect(drill.plan.validate.map((p) => p.url)).toEqual([DRILL_URL]);
    expect(
      drill.plan.resources.map((r) => r.source.kind === 'aws-backup' && r.source.restore?.metadata),
    ).toEqual([
      { DBInstanceIdentifier: 'case-db-drill', DBSubnetGroupName: 'dr-subnets' },
      { DBInstanceIdentifier: 'case-api-drill', DBSubnetGroupName: 'dr-subnets' },
    ]);
    expect(drill.plan).toMatchObject({
      name: plan.name,
      rpoSeconds: plan.rpoSeconds,
      rtoSeconds: plan.rtoSeconds,
    });
  });

  it('leaves a resource without a restore block as it is (the restorable gate names it)', () => {
    const plan = drillable((d) => {
      delete (d.spec.resources as { awsBackup: Record<string, unknown>; drill?: unknown }[])[1]!.awsBackup[
        'restore'
      ];
    });
    const drill = drillPlan(plan);
    if (!('plan' in drill)) throw new Error(drill.problems.join('; '));
    expect(drill.plan.resources[1]).toEqual(plan.resources[1]);
  });

  it('names every reason a drill cannot run, all at once', () => {
    const plan = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        (d.spec.validate as unknown[]).push({
          http: { url: 'https://case.example.com/journey', drillUrl: DRILL_URL },
        });
        (d.spec.validate as unknown[]).push({ http: { url: 'https://case.example.com/login' } });
        (d.spec.resources as { drill?: unknown }[])[1]!.drill = {
          metadata: { DBSubnetGroupName: 'drill-subnets' },
        };
      }),
    );
    expect(drillPlan(plan)).toEqual({
      problems: [
        'case-db has no drill.metadata: a drill must restore it under drill names',
        'case-api: drill.metadata must give DBInstanceIdentifier a drill value (the production one is case-api-dr)',
        'validate[0] (https://case-api.dr.example.com/internal/health) has no drillUrl: a drill never probes production',
        'validate[2] (https://case.example.com/login) has no drillUrl: a drill never probes production',
      ],
    });
  });

  // Each AWS Backup restore metadata key that names what a restore creates (drill.ts AWS_NAME_KEYS).
  const NAME_KEYS = [
    'DBInstanceIdentifier',
    'DBClusterIdentifier',
    'targetTableName',
    'DestinationBucketName',
    'clusterName',
    'CreationToken',
    'FileSystemId',
    'InstanceName',
  ];
  /** The drillable plan, case-db restored with `production` metadata and drilled with `drill`. */
  const dbWith = (production: Record<string, string>, drill: Record<string, string>) =>
    drillable((d) => {
      const db = (
        d.spec.resources as { awsBackup: { restore: { metadata: unknown } }; drill: unknown }[]
      )[0]!;
      db.awsBackup.restore.metadata = production;
      db.drill = { metadata: drill };
    });

  it.each(NAME_KEYS)('refuses a drill that leaves %s at its production value', (key) => {
    expect(drillPlan(dbWith({ [key]: 'prod-name' }, { Other: 'x' }))).toEqual({
      problems: [`case-db: drill.metadata must give ${key} a drill value (the production one is prod-name)`],
    });
    expect(drillPlan(dbWith({ [key]: 'prod-name' }, { [key]: 'prod-name' }))).toEqual({
      problems: [`case-db: drill.metadata must give ${key} a drill value (the production one is prod-name)`],
    });
  });

  it.each(NAME_KEYS)('takes a drill value of its own for %s', (key) => {
    const drill = drillPlan(dbWith({ [key]: 'prod-name' }, { [key]: 'drill-name' }));
    expect('plan' in drill && drill.plan.resources[0]!.source).toMatchObject({
      restore: { metadata: { [key]: 'drill-name' } },
    });
  });

  it('names every name key left at its production value, with those values', () => {
    expect(
      drillPlan(dbWith({ DBClusterIdentifier: 'pay', InstanceName: 'pay-1', DBSubnetGroupName: 'net' }, {})),
    ).toEqual({
      problems: [
        'case-db: drill.metadata must give DBClusterIdentifier, InstanceName a drill value (the production one is pay, pay-1)',
      ],
    });
  });

  it('asks nothing of a key the production metadata does not set, nor of keys that name nothing', () => {
    const drill = drillPlan(dbWith({ DBSubnetGroupName: 'net' }, { Note: 'drill' }));
    expect('plan' in drill && drill.plan.resources[0]!.source).toMatchObject({
      restore: { metadata: { DBSubnetGroupName: 'net', Note: 'drill' } },
    });
  });

  describe('an Azure resource', () => {
    const azurePlan = (drill?: Record<string, unknown>) =>
      loadPlan(
        withPlan(azurePlanDoc(), (d) => {
          d.spec.resources = [azureResource('evidence-files', drill ? { drill: { request: drill } } : {})];
        }),
      );

    it('restores with its drill request fields over the production request', () => {
      const drill = drillPlan(azurePlan({ restoreTargetInfo: { name: 'drill' } }));
      if (!('plan' in drill)) throw new Error(drill.problems.join('; '));
      const source = drill.plan.resources[0]!.source as Extract<
        ProtectedResource['source'],
        { kind: 'azure-backup' }
      >;
      expect(source.restore?.request).toEqual({
        objectType: 'AzureBackupRecoveryPointBasedRestoreRequest',
        restoreTargetInfo: { name: 'drill' },
      });
    });

    it('needs a drill request', () => {
      expect(drillPlan(azurePlan())).toEqual({
        problems: ['evidence-files has no drill.request: a drill must restore it into a drill target'],
      });
    });
  });
});
