import { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { CosmosClient, type Database } from '@azure/cosmos';
import { createHttpsServer } from '@vercel/cosmosdb-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CosmosStateStore,
  createStateContainer,
  encodeCosmosId,
  stateContainerDefinition,
} from '#azure/adapters/cosmos-state-store.ts';
import { ErrorCode, ProviderError } from '#shared/domain/errors.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import { describeStateStoreContract } from '../../contracts/state-store.contract.ts';

/** cosmosdb-server on a free loopback port, with a client that accepts its self-signed certificate. */
async function startCosmos(): Promise<{ database: Database; close(): Promise<void> }> {
  const server = createHttpsServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  // Test only: the emulator's certificate is self-signed. keepAlive off so close() is not held open.
  const agent = new Agent({ rejectUnauthorized: false, keepAlive: false });
  const client = new CosmosClient({
    endpoint: `https://127.0.0.1:${port}`,
    key: Buffer.from('cosmosdb-server accepts any key').toString('base64'),
    agent,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const { database } = await client.databases.createIfNotExists({ id: 'standby' });
  return {
    database,
    close: async () => {
      client.dispose();
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

describeStateStoreContract('CosmosStateStore on cosmosdb-server', async () => {
  const cosmos = await startCosmos();
  const container = await createStateContainer(cosmos.database, 'state-contract');
  return { store: new CosmosStateStore({ container }), close: cosmos.close };
});

describe('encodeCosmosId', () => {
  it.each([
    ['plain-key_1.2:x@y=z,w+v', 'plain-key_1.2:x@y=z,w+v'],
    ['a/b', 'a~002fb'],
    ['a\\b?c#d', 'a~005cb~003fc~0023d'],
    ['100%', '100~0025'],
    ['~', '~007e'],
    [' x ', '~0020x~0020'],
    ['é', '~00e9'],
  ])('escapes %j as %j', (sort, id) => {
    expect(encodeCosmosId(sort)).toBe(id);
  });

  it('keeps a prefix of the key a prefix of the id, so STARTSWITH finds prefixes', () => {
    const key = 'job#arn:aws/x?y~z%é😀';
    for (let i = 0; i <= key.length; i++)
      expect(encodeCosmosId(key).startsWith(encodeCosmosId(key.slice(0, i)))).toBe(true);
  });
});

describe('CosmosStateStore', () => {
  let cosmos: Awaited<ReturnType<typeof startCosmos>>;
  beforeAll(async () => {
    cosmos = await startCosmos();
  });
  afterAll(async () => {
    await cosmos?.close();
  });

  it('creates the container with partition key /pk and TTL on without a default', async () => {
    const container = await createStateContainer(cosmos.database, 'state-shape');
    const { resource } = await container.read();
    expect(resource?.partitionKey?.paths).toEqual(stateContainerDefinition.partitionKey.paths);
    expect(resource?.defaultTtl).toBe(-1);
  });

  it('writes the escaped id, the raw sort key, the version and a ttl relative to the write', async () => {
    const container = await createStateContainer(cosmos.database, 'state-documents');
    const clock = new ManualClock(new Date('2030-01-01T00:00:00.000Z'));
    const store = new CosmosStateStore({ container, clock });
    await store.create(
      { partition: 'app', sort: 'approval/1' },
      { state: 'pending' },
      {
        expiresAt: new Date('2030-01-01T01:00:00.500Z'),
      },
    );
    const { resource } = await container.item('approval~002f1', 'app').read();
    expect(resource).toMatchObject({
      id: 'approval~002f1',
      pk: 'app',
      sk: 'approval/1',
      version: 1,
      value: { state: 'pending' },
      expiresAt: '2030-01-01T01:00:00.500Z',
      ttl: 3601,
    });
  });

  it('reports a write to a container that does not exist as a not-found ProviderError', async () => {
    const store = new CosmosStateStore({ container: cosmos.database.container('no-such-container') });
    await expect(store.create({ partition: 'app', sort: 'a' }, {})).rejects.toMatchObject({
      code: ErrorCode.NotFound,
      operation: 'cosmos:CreateItem',
    });
  });

  it('reports a document that is not a state item as a ProviderError', async () => {
    const container = await createStateContainer(cosmos.database, 'state-foreign');
    await container.items.create({ id: 'foreign', pk: 'app', other: 1 });
    const store = new CosmosStateStore({ container });
    await expect(store.get({ partition: 'app', sort: 'foreign' })).rejects.toBeInstanceOf(ProviderError);
  });
});
