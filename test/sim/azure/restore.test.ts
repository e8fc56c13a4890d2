import { describe, expect, it } from 'vitest';
import { nextAzureRestoreCompletion, settleAzureRestoreJobs } from '#sim/azure/restore.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const VAULT =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.DataProtection/backupVaults/dr-vault';

function cloudWith(jobs: string, fail = ''): SimulatedCloud {
  return new SimulatedCloud(
    parseWorld(
      'world.yaml',
      `clock: 2026-11-21T12:00:00Z
azure:
  restore: { durationSeconds: 600, fail: [${fail}] }
  jobs:${jobs}
`,
    ),
  );
}

const job = (name: string, operation: string, status: string, startTime: string) => `
    - id: "${VAULT}/backupJobs/${name}"
      name: ${name}
      type: Microsoft.DataProtection/backupVaults/backupJobs
      properties: { operation: ${operation}, status: ${status}, startTime: "${startTime}", backupInstanceId: "${VAULT}/backupInstances/${name}" }`;

describe('nextAzureRestoreCompletion', () => {
  it('is the earliest completion of a running restore job, ignoring backups and finished jobs', () => {
    const cloud = cloudWith(
      job('a', 'Restore', 'InProgress', '-2m') +
        job('b', 'Restore', 'InProgress', '-5m') +
        job('c', 'Backup', 'InProgress', '-9m') +
        job('d', 'Restore', 'Completed', '-9m'),
    );
    expect(nextAzureRestoreCompletion(cloud)).toEqual(new Date('2026-11-21T12:05:00Z'));
  });

  it('is undefined when no restore runs', () => {
    expect(nextAzureRestoreCompletion(cloudWith(' []'))).toBeUndefined();
  });
});

describe('settleAzureRestoreJobs', () => {
  it('completes due jobs, fails those listed in restore.fail, and leaves the rest running', () => {
    const cloud = cloudWith(
      job('ok', 'Restore', 'InProgress', '-10m') +
        job('bad', 'Restore', 'InProgress', '-11m') +
        job('later', 'Restore', 'InProgress', '-1m'),
      'bad',
    );
    settleAzureRestoreJobs(cloud);
    const byName = Object.fromEntries(
      cloud.world.azure.jobs.map((j) => [j['name'], j['properties'] as { status: string; endTime?: string }]),
    );
    expect(byName['ok']).toMatchObject({ status: 'Completed', endTime: '2026-11-21T12:00:00.000Z' });
    expect(byName['bad']).toMatchObject({ status: 'Failed' });
    expect(byName['later']).toMatchObject({ status: 'InProgress' });
    expect(nextAzureRestoreCompletion(cloud)).toEqual(new Date('2026-11-21T12:09:00Z'));
  });
});
