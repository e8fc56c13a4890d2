import { describe, expect, it } from 'vitest';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { buildStatus } from '#shared/application/status.ts';
import { readPlans } from '#shared/domain/plan-file.ts';
import type { ResourceObservation } from '#shared/domain/recovery-point.ts';
import type { BackupInventory, InventoryRequest } from '#shared/ports/backup-inventory.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import type { ActiveSite, TrafficSwitch } from '#shared/ports/recovery-actions.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const VAULT = 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault';

const plan = (name: string, routing: string) => `apiVersion: standby/v1
kind: RecoveryPlan
metadata: { name: ${name} }
spec:
  objectives: { rpo: 15m, rto: 1h }
  primary: { cloud: aws, region: eu-west-1 }
  recovery: { cloud: aws, region: eu-central-1 }
  failover: { mode: manual }
  resources:
    - name: db
      awsBackup:
        resourceArn: arn:aws:rds:eu-west-1:111122223333:db:${name}
        vaultArn: ${VAULT}
${routing}`;

const ROUTING = `  routing:
    route53: { hostedZoneId: Z0123456789ABC, recordName: x.example.com., recordType: CNAME, strategy: weighted, primarySetIdentifier: p, recoverySetIdentifier: r }
`;

const plans = readPlans([
  { file: 'a.yaml', text: plan('routed', ROUTING) },
  { file: 'b.yaml', text: plan('unrouted', '') },
  { file: 'c.yaml', text: plan('unreadable', ROUTING) },
]).map((p) => p.plan);

/** Every resource has one completed point in the vault, `ageMinutes` old. */
class FakeInventory implements BackupInventory {
  constructor(private readonly ageMinutes: number) {}
  async observe(requests: readonly InventoryRequest[]): Promise<ReadonlyMap<string, ResourceObservation>> {
    return new Map(
      requests.map((r) => [
        r.key,
        {
          ok: true,
          jobs: [],
          points: [
            {
              id: `rp-${r.key}`,
              location: { kind: 'aws-vault', vaultArn: VAULT },
              state: 'completed',
              providerStatus: 'COMPLETED',
              createdAt: new Date(NOW.getTime() - this.ageMinutes * 60_000),
              isCopy: true,
            },
          ],
        } satisfies ResourceObservation,
      ]),
    );
  }
}

const traffic: TrafficSwitch = {
  activeSite: async (p): Promise<ActiveSite> => {
    if (p.name === 'unreadable') throw new Error('AccessDenied');
    return 'recovery';
  },
  switchTo: async () => {
    throw new Error('status never switches traffic');
  },
};

describe('buildStatus', () => {
  it('gives each app its freshness, no failover and no notifications, in plan order', async () => {
    const status = await buildStatus(plans, {
      inventory: new FakeInventory(20),
      clock: new ManualClock(NOW),
    });
    expect(status.generatedAt).toBe('2026-11-21T12:00:00.000Z');
    expect(
      status.apps.map((a) => [a.name, a.failover, a.notifications, a.freshness.map((f) => f.status)]),
    ).toEqual([
      ['routed', null, [], ['breach']],
      ['unrouted', null, [], ['breach']],
      ['unreadable', null, [], ['breach']],
    ]);
  });

  it.each([
    { traffic: undefined, sites: ['unknown', 'unknown', 'unknown'] },
    { traffic, sites: ['recovery', 'unknown', 'unknown'] },
  ])('reads the active site from the routing when it can, else says unknown', async ({ traffic, sites }) => {
    const status = await buildStatus(plans, {
      inventory: new FakeInventory(5),
      clock: new ManualClock(NOW),
      ...(traffic ? { traffic } : {}),
    });
    expect(status.apps.map((a) => a.activeSite)).toEqual(sites);
    expect(status.apps.every((a) => a.freshness[0]?.status === 'ok')).toBe(true);
  });

  it('says unknown, not primary, when the routing cannot be read and no state was ever stored', async () => {
    const store = new InMemoryStateStore();
    const status = await buildStatus(plans, {
      inventory: new FakeInventory(5),
      clock: new ManualClock(NOW),
      traffic,
      controller: { store },
    });
    expect(status.apps.map((a) => a.activeSite)).toEqual(['recovery', 'unknown', 'unknown']);
  });

  it('falls back to the site the controller last recorded when the routing cannot be read', async () => {
    const store = new InMemoryStateStore();
    await store.create(
      { partition: 'app#unreadable', sort: 'current' },
      { activeSite: 'recovery', failover: null, lastCompletedAt: null, fencingToken: 0 },
    );
    const status = await buildStatus(plans, {
      inventory: new FakeInventory(5),
      clock: new ManualClock(NOW),
      traffic,
      controller: { store },
    });
    expect(status.apps.map((a) => a.activeSite)).toEqual(['recovery', 'unknown', 'recovery']);
  });
});
