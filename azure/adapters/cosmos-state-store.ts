import type { Container, ContainerRequest, Database } from '@azure/cosmos';
import { ConflictError, ProviderError } from '#shared/domain/errors.ts';
import { type Clock, systemClock } from '#shared/ports/clock.ts';
import {
  assertItemKey,
  assertQueryArguments,
  assertWriteArguments,
  compareSortKeys,
  type ItemKey,
  type StateStore,
  toStoredJson,
  type Versioned,
  type WriteOptions,
} from '#shared/ports/state-store.ts';
import { errorCodeOfStatus } from './arm-pipeline.ts';

/**
 * The shape of the state container, for the infrastructure to mirror: partition key `/pk`, TTL on
 * with no default (`-1`) so only items carrying a `ttl` field ever expire.
 */
export const stateContainerDefinition = {
  partitionKey: { paths: ['/pk'] },
  defaultTtl: -1,
} as const satisfies Omit<ContainerRequest, 'id'>;

/** One document of the state container as this adapter writes it. */
interface StateDocument {
  /** The sort key, escaped (see {@link encodeCosmosId}). */
  id: string;
  pk: string;
  /** The sort key as given, for ordering and for reading back. */
  sk: string;
  version: number;
  value: unknown;
  expiresAt?: string;
  /** Seconds after this write when Cosmos may delete the document. */
  ttl?: number;
}

type StoredDocument = StateDocument & { _etag?: string };

/** Dependencies of {@link CosmosStateStore}. */
export interface CosmosStateStoreOptions {
  readonly container: Container;
  /** Turns `expiresAt` into Cosmos' relative `ttl`; the real clock unless a test gives another. */
  readonly clock?: Clock;
}

// Cosmos forbids '/', '\', '?', '#' in ids, and its gateway mis-decodes '%' and trailing whitespace.
// Anything outside this set is written as '~' + 4 hex digits of the UTF-16 unit ('~' included): one
// code per unit keeps prefixes prefixes, so STARTSWITH on the escaped id still finds a sort prefix.
const ID_SAFE = /[A-Za-z0-9\-._:@=,+]/;

