import { describe, expect, it } from 'vitest';
import { CompositeInventory } from '#shared/application/composite-inventory.ts';
import type { ResourceObservation } from '#shared/domain/recovery-point.ts';
import type { VaultProtection } from '#shared/domain/vault-protection.ts';
import type { BackupInventory, InventoryRequest } from '#shared/ports/backup-inventory.ts';

const since = new Date('2026-11-21T00:00:00Z');
const aws = (key: string): InventoryRequest => ({
  key,
  source: { kind: 'aws-backup', resourceArn: `arn:aws:rds:eu-west-1:1:db:${key}`, vaultArn: 'arn:vault' },
  recoveryRegion: 'eu-central-1',
  jobsSince: since,
});
const azure = (key: string): InventoryRequest => ({
  key,
  source: { kind: 'azure-backup', backupInstanceId: `/bi/${key}` },
  recoveryRegion: 'northeurope',
  jobsSince: since,
});
const rsv = (key: string): InventoryRequest => ({
  key,
  source: { kind: 'azure-recovery-services', protectedItemId: `/pi/${key}` },
  recoveryRegion: 'northeurope',
  jobsSince: since,
});
const seen = (note: string): ResourceObservation => ({ ok: true, points: [], jobs: [], jobsError: note });
const protection = (vault: string): VaultProtection => ({
  vault,
  immutability: 'locked',
  minRetentionDays: 7,
  softDelete: null,
  detail: `read ${vault}`,
});

/** Answers every key it is asked for (except `skip`) and records each call's keys. */
class Reader implements BackupInventory {
  readonly calls: string[][] = [];
  readonly vaultCalls: string[][] = [];
  constructor(
    private readonly name: string,
    private readonly skip: readonly string[] = [],
    private readonly vaults?: readonly string[],
  ) {
    if (!vaults) this.protection = undefined;
  }
  async observe(requests: readonly InventoryRequest[]) {
    this.calls.push(requests.map((r) => r.key));
    return new Map(
      requests.filter((r) => !this.skip.includes(r.key)).map((r) => [r.key, seen(`${this.name}:${r.key}`)]),
    );
  }
  protection?: (vaults: readonly string[], now: Date) => Promise<readonly VaultProtection[]> = async (
    vaults,
  ) => {
    this.vaultCalls.push([...vaults]);
    return (this.vaults ?? []).filter((v) => vaults.includes(v)).map(protection);
  };
}

describe('CompositeInventory', () => {
  it('asks each kind’s reader once, for all of its requests, and merges the answers', async () => {
    const awsReader = new Reader('aws');
    const azureReader = new Reader('azure');
    const inventory = new CompositeInventory({ 'aws-backup': awsReader, 'azure-backup': azureReader });
    const answers = await inventory.observe([aws('a1'), azure('z1'), aws('a2'), aws('a3'), azure('z2')]);
    expect(awsReader.calls).toEqual([['a1', 'a2', 'a3']]);
    expect(azureReader.calls).toEqual([['z1', 'z2']]);
    expect(Object.fromEntries(answers)).toEqual({
      a1: seen('aws:a1'),
      a2: seen('aws:a2'),
      a3: seen('aws:a3'),
      z1: seen('azure:z1'),
      z2: seen('azure:z2'),
    });
  });

  it('reports the requests of a kind without a reader as not configured, naming the kind', async () => {
    const awsReader = new Reader('aws');
    const answers = await new CompositeInventory({ 'aws-backup': awsReader }).observe([
      rsv('r1'),
      aws('a1'),
      azure('z1'),
    ]);
    expect(Object.fromEntries(answers)).toEqual({
      r1: { ok: false, error: 'no azure-recovery-services reader is configured' },
      a1: seen('aws:a1'),
      z1: { ok: false, error: 'no azure-backup reader is configured' },
    });
  });

  it('reports a request its reader left out as not returned', async () => {
    const answers = await new CompositeInventory({ 'aws-backup': new Reader('aws', ['a2']) }).observe([
      aws('a1'),
      aws('a2'),
    ]);
    expect(answers.get('a2')).toEqual({ ok: false, error: 'not returned by the reader' });
    expect(answers.get('a1')).toEqual(seen('aws:a1'));
  });

  it('asks nobody and answers nothing for no requests', async () => {
    const awsReader = new Reader('aws');
    expect((await new CompositeInventory({ 'aws-backup': awsReader }).observe([])).size).toBe(0);
    expect(awsReader.calls).toEqual([]);
  });

  it('asks every reader that reads vault protection once, and joins their answers', async () => {
    const awsReader = new Reader('aws', [], ['arn:vault']);
    const azureReader = new Reader('azure', [], ['/vaults/dr']);
    const noProtection = new Reader('rsv');
    const inventory = new CompositeInventory({
      'aws-backup': awsReader,
      'azure-backup': azureReader,
      // The same reader for two kinds is asked once.
      'azure-recovery-services': azureReader,
    });
    const now = new Date('2026-11-21T12:00:00Z');
    const vaults = ['arn:vault', '/vaults/dr', '/vaults/unknown'];
    expect(await inventory.protection(vaults, now)).toEqual([
      protection('arn:vault'),
      protection('/vaults/dr'),
    ]);
    expect(awsReader.vaultCalls).toEqual([vaults]);
    expect(azureReader.vaultCalls).toEqual([vaults]);
    expect(
      await new CompositeInventory({ 'azure-recovery-services': noProtection }).protection(vaults, now),
    ).toEqual([]);
  });
});
