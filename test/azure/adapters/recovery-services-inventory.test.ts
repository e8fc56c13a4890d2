import { readFileSync } from 'node:fs';
import type { RecoveryPointTierInformationV2 } from '@azure/arm-recoveryservicesbackup';
import { describe, expect, it } from 'vitest';
import { RecoveryServicesInventory, tierVerdict } from '#azure/adapters/recovery-services-inventory.ts';
import type { ResourceObservation } from '#shared/domain/recovery-point.ts';
import type { InventoryRequest } from '#shared/ports/backup-inventory.ts';
import { createSimulatedAzureHttpClient, simulatedCredential } from '#sim/azure/http-client.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

type Item = { id: string; properties: Record<string, unknown> };
const fixturePoints = (
  JSON.parse(
    readFileSync(
      new URL('../../fixtures/azure/recoveryservices-list-recovery-points.example.json', import.meta.url),
      'utf8',
    ),
  ).responses['200'].body as { value: Item[] }
).value;

// The recorded points' own vault and protected item (the third recorded point is of another vault).
const VAULT =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rshhtestmdvmrg/providers/Microsoft.RecoveryServices/vaults/rshvault';
const ITEM = `${VAULT}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rshhtestmdvmrg;rshmdvmsmall/protectedItems/VM;iaasvmcontainerv2;rshhtestmdvmrg;rshmdvmsmall`;
const OTHER_VAULT =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/FijiValidation-asr-microsoftrrdclab3-408/providers/Microsoft.RecoveryServices/vaults/testVault408';
const OTHER_ITEM = `${OTHER_VAULT}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;fijivalidation-asr-microsoftrrdclab3-408;vm408/protectedItems/VM;iaasvmcontainerv2;fijivalidation-asr-microsoftrrdclab3-408;vm408`;

const valid = (n: number) => ({
  id: `${ITEM}/recoveryPoints/${n}`,
  properties: {
    objectType: 'IaasVMRecoveryPoint',
    recoveryPointTime: `-${n}h`,
    recoveryPointTierDetails: [{ type: 'HardenedRP', status: 'Valid' }],
  },
});

function worldWith(azure: Record<string, unknown> = {}, rest: Record<string, unknown> = {}) {
  return {
    clock: '2026-11-21T12:00:00Z',
    azure: {
      vaults: [
        { id: VAULT, name: 'rshvault', location: 'West Europe' },
        { id: OTHER_VAULT.toLowerCase(), name: 'testVault408', location: 'northeurope' },
      ],
      recoveryPoints: fixturePoints,
      ...azure,
    },
    ...rest,
  };
}

function setUp(world: Record<string, unknown>, pageSize = 100) {
  const cloud = new SimulatedCloud(parseWorld('world.json', JSON.stringify(world)));
  const inventory = new RecoveryServicesInventory({
    credential: simulatedCredential,
    httpClient: createSimulatedAzureHttpClient(cloud, { pageSize }),
    retryOptions: { retryDelayInMs: 5, maxRetryDelayInMs: 20 },
  });
  return { cloud, inventory };
}

const request = (key: string, protectedItemId: string, recoveryRegion = 'westeurope'): InventoryRequest => ({
  key,
  source: { kind: 'azure-recovery-services', protectedItemId },
  recoveryRegion,
  jobsSince: new Date('2026-11-20T12:00:00Z'),
});

function okOf(observation: ResourceObservation | undefined) {
  if (!observation?.ok) throw new Error(`expected an observation, got ${JSON.stringify(observation)}`);
  return observation;
}

