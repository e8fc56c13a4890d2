import { describe, expect, it } from 'vitest';
import { auditFoundProblem, recoveryLocation, resourceKey, runAudit } from '#shared/application/run-audit.ts';
import type { FreshnessStatus } from '#shared/domain/freshness.ts';
import { PointState, type RecoveryPoint, type ResourceObservation } from '#shared/domain/recovery-point.ts';
import { Immutability, type VaultProtection } from '#shared/domain/vault-protection.ts';
import type { BackupInventory, InventoryRequest } from '#shared/ports/backup-inventory.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import {
  awsPlanDoc,
  awsResource,
  azurePlanDoc,
  ids,
  loadPlan,
  loadPlans,
  withPlan,
} from '../../support/plans.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

/** An in-memory inventory: answers from a table by resource key and records every call. */
class FakeInventory implements BackupInventory {
  readonly calls: (readonly InventoryRequest[])[] = [];
  constructor(private readonly answers: Record<string, ResourceObservation>) {}
  async observe(requests: readonly InventoryRequest[]): Promise<ReadonlyMap<string, ResourceObservation>> {
    this.calls.push(requests);
    return new Map(
      requests.filter((r) => this.answers[r.key]).map((r) => [r.key, this.answers[r.key]!] as const),
    );
  }
}

/** A clock that counts how often it is read, to prove the audit takes the time once. */
class CountingClock extends ManualClock {
  reads = 0;
  override now(): Date {
    this.reads += 1;
    return super.now();
  }
}

const awsPoint = (ageSeconds: number): RecoveryPoint => ({
  id: `rp-${ageSeconds}`,
  location: { kind: 'aws-vault', vaultArn: ids.vault },
  state: PointState.Completed,
  providerStatus: 'COMPLETED',
  createdAt: ago(ageSeconds),
  isCopy: false,
});
const azurePoint = (ageSeconds: number): RecoveryPoint => ({
  ...awsPoint(ageSeconds),
  location: { kind: 'azure-region', region: 'North Europe' },
  providerStatus: 'Completed',
});
const seen = (...points: RecoveryPoint[]): ResourceObservation => ({ ok: true, points, jobs: [] });

// case-management: case-db (rpo 5m), case-api (rpo 15m); evidence-portal: evidence-files (rpo 1h, Azure).
const plans = loadPlans(awsPlanDoc(), azurePlanDoc());

