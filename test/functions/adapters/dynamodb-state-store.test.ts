import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStateTable,
  DynamoDbStateStore,
  stateTableDefinition,
} from '#functions/adapters/dynamodb-state-store.ts';
import { ErrorCode, ProviderError } from '#shared/domain/errors.ts';
import { describeStateStoreContract } from '../../contracts/state-store.contract.ts';

// dynalite ships no types; it returns a plain node:http server.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: { createTableMs: number }) => Server;

/** dynalite on a free loopback port (port 0: the OS picks it), with a document client pointed at it. */
async function startDynamo(): Promise<{
  client: DynamoDBClient;
  document: DynamoDBDocumentClient;
  close(): Promise<void>;
}> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return {
    client,
    document: DynamoDBDocumentClient.from(client),
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

let tables = 0;
async function freshTable(client: DynamoDBClient): Promise<string> {
  tables += 1;
  const tableName = `standby-state-${tables}`;
  await createStateTable(client, tableName, { timeToLive: false });
  return tableName;
}

describeStateStoreContract('DynamoDbStateStore on dynalite', async () => {
  const dynamo = await startDynamo();
  const tableName = await freshTable(dynamo.client);
  return { store: new DynamoDbStateStore({ client: dynamo.document, tableName }), close: dynamo.close };
});

describe('DynamoDbStateStore', () => {
  let dynamo: Awaited<ReturnType<typeof startDynamo>>;
  let tableName: string;
  let store: DynamoDbStateStore;
  beforeAll(async () => {
    dynamo = await startDynamo();
    tableName = await freshTable(dynamo.client);
    store = new DynamoDbStateStore({ client: dynamo.document, tableName });
  });
  afterAll(async () => {
    await dynamo?.close();
  });

  it('creates the table with the published key schema and on-demand billing', async () => {
    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: stateTableDefinition.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: stateTableDefinition.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('writes pk, sk, version, the value as JSON text, and ttl in epoch seconds rounded up', async () => {
    await store.create(
      { partition: 'app', sort: 'approval#1' },
      { state: 'pending' },
      {
        expiresAt: new Date('2030-01-01T00:00:00.400Z'),
      },
    );
    const { Item } = await dynamo.document.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'app', sk: 'approval#1' } }),
    );
    expect(Item).toEqual({
      pk: 'app',
      sk: 'approval#1',
      version: 1,
      value: '{"state":"pending"}',
      expiresAt: '2030-01-01T00:00:00.400Z',
      ttl: Date.UTC(2030, 0, 1) / 1000 + 1,
    });
  });

  it('pages through a partition larger than one 1 MB query page', async () => {
    const blob = 'x'.repeat(100_000);
    for (let i = 0; i < 14; i++)
      await store.create({ partition: 'big', sort: `item#${String(i).padStart(2, '0')}` }, { blob });
    const items = await store.query('big', 'item#');
    expect(items.map((i) => i.key.sort)).toEqual(
      Array.from({ length: 14 }, (_, i) => `item#${String(i).padStart(2, '0')}`),
    );
  });

  it('reports an item that is not a state item as a ProviderError', async () => {
    await dynamo.document.send(
      new PutCommand({ TableName: tableName, Item: { pk: 'app', sk: 'foreign', other: 1 } }),
    );
    await expect(store.get({ partition: 'app', sort: 'foreign' })).rejects.toBeInstanceOf(ProviderError);
  });

  it('turns a missing table into a not-found ProviderError naming the operation', async () => {
    const missing = new DynamoDbStateStore({ client: dynamo.document, tableName: 'no-such-table' });
    const read = missing.get({ partition: 'app', sort: 'a' });
    await expect(read).rejects.toBeInstanceOf(ProviderError);
    await expect(read).rejects.toMatchObject({
      code: ErrorCode.NotFound,
      message: expect.stringMatching(/^dynamodb:GetItem: ResourceNotFoundException: /),
    });
    await expect(missing.create({ partition: 'app', sort: 'a' }, {})).rejects.toMatchObject({
      code: ErrorCode.NotFound,
      operation: 'dynamodb:PutItem',
    });
  });
});
