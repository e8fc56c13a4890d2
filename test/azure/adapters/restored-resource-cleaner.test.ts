import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { ArmRestoredResourceCleaner } from '#azure/adapters/restored-resource-cleaner.ts';
import { ErrorCode, ProviderError } from '#shared/domain/errors.ts';
import { recordingCredential } from './recording-transport.ts';
import {
  attachedDisk,
  DISK,
  diskDelete,
  diskResource,
  type Example,
  errors,
  NIC,
  OS_DISK,
  RG,
  restoredDisk,
  restoredVm,
  VM,
  VM_RG,
  vmDelete,
  vmResource,
  vmssManagedBy,
} from './restored-resources.fixtures.ts';

interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** A transport answering each request with the next scripted answer, recording `METHOD path?api-version`. */
function scripted(...answers: Answer[]) {
  const sent: PipelineRequest[] = [];
  const httpClient: HttpClient = {
    sendRequest: async (request): Promise<PipelineResponse> => {
      sent.push(request);
      const answer = answers.shift();
      if (!answer) throw new Error(`unexpected ${request.method} ${request.url}`);
      return {
        request,
        status: answer.status,
        headers: createHttpHeaders(answer.headers ?? {}),
        ...(answer.body === undefined ? {} : { bodyAsText: JSON.stringify(answer.body) }),
      };
    },
  };
  const calls = () =>
    sent.map((r) => {
      const url = new URL(r.url);
      return `${r.method} ${decodeURIComponent(url.pathname)}?${url.searchParams.get('api-version')}`;
    });
  return { httpClient, sent, calls, left: () => answers.length };
}

function cleaner(httpClient: HttpClient) {
  const { credential, scopes } = recordingCredential();
  return {
    cleaner: new ArmRestoredResourceCleaner({ credential, httpClient, retryOptions: { maxRetries: 0 } }),
    scopes,
  };
}

const ok = (body: unknown): Answer => ({ status: 200, body });
const gone: Answer = { status: errors['resourceNotFound']!.status, body: errors['resourceNotFound']!.body };
const answerOf = (example: Example, status: string): Answer => ({
  status: Number(status),
  ...(example.responses[status]?.headers ? { headers: example.responses[status].headers } : {}),
});

