import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { createSimulatedAzureHttpClient } from '#sim/azure/http-client.ts';
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
    expect(byName['ok']).toMatchObject({ status: 'Succeeded', endTime: '2026-11-21T12:00:00.000Z' });
    expect(byName['bad']).toMatchObject({ status: 'Failed' });
    expect(byName['later']).toMatchObject({ status: 'InProgress' });
    expect(nextAzureRestoreCompletion(cloud)).toEqual(new Date('2026-11-21T12:09:00Z'));
  });
});

describe('cross-region restore (simulated Data Protection)', () => {
  const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr';
  const INSTANCE = `${VAULT}/backupInstances/case-files`;
  const CRR = `${SUB}/providers/Microsoft.DataProtection/locations/northeurope`;

  function crrCloud(crossRegionRestore = 'Enabled', fail = ''): SimulatedCloud {
    return new SimulatedCloud(
      parseWorld(
        'world.json',
        JSON.stringify({
          clock: '2026-11-21T12:00:00Z',
          azure: {
            vaults: [
              {
                id: VAULT,
                name: 'dr-vault',
                location: 'westeurope',
                properties: {
                  featureSettings: { crossRegionRestoreSettings: { state: crossRegionRestore } },
                },
              },
            ],
            secondaryRecoveryPoints: [
              { location: 'North Europe', id: `${INSTANCE}/recoveryPoints/rp-ne`, name: 'rp-ne' },
              { location: 'swedencentral', id: `${INSTANCE}/recoveryPoints/rp-se`, name: 'rp-se' },
            ],
            restore: { durationSeconds: 900, fail: fail ? [fail] : [] },
          },
        }),
      ),
    );
  }

  async function send(cloud: SimulatedCloud, method: 'GET' | 'POST', path: string, body?: unknown) {
    const response = await createSimulatedAzureHttpClient(cloud).sendRequest(
      createPipelineRequest({
        url: `https://management.azure.com${path}?api-version=2025-07-01`,
        method,
        headers: createHttpHeaders({ authorization: 'Bearer token' }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
    return {
      status: response.status,
      headers: response.headers,
      json: (response.bodyAsText ? JSON.parse(response.bodyAsText) : {}) as Record<string, unknown> & {
        error?: { code: string; message: string };
        value?: Record<string, unknown>[];
      },
    };
  }

  const trigger = (cloud: SimulatedCloud, point = 'rp-ne', path = `${CRR}/crossRegionRestore`) =>
    send(cloud, 'POST', path, {
      restoreRequestObject: {
        objectType: 'AzureBackupRecoveryPointBasedRestoreRequest',
        recoveryPointId: point,
        sourceDataStoreType: 'VaultStore',
        restoreTargetInfo: { objectType: 'RestoreFilesTargetInfo', restoreLocation: 'northeurope' },
      },
      crossRegionRestoreDetails: { sourceBackupInstanceId: INSTANCE, sourceRegion: 'westeurope' },
    });

  const fetchJob = (cloud: SimulatedCloud, jobId: string) =>
    send(cloud, 'POST', `${CRR}/fetchCrossRegionRestoreJob`, {
      jobId,
      sourceBackupVaultId: VAULT,
      sourceRegion: 'westeurope',
    });

  it('answers 202 with the operation headers and runs the job in the restore region for the world duration', async () => {
    const cloud = crrCloud();

    const answer = await trigger(cloud);

    expect(answer.status).toBe(202);
    expect(answer.headers.get('azure-asyncoperation')).toMatch(
      new RegExp(
        `^https://management.azure.com${VAULT}/operationStatus/[A-Za-z0-9_-]+\\?api-version=2025-07-01$`,
      ),
    );
    expect(answer.headers.get('location')).toMatch(/\/locations\/northeurope\/operationResults\//);
    const name = String(cloud.world.azure.jobs[0]?.['name']);
    expect(nextAzureRestoreCompletion(cloud)).toEqual(new Date('2026-11-21T12:15:00Z'));
    const running = await fetchJob(cloud, name);
    expect(running.status).toBe(200);
    expect(running.json).not.toHaveProperty('location');
    expect(running.json['properties']).toMatchObject({
      backupInstanceId: INSTANCE,
      operation: 'Restore',
      status: 'InProgress',
      extendedInfo: { sourceRecoverPoint: { recoveryPointID: 'rp-ne' } },
    });

    cloud.clock.advance(900);
    expect((await fetchJob(cloud, name)).json['properties']).toMatchObject({ status: 'Succeeded' });
    expect(cloud.stats()).toEqual({
      'dataprotection:BackupInstances_TriggerCrossRegionRestore': 1,
      'dataprotection:FetchCrossRegionRestoreJob_Get': 2,
    });
  });

  it('fails the job of an instance listed in restore.fail', async () => {
    const cloud = crrCloud('Enabled', 'case-files');
    await trigger(cloud);
    cloud.clock.advance(900);

    const job = await fetchJob(cloud, String(cloud.world.azure.jobs[0]?.['name']));

    expect(job.json['properties']).toMatchObject({
      status: 'Failed',
      errorDetails: [{ code: 'UserErrorRestoreFailed' }],
    });
  });

  it('lists the job in its region only, not among the vault jobs', async () => {
    const cloud = crrCloud();
    await trigger(cloud);
    const name = String(cloud.world.azure.jobs[0]?.['name']);

    const inRegion = await send(cloud, 'POST', `${CRR}/fetchCrossRegionRestoreJobs`, {
      sourceBackupVaultId: VAULT,
      sourceRegion: 'West Europe',
    });
    const elsewhere = await send(
      cloud,
      'POST',
      `${SUB}/providers/Microsoft.DataProtection/locations/swedencentral/fetchCrossRegionRestoreJobs`,
      { sourceBackupVaultId: VAULT, sourceRegion: 'westeurope' },
    );
    const vaultJobs = await send(cloud, 'GET', `${VAULT}/backupJobs`);
    const vaultJob = await send(cloud, 'GET', `${VAULT}/backupJobs/${name}`);

    expect(inRegion.json.value?.map((j) => j['name'])).toEqual([name]);
    expect(inRegion.json.value?.[0]).not.toHaveProperty('location');
    expect(elsewhere.json.value).toEqual([]);
    expect(vaultJobs.json.value).toEqual([]);
    expect(vaultJob.status).toBe(404);
  });

  it.each([
    {
      why: 'the point was not replicated to that region',
      cloud: () => crrCloud(),
      point: 'rp-se',
      status: 404,
      code: 'UserErrorRecoveryPointNotFound',
    },
    {
      why: 'the vault does not have cross region restore enabled',
      cloud: () => crrCloud('Disabled'),
      point: 'rp-ne',
      status: 400,
      code: 'BadRequest',
    },
  ])('refuses the restore when $why', async ({ cloud: make, point, status, code }) => {
    const cloud = make();

    const answer = await trigger(cloud, point);

    expect(answer.status).toBe(status);
    expect(answer.json.error?.code).toBe(code);
    expect(cloud.world.azure.jobs).toEqual([]);
  });

  it("refuses a restore into the vault's own region", async () => {
    const cloud = crrCloud();

    const answer = await trigger(
      cloud,
      'rp-ne',
      `${SUB}/providers/Microsoft.DataProtection/locations/westeurope/crossRegionRestore`,
    );

    expect(answer.status).toBe(400);
    expect(answer.json.error?.message).toMatch(/vault's own region/);
  });

  it('answers 404 for a job it does not know', async () => {
    expect((await fetchJob(crrCloud(), 'no-such-job')).status).toBe(404);
  });
});
