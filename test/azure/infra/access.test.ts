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
});
