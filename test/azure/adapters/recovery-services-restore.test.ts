import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RECOVERY_SERVICES_API_VERSION } from '#azure/adapters/recovery-services-inventory.ts';
import { RecoveryServicesRestoreService } from '#azure/adapters/recovery-services-restore.ts';
import { InvalidInputError, ProviderError } from '#shared/domain/errors.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import { createSimulatedAzureHttpClient, simulatedCredential } from '#sim/azure/http-client.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const VAULT =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.RecoveryServices/vaults/rsv';
const ITEM = `${VAULT}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg;vm/protectedItems/VM;iaasvmcontainerv2;rg;vm`;
const POINT = `${ITEM}/recoveryPoints/348916168024334`;

const fixture = JSON.parse(
  readFileSync(
    new URL('../../fixtures/azure/recoveryservices-trigger-restore-iaasvm-alr.example.json', import.meta.url),
    'utf8',
  ),
) as { parameters: { parameters: { properties: Record<string, unknown> } } };
const { recoveryPointId: _point, ...template } = fixture.parameters.parameters.properties;

function world(fail = ''): SimulatedCloud {
  return new SimulatedCloud(
    parseWorld(
      'world.yaml',
      `
clock: 2026-11-21T12:00:00Z
azure:
  vaults:
    - { id: "${VAULT}", name: rsv, location: westeurope }
  recoveryPoints:
    - id: "${POINT}"
      name: "348916168024334"
      properties: { objectType: IaasVMRecoveryPoint, recoveryPointTime: -30m }
  restore: { durationSeconds: 900, fail: [${fail}] }
`,
    ),
  );
}

const resource = (request: Record<string, unknown> = template): ProtectedResource => ({
  app: 'case-management',
  name: 'case-vm',
  rpoSeconds: 3600,
  dependsOn: [],
  source: { kind: 'azure-recovery-services', protectedItemId: ITEM, restore: { request } },
});

/** The service against the simulated ARM of `cloud`, through the real pipeline. */
const serviceOn = (cloud: SimulatedCloud) =>
  new RecoveryServicesRestoreService({
    credential: simulatedCredential,
    httpClient: createSimulatedAzureHttpClient(cloud),
  });

describe('RecoveryServicesRestoreService', () => {
  it('triggers the restore, returns without waiting, and follows the job to success', async () => {
    const cloud = world();
    const service = serviceOn(cloud);

    const { jobId } = await service.start({
      resource: resource(),
      recoveryPointId: POINT,
      idempotencyToken: 't',
    });

    expect(jobId).toMatch(/^recoveryservices-operation:[0-9a-f-]{36}$/);
    const job = cloud.world.azure.jobs[0] as { properties: Record<string, unknown> };
    expect(job.properties).toMatchObject({
      operation: 'Restore',
      status: 'InProgress',
      jobType: 'AzureIaaSVMJob',
    });
    expect(await service.describe(resource(), jobId)).toMatchObject({ state: 'running' });

    cloud.clock.advance(900);
    expect(await service.describe(resource(), jobId)).toEqual({
      state: 'succeeded',
      message: expect.stringMatching(/Completed$/),
      createdResource: template['targetVirtualMachineId'],
    });
    expect(cloud.stats()['recoveryservices:Restores_Trigger']).toBe(1);
    expect(cloud.stats()['recoveryservices:JobDetails_Get']).toBe(2);
  });

  it('reports a failed restore with the job error', async () => {
    const cloud = world(`"${ITEM.toUpperCase()}"`);
    const service = serviceOn(cloud);
    const { jobId } = await service.start({
      resource: resource(),
      recoveryPointId: POINT,
      idempotencyToken: 't',
    });
    cloud.clock.advance(1000);

    const status = await service.describe(resource(), jobId);

    expect(status.state).toBe('failed');
    expect(status.message).toMatch(/Failed: 400001: Restore of VM;iaasvmcontainerv2;rg;vm failed/);
  });

  it('translates a refused trigger into a ProviderError', async () => {
    const service = serviceOn(world());
    const attempt = service.start({
      resource: resource(),
      recoveryPointId: `${ITEM}/recoveryPoints/0`,
      idempotencyToken: 't',
    });
    await expect(attempt).rejects.toThrow(ProviderError);
    await expect(attempt).rejects.toThrow(/Restores_Trigger: HTTP 404/);
  });

  it('refuses a template without objectType and a foreign handle', async () => {
    const service = serviceOn(world());
    await expect(
      service.start({
        resource: resource({ region: 'westeurope' }),
        recoveryPointId: POINT,
        idempotencyToken: 't',
      }),
    ).rejects.toThrow(InvalidInputError);
    await expect(service.describe(resource(), 'dataprotection-job:1')).rejects.toThrow(
      /not a Recovery Services restore handle/,
    );
  });

  it('takes the request written as the API body, with its properties wrapper, as the same request', async () => {
    const service = serviceOn(world());
    const bare = await service.prepare({ resource: resource(), recoveryPointId: POINT });
    const wrapped = await service.prepare({
      resource: resource({ properties: template }),
      recoveryPointId: POINT,
    });

    expect(wrapped).toEqual(bare);
    expect(bare.request).toMatchObject({
      properties: { objectType: template['objectType'], recoveryPointId: '348916168024334' },
    });
  });

  it('prepares a request the rule table refuses with the reason, calling nothing', async () => {
    const cloud = world();
    const { storageAccountId: _staging, ...withoutStaging } = template as Record<string, unknown>;
    const prepared = await serviceOn(cloud).prepare({
      resource: resource(withoutStaging),
      recoveryPointId: POINT,
    });

    expect(prepared.problems).toContain('properties.storageAccountId is required for IaasVMRestoreRequest');
    expect(cloud.stats()).toEqual({});
  });

  it('speaks the API version the inventory reads, not the SDK default', async () => {
    const cloud = world();
    const inner = createSimulatedAzureHttpClient(cloud);
    const versions = new Set<string | null>();
    const service = new RecoveryServicesRestoreService({
      credential: simulatedCredential,
      httpClient: {
        sendRequest: (request) => {
          versions.add(new URL(request.url).searchParams.get('api-version'));
          return inner.sendRequest(request);
        },
      },
    });

    const { jobId } = await service.start({
      resource: resource(),
      recoveryPointId: POINT,
      idempotencyToken: 't',
    });
    await service.describe(resource(), jobId);

    expect([...versions]).toEqual([RECOVERY_SERVICES_API_VERSION]);
  });
});
