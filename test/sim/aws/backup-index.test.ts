import { describe, expect, it } from 'vitest';
import { backupIndex } from '#sim/aws/backup-index.ts';
import { parseWorld } from '#sim/world.ts';

const vault = (region: string, name: string, account = '111122223333') =>
  `arn:aws:backup:${region}:${account}:backup-vault:${name}`;

function awsOf(aws: Record<string, unknown>) {
  return parseWorld('world.json', JSON.stringify({ clock: '2026-11-21T12:00:00Z', aws })).aws;
}

describe('backupIndex', () => {
  it('lists a vault newest first, equal times in the order of the world', () => {
    const aws = awsOf({
      recoveryPoints: [
        { RecoveryPointArn: 'a', BackupVaultArn: vault('eu-central-1', 'dr'), CreationDate: '-2h' },
        { RecoveryPointArn: 'b', BackupVaultArn: vault('eu-central-1', 'dr'), CreationDate: '-1h' },
        { RecoveryPointArn: 'c', BackupVaultName: 'dr', CreationDate: '-2h' },
        { RecoveryPointArn: 'd', BackupVaultArn: vault('eu-west-1', 'dr'), CreationDate: '-1m' },
        { RecoveryPointArn: 'e', BackupVaultArn: vault('eu-central-1', 'other'), CreationDate: '-1m' },
      ],
    });
    const ids = (region: string) =>
      backupIndex(aws)
        .pointsOf(region, 'dr')
        .map((p) => p.record['RecoveryPointArn']);

    // `c` has no vault ARN: it is in vault `dr` of whichever region asks.
    expect(ids('eu-central-1')).toEqual(['b', 'a', 'c']);
    expect(ids('eu-west-1')).toEqual(['d', 'c']);
  });

  it.each([
    { region: 'eu-central-1', name: 'dr', account: undefined, exists: true },
    { region: 'eu-central-1', name: 'dr', account: '111122223333', exists: true },
    { region: 'eu-central-1', name: 'dr', account: '444455556666', exists: false },
    { region: 'eu-west-1', name: 'dr', account: undefined, exists: false },
    { region: 'eu-central-1', name: 'empty', account: undefined, exists: true },
    { region: 'eu-central-1', name: 'copy-target', account: undefined, exists: true },
    { region: 'eu-central-1', name: 'nowhere', account: undefined, exists: false },
  ])(
    'says vault $name exists in $region for account $account: $exists',
    ({ region, name, account, exists }) => {
      const aws = awsOf({
        backupVaults: [{ BackupVaultName: 'empty', BackupVaultArn: vault('eu-central-1', 'empty') }],
        recoveryPoints: [
          { RecoveryPointArn: 'a', BackupVaultArn: vault('eu-central-1', 'dr'), CreationDate: '-1h' },
        ],
        copyJobs: [{ CopyJobId: 'c', DestinationBackupVaultArn: vault('eu-central-1', 'copy-target') }],
      });
      expect(backupIndex(aws).hasVault(region, name, account)).toBe(exists);
    },
  );

  it('is rebuilt when a point is added to the world, and reused while nothing changes', () => {
    const aws = awsOf({
      recoveryPoints: [
        { RecoveryPointArn: 'a', BackupVaultArn: vault('eu-central-1', 'dr'), CreationDate: 100 },
      ],
    });
    const first = backupIndex(aws);
    expect(backupIndex(aws)).toBe(first);

    aws.recoveryPoints.push({
      RecoveryPointArn: 'b',
      BackupVaultArn: vault('eu-central-1', 'dr'),
      CreationDate: 200,
    });
    expect(
      backupIndex(aws)
        .pointsOf('eu-central-1', 'dr')
        .map((p) => p.record['RecoveryPointArn']),
    ).toEqual(['b', 'a']);
    expect(backupIndex(aws).pointsByArn('b')).toHaveLength(1);
  });
});
