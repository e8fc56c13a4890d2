import { describe, expect, it } from 'vitest';
import { planGrants } from '#azure/infra/access.ts';
import { awsPlanDoc, azurePlanDoc, azureResource, ids, loadPlan, withPlan } from '../../support/plans.ts';

const vault = ids.backupInstance.split('/').slice(0, 9).join('/');
const group = ids.backupInstance.split('/').slice(0, 5).join('/');
const rsVault = ids.protectedItem.split('/').slice(0, 9).join('/');

describe('planGrants', () => {
  it('grants restore on the vault, cross-region restore on its group and the routing role on the profile', () => {
    expect(planGrants([loadPlan(azurePlanDoc())])).toEqual([
      { scope: vault, role: { kind: 'custom', key: 'backupRestore' }, why: 'evidence-portal/evidence-files' },
      {
        scope: group,
        role: { kind: 'custom', key: 'crossRegionRestore' },
        why: 'evidence-portal/evidence-files',
      },
      {
        scope: ids.trafficManager,
        role: { kind: 'builtIn', key: 'trafficManagerContributor' },
        why: 'evidence-portal routing',
      },
    ]);
  });

  it('grants once per vault and role, naming every resource that needs it', () => {
    const plan = loadPlan(
      withPlan(azurePlanDoc(), (d) => {
        d.spec.resources = [
          azureResource('files-a'),
          azureResource('files-b'),
          { name: 'vm', azureRecoveryServices: { protectedItemId: ids.protectedItem } },
        ];
      }),
    );
    const grants = planGrants([plan]);
    expect(grants.filter((g) => g.role.key === 'backupRestore')).toEqual([
      {
        scope: vault,
        role: { kind: 'custom', key: 'backupRestore' },
        why: 'evidence-portal/files-a, evidence-portal/files-b',
      },
      { scope: rsVault, role: { kind: 'custom', key: 'backupRestore' }, why: 'evidence-portal/vm' },
    ]);
  });

  it('grants nothing on Azure for an AWS plan', () => {
    expect(planGrants([loadPlan(awsPlanDoc())])).toEqual([]);
  });

  describe('drill clean-up', () => {
    const drillGroup = `/subscriptions/${ids.subscription}/resourceGroups/rg-drill`;
    const target = (type: string, name: string) => `${drillGroup}/providers/${type}/${name}`;
    /** A plan whose drills can run: `resources` with drill requests, a probe with a drill URL. */
    const drillable = (resources: Record<string, unknown>[]) =>
      loadPlan(
        withPlan(azurePlanDoc(), (d) => {
          d.spec.resources = resources;
          d.spec.validate = [
            { http: { url: 'https://p.example.org/h', drillUrl: 'https://d.example.org/h' } },
          ];
        }),
      );
    const diskDrill = (name: string, resourceID: string) =>
      azureResource(name, {
        drill: {
          request: {
            restoreTargetInfo: {
              objectType: 'RestoreTargetInfo',
              datasourceInfo: {
                objectType: 'Datasource',
                datasourceType: 'Microsoft.Compute/disks',
                resourceID,
              },
            },
          },
        },
      });
    const cleanupOf = (plan: ReturnType<typeof loadPlan>) =>
      planGrants([plan]).filter((g) => g.role.kind === 'custom' && g.role.key.startsWith('drill'));

    it('grants disk clean-up on the group a disk drill restores into, and VM clean-up where a VM drill does', () => {
      const plan = drillable([
        diskDrill('disk-a', target('Microsoft.Compute/disks', 'disk-a-drill')),
        diskDrill('disk-b', target('Microsoft.Compute/disks', 'disk-b-drill')),
        {
          name: 'vm',
          azureRecoveryServices: {
            protectedItemId: ids.protectedItem,
            restore: {
              request: {
                properties: { objectType: 'IaasVMRestoreRequest', recoveryType: 'AlternateLocation' },
              },
            },
          },
          drill: {
            request: {
              properties: {
                objectType: 'IaasVMRestoreRequest',
                recoveryType: 'AlternateLocation',
                targetVirtualMachineId: target('Microsoft.Compute/virtualMachines', 'vm-drill'),
              },
            },
          },
        },
      ]);
      expect(cleanupOf(plan)).toEqual([
        {
          scope: drillGroup,
          role: { kind: 'custom', key: 'drillDiskCleanup' },
          why: 'evidence-portal/disk-a drill clean-up, evidence-portal/disk-b drill clean-up',
        },
        {
          scope: drillGroup,
          role: { kind: 'custom', key: 'drillVmCleanup' },
          why: 'evidence-portal/vm drill clean-up',
        },
      ]);
    });

    it.each([
      { what: 'a blob drill (into a storage account)', type: 'Microsoft.Storage/storageAccounts' },
      { what: 'an AKS drill (into an existing cluster)', type: 'Microsoft.ContainerService/managedClusters' },
    ])('grants no delete for $what, which the tear-down refuses', ({ type }) => {
      expect(cleanupOf(drillable([diskDrill('x', target(type, 'x'))]))).toEqual([]);
    });

    it('grants nothing for a plan whose drill cannot run (a probe without drillUrl)', () => {
      const plan = loadPlan(
        withPlan(azurePlanDoc(), (d) => {
          d.spec.resources = [diskDrill('disk-a', target('Microsoft.Compute/disks', 'disk-a-drill'))];
          d.spec.validate = [{ http: { url: 'https://p.example.org/h' } }];
        }),
      );
      expect(cleanupOf(plan)).toEqual([]);
    });
  });
});
