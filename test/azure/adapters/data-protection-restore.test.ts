import { readFileSync } from 'node:fs';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { DataProtectionRestoreService } from '#azure/adapters/data-protection-restore.ts';
import { InvalidInputError, ProviderError } from '#shared/domain/errors.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import { createSimulatedAzureHttpClient, simulatedCredential } from '#sim/azure/http-client.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const VAULT =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.DataProtection/backupVaults/dr-vault';
const INSTANCE = `${VAULT}/backupInstances/case-files`;
const POINT = `${INSTANCE}/recoveryPoints/3a512290ec6b43d6b9a644869f4a3b38`;
const SECONDARY_POINT = `${INSTANCE}/recoveryPoints/9d1e7c0b5a2f4e3d`;

/** The recorded TriggerRestore example's request body: the plan's template. */
const fixture = JSON.parse(
  readFileSync(
    new URL('../../fixtures/azure/dataprotection-trigger-restore.example.json', import.meta.url),
    'utf8',
  ),
) as { parameters: { parameters: Record<string, unknown> } };
const { recoveryPointId: _point, ...template } = fixture.parameters.parameters;

/** The fixture template restores to `southeastasia`; a vault there restores in its own region. */
const TARGET = 'southeastasia';

function world(extra = '', vaultLocation = TARGET): SimulatedCloud {
  return new SimulatedCloud(
    parseWorld(
      'world.yaml',
      `
clock: 2026-11-21T12:00:00Z
azure:
  vaults:
    - id: "${VAULT}"
      name: dr-vault
      location: ${vaultLocation}
      properties: { featureSettings: { crossRegionRestoreSettings: { state: Enabled } } }
  recoveryPoints:
    - id: "${POINT}"
      name: 3a512290ec6b43d6b9a644869f4a3b38
      properties: { objectType: AzureBackupDiscreteRecoveryPoint, recoveryPointTime: -10m }
  secondaryRecoveryPoints:
    - location: ${TARGET}
      id: "${SECONDARY_POINT}"
      name: 9d1e7c0b5a2f4e3d
      properties: { objectType: AzureBackupDiscreteRecoveryPoint, recoveryPointTime: -14h }
  restore: { durationSeconds: 600, fail: [${extra}] }
`,
    ),
  );
}

/** A world whose vault is in `eastasia`, so the template's `southeastasia` is cross-region. */
const crossRegionWorld = (extra = '') => world(extra, 'eastasia');

const TARGET_RESOURCE = (template['restoreTargetInfo'] as { datasourceInfo: { resourceID: string } })
  .datasourceInfo.resourceID;

const resource = (request: Record<string, unknown> = template): ProtectedResource => ({
  app: 'case-management',
  name: 'case-files',
  rpoSeconds: 900,
  dependsOn: [],
  source: { kind: 'azure-backup', backupInstanceId: INSTANCE, restore: { request } },
});

/** A transport that records what was sent, then lets the simulated ARM answer. */
function recording(cloud: SimulatedCloud): {
  httpClient: HttpClient;
  sent: { method: string; url: string; body: unknown }[];
} {
  const inner = createSimulatedAzureHttpClient(cloud);
  const sent: { method: string; url: string; body: unknown }[] = [];
  return {
    sent,
    httpClient: {
      sendRequest: (request) => {
        sent.push({
          method: request.method,
          url: request.url,
          body: typeof request.body === 'string' ? JSON.parse(request.body) : undefined,
        });
        return inner.sendRequest(request);
      },
    },
  };
}

/** The service against the simulated ARM of `cloud`, through the real pipeline. */
const serviceOn = (cloud: SimulatedCloud) =>
  new DataProtectionRestoreService({
    credential: simulatedCredential,
    httpClient: createSimulatedAzureHttpClient(cloud),
  });

