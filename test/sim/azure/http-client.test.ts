import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { createSimulatedAzureHttpClient, simulatedCredential } from '#sim/azure/http-client.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001';
const DP_VAULT = `${SUB}/resourceGroups/rg-dr/providers/Microsoft.DataProtection/backupVaults/case-vault`;
const INSTANCE = `${DP_VAULT}/backupInstances/case-db`;
const RS_VAULT = `${SUB}/resourceGroups/rg-vm/providers/Microsoft.RecoveryServices/vaults/vm-vault`;
const RS_ITEM = `${RS_VAULT}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg-vm;web1/protectedItems/VM;iaasvmcontainerv2;rg-vm;web1`;

const dpPoint = (n: number) => ({
  id: `${INSTANCE}/recoveryPoints/rp-${n}`,
  properties: { recoveryPointState: 'Completed', recoveryPointTime: `-${n}h` },
});

function cloudWith(world: Record<string, unknown>): SimulatedCloud {
  return new SimulatedCloud(
    parseWorld('world.json', JSON.stringify({ clock: '2026-11-21T12:00:00Z', ...world })),
  );
}

const baseWorld = {
  azure: {
    vaults: [
      { id: DP_VAULT, name: 'case-vault', location: 'westeurope' },
      { id: RS_VAULT, name: 'vm-vault', location: 'westeurope' },
    ],
    recoveryPoints: [
      dpPoint(1),
      dpPoint(2),
      dpPoint(3),
      { id: `${RS_ITEM}/recoveryPoints/111`, properties: { objectType: 'IaasVMRecoveryPoint' } },
    ],
    secondaryRecoveryPoints: [
      { ...dpPoint(4), location: 'North Europe' },
      { ...dpPoint(5), location: 'swedencentral' },
    ],
  },
};

