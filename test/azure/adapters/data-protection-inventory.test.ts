import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DataProtectionInventory,
  toJobObservation,
  toRecoveryPoint,
} from '#azure/adapters/data-protection-inventory.ts';
import { evaluateFreshness } from '#shared/domain/freshness.ts';
import type { BackupSource } from '#shared/domain/plan.ts';
import type { ResourceObservation } from '#shared/domain/recovery-point.ts';
import type { InventoryRequest } from '#shared/ports/backup-inventory.ts';
import { createSimulatedAzureHttpClient, simulatedCredential } from '#sim/azure/http-client.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

/** `responses["200"].body` of a recorded Azure REST example. */
function recorded<T>(file: string): T {
  const example = JSON.parse(readFileSync(new URL(`../../fixtures/azure/${file}`, import.meta.url), 'utf8'));
  return example.responses['200'].body as T;
}

type Item = { id: string; properties: Record<string, unknown> };
const fixturePoints = recorded<{ value: Item[] }>('dataprotection-list-recovery-points.example.json').value;
const fixtureJob = recorded<Item>('dataprotection-get-job.example.json');

// The recorded points' own instance and vault.
const VAULT =
  '/subscriptions/04cf684a-d41f-4550-9f70-7708a3a2283b/resourceGroups/HelloTest/providers/Microsoft.DataProtection/backupVaults/HelloTestVault';
const INSTANCE = `${VAULT}/backupInstances/653213d-c5b3-44f6-a0d9-db3c4f9d8e34`;
const OTHER_VAULT =
  '/subscriptions/04cf684a-d41f-4550-9f70-7708a3a2283b/resourceGroups/Other/providers/Microsoft.DataProtection/backupVaults/OtherVault';
const OTHER_INSTANCE = `${OTHER_VAULT}/backupInstances/files`;
const CLOCK = '2026-11-21T12:00:00Z';

const point = (instance: string, n: number, extra: Record<string, unknown> = {}) => ({
  id: `${instance}/recoveryPoints/rp-${n}`,
  properties: { recoveryPointState: 'Completed', recoveryPointTime: `-${n}h`, ...extra },
});

const job = (id: string, instance: string, properties: Record<string, unknown>) => ({
  ...fixtureJob,
  id: `${VAULT}/backupJobs/${id}`,
  name: id,
  properties: { ...fixtureJob.properties, backupInstanceId: instance, ...properties },
});

function worldWith(azure: Record<string, unknown> = {}, rest: Record<string, unknown> = {}) {
  return {
    clock: CLOCK,
    azure: {
      vaults: [
        { id: VAULT, name: 'HelloTestVault', location: 'westeurope' },
        { id: OTHER_VAULT, name: 'OtherVault', location: 'westeurope' },
      ],
      recoveryPoints: [...fixturePoints, point(OTHER_INSTANCE, 1)],
      ...azure,
    },
    ...rest,
  };
}

function setUp(world: Record<string, unknown>, pageSize = 100) {
  const cloud = new SimulatedCloud(parseWorld('world.json', JSON.stringify(world)));
  const inventory = new DataProtectionInventory({
    credential: simulatedCredential,
    httpClient: createSimulatedAzureHttpClient(cloud, { pageSize }),
    retryOptions: { retryDelayInMs: 5, maxRetryDelayInMs: 20 },
  });
  return { cloud, inventory };
}

const request = (
  key: string,
  backupInstanceId: string,
  recoveryRegion = 'westeurope',
  jobsSince = new Date('2026-11-20T12:00:00Z'),
): InventoryRequest => ({
  key,
  source: { kind: 'azure-backup', backupInstanceId },
  recoveryRegion,
  jobsSince,
});

function okOf(observation: ResourceObservation | undefined) {
  if (!observation?.ok) throw new Error(`expected an observation, got ${JSON.stringify(observation)}`);
  return observation;
}