describe('DataProtectionRestoreService', () => {
  it('triggers the restore with the plan template and the point name, then follows it to success', async () => {
    const cloud = world();
    const { httpClient, sent } = recording(cloud);
    const service = new DataProtectionRestoreService({ credential: simulatedCredential, httpClient });

    const { jobId } = await service.start({
      resource: resource(),
      recoveryPointId: POINT,
      idempotencyToken: 't-1',
    });

    const trigger = sent.find((r) => r.method === 'POST');
    expect(trigger?.url).toBe(`https://management.azure.com${INSTANCE}/restore?api-version=2025-07-01`);
    expect(trigger?.body).toEqual({ ...template, recoveryPointId: '3a512290ec6b43d6b9a644869f4a3b38' });
    const first = await service.describe(resource(), jobId);
    expect(first).toMatchObject({ state: 'running', handle: expect.stringMatching(/^dataprotection-job:/) });

    cloud.clock.advance(600);
    expect(await service.describe(resource(), jobId)).toMatchObject({
      state: 'succeeded',
      createdResource: TARGET_RESOURCE,
    });
    // The operation is followed to its job once; later describes of the same handle read the job only.
    expect(cloud.stats()).toMatchObject({
      'dataprotection:BackupVaults_Get': 1,
      'dataprotection:BackupInstances_TriggerRestore': 1,
      'dataprotection:OperationStatusBackupVaultContext_Get': 1,
      'dataprotection:OperationResult_Get': 1,
      'dataprotection:Jobs_Get': 2,
    });
    // The handle it offers reads the same job, from any process.
    expect(await serviceOn(cloud).describe(resource(), first.handle!)).toMatchObject({ state: 'succeeded' });
  });

  it('reports a failed restore with the job error message', async () => {
    const cloud = world('case-files');
    const service = serviceOn(cloud);
    const { jobId } = await service.start({
      resource: resource(),
      recoveryPointId: POINT,
      idempotencyToken: 't-1',
    });
    cloud.clock.advance(601);

    const status = await service.describe(resource(), jobId);

    expect(status.state).toBe('failed');
    expect(status.message).toMatch(/Failed: UserErrorRestoreFailed: Restore of case-files failed/);
  });

  it('adopts the in-flight restore of the same point instead of starting a second one', async () => {
    const cloud = world();
    const service = serviceOn(cloud);
    const first = await service.start({
      resource: resource(),
      recoveryPointId: POINT,
      idempotencyToken: 't-1',
    });
    const again = await service.start({
      resource: resource(),
      recoveryPointId: POINT,
      idempotencyToken: 't-1',
    });

    expect(cloud.stats()['dataprotection:BackupInstances_TriggerRestore']).toBe(1);
    expect(cloud.world.azure.jobs).toHaveLength(1);
    expect(again.jobId).toMatch(/^dataprotection-job:/);
    expect(await service.describe(resource(), again.jobId)).toMatchObject({ state: 'running' });
    expect(first.jobId).not.toBe(again.jobId);
  });

  it('surfaces the service error when the recovery point does not exist', async () => {
    const cloud = world();
    const service = serviceOn(cloud);
    const missing = `${INSTANCE}/recoveryPoints/nope`;

    await expect(
      service.start({ resource: resource(), recoveryPointId: missing, idempotencyToken: 't' }),
    ).rejects.toThrow(ProviderError);
    await expect(
      service.start({ resource: resource(), recoveryPointId: missing, idempotencyToken: 't' }),
    ).rejects.toThrow(/BackupInstances_TriggerRestore: HTTP 404 UserErrorRecoveryPointNotFound/);
  });

  it.each([
    {
      why: 'a time-based request',
      request: { ...template, objectType: 'AzureBackupRecoveryTimeBasedRestoreRequest' },
      message:
        /objectType "AzureBackupRecoveryTimeBasedRestoreRequest" does not restore from a recovery point/,
    },
    {
      why: 'no restoreTargetInfo',
      request: {
        objectType: 'AzureBackupRecoveryPointBasedRestoreRequest',
        sourceDataStoreType: 'VaultStore',
      },
      message: /restoreTargetInfo .* is required/,
    },
    {
      why: 'an unknown data store',
      request: { ...template, sourceDataStoreType: 'Tape' },
      message: /sourceDataStoreType "Tape" is not one of/,
    },
  ])('refuses a template with $why before calling Azure', async ({ request, message }) => {
    const cloud = world();
    const service = serviceOn(cloud);
    const attempt = service.start({
      resource: resource(request),
      recoveryPointId: POINT,
      idempotencyToken: 't',
    });
    await expect(attempt).rejects.toThrow(InvalidInputError);
    await expect(attempt).rejects.toThrow(message);
    expect(cloud.stats()).toEqual({});
  });

  it('refuses a handle it did not make', async () => {
    const service = serviceOn(world());
    const forged = `dataprotection-operation:${Buffer.from(JSON.stringify({ status: 'https://evil.example/x' })).toString('base64url')}`;
    await expect(service.describe(resource(), forged)).rejects.toThrow(InvalidInputError);
    await expect(service.describe(resource(), 'job-123')).rejects.toThrow(
      /not a Data Protection restore handle/,
    );
  });

  describe('across regions', () => {
    it('triggers crossRegionRestore in the restore location when it is not the vault region, and follows it to success', async () => {
      const cloud = crossRegionWorld();
      const { httpClient, sent } = recording(cloud);
      const service = new DataProtectionRestoreService({ credential: simulatedCredential, httpClient });

      const { jobId } = await service.start({
        resource: resource(),
        recoveryPointId: SECONDARY_POINT,
        idempotencyToken: 't-1',
      });

      const trigger = sent.find((r) => r.url.includes('/crossRegionRestore'));
      expect(trigger).toEqual({
        method: 'POST',
        url: `https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.DataProtection/locations/southeastasia/crossRegionRestore?api-version=2025-07-01`,
        body: {
          restoreRequestObject: { ...template, recoveryPointId: '9d1e7c0b5a2f4e3d' },
          crossRegionRestoreDetails: { sourceBackupInstanceId: INSTANCE, sourceRegion: 'eastasia' },
        },
      });
      expect(await service.describe(resource(), jobId)).toMatchObject({ state: 'running' });

      cloud.clock.advance(600);
      expect(await service.describe(resource(), jobId)).toMatchObject({
        state: 'succeeded',
        createdResource: TARGET_RESOURCE,
      });
      const stats = cloud.stats();
      expect(stats).toMatchObject({
        'dataprotection:BackupVaults_Get': 1,
        'dataprotection:FetchCrossRegionRestoreJobs_List': 1,
        'dataprotection:BackupInstances_TriggerCrossRegionRestore': 1,
        'dataprotection:FetchCrossRegionRestoreJob_Get': 2,
      });
      expect(stats['dataprotection:BackupInstances_TriggerRestore']).toBeUndefined();
      expect(stats['dataprotection:Jobs_Get']).toBeUndefined();
      expect(stats['dataprotection:Jobs_List']).toBeUndefined();
    });

    it.each([
      {
        why: 'the restore location is the vault region, spelled otherwise',
        location: 'South East Asia',
        vaultGets: 1,
      },
      { why: 'the template names no restore location', location: undefined, vaultGets: undefined },
    ])('restores in the vault region when $why', async ({ location, vaultGets }) => {
      const cloud = world();
      const { restoreLocation: _default, ...target } = template['restoreTargetInfo'] as Record<
        string,
        unknown
      >;
      const request = {
        ...template,
        restoreTargetInfo: location === undefined ? target : { ...target, restoreLocation: location },
      };
      const service = serviceOn(cloud);

      await service.start({ resource: resource(request), recoveryPointId: POINT, idempotencyToken: 't' });

      expect(cloud.stats()).toMatchObject({ 'dataprotection:BackupInstances_TriggerRestore': 1 });
      expect(cloud.stats()['dataprotection:BackupInstances_TriggerCrossRegionRestore']).toBeUndefined();
      expect(cloud.stats()['dataprotection:BackupVaults_Get']).toBe(vaultGets);
    });

    it.each([
      {
        why: "the plan recovers into the vault's region, whatever restoreLocation says (the official in-region example)",
        vault: 'eastasia',
        recoveryRegion: 'eastasia',
        crossRegion: false,
      },
      {
        why: 'the plan recovers into another region than the vault, even where restoreLocation is the vault region',
        vault: TARGET,
        recoveryRegion: 'eastasia',
        crossRegion: true,
      },
    ])('goes cross-region exactly when $why', async ({ vault, recoveryRegion, crossRegion }) => {
      const cloud = world('', vault);
      const service = serviceOn(cloud);
      const planned = { ...resource(), recoveryRegion };

      await service
        .start({
          resource: planned,
          recoveryPointId: crossRegion ? SECONDARY_POINT : POINT,
          idempotencyToken: 't',
        })
        .catch(() => undefined);

      const stats = cloud.stats();
      expect(stats['dataprotection:BackupInstances_TriggerCrossRegionRestore'] !== undefined).toBe(
        crossRegion,
      );
      expect(stats['dataprotection:BackupInstances_TriggerRestore'] !== undefined).toBe(!crossRegion);
    });

    it('reports a failed cross-region restore with the job error message', async () => {
      const cloud = crossRegionWorld('case-files');
      const service = serviceOn(cloud);
      const { jobId } = await service.start({
        resource: resource(),
        recoveryPointId: SECONDARY_POINT,
        idempotencyToken: 't-1',
      });
      cloud.clock.advance(601);

      const status = await service.describe(resource(), jobId);

      expect(status.state).toBe('failed');
      expect(status.message).toMatch(/Failed: UserErrorRestoreFailed: Restore of case-files failed/);
    });

    it('adopts the in-flight cross-region restore of the same point instead of starting a second one', async () => {
      const cloud = crossRegionWorld();
      const service = serviceOn(cloud);
      const request = { resource: resource(), recoveryPointId: SECONDARY_POINT, idempotencyToken: 't-1' };
      await service.start(request);

      const again = await service.start(request);

      expect(cloud.stats()).toMatchObject({
        'dataprotection:BackupInstances_TriggerCrossRegionRestore': 1,
        'dataprotection:FetchCrossRegionRestoreJobs_List': 2,
        'dataprotection:BackupVaults_Get': 1,
      });
      expect(cloud.world.azure.jobs).toHaveLength(1);
      const job = cloud.world.azure.jobs[0]!['name'];
      expect(again.jobId).toBe(`dataprotection-crr-job:southeastasia:eastasia:${String(job)}`);
      expect(await service.describe(resource(), again.jobId)).toMatchObject({ state: 'running' });
      cloud.clock.advance(600);
      expect(await service.describe(resource(), again.jobId)).toMatchObject({ state: 'succeeded' });
    });

    it('starts a new cross-region restore once the earlier one of the same point has ended', async () => {
      const cloud = crossRegionWorld();
      const service = serviceOn(cloud);
      const request = { resource: resource(), recoveryPointId: SECONDARY_POINT, idempotencyToken: 't-1' };
      await service.start(request);
      cloud.clock.advance(600);

      await service.start(request);

      expect(cloud.stats()['dataprotection:BackupInstances_TriggerCrossRegionRestore']).toBe(2);
    });

    it('surfaces the service error when the point was not replicated to the restore region', async () => {
      const service = serviceOn(crossRegionWorld());

      await expect(
        service.start({ resource: resource(), recoveryPointId: POINT, idempotencyToken: 't' }),
      ).rejects.toThrow(/BackupInstances_TriggerCrossRegionRestore: HTTP 404 UserErrorRecoveryPointNotFound/);
    });

    it('refuses a restore location that is not a region before calling Azure', async () => {
      const cloud = crossRegionWorld();
      const target = template['restoreTargetInfo'] as Record<string, unknown>;
      const request = { ...template, restoreTargetInfo: { ...target, restoreLocation: 42 } };

      await expect(
        serviceOn(cloud).start({
          resource: resource(request),
          recoveryPointId: POINT,
          idempotencyToken: 't',
        }),
      ).rejects.toThrow(/restoreLocation: 42 is not an Azure region/);
      expect(cloud.stats()).toEqual({});
    });

    it.each([
      'dataprotection-crr-job:southeastasia:eastasia',
      'dataprotection-crr-job:South East Asia:eastasia:0b5c',
      `dataprotection-operation:${Buffer.from(JSON.stringify({ status: `${VAULT}/operationStatus/x`, crr: { location: '../x' } })).toString('base64url')}`,
    ])('refuses the malformed handle %s', async (handle) => {
      await expect(serviceOn(crossRegionWorld()).describe(resource(), handle)).rejects.toThrow(
        InvalidInputError,
      );
    });
  });
});
