/**
 * Conformance of the simulated AWS with the official definitions: every field the simulation puts in
 * a response must be a member of that operation's output shape in the AWS SDK's own model (the
 * schemas `@aws-sdk/client-backup` and `@aws-sdk/client-rds` are generated from), and enum fields
 * must hold one of the model's values. The SDK's deserializer drops unknown fields silently, so a
 * field the simulation invents (or misspells) would otherwise pass every adapter test unnoticed.
 * Checked on the raw wire body, before the SDK reads it, over the example world.
 */
import { readFileSync } from 'node:fs';
import * as Backup from '@aws-sdk/client-backup';
import * as Rds from '@aws-sdk/client-rds';
import type { HttpRequest, HttpResponse } from '@smithy/protocol-http';
import { describe, expect, it } from 'vitest';
import { AwsBackupRestoreService } from '#functions/adapters/aws-backup-restore.ts';
import { readPlans } from '#shared/domain/plan-file.ts';
import { createSimulatedAwsHandler } from '#sim/aws/request-handler.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

/** A structure schema of the SDK model: `[3, namespace, name, traits, memberNames, memberSchemas]`. */
type Struct = readonly [number, string, string, unknown, readonly string[], readonly unknown[]];
const members = (schema: unknown): readonly string[] => (schema as Struct)[4];

function recordingCloud() {
  const cloud = new SimulatedCloud(
    parseWorld('examples/world.yaml', readFileSync('examples/world.yaml', 'utf8')),
  );
  /** Raw bodies the simulation answered, in order. */
  const wire: { readonly body: string }[] = [];
  const inner = createSimulatedAwsHandler(cloud);
  const requestHandler = {
    ...inner,
    async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
      const { response } = await inner.handle(request);
      const body = Buffer.from(response.body as Uint8Array).toString('utf8');
      wire.push({ body });
      response.body = Buffer.from(body, 'utf8');
      return { response };
    },
  };
  const config = (region: string) => ({
    region,
    requestHandler,
    credentials: { accessKeyId: 'SIMULATED', secretAccessKey: 'SIMULATED' },
    maxAttempts: 1,
  });
  return { cloud, wire, config };
}

/** The keys of `item` that are not members of `shape`. */
const unknownKeys = (item: Record<string, unknown>, shape: unknown) =>
  Object.keys(item).filter((k) => !members(shape).includes(k));

describe('simulated AWS Backup answers in the SDK model shapes', () => {
  it('ListRecoveryPointsByBackupVault items are RecoveryPointByBackupVault members, with model statuses', async () => {
    const { wire, config } = recordingCloud();
    const client = new Backup.BackupClient(config('eu-central-1'));
    await client.send(new Backup.ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'dr-vault' }));
    const body = JSON.parse(wire.at(-1)!.body) as { RecoveryPoints: Record<string, unknown>[] };
    expect(body.RecoveryPoints.length).toBeGreaterThan(0);
    for (const point of body.RecoveryPoints) {
      expect(unknownKeys(point, Backup.RecoveryPointByBackupVault$)).toEqual([]);
      expect(Object.values(Backup.RecoveryPointStatus)).toContain(point['Status']);
    }
    expect(unknownKeys(body, Backup.ListRecoveryPointsByBackupVaultOutput$)).toEqual([]);
  });

  it('GetRecoveryPointRestoreMetadata, StartRestoreJob and DescribeRestoreJob answer their output members', async () => {
    const { cloud, wire, config } = recordingCloud();
    const plan = readPlans([
      { file: 'case-management.yaml', text: readFileSync('examples/plans/case-management.yaml', 'utf8') },
    ])[0]!.plan;
    const db = plan.resources.find((r) => r.name === 'case-db')!;
    const point =
      'arn:aws:rds:eu-central-1:111122223333:snapshot:awsbackup:copyjob-8d4f0a1e-2c7b-4e95-b3a6-0e9d8c7b6a52';
    const service = new AwsBackupRestoreService({
      clientFor: (r) => new Backup.BackupClient(config(r)),
      retry: { retries: 0, minTimeoutMs: 1 },
    });

    const { jobId } = await service.start({ resource: db, recoveryPointId: point, idempotencyToken: 't' });
    const [metadata, started] = wire.slice(-2).map((w) => JSON.parse(w.body) as Record<string, unknown>);
    expect(unknownKeys(metadata!, Backup.GetRecoveryPointRestoreMetadataOutput$)).toEqual([]);
    expect(Object.values(metadata!['RestoreMetadata'] as object).every((v) => typeof v === 'string')).toBe(
      true,
    );
    expect(unknownKeys(started!, Backup.StartRestoreJobOutput$)).toEqual([]);

    for (const seconds of [0, 60, 600]) {
      cloud.clock.advance(seconds);
      await service.describe(db, jobId);
      const job = JSON.parse(wire.at(-1)!.body) as Record<string, unknown>;
      expect(unknownKeys(job, Backup.DescribeRestoreJobOutput$)).toEqual([]);
      expect(Object.values(Backup.RestoreJobStatus)).toContain(job['Status']);
      expect(typeof job['CreationDate']).toBe('number');
    }
  });
});

