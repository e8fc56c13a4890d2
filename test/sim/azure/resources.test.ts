import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { createSimulatedAzureHttpClient } from '#sim/azure/http-client.ts';
import { DELETE_SECONDS } from '#sim/azure/resources.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const RG = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-drill';
const VM = `${RG}/providers/Microsoft.Compute/virtualMachines/web-drill`;
const OS = `${RG}/providers/Microsoft.Compute/disks/web-drill-os`;
const DATA = `${RG}/providers/Microsoft.Compute/disks/web-drill-data`;

function cloud(): SimulatedCloud {
  const vm = {
    id: VM,
    type: 'Microsoft.Compute/virtualMachines',
    location: 'northeurope',
    properties: {
      provisioningState: 'Succeeded',
      storageProfile: {
        osDisk: { name: 'web-drill-os', managedDisk: { id: OS } },
        dataDisks: [{ lun: 0, managedDisk: { id: DATA } }],
      },
    },
  };
  const disk = (id: string) => ({
    id,
    type: 'Microsoft.Compute/disks',
    properties: { provisioningState: 'Succeeded' },
  });
  return new SimulatedCloud(
    parseWorld(
      'w.json',
      JSON.stringify({ clock: '2026-11-30T12:00:00Z', azure: { resources: [vm, disk(OS), disk(DATA)] } }),
    ),
  );
}

async function send(c: SimulatedCloud, method: string, url: string, body?: unknown) {
  const response = await createSimulatedAzureHttpClient(c).sendRequest(
    createPipelineRequest({
      url: `https://management.azure.com${url}`,
      method: method as 'GET',
      headers: createHttpHeaders({ authorization: 'Bearer t' }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  return {
    status: response.status,
    body: response.bodyAsText ? (JSON.parse(response.bodyAsText) as Answer) : undefined,
    headers: response.headers.toJSON(),
  };
}

interface Answer {
  readonly error?: { readonly code?: string };
  readonly properties?: {
    readonly provisioningState?: string;
    readonly storageProfile?: { readonly dataDisks?: unknown };
  };
}

const ids = (c: SimulatedCloud) => c.world.azure.resources.map((r) => String(r['id']).split('/').pop());

describe('simulated ARM resources (restored disks and VMs)', () => {
  it('answers 400 MissingApiVersionParameter without an api-version, as ARM does', async () => {
    const answer = await send(cloud(), 'GET', OS);
    expect([answer.status, answer.body?.error?.code]).toEqual([400, 'MissingApiVersionParameter']);
  });

  it('deletes with 202 and Location, Deleting until the delete has run, then 404 ResourceNotFound', async () => {
    const c = cloud();
    const url = `${OS}?api-version=2024-03-02`;

    const accepted = await send(c, 'DELETE', url);
    const during = await send(c, 'GET', url);
    c.clock.advance(DELETE_SECONDS);
    const after = await send(c, 'GET', url);

    expect(accepted.status).toBe(202);
    expect(accepted.headers['location']).toMatch(
      /\/providers\/Microsoft\.Compute\/locations\/.*api-version=2024-03-02$/,
    );
    expect(during.body?.properties?.provisioningState).toBe('Deleting');
    expect(during.body).not.toHaveProperty('deleteAfter');
    expect([after.status, after.body?.error?.code]).toEqual([404, 'ResourceNotFound']);
    expect((await send(c, 'DELETE', url)).status).toBe(404);
  });

  it('merges a VM PATCH (arrays replaced), and a deleted VM takes only the disks it marks deleteOption Delete', async () => {
    const c = cloud();
    const url = `${VM}?api-version=2024-11-01`;

    const patched = await send(c, 'PATCH', url, {
      properties: {
        storageProfile: { osDisk: { name: 'web-drill-os', managedDisk: { id: OS }, deleteOption: 'Delete' } },
      },
    });
    await send(c, 'DELETE', url);
    const refused = await send(c, 'PATCH', url, { properties: {} });
    c.clock.advance(DELETE_SECONDS);
    await send(c, 'GET', url);

    expect(patched.body?.properties?.storageProfile?.dataDisks).toEqual([
      { lun: 0, managedDisk: { id: DATA } },
    ]);
    expect(refused.status).toBe(409);
    expect(ids(c)).toEqual(['web-drill-data']);
  });
});