async function send(
  cloud: SimulatedCloud,
  method: 'GET' | 'POST',
  url: string,
  options: { body?: unknown; auth?: boolean; pageSize?: number } = {},
): Promise<PipelineResponse & { json: { value?: unknown[]; nextLink?: string; error?: { code: string } } }> {
  const client = createSimulatedAzureHttpClient(cloud, { pageSize: options.pageSize ?? 100 });
  const headers = createHttpHeaders(options.auth === false ? {} : { authorization: 'Bearer token' });
  const request = createPipelineRequest({
    url: url.startsWith('https://') ? url : `https://management.azure.com${url}`,
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const response = await client.sendRequest(request);
  return { ...response, json: response.bodyAsText ? JSON.parse(response.bodyAsText) : {} };
}

describe('createSimulatedAzureHttpClient', () => {
  it('serves a vault GET whatever the case of the id, counting it under its operation id', async () => {
    const cloud = cloudWith(baseWorld);
    const response = await send(cloud, 'GET', `${DP_VAULT.toUpperCase()}?api-version=2025-07-01`);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ id: DP_VAULT, location: 'westeurope' });
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(cloud.stats()).toEqual({ 'dataprotection:BackupVaults_Get': 1 });
  });

  it('lists a backup instance’s points page by page through absolute nextLinks', async () => {
    const cloud = cloudWith(baseWorld);
    const first = await send(cloud, 'GET', `${INSTANCE}/recoveryPoints?api-version=2025-07-01`, {
      pageSize: 2,
    });
    expect(first.json.value).toHaveLength(2);
    expect(first.json.nextLink).toMatch(/^https:\/\/management\.azure\.com\/.*\$skipToken=/);
    const second = await send(cloud, 'GET', first.json.nextLink!, { pageSize: 2 });
    expect(second.json.value).toEqual([expect.objectContaining({ id: `${INSTANCE}/recoveryPoints/rp-3` })]);
    expect(second.json.nextLink).toBeUndefined();
    expect(cloud.stats()).toEqual({ 'dataprotection:RecoveryPoints_List': 2 });
  });

  it('serves Recovery Services points of an item whose names the SDK percent-encodes', async () => {
    const cloud = cloudWith(baseWorld);
    const encoded = RS_ITEM.split('/').map(encodeURIComponent).join('/');
    const response = await send(cloud, 'GET', `${encoded}/recoveryPoints?api-version=2025-02-01`);
    expect(response.status).toBe(200);
    expect(response.json.value).toEqual([expect.objectContaining({ id: `${RS_ITEM}/recoveryPoints/111` })]);
    expect(cloud.stats()).toEqual({ 'recoveryservices:RecoveryPoints_List': 1 });
  });

  it('lists secondary points of the region asked for, without the world-only location field', async () => {
    const cloud = cloudWith(baseWorld);
    const response = await send(
      cloud,
      'POST',
      `${SUB}/resourceGroups/rg-dr/providers/Microsoft.DataProtection/locations/northeurope/fetchSecondaryRecoveryPoints?api-version=2025-07-01`,
      { body: { sourceBackupInstanceId: INSTANCE, sourceRegion: 'West Europe' } },
    );
    expect(response.status).toBe(200);
    expect(response.json.value).toEqual([
      { id: `${INSTANCE}/recoveryPoints/rp-4`, properties: expect.any(Object) },
    ]);
    expect(cloud.stats()).toEqual({ 'dataprotection:FetchSecondaryRecoveryPoints_List': 1 });
  });

  it('carries a POST listing’s request in its skip token, so the nextLink GET continues it', async () => {
    const world = structuredClone(baseWorld);
    world.azure.secondaryRecoveryPoints = [1, 2, 3].map((n) => ({ ...dpPoint(n), location: 'northeurope' }));
    const cloud = cloudWith(world);
    const path = `${SUB}/resourceGroups/rg-dr/providers/Microsoft.DataProtection/locations/northeurope/fetchSecondaryRecoveryPoints?api-version=2025-07-01`;
    const body = { sourceBackupInstanceId: INSTANCE, sourceRegion: 'westeurope' };
    const first = await send(cloud, 'POST', path, { body, pageSize: 2 });
    const second = await send(cloud, 'GET', first.json.nextLink!, { pageSize: 2 });
    expect([...first.json.value!, ...second.json.value!]).toHaveLength(3);
    expect(second.json.nextLink).toBeUndefined();
  });

  it.each([
    {
      name: 'a secondary listing without its body',
      method: 'POST' as const,
      url: `${SUB}/resourceGroups/rg-dr/providers/Microsoft.DataProtection/locations/northeurope/fetchSecondaryRecoveryPoints?api-version=2025-07-01`,
      body: {},
      status: 400,
      code: 'BadRequest',
    },
    {
      name: 'a secondary listing naming the wrong source region',
      method: 'POST' as const,
      url: `${SUB}/resourceGroups/rg-dr/providers/Microsoft.DataProtection/locations/northeurope/fetchSecondaryRecoveryPoints?api-version=2025-07-01`,
      body: { sourceBackupInstanceId: INSTANCE, sourceRegion: 'eastus' },
      status: 400,
      code: 'BadRequest',
    },
    {
      name: 'a vault that does not exist',
      method: 'GET' as const,
      url: `${SUB}/resourceGroups/rg-dr/providers/Microsoft.DataProtection/backupVaults/nope?api-version=2025-07-01`,
      status: 404,
      code: 'ResourceNotFound',
    },
    {
      name: 'points under a vault that does not exist',
      method: 'GET' as const,
      url: `${SUB}/resourceGroups/rg-dr/providers/Microsoft.DataProtection/backupVaults/nope/backupInstances/x/recoveryPoints`,
      status: 404,
      code: 'ResourceNotFound',
    },
    {
      name: 'a resource type no module serves',
      method: 'GET' as const,
      url: `${SUB}/resourceGroups/rg-dr/providers/Microsoft.Web/sites/app1?api-version=2024-04-01`,
      status: 404,
      code: 'InvalidResourceType',
    },
    {
      name: 'a malformed skip token',
      method: 'GET' as const,
      url: `${INSTANCE}/recoveryPoints?api-version=2025-07-01&$skipToken=not-json`,
      status: 400,
      code: 'InvalidSkipToken',
    },
  ])(
    'answers $name with $status $code in the ARM error shape',
    async ({ method, url, body, status, code }) => {
      const response = await send(cloudWith(baseWorld), method, url, { body });
      expect(response.status).toBe(status);
      expect(response.json).toEqual({ error: { code, message: expect.any(String) } });
    },
  );

  it('answers a request without a bearer token with 401, before counting a call', async () => {
    const cloud = cloudWith(baseWorld);
    const response = await send(cloud, 'GET', `${DP_VAULT}?api-version=2025-07-01`, { auth: false });
    expect(response.status).toBe(401);
    expect(response.json.error?.code).toBe('AuthenticationFailed');
    expect(cloud.stats()).toEqual({});
  });

  it.each([
    { fault: { error: 'TooManyRequests', retryAfterSeconds: 7 }, status: 429, retryAfter: '7' },
    { fault: { error: 'TooManyRequests' }, status: 429, retryAfter: '1' },
    { fault: { error: 'InternalServerError' }, status: 500, retryAfter: undefined },
    { fault: { error: 'AuthorizationFailed' }, status: 403, retryAfter: undefined },
  ])(
    'turns an injected $fault.error into HTTP $status with Retry-After $retryAfter',
    async ({ fault, status, retryAfter }) => {
      const cloud = cloudWith({
        ...baseWorld,
        faults: [{ api: 'dataprotection:BackupVaults_Get', ...fault }],
      });
      const response = await send(cloud, 'GET', `${DP_VAULT}?api-version=2025-07-01`);
      expect(response.status).toBe(status);
      expect(response.json.error?.code).toBe(fault.error);
      expect(response.headers.get('retry-after')).toBe(retryAfter);
      const again = await send(cloud, 'GET', `${DP_VAULT}?api-version=2025-07-01`);
      expect(again.status).toBe(200);
    },
  );

  it('refuses a page size that is not a positive integer', () => {
    expect(() => createSimulatedAzureHttpClient(cloudWith(baseWorld), { pageSize: 0 })).toThrow(/pageSize/);
  });
});

describe('simulatedCredential', () => {
  it('gives a token that outlives a run', async () => {
    const token = await simulatedCredential.getToken('https://management.azure.com/.default');
    expect(token?.token).toBeTruthy();
    expect(token!.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3600_000);
  });
});
