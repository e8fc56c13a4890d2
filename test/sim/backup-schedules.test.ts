import { describe, expect, it } from 'vitest';
import { parseDuration } from '#shared/domain/duration.ts';
import { runBackupSchedules } from '#sim/backup-schedules.ts';
import { parseWorld } from '#sim/world.ts';

const clock = new Date('2026-11-21T12:00:00Z');
const DB = 'arn:aws:rds:eu-west-1:111122223333:db:case-db';
const INSTANCE =
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/bv/backupInstances/bi';

const world = () =>
  parseWorld(
    'world.yaml',
    `clock: 2026-11-21T12:00:00Z
aws:
  recoveryPoints:
    - { RecoveryPointArn: "arn:aws:backup:eu-west-1:1:recovery-point:src", BackupVaultArn: src, ResourceArn: "${DB}", Status: COMPLETED, CreationDate: -4m, CalculatedLifecycle: { DeleteAt: +30d } }
    - { RecoveryPointArn: "arn:aws:backup:eu-central-1:1:recovery-point:old", BackupVaultArn: dr, ResourceArn: "${DB}", Status: COMPLETED, CreationDate: -20m }
    - { RecoveryPointArn: "arn:aws:backup:eu-central-1:1:recovery-point:copy", BackupVaultArn: dr, ResourceArn: "${DB}", Status: COMPLETED, CreationDate: -3m }
    - { RecoveryPointArn: other, BackupVaultArn: dr, ResourceArn: "arn:aws:dynamodb:eu-west-1:1:table/t", Status: COMPLETED, CreationDate: -3m }
azure:
  recoveryPoints:
    - { id: "${INSTANCE}/recoveryPoints/rp1", name: rp1, properties: { recoveryPointTime: -1h, expiryTime: +30d } }
backups:
  - { resource: "${DB}", every: 5m }
  - { resource: "${INSTANCE}", every: 30m }
`,
    () => clock,
  );
const at = (minutes: number) => new Date(clock.getTime() + minutes * 60_000);
const awsPoints = (w: ReturnType<typeof world>) =>
  (w.aws.recoveryPoints as Record<string, unknown>[]).map((p) => [p['RecoveryPointArn'], p['CreationDate']]);

describe('runBackupSchedules', () => {
  it('takes nothing at the world clock: the points in the file are the past', () => {
    const w = world();
    expect(runBackupSchedules(w, schedulesOf(w), clock)).toBe(0);
  });

  it('takes a point every `every` after the newest of each vault, times and lifecycle moved along', () => {
    const w = world();
    runBackupSchedules(w, schedulesOf(w), at(12));
    const made = awsPoints(w).slice(4);
    const epoch = (minutes: number) => at(minutes).getTime() / 1000;
    expect(made).toEqual([
      [`arn:aws:backup:eu-west-1:1:recovery-point:src-s${epoch(1)}`, epoch(1)],
      [`arn:aws:backup:eu-west-1:1:recovery-point:src-s${epoch(6)}`, epoch(6)],
      [`arn:aws:backup:eu-west-1:1:recovery-point:src-s${epoch(11)}`, epoch(11)],
      [`arn:aws:backup:eu-central-1:1:recovery-point:copy-s${epoch(2)}`, epoch(2)],
      [`arn:aws:backup:eu-central-1:1:recovery-point:copy-s${epoch(7)}`, epoch(7)],
      [`arn:aws:backup:eu-central-1:1:recovery-point:copy-s${epoch(12)}`, epoch(12)],
    ]);
    const lifecycle = (w.aws.recoveryPoints[4] as { CalculatedLifecycle: { DeleteAt: number } })
      .CalculatedLifecycle;
    expect(lifecycle.DeleteAt).toBe(epoch(30 * 24 * 60 + 5));
  });

  it('goes on from the newest point a later run finds, never taking one twice', () => {
    const w = world();
    runBackupSchedules(w, schedulesOf(w), at(6));
    runBackupSchedules(w, schedulesOf(w), at(6));
    runBackupSchedules(w, schedulesOf(w), at(11));
    expect(
      awsPoints(w)
        .slice(4)
        .map(([arn]) => String(arn).split(':').at(-1)),
    ).toEqual([
      `src-s${at(1).getTime() / 1000}`,
      `src-s${at(6).getTime() / 1000}`,
      `copy-s${at(2).getTime() / 1000}`,
      `src-s${at(11).getTime() / 1000}`,
      `copy-s${at(7).getTime() / 1000}`,
    ]);
  });

  it('takes Azure points under the backup instance, with ISO times moved along', () => {
    const w = world();
    runBackupSchedules(w, schedulesOf(w), at(31));
    const suffix = `-s${at(30).getTime() / 1000}`;
    expect(w.azure.recoveryPoints.slice(1)).toEqual([
      {
        id: `${INSTANCE}/recoveryPoints/rp1${suffix}`,
        name: `rp1${suffix}`,
        properties: {
          recoveryPointTime: at(30).toISOString(),
          // Moved as far as the point: from 11:00 to 12:30.
          expiryTime: new Date(at(90).getTime() + 30 * 86_400_000).toISOString(),
        },
      },
    ]);
  });
});

function schedulesOf(w: ReturnType<typeof world>) {
  return w.backups.map((b) => ({
    resource: b.resource,
    everySeconds: parseDuration(b.every)!,
    since: new Date(String(b.since)),
  }));
}
