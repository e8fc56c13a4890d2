/**
 * Conformance of the simulated Microsoft.DataProtection with its specification (2025-07-01): the
 * responses the simulation serves over the example world are checked against the spec's definitions
 * (transcribed in test/fixtures/azure/dataprotection-2025-07-01.definitions.json with their source
 * path): field names, types, required fields, enums and date-times. The same check passes on the
 * spec's own examples, so the checker and the transcription are tested too.
 */
import { readFileSync } from 'node:fs';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { DataProtectionRestoreService } from '#azure/adapters/data-protection-restore.ts';
import { readPlans } from '#shared/domain/plan-file.ts';
import { createSimulatedAzureHttpClient } from '#sim/azure/http-client.ts';
import { settleAzureRestoreJobs } from '#sim/azure/restore.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';
import { checkAgainst, type SwaggerSchema } from '../../support/swagger-check.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/azure/${name}`, import.meta.url), 'utf8'));
const definitions = fixture('dataprotection-2025-07-01.definitions.json').definitions as Record<
  string,
  SwaggerSchema
>;

const SUB = '/subscriptions/6f1c2e4a-3b5d-4c7e-9a8b-2d4f6e8a0c1b/resourceGroups/rg-citizen-portal';
const VAULT = `${SUB}/providers/Microsoft.DataProtection/backupVaults/bv-citizen-weu`;
const BLOBS = `${VAULT}/backupInstances/stcitizenportal-stcitizenportal-0b8e4c2a-5f1d-4a7e-9c3b-7d2e6f1a8b40`;
const credential = {
  getToken: async () => ({ token: 'simulated', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

function exampleCloud(): SimulatedCloud {
  return new SimulatedCloud(parseWorld('examples/world.yaml', readFileSync('examples/world.yaml', 'utf8')));
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
  expect(response.status).toBe(200);
  return JSON.parse(response.bodyAsText ?? '{}') as { value?: unknown[] } & Record<string, unknown>;
}

describe('the definitions and the checker', () => {
  it.each([
    ['dataprotection-list-recovery-points.example.json', 'AzureBackupRecoveryPointResource'],
    ['dataprotection-fetch-secondary-rps.example.json', 'AzureBackupRecoveryPointResource'],
    ['dataprotection-list-jobs.example.json', 'AzureBackupJobResource'],
  ])('accept the official example %s', (file, definition) => {
    const items = fixture(file).responses['200'].body.value as unknown[];
    expect(items.flatMap((item) => checkAgainst(item, definition, definitions))).toEqual([]);
  });

  it('refuse an invented field, a wrong enum, a missing required field and a bad time', () => {
    const [point] = fixture('dataprotection-list-recovery-points.example.json').responses['200'].body.value;
    const bad = {
      ...point,
      invented: 1,
      properties: { ...point.properties, recoveryPointState: 'Done', recoveryPointTime: 'soon' },
    };
    expect(checkAgainst(bad, 'AzureBackupRecoveryPointResource', definitions).sort()).toEqual([
      'AzureBackupRecoveryPointResource.invented: not in the definition',
      'AzureBackupRecoveryPointResource.properties.recoveryPointState: "Done" is not one of Completed, Partial',
      'AzureBackupRecoveryPointResource.properties.recoveryPointTime: "soon" is not a date-time',
    ]);
    const { status: _status, ...job } = fixture('dataprotection-get-job.example.json').responses['200'].body
      .properties;
    expect(checkAgainst({ properties: job }, 'AzureBackupJobResource', definitions)).toEqual([
      'AzureBackupJobResource.properties.status: required, missing',
    ]);
  });
});

describe('simulated Data Protection answers in the spec shapes', () => {
  it('RecoveryPoints_List and FetchSecondaryRecoveryPoints_List items are AzureBackupRecoveryPointResource', async () => {
    const cloud = exampleCloud();
    const primary = await send(cloud, 'GET', `${BLOBS}/recoveryPoints`);
    const secondary = await send(
      cloud,
      'POST',
      `${SUB}/providers/Microsoft.DataProtection/locations/northeurope/fetchSecondaryRecoveryPoints`,
      { sourceBackupInstanceId: BLOBS, sourceRegion: 'westeurope' },
    );
    const items = [...(primary.value ?? []), ...(secondary.value ?? [])];
    expect(items).toHaveLength(2);
    expect(
      items.flatMap((item) => checkAgainst(item, 'AzureBackupRecoveryPointResource', definitions)),
    ).toEqual([]);
  });

  it('restore jobs, running and finished, are AzureBackupJobResource', async () => {
    const cloud = exampleCloud();
    const plan = readPlans([
      { file: 'citizen-portal.yaml', text: readFileSync('examples/plans/citizen-portal.yaml', 'utf8') },
    ])[0]!.plan;
    const blobs = plan.resources.find((r) => r.name === 'portal-blobs')!;
    const service = new DataProtectionRestoreService({
      credential,
      httpClient: createSimulatedAzureHttpClient(cloud),
    });
    await service.start({
      resource: blobs,
      recoveryPointId: `${BLOBS}/recoveryPoints/5c4b3a2f1e0d9c8b`,
      idempotencyToken: 't',
    });
    const job = cloud.world.azure.jobs.at(-1)!;
    const fetchJob = () =>
      send(
        cloud,
        'POST',
        `${SUB}/providers/Microsoft.DataProtection/locations/northeurope/fetchCrossRegionRestoreJob`,
        {
          jobId: String(job['name']),
          sourceBackupVaultId: VAULT,
          sourceRegion: 'westeurope',
        },
      );
    const running = await fetchJob();
    cloud.clock.advance(900);
    settleAzureRestoreJobs(cloud);
    const finished = await fetchJob();
    expect((finished['properties'] as { status: string }).status).toBe('Succeeded');
    expect(
      [running, finished].flatMap((j) => checkAgainst(j, 'AzureBackupJobResource', definitions)),
    ).toEqual([]);
  });
});