describe('runAudit', () => {
  it('asks the inventory once, for every resource of every plan', async () => {
    const inventory = new FakeInventory({});
    await runAudit(plans, { inventory, clock: new ManualClock(NOW) });
    expect(inventory.calls).toHaveLength(1);
    expect(inventory.calls[0]).toEqual([
      {
        key: 'case-management/case-db',
        source: plans[0]!.resources[0]!.source,
        recoveryRegion: 'eu-central-1',
        jobsSince: ago(2 * 300),
      },
      {
        key: 'case-management/case-api',
        source: plans[0]!.resources[1]!.source,
        recoveryRegion: 'eu-central-1',
        jobsSince: ago(2 * 900),
      },
      {
        key: 'evidence-portal/evidence-files',
        source: plans[1]!.resources[0]!.source,
        recoveryRegion: 'northeurope',
        jobsSince: ago(2 * 3600),
      },
    ]);
  });

  it('judges every resource against the same now, even when the inventory is slow', async () => {
    const clock = new CountingClock(NOW);
    const inventory: BackupInventory = {
      async observe(requests) {
        clock.advance(120); // time passes while the provider is read
        return new Map(requests.map((r) => [r.key, seen(awsPoint(200), azurePoint(200))] as const));
      },
    };
    const report = await runAudit(plans, { inventory, clock });
    expect(clock.reads).toBe(1);
    expect(report.generatedAt).toBe('2026-11-21T12:00:00.000Z');
    expect(report.apps.flatMap((a) => a.freshness.map((f) => f.ageSeconds))).toEqual([200, 200, 200]);
  });

  it('evaluates each resource with its own rpo, the plan warnAt and the recovery location', async () => {
    const inventory = new FakeInventory({
      'case-management/case-db': seen(awsPoint(260)), // 260 s of a 5m rpo: warning
      'case-management/case-api': seen(awsPoint(260)), // 260 s of a 15m rpo: ok
      'evidence-portal/evidence-files': seen(azurePoint(4000)), // older than 1h: breach
    });
    const report = await runAudit(plans, { inventory, clock: new ManualClock(NOW) });
    expect(
      report.apps.map((a) => [a.name, a.freshness.map((f) => [f.resource, f.status, f.rpoSeconds])]),
    ).toEqual([
      [
        'case-management',
        [
          ['case-db', 'warning', 300],
          ['case-api', 'ok', 900],
        ],
      ],
      ['evidence-portal', [['evidence-files', 'breach', 3600]]],
    ]);
    expect(report.summary).toEqual({ ok: 1, warning: 1, breach: 1, missing: 0, unknown: 0 });
  });

  it('uses the plan warnAt', async () => {
    const [strictPlan] = loadPlans(withPlan(awsPlanDoc(), (d) => Object.assign(d.spec, { warnAt: 0.5 })));
    const inventory = new FakeInventory({ 'case-management/case-api': seen(awsPoint(500)) });
    const report = await runAudit([strictPlan!], { inventory, clock: new ManualClock(NOW) });
    expect(report.apps[0]?.freshness[1]?.status).toBe('warning'); // 500 s > 0.5 × 900 s
  });

  it('counts a resource the inventory left out as unknown, never as fresh', async () => {
    const inventory = new FakeInventory({ 'case-management/case-db': seen(awsPoint(10)) });
    const report = await runAudit(plans, { inventory, clock: new ManualClock(NOW) });
    const api = report.apps[0]?.freshness[1];
    expect(api).toMatchObject({ resource: 'case-api', status: 'unknown', alert: true });
    expect(api?.reason).toContain('the inventory returned nothing for it');
    expect(report.summary).toEqual({ ok: 1, warning: 0, breach: 0, missing: 0, unknown: 2 });
  });

  it('summarises every status, missing and unknown included', async () => {
    const [plan] = loadPlans(
      withPlan(awsPlanDoc(), (d) => {
        d.spec['resources'] = ['a', 'b', 'c', 'd', 'e'].map((n) => awsResource(n));
      }),
    );
    const inventory = new FakeInventory({
      [resourceKey('case-management', 'a')]: seen(awsPoint(60)),
      [resourceKey('case-management', 'b')]: seen(awsPoint(800)),
      [resourceKey('case-management', 'c')]: seen(awsPoint(901)),
      [resourceKey('case-management', 'd')]: seen(),
      [resourceKey('case-management', 'e')]: { ok: false, error: 'ThrottlingException' },
    });
    const report = await runAudit([plan!], { inventory, clock: new ManualClock(NOW) });
    expect(report.summary).toEqual({ ok: 1, warning: 1, breach: 1, missing: 1, unknown: 1 });
  });

  it('reports an empty plan set as an empty audit', async () => {
    const inventory = new FakeInventory({});
    const report = await runAudit([], { inventory, clock: new ManualClock(NOW) });
    expect(report).toEqual({
      generatedAt: NOW.toISOString(),
      apps: [],
      summary: { ok: 0, warning: 0, breach: 0, missing: 0, unknown: 0 },
    });
  });
});

describe('recoveryLocation', () => {
  it('is the plan vault for AWS Backup and the recovery region for Azure', () => {
    expect(recoveryLocation(plans[0]!, plans[0]!.resources[0]!)).toEqual({
      kind: 'aws-vault',
      vaultArn: ids.vault,
    });
    expect(recoveryLocation(plans[1]!, plans[1]!.resources[0]!)).toEqual({
      kind: 'azure-region',
      region: 'northeurope',
    });
  });
});

