import {
  CreateTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  type NativeAttributeValue,
  PutCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, ProviderError } from '#shared/domain/errors.ts';
import {
  assertItemKey,
  assertQueryArguments,
  assertWriteArguments,
  type ItemKey,
  type StateStore,
  toStoredJson,
  type Versioned,
  type WriteOptions,
} from '#shared/ports/state-store.ts';
import { toProviderError } from './aws-retry.ts';

/**
 * The shape of the state table, for the CDK stack to mirror: string keys `pk` + `sk`, on-demand
 * billing, TTL on `ttl` (epoch seconds). The stack should also make it a global table with
 * point-in-time recovery; this adapter needs neither.
 */
export const stateTableDefinition = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  billingMode: 'PAY_PER_REQUEST',
  timeToLiveAttribute: 'ttl',
} as const;

/** One item of the state table as this adapter writes it. */
interface StateItem {
  pk: string;
  sk: string;
  version: number;
  /**
   * The value as JSON text. A native map would be nicer in the console, but DynamoDB numbers are not
   * JSON numbers (lib-dynamodb refuses 1e21, the service refuses 1e126), and every store must return
   * exactly what it was given.
   */
  value: string;
  /** Exact expiry (ISO 8601); `ttl` is rounded up to whole seconds for DynamoDB's TTL. */
  expiresAt?: string;
  ttl?: number;
}

/** Dependencies of {@link DynamoDbStateStore}. */
export interface DynamoDbStateStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * The state store on a DynamoDB table (see {@link stateTableDefinition}). Every write is one `PutItem`
 * with a condition: `attribute_not_exists(pk)` to create, `#v = :expected` to update, so a lost race
 * is a `ConditionalCheckFailedException`, turned into `ConflictError`. Reads are strongly consistent,
 * which on a global table holds within the region the client talks to.
 */
export class DynamoDbStateStore implements StateStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: DynamoDbStateStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async get<T>(key: ItemKey): Promise<Versioned<T> | undefined> {
    assertItemKey(key);
    const output = await this.#send('GetItem', () =>
      this.#client.send(
        new GetCommand({
          TableName: this.#tableName,
          Key: { pk: key.partition, sk: key.sort },
          ConsistentRead: true,
        }),
      ),
    );
    return output.Item && toVersioned<T>(output.Item, 'GetItem');
  }

  async create<T>(key: ItemKey, value: T, options?: WriteOptions): Promise<Versioned<T>> {
    assertItemKey(key);
    assertWriteArguments(undefined, options);
    const item = toItem(key, JSON.stringify(toStoredJson(value, key)), 1, options);
    await this.#put(item, { ConditionExpression: 'attribute_not_exists(pk)' }, () => 'it already exists');
    return toVersioned<T>(item, 'PutItem');
  }

  async update<T>(
    key: ItemKey,
    value: T,
    expectedVersion: number,
    options?: WriteOptions,
  ): Promise<Versioned<T>> {
    assertItemKey(key);
    assertWriteArguments(expectedVersion, options);
    const item = toItem(key, JSON.stringify(toStoredJson(value, key)), expectedVersion + 1, options);
    // A missing item fails the condition too (its #v is not :expected), so "absent" is a conflict as well.
    await this.#put(
      item,
      {
        ConditionExpression: '#v = :expected',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
      () => `it is absent or not at version ${expectedVersion}`,
    );
    return toVersioned<T>(item, 'PutItem');
  }

  async query<T>(partition: string, sortPrefix = ''): Promise<Versioned<T>[]> {
    assertQueryArguments(partition, sortPrefix);
    const pages = paginateQuery(
      { client: this.#client },
      {
        TableName: this.#tableName,
        ConsistentRead: true,
        // begins_with refuses an empty prefix, so "everything" is the bare partition condition.
        KeyConditionExpression: sortPrefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
        ExpressionAttributeValues: sortPrefix
          ? { ':pk': partition, ':prefix': sortPrefix }
          : { ':pk': partition },
      },
    );
    const items: Versioned<T>[] = [];
    await this.#send('Query', async () => {
      for await (const page of pages)
        for (const item of page.Items ?? []) items.push(toVersioned<T>(item, 'Query'));
    });
    return items;
  }

  async #put(
    item: StateItem,
    condition: Omit<ConstructorParameters<typeof PutCommand>[0], 'TableName' | 'Item'>,
    why: () => string,
  ): Promise<void> {
    try {
      await this.#client.send(new PutCommand({ TableName: this.#tableName, Item: item, ...condition }));
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException')
        throw new ConflictError(
          `state item ${JSON.stringify(item.pk)}/${JSON.stringify(item.sk)}: ${why()}`,
          {
            cause: error,
          },
        );
      throw providerError('PutItem', error);
    }
  }

  async #send<R>(operation: string, call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (error) {
      throw providerError(operation, error);
    }
  }
}

/**
 * Creates a state table shaped like {@link stateTableDefinition} and waits until it is active; for
 * tests and local runs (production tables come from the CDK stack). dynalite has no
 * `UpdateTimeToLive`, so pass `timeToLive: false` there.
 */
export async function createStateTable(
  client: DynamoDBClient,
  tableName: string,
  options: { readonly timeToLive?: boolean } = {},
): Promise<void> {
  const { partitionKey, sortKey, billingMode, timeToLiveAttribute } = stateTableDefinition;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: partitionKey.name, AttributeType: partitionKey.type },
        { AttributeName: sortKey.name, AttributeType: sortKey.type },
      ],
      KeySchema: [
        { AttributeName: partitionKey.name, KeyType: 'HASH' },
        { AttributeName: sortKey.name, KeyType: 'RANGE' },
      ],
      BillingMode: billingMode,
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: tableName });
  if (options.timeToLive ?? true)
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: timeToLiveAttribute, Enabled: true },
      }),
    );
}

function toItem(key: ItemKey, value: string, version: number, options: WriteOptions | undefined): StateItem {
  const item: StateItem = { pk: key.partition, sk: key.sort, version, value };
  if (options?.expiresAt) {
    item.expiresAt = options.expiresAt.toISOString();
    // Rounded up: DynamoDB may only forget the item after the caller's expiry, never before.
    item.ttl = Math.ceil(options.expiresAt.getTime() / 1000);
  }
  return item;
}

function toVersioned<T>(item: Record<string, NativeAttributeValue>, operation: string): Versioned<T> {
  const { pk, sk, version, value, expiresAt } = item;
  const numeric = Number(version);
  const problem = `item ${JSON.stringify(pk)}/${JSON.stringify(sk)} is not a state item`;
  if (
    typeof pk !== 'string' ||
    typeof sk !== 'string' ||
    !Number.isSafeInteger(numeric) ||
    typeof value !== 'string'
  )
    throw new ProviderError(
      `dynamodb:${operation}`,
      `${problem} (needs pk, sk, numeric version, JSON value)`,
    );
  let parsed: T;
  try {
    parsed = JSON.parse(value) as T;
  } catch (error) {
    throw new ProviderError(`dynamodb:${operation}`, `${problem}: its value is not JSON`, { cause: error });
  }
  return {
    key: { partition: pk, sort: sk },
    value: parsed,
    version: numeric,
    ...(typeof expiresAt === 'string' ? { expiresAt: new Date(expiresAt) } : {}),
  };
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** A failed call as a `ProviderError` with the code every AWS adapter gives it (throttled, unauthorized, not found). */
function providerError(operation: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  return toProviderError(`dynamodb:${operation}`, error, 1);
}