describe('DataProtectionInventory', () => {
  it('maps the recorded recovery points read through the pipeline', async () => {
    const { inventory, cloud } = setUp(worldWith());
    const observed = okOf((await inventory.observe([request('app/db', INSTANCE)])).get('app/db'));
    expect(observed.points).toEqual([
      {
        id: fixturePoints[0]!.id,
        location: { kind: 'azure-region', region: 'westeurope' },
        state: 'completed',
        providerStatus: 'Completed',
        createdAt: new Date('2019-03-01T13:00:00Z'),
        deleteAt: new Date('2023-03-01T13:00:00Z'),
        isCopy: false,
      },
      {
        id: fixturePoints[1]!.id,
        location: { kind: 'azure-region', region: 'westeurope' },
        state: 'completed',
        providerStatus: 'Completed',
        createdAt: new Date('2019-03-01T13:00:00Z'),
        isCopy: false,
      },
    ]);
    expect(cloud.stats()).toEqual({
      'dataprotection:BackupVaults_Get': 1,
      'dataprotection:Jobs_List': 1,
      'dataprotection:RecoveryPoints_List': 1,
    });
  });

  it('follows nextLink until the last page', async () => {
    const points = [1, 2, 3, 4, 5].map((n) => point(INSTANCE, n));
    const { inventory, cloud } = setUp(worldWith({ recoveryPoints: points }), 2);
    const observed = okOf((await inventory.observe([request('app/db', INSTANCE)])).get('app/db'));
    expect(observed.points.map((p) => p.id)).toEqual(points.map((p) => p.id));
    expect(cloud.stats()['dataprotection:RecoveryPoints_List']).toBe(3);
  });

  it('reads each vault’s location once, across instances and observations', async () => {
    const second = `${VAULT}/backupInstances/second`;
    const { inventory, cloud } = setUp(worldWith());
    await inventory.observe([request('app/db', INSTANCE), request('app/second', second)]);
    await inventory.observe([request('app/db', INSTANCE.toLowerCase())]);
    expect(cloud.stats()).toMatchObject({
      'dataprotection:BackupVaults_Get': 1,
      'dataprotection:Jobs_List': 2,
      'dataprotection:RecoveryPoints_List': 3,
    });
  });

  it('lists the cross-region-restore points of the recovery region when it is not the vault’s', async () => {
    const secondary = [1, 2, 3].map((n) => ({ ...point(INSTANCE, n), location: 'northeurope' }));
    const elsewhere = { ...point(INSTANCE, 9), location: 'swedencentral' };
    const { inventory, cloud } = setUp(worldWith({ secondaryRecoveryPoints: [...secondary, elsewhere] }), 2);
    const observed = okOf(
      (await inventory.observe([request('app/db', INSTANCE, 'North Europe')])).get('app/db'),
    );
    expect(observed.points.map((p) => p.id)).toEqual(secondary.map((p) => p.id));
    expect(observed.points.every((p) => p.isCopy)).toBe(true);
    expect(observed.points[0]!.location).toEqual({ kind: 'azure-region', region: 'North Europe' });
    expect(cloud.stats()).toMatchObject({ 'dataprotection:FetchSecondaryRecoveryPoints_List': 2 });
    expect(cloud.stats()['dataprotection:RecoveryPoints_List']).toBeUndefined();
  });

  it('honours Retry-After on 429 and then reads the points', async () => {
    const { inventory, cloud } = setUp(
      worldWith(
        {},
        {
          faults: [
            {
              api: 'dataprotection:RecoveryPoints_List',
              error: 'TooManyRequests',
              times: 2,
              retryAfterSeconds: 0,
            },
          ],
        },
      ),
    );
    const observed = okOf((await inventory.observe([request('app/db', INSTANCE)])).get('app/db'));
    expect(observed.points).toHaveLength(2);
    expect(cloud.stats()['dataprotection:RecoveryPoints_List']).toBe(3);
  });

  it('waits the Retry-After the service asks for before retrying', async () => {
    const { inventory } = setUp(
      worldWith(
        {},
        {
          faults: [
            { api: 'dataprotection:BackupVaults_Get', error: 'TooManyRequests', retryAfterSeconds: 1 },
          ],
        },
      ),
    );
    const started = performance.now();
    okOf((await inventory.observe([request('app/db', INSTANCE)])).get('app/db'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('retries a 5xx with exponential backoff', async () => {
    const { inventory, cloud } = setUp(
      worldWith(
        {},
        { faults: [{ api: 'dataprotection:Jobs_List', error: 'InternalServerError', times: 2 }] },
      ),
    );
    okOf((await inventory.observe([request('app/db', INSTANCE)])).get('app/db'));
    expect(cloud.stats()['dataprotection:Jobs_List']).toBe(3);
  });

  // The two resources are read through different operations, so the fault hits one of them only.
  it.each([
    {
      name: 'a 5xx that outlasts the retries',
      fault: {
        api: 'dataprotection:RecoveryPoints_List',
        error: 'ServiceUnavailable',
        status: 503,
        times: 9,
      },
      victimRegion: 'westeurope',
      bystanderRegion: 'northeurope',
      error: /RecoveryPoints_List: HTTP 503 ServiceUnavailable: Injected fault/,
    },
    {
      name: 'a refused cross-region listing',
      fault: { api: 'dataprotection:FetchSecondaryRecoveryPoints_List', error: 'AuthorizationFailed' },
      victimRegion: 'northeurope',
      bystanderRegion: 'westeurope',
      error: /FetchSecondaryRecoveryPoints_List: HTTP 403 AuthorizationFailed/,
    },
  ])('gives an error for the resource hit by $name and reads the others', async (c) => {
    const secondary = { ...point(OTHER_INSTANCE, 2), location: 'northeurope' };
    const { inventory } = setUp(worldWith({ secondaryRecoveryPoints: [secondary] }, { faults: [c.fault] }));
    const observed = await inventory.observe([
      request('app/db', INSTANCE, c.victimRegion),
      request('app/files', OTHER_INSTANCE, c.bystanderRegion),
    ]);
    expect(observed.get('app/db')).toEqual({ ok: false, error: expect.stringMatching(c.error) });
    expect(okOf(observed.get('app/files')).points).toHaveLength(1);
  });

  it('gives an error naming the vault when it does not exist', async () => {
    const missing = `${VAULT.replace('HelloTestVault', 'Gone')}/backupInstances/x`;
    const observed = await new DataProtectionInventory({
      credential: simulatedCredential,
      httpClient: createSimulatedAzureHttpClient(
        new SimulatedCloud(parseWorld('w.json', JSON.stringify(worldWith()))),
      ),
    }).observe([request('app/x', missing)]);
    expect(observed.get('app/x')).toEqual({
      ok: false,
      error: expect.stringMatching(/HTTP 404 ResourceNotFound: .*backupVaults\/gone/i),
    });
  });

  it('gives an error naming the vault when its answer has no location, and lists nothing', async () => {
    const { inventory, cloud } = setUp(worldWith({ vaults: [{ id: VAULT, name: 'HelloTestVault' }] }));
    const observed = await inventory.observe([request('app/db', INSTANCE)]);
    expect(observed.get('app/db')).toEqual({
      ok: false,
      error: expect.stringMatching(/^dataprotection:BackupVaults_Get: .*HelloTestVault has no location/),
    });
    expect(cloud.stats()).toEqual({ 'dataprotection:BackupVaults_Get': 1 });
  });

  it.each<{ name: string; source: BackupSource; error: RegExp }>([
    {
      name: 'a source of another kind',
      source: { kind: 'azure-recovery-services', protectedItemId: '/subscriptions/x' },
      error: /not a Data Protection backup instance/,
    },
    {
      name: 'an id that is not a backup instance',
      source: { kind: 'azure-backup', backupInstanceId: VAULT },
      error: /is not a Microsoft.DataProtection backupVaults\/backupInstances id/,
    },
  ])('refuses $name without calling Azure', async ({ source, error }) => {
    const { inventory, cloud } = setUp(worldWith());
    const observed = await inventory.observe([{ ...request('app/db', INSTANCE), source }]);
    expect(observed.get('app/db')).toEqual({ ok: false, error: expect.stringMatching(error) });
    expect(cloud.stats()).toEqual({});
  });

  it('keeps the instance’s backup jobs since jobsSince, matching its id whatever the case', async () => {
    const jobs = [
      job('failed', INSTANCE.replace('backupVaults', 'BACKUPVAULTS'), {
        status: 'Failed',
        startTime: '-3h',
        endTime: '-2h',
        errorDetails: [{ message: 'UserErrorSnapshotFailed' }],
      }),
      job('old', INSTANCE, { status: 'Failed', startTime: '-3d', endTime: '-3d' }),
      job('other-instance', `${VAULT}/backupInstances/other`, { status: 'Failed', endTime: '-1h' }),
      job('restore', INSTANCE, { status: 'Failed', operationCategory: 'Restore', endTime: '-1h' }),
      job('running', INSTANCE, { status: 'Started', startTime: '-10m' }),
    ];
    const { inventory } = setUp(worldWith({ jobs }));
    const observed = okOf((await inventory.observe([request('app/db', INSTANCE)])).get('app/db'));
    expect(observed.jobs).toEqual([
      {
        id: `${VAULT}/backupJobs/failed`,
        kind: 'backup',
        state: 'FAILED',
        at: new Date('2026-11-21T10:00:00Z'),
        message: 'UserErrorSnapshotFailed',
      },
      {
        id: `${VAULT}/backupJobs/running`,
        kind: 'backup',
        state: 'RUNNING',
        at: new Date('2026-11-21T11:50:00Z'),
      },
    ]);
  });
  it('lists a vault’s jobs once for all its instances and gives each instance only its own', async () => {
    const SECOND = `${VAULT}/backupInstances/second`;
    const jobs = [
      job('first-failed', INSTANCE, { status: 'Failed', endTime: '-1h' }),
      job('second-failed', SECOND.toUpperCase(), { status: 'Failed', endTime: '-2h' }),
      job('second-done', SECOND, { status: 'Completed', endTime: '-30m' }),
    ];
    const { cloud, inventory } = setUp(
      worldWith({ jobs, recoveryPoints: [...fixturePoints, point(SECOND, 1)] }),
    );
    const observed = await inventory.observe([request('app/first', INSTANCE), request('app/second', SECOND)]);

    expect(okOf(observed.get('app/first')).jobs.map((j) => j.id)).toEqual([
      `${VAULT}/backupJobs/first-failed`,
    ]);
    expect(okOf(observed.get('app/second')).jobs.map((j) => j.id)).toEqual([
      `${VAULT}/backupJobs/second-failed`,
      `${VAULT}/backupJobs/second-done`,
    ]);
    expect(okOf(observed.get('app/second')).points.map((p) => p.id)).toEqual([
      `${SECOND}/recoveryPoints/rp-1`,
    ]);
    expect(cloud.stats()['dataprotection:Jobs_List']).toBe(1);
  });
});

describe('cross-region freshness from the official FetchSecondaryRPs shape', () => {
  // The vault is in West Europe, the plan recovers into North Europe: the points that count are the
  // secondary ones, listed exactly as the official example lists them (no recoveryPointState), only
  // their times moved relative to the clock.
  const official = recorded<{ value: Item[] }>('dataprotection-fetch-secondary-rps.example.json').value[0]!;
  const secondary = (age: string, n: number) => ({
    ...official,
    location: 'northeurope',
    id: `${INSTANCE}/recoveryPoints/secondary-${n}`,
    name: `secondary-${n}`,
    properties: { ...official.properties, recoveryPointTime: age, expiryTime: '+30d' },
  });

  it.each([
    { age: '-10h', status: 'ok' },
    { age: '-20h', status: 'warning' },
    { age: '-30h', status: 'breach' },
  ])('a secondary point $age old, RPO 1d: $status, not missing', async ({ age, status }) => {
    const { inventory } = setUp(worldWith({ secondaryRecoveryPoints: [secondary(age, 1)] }));
    const observation = okOf(
      (await inventory.observe([request('app/db', INSTANCE, 'northeurope')])).get('app/db'),
    );
    const freshness = evaluateFreshness({
      resource: 'db',
      rpoSeconds: 86_400,
      warnAt: 0.8,
      location: { kind: 'azure-region', region: 'northeurope' },
      observation,
      now: new Date(CLOCK),
    });
    expect(freshness.status).toBe(status);
    expect(freshness.recoveryPoint).toBe(`${INSTANCE}/recoveryPoints/secondary-1`);
  });
});

describe('toRecoveryPoint', () => {
  it.each([
    { recoveryPointState: 'Completed', state: 'completed', providerStatus: 'Completed' },
    { recoveryPointState: 'completed', state: 'completed', providerStatus: 'completed' },
    { recoveryPointState: 'Partial', state: 'partial', providerStatus: 'Partial' },
    { recoveryPointState: 'Corrupted', state: 'unknown', providerStatus: 'Corrupted' },
    { recoveryPointState: undefined, state: 'unknown', providerStatus: 'no recoveryPointState' },
    {
      recoveryPointState: undefined,
      secondary: true,
      state: 'completed',
      providerStatus: 'offered for cross-region restore',
    },
    { recoveryPointState: 'Partial', secondary: true, state: 'partial', providerStatus: 'Partial' },
  ])(
    'maps recoveryPointState $recoveryPointState (secondary listing: $secondary) to $state',
    ({ recoveryPointState, secondary, state, providerStatus }) => {
      const mapped = toRecoveryPoint(
        { id: 'rp', properties: { recoveryPointState, recoveryPointTime: '2026-11-21T11:00:00Z' } },
        'westeurope',
        secondary === true,
      );
      expect(mapped).toMatchObject({ state, providerStatus });
    },
  );

  it('takes every point of the official FetchSecondaryRPs example as restorable in the listed region', () => {
    const listed = recorded<{ value: Item[] }>('dataprotection-fetch-secondary-rps.example.json').value;
    expect(listed.every((p) => p.properties['recoveryPointState'] === undefined)).toBe(true);
    const mapped = listed.map((p) => toRecoveryPoint(p, 'westus', true));
    expect(mapped.map((p) => [p.state, p.location, p.isCopy])).toEqual([
      ['completed', { kind: 'azure-region', region: 'westus' }, true],
      ['completed', { kind: 'azure-region', region: 'westus' }, true],
    ]);
  });

  it('refuses a point without a valid recoveryPointTime, naming it', () => {
    expect(() =>
      toRecoveryPoint({ id: 'rp-x', properties: { recoveryPointTime: 'soon' } }, 'westeurope', false),
    ).toThrow(/rp-x has no valid properties.recoveryPointTime \(got "soon"\)/);
  });
});

describe('toJobObservation', () => {
  it.each([
    { status: 'Completed', state: 'COMPLETED' },
    { status: 'Succeeded', state: 'COMPLETED' },
    { status: 'Success', state: 'COMPLETED' },
    { status: 'SucceededWithWarnings', state: 'COMPLETED_WITH_WARNINGS' },
    { status: 'SuccessWithWarning', state: 'COMPLETED_WITH_WARNINGS' },
    { status: 'CompletedWithWarnings', state: 'COMPLETED_WITH_WARNINGS' },
    { status: 'Failed', state: 'FAILED' },
    { status: 'Cancelled', state: 'ABORTED' },
    { status: 'Cancelling', state: 'ABORTING' },
    { status: 'Started', state: 'RUNNING' },
    { status: 'InProgress', state: 'RUNNING' },
    { status: 'Paused', state: 'PAUSED' },
  ])('maps status $status to $state', ({ status, state }) => {
    expect(
      toJobObservation({ id: 'j', properties: { status, startTime: '2026-11-21T11:00:00Z' } })?.state,
    ).toBe(state);
  });

  it('reads the finished job of the official ListJobs example as COMPLETED', () => {
    const jobs = recorded<{ value: Item[] }>('dataprotection-list-jobs.example.json').value;
    expect(jobs.map((j) => toJobObservation(j)?.state)).toEqual([
      'RUNNING',
      'RUNNING',
      'RUNNING',
      'COMPLETED',
    ]);
  });

  it('takes the end time, else the start time, and skips a job with neither', () => {
    const start = '2026-11-21T10:00:00Z';
    const end = '2026-11-21T11:00:00Z';
    expect(toJobObservation({ properties: { startTime: start, endTime: end } })?.at).toEqual(new Date(end));
    expect(toJobObservation({ properties: { startTime: start } })?.at).toEqual(new Date(start));
    expect(toJobObservation({ properties: { status: 'Failed' } })).toBeUndefined();
  });
});

describe('DataProtectionInventory.protection', () => {
  const example = JSON.parse(
    readFileSync(
      new URL('../../fixtures/azure/dataprotection-get-backup-vault.example.json', import.meta.url),
      'utf8',
    ),
  ) as { responses: { 200: { body: Record<string, unknown> } } };

  it('reads immutability and soft delete from BackupVaults_Get, the official example and a locked vault', async () => {
    const official = { ...example.responses[200].body, id: OTHER_VAULT, location: 'westeurope' };
    const locked = {
      id: VAULT,
      name: 'HelloTestVault',
      location: 'westeurope',
      properties: {
        securitySettings: {
          immutabilitySettings: { state: 'Locked' },
          softDeleteSettings: { state: 'AlwaysOn', retentionDurationInDays: 14 },
        },
      },
    };
    const { inventory } = setUp(worldWith({ vaults: [locked, official] }));
    const gone = `${VAULT.replace(/HelloTestVault$/, 'GoneVault')}`;
    const read = await inventory.protection([VAULT, OTHER_VAULT, gone, 'arn:aws:backup:x'], new Date(CLOCK));
    expect(read.map((p) => [p.vault, p.immutability, p.softDelete])).toEqual([
      [VAULT, 'locked', 'always-on'],
      // The example: soft delete "Enabled", no immutability settings.
      [OTHER_VAULT, 'none', 'on'],
      [gone, 'unknown', null],
    ]);
    expect(read[2]!.detail).toMatch(/^dataprotection:BackupVaults_Get failed: /);
  });
});
