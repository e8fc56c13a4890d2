/**
 * How the adapter matches vault listings to planned resources (a map by resource ARN, fed page by
 * page), through the real SDK against the simulated AWS Backup.
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { describe, expect, it } from 'vitest';
import { AwsBackupInventory } from '#functions/adapters/aws-backup-inventory.ts';
import { evaluateFreshness } from '#shared/domain/freshness.ts';
import type { ResourceObservation } from '#shared/domain/recovery-point.ts';
import type { InventoryRequest } from '#shared/ports/backup-inventory.ts';
import { createSimulatedAwsClientConfig } from '#sim/aws/request-handler.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const ACCOUNT = '111122223333';
const clock = new Date('2026-11-21T12:00:00Z');
const vaultArn = (name: string) => `arn:aws:backup:eu-central-1:${ACCOUNT}:backup-vault:${name}`;
const db = (name: string) => `arn:aws:rds:eu-west-1:${ACCOUNT}:db:${name}`;
const table = (name: string) => `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/${name}`;

let serial = 0;
/** A point in `vault` of `resourceArn`, `ageMinutes` old; a deletion time when `deleteAt` is given. */
function point(vault: string, resourceArn: string, ageMinutes: number, deleteAt?: string) {
  serial += 1;
  return {
    RecoveryPointArn: `arn:aws:backup:eu-central-1:${ACCOUNT}:recovery-point:rp-${serial}`,
    BackupVaultName: vault,
    BackupVaultArn: vaultArn(vault),
    ResourceArn: resourceArn,
    ResourceType: 'RDS',
    Status: 'COMPLETED',
    CreationDate: `-${ageMinutes}m`,
    ...(deleteAt ? { CalculatedLifecycle: { DeleteAt: deleteAt } } : {}),
  };
}

function observe(points: readonly Record<string, unknown>[], requests: readonly InventoryRequest[]) {
  const cloud = new SimulatedCloud(
    parseWorld('world.json', JSON.stringify({ clock: clock.toISOString(), aws: { recoveryPoints: points } })),
  );
  const clients = new Map<string, BackupClient>();
  const inventory = new AwsBackupInventory({
    clientFor: (region) =>
      clients.get(region) ??
      clients.set(region, new BackupClient(createSimulatedAwsClientConfig(cloud, region))).get(region)!,
    maxCallsPerSecond: 1000,
  });
  return { cloud, result: inventory.observe(requests) };
}

const request = (key: string, resourceArn: string, vault = 'dr-vault'): InventoryRequest => ({
  key,
  source: { kind: 'aws-backup', resourceArn, vaultArn: vaultArn(vault) },
  recoveryRegion: 'eu-central-1',
  jobsSince: new Date(clock.getTime() - 3_600_000),
});

const okOf = (o: ResourceObservation | undefined) => {
  if (!o?.ok) throw new Error(`expected an ok observation, got ${JSON.stringify(o)}`);
  return o;
};
const ages = (o: ResourceObservation | undefined) =>
  okOf(o).points.map((p) => (clock.getTime() - p.createdAt.getTime()) / 60_000);

describe('AwsBackupInventory matching points to resources', () => {
  it('gives a resource with points in several vaults, planned once per vault, only the points of each vault', async () => {
    const { cloud, result } = observe(
      [
        point('dr-vault', db('case-db'), 5, '+30d'),
        point('second-vault', db('case-db'), 7, '+30d'),
        point('dr-vault', db('case-db'), 65, '+30d'),
        point('second-vault', db('ledger-db'), 9, '+30d'),
      ],
      [
        request('case/case-db', db('case-db')),
        request('archive/case-db', db('case-db'), 'second-vault'),
        request('archive/ledger-db', db('ledger-db'), 'second-vault'),
      ],
    );
    const observed = await result;

    expect(ages(observed.get('case/case-db'))).toEqual([5, 65]);
    expect(ages(observed.get('archive/case-db'))).toEqual([7]);
    expect(ages(observed.get('archive/ledger-db'))).toEqual([9]);
    expect(okOf(observed.get('archive/case-db')).points[0]!.location).toEqual({
      kind: 'aws-vault',
      vaultArn: vaultArn('second-vault'),
    });
    expect(cloud.stats()['backup:ListRecoveryPointsByBackupVault']).toBe(2);
  });

  it('answers two plans that protect the same resource in the same vault with the same points', async () => {
    const { result } = observe(
      [point('dr-vault', db('case-db'), 5, '+30d'), point('dr-vault', db('case-db'), 65, '+30d')],
      [request('case/case-db', db('case-db')), request('reporting/case-db', db('case-db'))],
    );
    const observed = await result;

    expect(ages(observed.get('case/case-db'))).toEqual([5, 65]);
    expect(okOf(observed.get('reporting/case-db')).points).toEqual(okOf(observed.get('case/case-db')).points);
  });

  it('tells apart DynamoDB tables whose names differ only in case, as DynamoDB does', async () => {
    const { result } = observe(
      [point('dr-vault', table('Orders'), 5, '+30d'), point('dr-vault', table('orders'), 500, '+30d')],
      [request('shop/Orders', table('Orders')), request('shop/orders', table('orders'))],
    );
    const observed = await result;

    expect(ages(observed.get('shop/Orders'))).toEqual([5]);
    expect(ages(observed.get('shop/orders'))).toEqual([500]);
  });

  it('matches the resource ARN exactly as AWS Backup reports it: an RDS ARN written in other case finds no point', async () => {
    // RDS keeps instance identifiers in lower case, so AWS Backup reports db:case-db; the plan must say so too.
    const { result } = observe(
      [point('dr-vault', db('case-db'), 5, '+30d'), point('dr-vault', db('other-db'), 5, '+30d')],
      [request('case/Case-DB', db('Case-DB')), request('case/other-db', db('other-db'))],
    );
    const observed = await result;

    expect(okOf(observed.get('case/Case-DB')).points).toEqual([]);
    expect(ages(observed.get('case/other-db'))).toEqual([5]);
  });

  it('keeps only the newest of points without a deletion time, with the verdict of all of them', async () => {
    const all = [70, 10, 130, 190].map((age) => point('dr-vault', db('case-db'), age));
    const { result } = observe(
      [...all, point('dr-vault', db('other-db'), 1)],
      [request('case/case-db', db('case-db')), request('case/other-db', db('other-db'))],
    );
    const observation = (await result).get('case/case-db');

    expect(ages(observation)).toEqual([10]);
    expect(
      evaluateFreshness({
        resource: 'case-db',
        rpoSeconds: 900,
        warnAt: 0.8,
        location: { kind: 'aws-vault', vaultArn: vaultArn('dr-vault') },
        observation: observation!,
        now: clock,
      }),
    ).toMatchObject({ status: 'ok', ageSeconds: 600 });
  });

  it('reads a vault of 2,500 points in three pages, each point handed to its resource once', async () => {
    const resources = Array.from({ length: 50 }, (_, i) => db(`db-${i}`));
    const points = resources.flatMap((arn) =>
      Array.from({ length: 50 }, (_, p) => point('dr-vault', arn, 10 + p * 60, '+30d')),
    );
    const { cloud, result } = observe(
      points,
      resources.map((arn, i) => request(`app/db-${i}`, arn)),
    );
    const observed = await result;

    expect(cloud.stats()['backup:ListRecoveryPointsByBackupVault']).toBe(3);
    for (const i of [0, 17, 49]) {
      const got = ages(observed.get(`app/db-${i}`));
      expect(got).toHaveLength(50);
      expect(new Set(got).size).toBe(50);
    }
  });
});