/** The Cosmos item id of a sort key: injective, prefix-preserving, free of characters Cosmos refuses. */
export function encodeCosmosId(sort: string): string {
  let id = '';
  for (let i = 0; i < sort.length; i++) {
    const unit = sort[i]!;
    id += ID_SAFE.test(unit) ? unit : `~${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
  return id;
}

/**
 * The state store on a Cosmos DB container (see {@link stateContainerDefinition}): one document per
 * item, id = escaped sort key, partition key = the item's partition. Writes are conditional on the
 * document's etag, and the etag is read together with the version the caller expects.
 */
export class CosmosStateStore implements StateStore {
  readonly #container: Container;
  readonly #clock: Clock;

  constructor(options: CosmosStateStoreOptions) {
    this.#container = options.container;
    this.#clock = options.clock ?? systemClock;
  }

  async get<T>(key: ItemKey): Promise<Versioned<T> | undefined> {
    assertItemKey(key);
    const document = await this.#read(key);
    return document && toVersioned<T>(document, 'ReadItem');
  }

  async create<T>(key: ItemKey, value: T, options?: WriteOptions): Promise<Versioned<T>> {
    assertItemKey(key);
    assertWriteArguments(undefined, options);
    const document = this.#document(key, toStoredJson(value, key), 1, options);
    try {
      await this.#container.items.create(document);
    } catch (error) {
      if (statusOf(error) === 409)
        throw new ConflictError(`state item ${describe(key)} already exists`, { cause: error });
      throw providerError('CreateItem', error);
    }
    return toVersioned<T>(document, 'CreateItem');
  }

  /**
   * Timeline of a lost race: we read the document at version v with etag e; a concurrent writer
   * replaces it (version v+1, etag e'); our replace `IfMatch e` gets 412 Precondition Failed, which
   * is a `ConflictError` like the stale-version case caught before writing.
   */
  async update<T>(
    key: ItemKey,
    value: T,
    expectedVersion: number,
    options?: WriteOptions,
  ): Promise<Versioned<T>> {
    assertItemKey(key);
    assertWriteArguments(expectedVersion, options);
    const json = toStoredJson(value, key);
    const current = await this.#read(key);
    if (current?.version !== expectedVersion || !current._etag)
      throw new ConflictError(
        `state item ${describe(key)} is ${current ? `at version ${current.version}` : 'absent'}, expected version ${expectedVersion}`,
      );
    const document = this.#document(key, json, expectedVersion + 1, options);
    try {
      await this.#container
        .item(document.id, key.partition)
        .replace(document, { accessCondition: { type: 'IfMatch', condition: current._etag } });
    } catch (error) {
      const status = statusOf(error);
      // 404: deleted (by TTL) between our read and our replace; the caller's version is gone either way.
      if (status === 412 || status === 404)
        throw new ConflictError(
          `state item ${describe(key)} changed after version ${expectedVersion} was read`,
          {
            cause: error,
          },
        );
      throw providerError('ReplaceItem', error);
    }
    return toVersioned<T>(document, 'ReplaceItem');
  }

  async query<T>(partition: string, sortPrefix = ''): Promise<Versioned<T>[]> {
    assertQueryArguments(partition, sortPrefix);
    let documents: StoredDocument[];
    try {
      const response = await this.#container.items
        .query<StoredDocument>(
          {
            query: 'SELECT * FROM c WHERE c.pk = @pk AND STARTSWITH(c.id, @prefix)',
            parameters: [
              { name: '@pk', value: partition },
              { name: '@prefix', value: encodeCosmosId(sortPrefix) },
            ],
          },
          { partitionKey: partition },
        )
        .fetchAll();
      documents = response.resources;
    } catch (error) {
      throw providerError('QueryItems', error);
    }
    // Sorted here, on the unescaped key: escaped ids and Cosmos' string order both differ from DynamoDB's.
    return documents
      .map((d) => toVersioned<T>(d, 'QueryItems'))
      .sort((a, b) => compareSortKeys(a.key.sort, b.key.sort));
  }

  async #read(key: ItemKey): Promise<StoredDocument | undefined> {
    try {
      const response = await this.#container
        .item(encodeCosmosId(key.sort), key.partition)
        .read<StoredDocument>();
      return response.statusCode === 404 ? undefined : response.resource;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw providerError('ReadItem', error);
    }
  }

  #document(key: ItemKey, value: unknown, version: number, options: WriteOptions | undefined): StateDocument {
    const document: StateDocument = {
      id: encodeCosmosId(key.sort),
      pk: key.partition,
      sk: key.sort,
      version,
      value,
    };
    if (options?.expiresAt) {
      document.expiresAt = options.expiresAt.toISOString();
      // Cosmos' ttl counts from the write and must be >= 1; rounded up so it never forgets early.
      document.ttl = Math.max(
        1,
        Math.ceil((options.expiresAt.getTime() - this.#clock.now().getTime()) / 1000),
      );
    }
    return document;
  }
}

/**
 * Creates the state database and container if they do not exist, shaped like
 * {@link stateContainerDefinition}; for tests and local runs (production comes from infrastructure code).
 */
export async function createStateContainer(database: Database, containerId: string): Promise<Container> {
  const { container } = await database.containers.createIfNotExists({
    id: containerId,
    partitionKey: { paths: [...stateContainerDefinition.partitionKey.paths] },
    defaultTtl: stateContainerDefinition.defaultTtl,
  });
  return container;
}

function toVersioned<T>(document: StateDocument, operation: string): Versioned<T> {
  const { pk, sk, version, value, expiresAt } = document;
  if (
    typeof pk !== 'string' ||
    typeof sk !== 'string' ||
    !Number.isSafeInteger(version) ||
    !('value' in document)
  )
    throw new ProviderError(
      `cosmos:${operation}`,
      `document ${JSON.stringify(document.id)} is not a state item (needs pk, sk, numeric version, value)`,
    );
  return {
    key: { partition: pk, sort: sk },
    value: value as T,
    version,
    ...(typeof expiresAt === 'string' ? { expiresAt: new Date(expiresAt) } : {}),
  };
}

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

function describe(key: ItemKey): string {
  return `${JSON.stringify(key.partition)}/${JSON.stringify(key.sort)}`;
}

/** A failed call, coded by its HTTP status like every Azure adapter (403: the identity lacks the data role). */
function providerError(operation: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  return new ProviderError(`cosmos:${operation}`, error instanceof Error ? error.message : String(error), {
    cause: error,
    code: errorCodeOfStatus(statusOf(error)),
  });
}