describe('simulated RDS answers in the SDK model shapes', () => {
  /** The element names directly inside each `<tag>` element of an XML body. */
  function childNames(xml: string, tag: string): string[][] {
    const blocks = [...xml.matchAll(new RegExp(`<${tag}>(.*?)</${tag}>`, 'gs'))].map((m) => m[1]!);
    return blocks.map((block) => {
      const names: string[] = [];
      let depth = 0;
      for (const m of block.matchAll(/<(\/?)([A-Za-z]+)[^>]*?(\/?)>/g)) {
        if (m[1] === '/') depth -= 1;
        else {
          if (depth === 0) names.push(m[2]!);
          if (m[3] !== '/') depth += 1;
        }
      }
      return names;
    });
  }

  it('DBCluster and DBInstance elements are members of the model shapes', async () => {
    const cluster = 'arn:aws:rds:eu-central-1:444455556666:cluster:payments-aurora-dr';
    const world = recordingCloud();
    world.cloud.world.aws.dbClusters.push({
      DBClusterIdentifier: 'payments-aurora-dr',
      DBClusterArn: cluster,
      Engine: 'aurora-postgresql',
      Status: 'available',
    });
    const rds = new Rds.RDSClient(world.config('eu-central-1'));
    await rds.send(
      new Rds.CreateDBInstanceCommand({
        DBInstanceIdentifier: 'payments-aurora-dr-1',
        DBClusterIdentifier: 'payments-aurora-dr',
        DBInstanceClass: 'db.r6g.large',
        Engine: 'aurora-postgresql',
      }),
    );
    await rds.send(new Rds.DescribeDBClustersCommand({ DBClusterIdentifier: 'payments-aurora-dr' }));
    await rds.send(
      new Rds.DescribeDBInstancesCommand({
        Filters: [{ Name: 'db-cluster-id', Values: ['payments-aurora-dr'] }],
      }),
    );
    const [created, clusters, instances] = world.wire.slice(-3).map((w) => w.body);
    for (const names of [...childNames(created!, 'DBInstance'), ...childNames(instances!, 'DBInstance')])
      expect(names.filter((n) => !members(Rds.DBInstance$).includes(n))).toEqual([]);
    const clusterElements = childNames(clusters!, 'DBCluster');
    expect(clusterElements).toHaveLength(1);
    expect(clusterElements[0]!.filter((n) => !members(Rds.DBCluster$).includes(n))).toEqual([]);
    expect(
      childNames(clusters!, 'DBClusterMember')[0]!.filter((n) => !members(Rds.DBClusterMember$).includes(n)),
    ).toEqual([]);
  });
});
