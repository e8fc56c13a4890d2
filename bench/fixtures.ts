/**
 * Worlds and plans of any size for the benchmarks, built in code: an AWS account with V disaster-
 * recovery vaults in eu-central-1, each holding the copies of R RDS databases of eu-west-1, P recovery
 * points each (one an hour, the newest 10 minutes old), and plans over those databases. Records have
 * the shapes of the real ListRecoveryPointsByBackupVault items; plans go through the real plan loader.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { readPlans } from '#shared/domain/plan-file.ts';
import { parseWorld, type World } from '#sim/world.ts';

export const ACCOUNT = '111122223333';
export const RECOVERY_REGION = 'eu-central-1';
export const CLOCK = '2026-11-21T12:00:00Z';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/standby-restore`;
const ZONE = 'Z0123456789ABC';
const PROBE_URL = 'https://bench.dr.example.com/health';

/** Per-API quotas and latencies as AWS Backup's documented defaults (20 List* calls/s, 5 starts/s). */
export const REALISTIC_LIMITS = {
  'backup:ListRecoveryPointsByBackupVault': { tps: 20, latencyMs: 40 },
  'backup:ListRecoveryPointsByResource': { tps: 20, latencyMs: 40 },
  'backup:ListBackupJobs': { tps: 20, latencyMs: 40 },
  'backup:ListCopyJobs': { tps: 20, latencyMs: 40 },
  'backup:StartRestoreJob': { tps: 5, latencyMs: 60 },
  'backup:DescribeRestoreJob': { latencyMs: 40 },
  'route53:ListResourceRecordSets': { latencyMs: 40 },
  'route53:ChangeResourceRecordSets': { latencyMs: 60 },
} as const;

/** The shape of an account: vaults, planned resources per vault, points per resource. */
export interface AccountShape {
  readonly vaults: number;
  readonly resourcesPerVault: number;
  readonly pointsPerResource: number;
}

/** One planned resource: the database and the vault its copies are in. */
export interface BenchResource {
  readonly name: string;
  readonly resourceArn: string;
  readonly vaultArn: string;
}

export const vaultArn = (v: number): string =>
  `arn:aws:backup:${RECOVERY_REGION}:${ACCOUNT}:backup-vault:dr-vault-${v}`;

