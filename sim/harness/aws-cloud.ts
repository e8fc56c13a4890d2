/**
 * The real AWS adapters (`AwsBackupRestoreService`, `Route53TrafficSwitch`) on the simulated cloud of
 * `sim/`, for every 10th seed: the engine's effects then go through the SDK clients, the adapters'
 * retry policies and the simulated services' request handling. Faults are injected inside the
 * simulated services (before or after the handler acted), so the adapters' own retries meet them:
 * a throttled StartRestoreJob is retried with the same idempotency token; a Route 53 change that
 * applied and answered 500 is not retried, and the engine has to make sense of it.
 *
 * Retry timers: the adapters back off on real timers (p-retry, Bottleneck). They are built here with
 * 1 ms backoff and no start pacing, and every adapter call is tracked by the scheduler, so a step
 * waits for the call's retries to finish: the jitter changes how long a step takes in real time,
 * never the order of anything in the world.
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { Route53Client } from '@aws-sdk/client-route-53';
import { AwsBackupRestoreService } from '#functions/adapters/aws-backup-restore.ts';
import { Route53TrafficSwitch } from '#functions/adapters/route53-traffic-switch.ts';
import type { HttpProbe } from '#shared/domain/plan.ts';
import type { ProbeResult, Prober } from '#shared/ports/recovery-actions.ts';
import { createSimulatedAwsClientConfig } from '../aws/request-handler.ts';
import { parseWorld } from '../world.ts';
import { FaultyCloud } from './faulty-cloud.ts';
import type { CloudTruth, TruthJob, TruthRouting } from './truth.ts';
import { HOSTED_ZONE, recoveryPointOf, resourceArn, VAULT } from './workload.ts';
import type { CloudFactory } from './world.ts';

/** The AWS adapters on a faulty simulated cloud, with the cloud's records as ground truth. */
export const awsAdapterCloud: CloudFactory = ({ clock, random, workload, dial }) => {
  const durationSeconds = random.between(60, 900);
  const resources = new Map<string, { app: string; name: string }>();
  for (const v of workload.versions)
    for (const p of v.plans)
      for (const r of p.resources) resources.set(resourceArn(p.name, r.name), { app: p.name, name: r.name });
  const failing = [...resources.keys()].filter(() => random.chance(0.1));
  const world = parseWorld(
    'sim-harness-world.json',
    JSON.stringify({
      clock: clock.now().toISOString(),
      aws: {
        recoveryPoints: [...resources.entries()].map(([arn, r]) => ({
          RecoveryPointArn: recoveryPointOf('aws', r.app, r.name),
          BackupVaultArn: VAULT,
          BackupVaultName: 'dr-vault',
          ResourceArn: arn,
          ResourceType: 'RDS',
          Status: 'COMPLETED',
          CreationDate: '-2m',
        })),
        route53: {
          hostedZones: [{ Id: HOSTED_ZONE, Name: 'example.com.' }],
          resourceRecordSets: workload.apps
            .filter((a) => a.routing)
            .flatMap((a) =>
              (['primary', 'recovery'] as const).map((site) => ({
                Name: `${a.name}.example.com.`,
                Type: 'CNAME',
                SetIdentifier: site,
                Weight: site === 'primary' ? 100 : 0,
                TTL: 60,
                ResourceRecords: [{ Value: `${site}.${a.name}.example.net` }],
              })),
            ),
        },
        restore: { durationSeconds, fail: failing },
      },
    }),
  );
  const cloud = new FaultyCloud(world, clock, random.fork('api-faults'), () => dial().effect);
  const backup = new Map<string, BackupClient>();
  const clientFor = (region: string) => {
    const client = backup.get(region) ?? new BackupClient(createSimulatedAwsClientConfig(cloud, region));
    backup.set(region, client);
    return client;
  };
  const restores = new AwsBackupRestoreService({
    clientFor,
    startsPerSecond: 1_000_000,
    retry: { retries: 3, minTimeoutMs: 1 },
  });
  const traffic = new Route53TrafficSwitch({
    route53: new Route53Client(createSimulatedAwsClientConfig(cloud, 'us-east-1')),
    retry: { retries: 3, minTimeoutMs: 1 },
  });
  const probes: { url: string; ok: boolean }[] = [];
  const prober: Prober = {
    probe: async (probe: HttpProbe): Promise<ProbeResult> => {
      probes.push({ url: probe.url, ok: true });
      return { ok: true, detail: `GET ${probe.url} → 200` };
    },
  };
  const truth: CloudTruth = {
    probes,
    deletes: () => [],
    jobs: () =>
      world.aws.restoreJobs.map((j): TruthJob => {
        const source = resources.get(String(j.SourceResourceArn));
        const created = Number(j.CreationDate) * 1000;
        return {
          id: String(j.RestoreJobId),
          token: String(j.IdempotencyToken ?? ''),
          app: source?.app ?? '?',
          resource: source?.name ?? '?',
          startedAt: created,
          endsAt: created + durationSeconds * 1000,
          outcome: failing.includes(String(j.SourceResourceArn)) ? 'failed' : 'succeeded',
          target: String((j.Metadata as Record<string, unknown> | undefined)?.DBInstanceIdentifier ?? ''),
        };
      }),
    routing: (app: string): TruthRouting => {
      const records = world.aws.route53.resourceRecordSets.filter((r) => r.Name === `${app}.example.com.`);
      if (records.length === 0) return 'absent';
      const on = (site: string) => records.some((r) => r.SetIdentifier === site && Number(r.Weight) > 0);
      const [p, r] = [on('primary'), on('recovery')];
      return p && r ? 'both' : p ? 'primary' : r ? 'recovery' : 'none';
    },
  };
  return { truth, restores, prober, traffic };
};