describe('auditFoundProblem', () => {
  const report = (counts: Partial<Record<FreshnessStatus, number>>) => ({
    generatedAt: NOW.toISOString(),
    apps: [],
    summary: { ok: 0, warning: 0, breach: 0, missing: 0, unknown: 0, ...counts },
  });
  it.each([
    { counts: { ok: 3 }, strict: false, problem: false },
    { counts: { ok: 3 }, strict: true, problem: false },
    { counts: { ok: 2, warning: 1 }, strict: false, problem: false },
    { counts: { ok: 2, warning: 1 }, strict: true, problem: true },
    { counts: { breach: 1 }, strict: false, problem: true },
    { counts: { missing: 1 }, strict: false, problem: true },
    { counts: { unknown: 1 }, strict: false, problem: true },
    { counts: {}, strict: true, problem: false },
  ])('is $problem for $counts (strict: $strict)', ({ counts, strict, problem }) => {
    expect(auditFoundProblem(report(counts), strict)).toBe(problem);
  });
});

describe('runAudit, owners and vaults', () => {
  const rsvPlan = () =>
    loadPlan(
      withPlan(azurePlanDoc('vm-estate'), (d) => {
        d.spec.resources = [{ name: 'vm', azureRecoveryServices: { protectedItemId: ids.protectedItem } }];
      }),
    );
  const RSV_VAULT =
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.RecoveryServices/vaults/rsv';
  const protection = (vault: string): VaultProtection => ({
    vault,
    immutability: Immutability.Locked,
    minRetentionDays: null,
    softDelete: 'always-on',
    detail: `read ${vault}`,
  });

  it('counts a Recovery Services resource’s points in the plan’s recovery region', async () => {
    const plan = rsvPlan();
    expect(recoveryLocation(plan, plan.resources[0]!)).toEqual({
      kind: 'azure-region',
      region: 'northeurope',
    });
    const report = await runAudit([plan], {
      inventory: new FakeInventory({ 'vm-estate/vm': seen(azurePoint(600)) }),
      clock: new ManualClock(NOW),
    });
    expect(report.apps[0]!.freshness[0]).toMatchObject({ resource: 'vm', status: 'ok', ageSeconds: 600 });
  });

  it('names the owner of a plan that has one, and no owner otherwise', async () => {
    const report = await runAudit(plans, { inventory: new FakeInventory({}), clock: new ManualClock(NOW) });
    expect(report.apps.map((a) => [a.name, a.owner])).toEqual([
      ['case-management', 'platform-team'],
      ['evidence-portal', undefined],
    ]);
    expect(report.apps[1]).not.toHaveProperty('owner');
  });

  it('asks once about every recovery vault of the plan set, and gives each app its own vaults', async () => {
    const asked: string[][] = [];
    const inventory = new FakeInventory({});
    const withProtection: BackupInventory = {
      observe: (requests) => inventory.observe(requests),
      protection: async (vaults) => {
        asked.push([...vaults]);
        return vaults.map(protection);
      },
    };
    const all = [...plans, rsvPlan()];
    const report = await runAudit(all, { inventory: withProtection, clock: new ManualClock(NOW) });
    const dataProtectionVault = ids.backupInstance.replace(/\/backupInstances\/case-files$/, '');
    expect(asked).toEqual([[ids.vault, dataProtectionVault, RSV_VAULT]]);
    expect(report.apps.map((a) => a.vaults?.map((v) => v.vault))).toEqual([
      [ids.vault],
      [dataProtectionVault],
      [RSV_VAULT],
    ]);
  });

  it('reports no vaults when the inventory cannot read protection', async () => {
    const report = await runAudit(plans, { inventory: new FakeInventory({}), clock: new ManualClock(NOW) });
    expect(report.apps.map((a) => 'vaults' in a)).toEqual([false, false]);
  });
});
