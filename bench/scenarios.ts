/**
 * The in-process audit scenarios. Each run gets a fresh simulated cloud (its own call counts and rate-limit
 * window) over a world built once, and drives the real adapters through the real SDK clients.
 */
import { performance } from 'node:perf_hooks';
import { BackupClient, ListRecoveryPointsByResourceCommand } from '@aws-sdk/client-backup';
import { AwsBackupInventory } from '#functions/adapters/aws-backup-inventory.ts';
import { AwsCallPolicy } from '#functions/adapters/aws-retry.ts';
import { CompositeInventory } from '#shared/application/composite-inventory.ts';
import { runAudit } from '#shared/application/run-audit.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { InventoryRequest } from '#shared/ports/backup-inventory.ts';
import { createSimulatedAwsClientConfig } from '#sim/aws/request-handler.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import type { World } from '#sim/world.ts';
import { type BenchResource, RECOVERY_REGION } from './fixtures.ts';

/** What one run measured. */
export interface Sample {
  readonly wallMs: number;
  /** API calls the simulated cloud served, throttled ones included. */
  readonly calls: number;
  readonly callsByApi: Readonly<Record<string, number>>;
  /** Recovery points read per resource key (listing scenarios), to check both strategies agree. */
  readonly pointsByResource?: ReadonlyMap<string, number>;
}

/** The Backup client of each region, cached, against `cloud`. */
function backupClients(cloud: SimulatedCloud): (region: string) => BackupClient {
  const clients = new Map<string, BackupClient>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = new BackupClient(createSimulatedAwsClientConfig(cloud, region));
      clients.set(region, client);
    }
    return client;
  };
}

type Extra = Omit<Sample, 'wallMs' | 'calls' | 'callsByApi'>;

async function measure(
  world: World,
  work: (cloud: SimulatedCloud) => Promise<Extra | undefined>,
): Promise<Sample> {
  // A copy per run: a failover writes restore jobs and records into its world.
  const cloud = new SimulatedCloud(structuredClone(world));
  const began = performance.now();
  const extra = await work(cloud);
  const wallMs = performance.now() - began;
  const callsByApi = cloud.stats();
  const calls = Object.values(callsByApi).reduce((a, b) => a + b, 0);
  return { wallMs, calls, callsByApi, ...extra };
}

const requestsOf = (resources: readonly BenchResource[], since: Date): InventoryRequest[] =>
  resources.map((r) => ({
    key: r.name,
    source: { kind: 'aws-backup', resourceArn: r.resourceArn, vaultArn: r.vaultArn },
    recoveryRegion: RECOVERY_REGION,
    jobsSince: since,
  }));

/** The adapter's strategy: one paginated vault-wide listing per vault, shared by its resources. */
export function vaultWideListing(world: World, resources: readonly BenchResource[]): Promise<Sample> {
  return measure(world, async (cloud) => {
    const inventory = new AwsBackupInventory({ clientFor: backupClients(cloud) });
    const since = new Date(cloud.clock.now().getTime() - 86_400_000);
    const observed = await inventory.observe(requestsOf(resources, since));
    const counts = new Map<string, number>();
    for (const [key, o] of observed) {
      if (!o.ok) throw new Error(`vault-wide listing could not read ${key}: ${o.error}`);
      counts.set(key, o.points.length);
    }
    return { pointsByResource: counts };
  });
}

/**
 * The baseline: one paginated ListRecoveryPointsByResource per resource, in the recovery region,
 * under the same client-side pacing (20 calls/s per region) and retries as the adapter.
 */
export function perResourceListing(world: World, resources: readonly BenchResource[]): Promise<Sample> {
  return measure(world, async (cloud) => {
    const client = backupClients(cloud)(RECOVERY_REGION);
    const policy = new AwsCallPolicy({
      maxCallsPerSecond: 20,
      maxAttempts: 5,
      baseDelayMs: 200,
      maxDelayMs: 5_000,
    });
    const counts = new Map<string, number>();
    await Promise.all(
      resources.map(async (r) => {
        let points = 0;
        let token: string | undefined;
        do {
          const current = token;
          const page = await policy.run(RECOVERY_REGION, 'backup:ListRecoveryPointsByResource', () =>
            client.send(
              new ListRecoveryPointsByResourceCommand({
                ResourceArn: r.resourceArn,
                MaxResults: 1000,
                ...(current ? { NextToken: current } : {}),
              }),
            ),
          );
          points += (page.RecoveryPoints ?? []).filter(
            (p) => p.BackupVaultName === r.vaultArn.split(':').pop(),
          ).length;
          token = page.NextToken || undefined;
        } while (token);
        counts.set(r.name, points);
      }),
    );
    return { pointsByResource: counts };
  });
}

/** `runAudit` over `plans` with the composite inventory, as the audit Lambda and the CLI run it. */
export function audit(world: World, plans: readonly RecoveryPlan[]): Promise<Sample> {
  return measure(world, async (cloud) => {
    const inventory = new CompositeInventory({
      'aws-backup': new AwsBackupInventory({ clientFor: backupClients(cloud) }),
    });
    const report = await runAudit(plans, { inventory, clock: cloud.clock });
    const notOk = report.summary.breach + report.summary.missing + report.summary.unknown;
    if (notOk > 0)
      throw new Error(`the audit found ${notOk} resource(s) not ok: ${JSON.stringify(report.summary)}`);
    return undefined;
  });
}