describe('ArmRestoredResourceCleaner', () => {
  it('deletes a restored disk: DELETE answered 202 is deleting, and a later GET answered 404 is deleted', async () => {
    const arm = scripted(ok(restoredDisk), answerOf(diskDelete, '202'), gone);
    const { cleaner: c, scopes } = cleaner(arm.httpClient);

    const first = await c.delete(diskResource(), DISK);
    const second = await c.delete(diskResource(), DISK);

    expect(first).toEqual({ state: 'deleting', detail: `compute:Disks_Delete ${DISK} accepted; deleting` });
    expect(second.state).toBe('deleted');
    expect(arm.calls()).toEqual([
      `GET ${DISK}?2024-03-02`,
      `DELETE ${DISK}?2024-03-02`,
      `GET ${DISK}?2024-03-02`,
    ]);
    expect(arm.sent.every((r) => r.headers.get('authorization') === 'Bearer managed-identity-token')).toBe(
      true,
    );
    expect(new Set(scopes)).toEqual(new Set(['https://management.azure.com/.default']));
  });

  it.each([
    { status: '200', after: gone, state: 'deleted' },
    { status: '204', after: gone, state: 'deleted' },
    { status: '200', after: ok(restoredDisk), state: 'deleting' },
  ])('checks with a GET after a DELETE answered $status: $state', async ({ status, after, state }) => {
    const arm = scripted(ok(restoredDisk), answerOf(diskDelete, status), after);
    const { cleaner: c } = cleaner(arm.httpClient);

    expect((await c.delete(diskResource(), DISK)).state).toBe(state);
    expect(arm.calls().map((x) => x.split(' ')[0])).toEqual(['GET', 'DELETE', 'GET']);
  });

  it('counts a resource already gone as deleted, without a DELETE', async () => {
    const arm = scripted(gone);
    const { cleaner: c } = cleaner(arm.httpClient);

    expect(await c.delete(diskResource(), DISK)).toEqual({
      state: 'deleted',
      detail: `${DISK} is gone (already deleted)`,
    });
    expect(arm.calls()).toEqual([`GET ${DISK}?2024-03-02`]);
  });

  it('counts a resource gone between its GET and its DELETE (404 on DELETE) as deleted', async () => {
    const arm = scripted(ok(restoredDisk), gone);
    const { cleaner: c } = cleaner(arm.httpClient);

    expect((await c.delete(diskResource(), DISK)).state).toBe('deleted');
  });

  it('sends no second DELETE while the resource is Deleting', async () => {
    const deleting = {
      ...restoredDisk,
      properties: { ...(restoredDisk['properties'] as object), provisioningState: 'Deleting' },
    };
    const arm = scripted(ok(deleting));
    const { cleaner: c } = cleaner(arm.httpClient);

    expect((await c.delete(diskResource(), DISK)).state).toBe('deleting');
    expect(arm.calls()).toEqual([`GET ${DISK}?2024-03-02`]);
  });

  it('refuses a disk attached to a VM (the official Disk_Get, managedBy a VM), deleting nothing', async () => {
    const arm = scripted(ok(attachedDisk));
    const { cleaner: c } = cleaner(arm.httpClient);

    await expect(c.delete(diskResource(), DISK)).rejects.toThrow(
      /compute:Disks_Delete: .* is managed by .*TestVM/,
    );
    expect(arm.calls()).toEqual([`GET ${DISK}?2024-03-02`]);
  });

  it.each([
    {
      what: 'a blob restore (the storage account)',
      id: `${RG}/providers/Microsoft.Storage/storageAccounts/casefiles`,
      message: /Microsoft\.Storage\/storageAccounts .*existing storage account.*restored containers/,
    },
    {
      what: 'an AKS restore (the target cluster)',
      id: `${RG}/providers/Microsoft.ContainerService/managedClusters/aks-drill`,
      message: /Microsoft\.ContainerService\/managedClusters .*existing cluster.*namespaces/,
    },
    {
      what: 'a PostgreSQL flexible server',
      id: `${RG}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg`,
      message: /Microsoft\.DBforPostgreSQL\/flexibleServers .*as files into a blob container/,
    },
    {
      what: 'a resource group (disks-only VM restore)',
      id: RG,
      message: /is a resource group, which is shared/,
    },
    {
      what: 'a type not in the table',
      id: `${RG}/providers/Microsoft.Web/sites/case-app`,
      message:
        /Standby deletes no Microsoft\.Web\/sites \(it deletes Microsoft\.Compute\/disks, Microsoft\.Compute\/virtualMachines\)/,
    },
    {
      what: 'a container URL',
      id: 'https://casefiles.blob.core.windows.net/restored',
      message: /not an ARM resource id/,
    },
    {
      what: 'a disk other than the one the restore request names',
      id: `${RG}/providers/Microsoft.Compute/disks/case-disk`,
      message: /is not the new resource case-disk's restore request names \(.*case-disk-drill\)/,
    },
  ])('refuses $what before any call, naming it', async ({ id, message }) => {
    const arm = scripted();
    const { cleaner: c } = cleaner(arm.httpClient);

    const error = await c.delete(diskResource(), id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).operation).toBe('standby:DeleteRestored');
    expect((error as Error).message).toMatch(message);
    expect(arm.sent).toHaveLength(0);
  });

  it('turns a 403 AuthorizationFailed on the DELETE into a ProviderError naming the call and the id', async () => {
    const denied = errors['authorizationFailed']!;
    const arm = scripted(ok(restoredDisk), { status: denied.status, body: denied.body });
    const { cleaner: c } = cleaner(arm.httpClient);

    const error = (await c.delete(diskResource(), DISK).catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.operation).toBe('resources:DeleteById');
    expect(error.code).toBe(ErrorCode.Unauthorized);
    expect(error.message).toContain(
      `resources:DeleteById: ${DISK} (compute:Disks_Delete): HTTP 403 AuthorizationFailed`,
    );
  });

  it('does not read a 404 InvalidResourceType (a wrong api-version or type) as gone', async () => {
    const invalid = errors['invalidResourceType']!;
    const arm = scripted({ status: invalid.status, body: invalid.body });
    const { cleaner: c } = cleaner(arm.httpClient);

    await expect(c.delete(diskResource(), DISK)).rejects.toThrow(
      /resources:GetById: .*HTTP 404 InvalidResourceType/,
    );
  });

  describe('a VM restored as a new VM (the official VirtualMachine_Get at the ALR target)', () => {
    const unshared = (id: string) => ok({ ...restoredDisk, id, managedBy: VM });
    const DATA0 = `${VM_RG}/providers/Microsoft.Compute/disks/myDataDisk0`;
    const DATA1 = `${VM_RG}/providers/Microsoft.Compute/disks/myDataDisk1`;
    const withOptions = (state = 'Succeeded', keep: string[] = []) => {
      const props = restoredVm.properties as Record<string, Record<string, unknown>>;
      const storage = props['storageProfile']!;
      const option = (id: string) => (keep.includes(id) ? 'Detach' : 'Delete');
      return {
        ...restoredVm,
        properties: {
          ...props,
          provisioningState: state,
          storageProfile: {
            ...storage,
            osDisk: { ...(storage['osDisk'] as object), deleteOption: 'Delete' },
            dataDisks: (storage['dataDisks'] as { managedDisk: { id: string } }[]).map((d) => ({
              ...d,
              deleteOption: option(d.managedDisk.id),
            })),
          },
          networkProfile: { networkInterfaces: [{ id: NIC, properties: { deleteOption: 'Delete' } }] },
        },
      };
    };

    it('marks its own disks and NIC deleteOption Delete, then deletes the VM, then finds it gone', async () => {
      const arm = scripted(
        ok(restoredVm),
        unshared(OS_DISK),
        unshared(DATA0),
        unshared(DATA1),
        ok(restoredVm), // PATCH answer
        ok(withOptions('Updating')),
        ok(withOptions()),
        answerOf(vmDelete, '202'),
        ok(withOptions('Deleting')),
        gone,
      );
      const { cleaner: c } = cleaner(arm.httpClient);

      const outcomes = [];
      for (let i = 0; i < 5; i += 1) outcomes.push(await c.delete(vmResource, VM));

      expect(outcomes.map((o) => o.state)).toEqual([
        'deleting',
        'deleting',
        'deleting',
        'deleting',
        'deleted',
      ]);
      expect(outcomes[2]!.detail).toBe(
        `compute:VirtualMachines_Delete ${VM} accepted with myOsDisk, myDataDisk0, myDataDisk1, {myNIC}; deleting`,
      );
      expect(arm.calls().filter((c) => !c.startsWith('GET'))).toEqual([
        `PATCH ${VM}?2024-11-01`,
        `DELETE ${VM}?2024-11-01`,
      ]);
      const patch = JSON.parse(String(arm.sent[4]!.body)) as {
        properties: {
          storageProfile: Record<string, unknown>;
          networkProfile: { networkInterfaces: unknown[] };
        };
      };
      const storage = patch.properties.storageProfile as {
        osDisk: { deleteOption: string; name: string };
        dataDisks: { lun: number; createOption: string; deleteOption: string }[];
      };
      expect(storage.osDisk).toMatchObject({ name: 'myOsDisk', deleteOption: 'Delete' });
      expect(storage.dataDisks.map((d) => [d.lun, d.createOption, d.deleteOption])).toEqual([
        [0, 'Empty', 'Delete'],
        [1, 'Attach', 'Delete'],
      ]);
      expect(patch.properties.networkProfile.networkInterfaces).toEqual([
        { id: NIC, properties: { deleteOption: 'Delete' } },
      ]);
      expect(arm.left()).toBe(0);
    });

    it('leaves a shared data disk (managedByExtended) attached with Detach, and says so', async () => {
      const shared = ok({
        ...restoredDisk,
        id: DATA1,
        managedBy: VM,
        managedByExtended: [`${VM_RG}/providers/Microsoft.Compute/virtualMachines/other`],
      });
      const arm = scripted(ok(withOptions('Succeeded', [DATA1])), shared, answerOf(vmDelete, '202'));
      const { cleaner: c } = cleaner(arm.httpClient);

      const outcome = await c.delete(vmResource, VM);

      expect(outcome.detail).toContain(`left shared disk(s) ${DATA1}`);
      expect(arm.calls().map((x) => x.split(' ')[0])).toEqual(['GET', 'GET', 'DELETE']);
    });

    it('refuses a VM managed by a scale set (the example as published), deleting nothing', async () => {
      const arm = scripted(ok({ ...restoredVm, managedBy: vmssManagedBy }));
      const { cleaner: c } = cleaner(arm.httpClient);

      await expect(c.delete(vmResource, VM)).rejects.toThrow(/is managed by .*virtualMachineScaleSets/);
      expect(arm.sent).toHaveLength(1);
    });
  });
});
