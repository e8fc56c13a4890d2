import { describe, expect, it } from 'vitest';
import {
  ByAccountInventory,
  ByAccountRestoreService,
  ByAccountTrafficSwitch,
  perAccount,
} from '#functions/adapters/by-account.ts';
import type { ResourceObservation } from '#shared/domain/recovery-point.ts';
import type { BackupInventory, InventoryRequest } from '#shared/ports/backup-inventory.ts';
import type { RestoreService, TrafficSwitch } from '#shared/ports/recovery-actions.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const MEMBER = '444455556666';
const plan = loadPlan(
  withPlan(awsPlanDoc(), (d) => {
    const spec = d.spec as Record<string, unknown> & {
      resources: unknown[];
      routing: { route53: Record<string, unknown> };
    };
    spec.resources.push({
      name: 'ledger',
      awsBackup: {
        resourceArn: `arn:aws:rds:eu-west-1:${MEMBER}:db:ledger`,
        vaultArn: `arn:aws:backup:eu-central-1:${MEMBER}:backup-vault:dr`,
        restore: { iamRoleArn: `arn:aws:iam::${MEMBER}:role/restore`, metadata: {} },
      },
    });
    spec.routing.route53['account'] = MEMBER;
    spec['accounts'] = [{ roleArn: `arn:aws:iam::${MEMBER}:role/standby-controller` }];
  }),
);
const [caseDb, , ledger] = plan.resources;

/** Records which account's adapter was asked for what. */
function recording() {
  const calls: string[] = [];
  const inventory = perAccount(
    (account): BackupInventory => ({
      async observe(requests: readonly InventoryRequest[]) {
        calls.push(`${account ?? 'own'}: observe ${requests.map((r) => r.key).join(',')}`);
        return new Map(
          requests.map((r): [string, ResourceObservation] => [r.key, { ok: true, points: [], jobs: [] }]),
        );
      },
    }),
  );
  const restores = perAccount(
    (account): RestoreService => ({
      async start(request) {
        calls.push(`${account}: start ${request.resource.name}`);
        return { jobId: `job-${account}` };
      },
      async describe(resource) {
        calls.push(`${account}: describe ${resource.name}`);
        return { state: 'running' };
      },
    }),
  );
  const traffic = perAccount(
    (account): TrafficSwitch => ({
      async activeSite() {
        calls.push(`${account}: activeSite`);
        return 'primary';
      },
      async switchTo(_plan, site) {
        calls.push(`${account}: switchTo ${site}`);
      },
    }),
  );
  return { calls, inventory, restores, traffic };
}

describe('by-account routers', () => {
  it('observes each account’s resources with that account’s inventory and merges the answers', async () => {
    const r = recording();
    const requests = plan.resources.map((res) => ({
      key: `${plan.name}/${res.name}`,
      source: res.source,
      recoveryRegion: 'eu-central-1',
      jobsSince: new Date(0),
    }));
    const observed = await new ByAccountInventory(r.inventory).observe(requests);
    expect([...observed.keys()].sort()).toEqual(requests.map((q) => q.key).sort());
    expect(r.calls.sort()).toEqual([
      '111122223333: observe case-management/case-db,case-management/case-api',
      `${MEMBER}: observe case-management/ledger`,
    ]);
  });

  it('starts and follows each restore in its vault’s account', async () => {
    const r = recording();
    const service = new ByAccountRestoreService(r.restores);
    expect(await service.start({ resource: ledger!, recoveryPointId: 'rp', idempotencyToken: 't' })).toEqual({
      jobId: `job-${MEMBER}`,
    });
    await service.describe(caseDb!, 'job');
    expect(r.calls).toEqual([`${MEMBER}: start ledger`, '111122223333: describe case-db']);
  });

  it('reads and switches traffic in the hosted zone’s account, the controller’s own when the plan names none', async () => {
    const r = recording();
    const traffic = new ByAccountTrafficSwitch(r.traffic);
    await traffic.activeSite(plan);
    await traffic.switchTo(plan, 'recovery');
    await traffic.activeSite(loadPlan());
    expect(r.calls).toEqual([
      `${MEMBER}: activeSite`,
      `${MEMBER}: switchTo recovery`,
      'undefined: activeSite',
    ]);
  });

  it('builds one adapter per account, on first use', () => {
    let made = 0;
    const forAccount = perAccount(() => ({ id: ++made }));
    expect(forAccount('1')).toBe(forAccount('1'));
    expect(forAccount(undefined)).not.toBe(forAccount('1'));
    expect(made).toBe(2);
  });
});