/** Every planned resource of the account, vault by vault. */
export function resourcesOf(shape: AccountShape): BenchResource[] {
  return Array.from({ length: shape.vaults * shape.resourcesPerVault }, (_, i) => {
    const v = Math.floor(i / shape.resourcesPerVault);
    const name = `db-${v}-${i % shape.resourcesPerVault}`;
    return { name, resourceArn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:${name}`, vaultArn: vaultArn(v) };
  });
}

/** The world of an account of `shape`, with Route 53 weighted records and a healthy probe for failovers. */
export function benchWorld(shape: AccountShape, limits: World['limits'] = REALISTIC_LIMITS): World {
  const epoch = Date.parse(CLOCK) / 1000;
  const recoveryPoints = resourcesOf(shape).flatMap((r) =>
    Array.from({ length: shape.pointsPerResource }, (_, p) => ({
      RecoveryPointArn: `arn:aws:backup:${RECOVERY_REGION}:${ACCOUNT}:recovery-point:${r.name}-${p}`,
      BackupVaultArn: r.vaultArn,
      BackupVaultName: r.vaultArn.split(':').pop(),
      ResourceArn: r.resourceArn,
      ResourceType: 'RDS',
      Status: 'COMPLETED',
      CreationDate: epoch - 600 - p * 3600,
    })),
  );
  const weighted = (id: string, weight: number, target: string) => ({
    Name: 'bench.example.com.',
    Type: 'CNAME',
    SetIdentifier: id,
    Weight: weight,
    TTL: 60,
    ResourceRecords: [{ Value: target }],
  });
  return parseWorld(
    'bench-world.json',
    JSON.stringify({
      clock: CLOCK,
      aws: {
        recoveryPoints,
        route53: {
          hostedZones: [{ Id: `/hostedzone/${ZONE}`, Name: 'example.com.' }],
          resourceRecordSets: [
            weighted('primary', 100, 'bench.eu-west-1.example.com'),
            weighted('recovery', 0, 'bench.eu-central-1.example.com'),
          ],
        },
        restore: { durationSeconds: 600, fail: [] },
      },
      http: { [PROBE_URL]: { status: 200 } },
      limits,
    }),
  );
}

/** The CloudWatch alarm that triggers plan number `n`. */
export const alarmArn = (n: number): string =>
  `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:bench-${n}-health`;

/** How plans are cut from the resources. */
export interface PlanOptions {
  /** Resources per plan. */
  readonly perPlan: number;
  /** The resources (by position in its plan) that the resource at `index` of a plan waits for. */
  readonly dependsOn?: (index: number) => readonly number[];
}

/**
 * Plans over `resources`, `perPlan` resources each, AWS to AWS with automatic failover on its own
 * alarm (`alarmArn(n)`), weighted Route 53 routing and one health probe; loaded by the real loader,
 * so they are checked plans.
 */
export function benchPlans(resources: readonly BenchResource[], options: PlanOptions): RecoveryPlan[] {
  const docs = [];
  for (let i = 0; i < resources.length; i += options.perPlan) {
    const n: number = docs.length;
    const members = resources.slice(i, i + options.perPlan);
    docs.push({
      apiVersion: 'standby/v1',
      kind: 'RecoveryPlan',
      metadata: { name: `bench-${n}` },
      spec: {
        objectives: { rpo: '1h', rto: '4h' },
        primary: { cloud: 'aws', region: 'eu-west-1' },
        recovery: { cloud: 'aws', region: RECOVERY_REGION },
        triggers: [{ awsAlarm: alarmArn(n) }],
        failover: { mode: 'automatic' },
        resources: members.map((r, index) => {
          const waits = (options.dependsOn?.(index) ?? []).flatMap((d) => members[d]?.name ?? []);
          return {
            name: r.name,
            ...(waits.length > 0 ? { dependsOn: waits } : {}),
            awsBackup: {
              resourceArn: r.resourceArn,
              vaultArn: r.vaultArn,
              restore: {
                iamRoleArn: ROLE,
                metadata: { DBInstanceIdentifier: `${r.name}-dr`, DBSubnetGroupName: 'bench-dr-private' },
              },
            },
          };
        }),
        validate: [{ http: { url: PROBE_URL } }],
        routing: {
          route53: {
            hostedZoneId: ZONE,
            recordName: 'bench.example.com.',
            recordType: 'CNAME',
            strategy: 'weighted',
            primarySetIdentifier: 'primary',
            recoverySetIdentifier: 'recovery',
          },
        },
      },
    });
  }
  const text = docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
  return readPlans([{ file: 'bench-plans.yaml', text }]).map((l) => l.plan);
}

const alarmTemplate = JSON.parse(
  readFileSync(new URL('../examples/events/case-api-health-alarm.json', import.meta.url), 'utf8'),
) as Record<string, unknown> & { detail: Record<string, unknown> };

/** The EventBridge "CloudWatch Alarm State Change" to ALARM of plan `n`'s alarm, as AWS delivers it. */
export function alarmEvent(n: number, at: Date): unknown {
  const time = at.toISOString();
  return {
    ...alarmTemplate,
    id: randomUUID(),
    time: time.replace(/\.\d{3}Z$/, 'Z'),
    resources: [alarmArn(n)],
    detail: {
      ...alarmTemplate.detail,
      alarmName: `bench-${n}-health`,
      state: {
        ...(alarmTemplate.detail['state'] as object),
        timestamp: time.replace('Z', '+0000'),
      },
    },
  };
}