describe('RecoveryServicesInventory', () => {
  it('maps the recorded points of the item, read through the SDK and the pipeline', async () => {
    const { inventory, cloud } = setUp(worldWith());
    const observed = okOf((await inventory.observe([request('app/vm', ITEM)])).get('app/vm'));
    expect(observed.points).toEqual([
      {
        id: fixturePoints[0]!.id,
        location: { kind: 'azure-region', region: 'West Europe' },
        state: 'completed',
        providerStatus: 'InstantRP Deleted, HardenedRP Valid',
        createdAt: new Date('2017-12-21T22:48:25.435Z'),
        isCopy: false,
      },
      {
        id: fixturePoints[1]!.id,
        location: { kind: 'azure-region', region: 'West Europe' },
        state: 'completed',
        providerStatus: 'InstantRP Deleted, HardenedRP Deleted, ArchivedRP Rehydrated',
        createdAt: new Date('2017-12-20T22:49:44.331Z'),
        deleteAt: new Date('2020-12-21T22:48:25.435Z'),
        isCopy: false,
      },
    ]);
    expect(observed.jobs).toEqual([]);
    expect(cloud.stats()).toEqual({
      'recoveryservices:RecoveryPoints_List': 1,
      'recoveryservices:Vaults_Get': 1,
    });
  });

  it('follows nextLink until the last page', async () => {
    const points = [1, 2, 3, 4, 5].map(valid);
    const { inventory, cloud } = setUp(worldWith({ recoveryPoints: points }), 2);
    const observed = okOf((await inventory.observe([request('app/vm', ITEM)])).get('app/vm'));
    expect(observed.points.map((p) => p.id)).toEqual(points.map((p) => p.id));
    expect(cloud.stats()['recoveryservices:RecoveryPoints_List']).toBe(3);
  });

  it('matches ids whatever their case and reads each vault once', async () => {
    const { inventory, cloud } = setUp(worldWith());
    const observed = await inventory.observe([
      request('app/vm', ITEM.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/')),
      request('app/vm408', OTHER_ITEM, 'northeurope'),
    ]);
    await inventory.observe([request('app/vm', ITEM)]);
    expect(okOf(observed.get('app/vm')).points).toHaveLength(2);
    expect(okOf(observed.get('app/vm408')).points).toEqual([
      expect.objectContaining({
        id: fixturePoints[2]!.id,
        location: { kind: 'azure-region', region: 'northeurope' },
      }),
    ]);
    expect(cloud.stats()['recoveryservices:Vaults_Get']).toBe(2);
  });

  it('locates the points in the vault’s region when the recovery region is another', async () => {
    const { inventory } = setUp(worldWith());
    const observed = okOf((await inventory.observe([request('app/vm', ITEM, 'northeurope')])).get('app/vm'));
    expect(observed.points.map((p) => p.location)).toEqual([
      { kind: 'azure-region', region: 'West Europe' },
      { kind: 'azure-region', region: 'West Europe' },
    ]);
  });

  it('honours Retry-After on 429 and retries a 5xx', async () => {
    const { inventory, cloud } = setUp(
      worldWith(
        {},
        {
          faults: [
            { api: 'recoveryservices:Vaults_Get', error: 'InternalServerError', times: 2 },
            {
              api: 'recoveryservices:RecoveryPoints_List',
              error: 'TooManyRequests',
              times: 2,
              retryAfterSeconds: 0,
            },
          ],
        },
      ),
    );
    okOf((await inventory.observe([request('app/vm', ITEM)])).get('app/vm'));
    expect(cloud.stats()).toEqual({
      'recoveryservices:RecoveryPoints_List': 3,
      'recoveryservices:Vaults_Get': 3,
    });
  });

  it('gives an error for the resource that cannot be read and reads the others', async () => {
    const { inventory } = setUp(
      worldWith({
        vaults: [{ id: OTHER_VAULT, location: 'northeurope' }],
      }),
    );
    const observed = await inventory.observe([request('app/vm', ITEM), request('app/vm408', OTHER_ITEM)]);
    expect(observed.get('app/vm')).toEqual({
      ok: false,
      error: expect.stringMatching(/Vaults_Get: HTTP 404 ResourceNotFound: .*rshvault/),
    });
    expect(okOf(observed.get('app/vm408')).points).toHaveLength(1);
  });

  it('gives an error naming the vault when its answer has no location, and lists nothing', async () => {
    const { inventory, cloud } = setUp(worldWith({ vaults: [{ id: VAULT, name: 'rshvault' }] }));
    const observed = await inventory.observe([request('app/vm', ITEM)]);
    expect(observed.get('app/vm')).toEqual({
      ok: false,
      error: expect.stringMatching(/^recoveryservices:Vaults_Get: .*rshvault has no location/),
    });
    expect(cloud.stats()).toEqual({ 'recoveryservices:Vaults_Get': 1 });
  });

  it('gives the SDK’s ARM error for a failed listing', async () => {
    const { inventory } = setUp(
      worldWith(
        {},
        { faults: [{ api: 'recoveryservices:RecoveryPoints_List', error: 'AuthorizationFailed' }] },
      ),
    );
    const observed = await inventory.observe([request('app/vm', ITEM)]);
    expect(observed.get('app/vm')).toEqual({
      ok: false,
      error: expect.stringMatching(
        /^recoveryservices:RecoveryPoints_List: HTTP 403 AuthorizationFailed: Injected/,
      ),
    });
  });

  it('refuses an id that is not a protected item without calling Azure', async () => {
    const { inventory, cloud } = setUp(worldWith());
    const observed = await inventory.observe([request('app/vm', VAULT)]);
    expect(observed.get('app/vm')).toEqual({
      ok: false,
      error: expect.stringContaining('is not a Microsoft.RecoveryServices'),
    });
    expect(cloud.stats()).toEqual({});
  });
});

describe('tierVerdict', () => {
  const tier = (type: string, status: string, expiry?: string): RecoveryPointTierInformationV2 =>
    ({
      type,
      status,
      ...(expiry ? { extendedInfo: { RehydratedRPExpiryTime: expiry } } : {}),
    }) as RecoveryPointTierInformationV2;

  it.each([
    { name: 'no tier details', tiers: undefined, state: 'completed', deleteAt: undefined },
    { name: 'an empty tier list', tiers: [], state: 'completed', deleteAt: undefined },
    {
      name: 'a valid vault tier',
      tiers: [tier('InstantRP', 'Deleted'), tier('HardenedRP', 'Valid')],
      state: 'completed',
      deleteAt: undefined,
    },
    {
      name: 'a valid tier beside a rehydrated one (no deletion time)',
      tiers: [tier('HardenedRP', 'Valid'), tier('ArchivedRP', 'Rehydrated', '2026-12-01T00:00:00Z')],
      state: 'completed',
      deleteAt: undefined,
    },
    {
      name: 'only rehydrated tiers (earliest expiry)',
      tiers: [
        tier('HardenedRP', 'Deleted'),
        tier('ArchivedRP', 'Rehydrated', '2026-12-02T00:00:00Z'),
        tier('ArchivedRP', 'Rehydrated', '2026-12-01T00:00:00Z'),
      ],
      state: 'completed',
      deleteAt: new Date('2026-12-01T00:00:00Z'),
    },
    {
      name: 'every tier deleted',
      tiers: [tier('InstantRP', 'Deleted'), tier('HardenedRP', 'Deleted')],
      state: 'expired',
      deleteAt: undefined,
    },
    {
      name: 'an invalid tier',
      tiers: [tier('HardenedRP', 'Invalid'), tier('InstantRP', 'Deleted')],
      state: 'unknown',
      deleteAt: undefined,
    },
  ])('gives $state for $name', ({ tiers, state, deleteAt }) => {
    const verdict = tierVerdict(tiers);
    expect(verdict.state).toBe(state);
    expect(verdict.deleteAt).toEqual(deleteAt);
  });
});

describe('RecoveryServicesInventory.protection', () => {
  const example = JSON.parse(
    readFileSync(
      new URL('../../fixtures/azure/recoveryservices-get-vault.example.json', import.meta.url),
      'utf8',
    ),
  ) as { responses: { 200: { body: Record<string, unknown> } } };

  it('reads immutability and soft delete from Vaults_Get: the official example, a locked vault, one it cannot read', async () => {
    const official = {
      ...example.responses[200].body,
      id: OTHER_VAULT.toLowerCase(),
      location: 'northeurope',
    };
    const locked = {
      id: VAULT,
      name: 'rshvault',
      location: 'West Europe',
      properties: {
        securitySettings: {
          immutabilitySettings: { state: 'Locked' },
          softDeleteSettings: { softDeleteState: 'AlwaysON', softDeleteRetentionPeriodInDays: 14 },
        },
      },
    };
    const { inventory } = setUp(worldWith({ vaults: [locked, official] }));
    const gone = VAULT.replace(/rshvault$/, 'gonevault');
    const dpp =
      '/subscriptions/04cf684a-d41f-4550-9f70-7708a3a2283b/resourceGroups/000pikumar/providers/Microsoft.DataProtection/backupVaults/PratikPrivatePreviewVault1';
    const read = await inventory.protection([VAULT, OTHER_VAULT, gone, dpp, 'arn:aws:backup:x'], new Date());
    expect(read.map((p) => [p.vault, p.immutability, p.softDelete, p.detail.split(':')[0]])).toEqual([
      [VAULT, 'locked', 'always-on', 'immutability Locked, soft delete always-on'],
      // The example: immutability Disabled, soft delete Enabled.
      [OTHER_VAULT, 'none', 'on', 'immutability Disabled, soft delete on'],
      [gone, 'unknown', null, 'recoveryservices'],
    ]);
  });
});
