import { ConflictError } from '../domain/errors.ts';
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
} from '../ports/state-store.ts';

interface Stored {
  readonly json: string;
  readonly version: number;
  readonly expiresAt?: number;
}

/**
 * The state store in process memory, for tests and the CLI simulation. Values are kept as JSON text so
 * callers can neither mutate what is stored nor see their later mutations stored. Like the cloud stores
 * it never forgets expired items by itself: readers check `expiresAt`.
 */
export class InMemoryStateStore implements StateStore {
  readonly #partitions = new Map<string, Map<string, Stored>>();

  async get<T>(key: ItemKey): Promise<Versioned<T> | undefined> {
    assertItemKey(key);
    const stored = this.#partitions.get(key.partition)?.get(key.sort);
    return stored && toVersioned<T>(key, stored);
  }

  async create<T>(key: ItemKey, value: T, options?: WriteOptions): Promise<Versioned<T>> {
    assertItemKey(key);
    assertWriteArguments(undefined, options);
    const json = JSON.stringify(toStoredJson(value, key));
    const partition = this.#partition(key.partition);
    if (partition.has(key.sort)) throw new ConflictError(`state item ${describe(key)} already exists`);
    return this.#put(partition, key, { json, version: 1, ...expiry(options) });
  }

  async update<T>(
    key: ItemKey,
    value: T,
    expectedVersion: number,
    options?: WriteOptions,
  ): Promise<Versioned<T>> {
    assertItemKey(key);
    assertWriteArguments(expectedVersion, options);
    const json = JSON.stringify(toStoredJson(value, key));
    const partition = this.#partition(key.partition);
    const current = partition.get(key.sort);
    if (current?.version !== expectedVersion)
      throw new ConflictError(
        `state item ${describe(key)} is ${current ? `at version ${current.version}` : 'absent'}, expected version ${expectedVersion}`,
      );
    return this.#put(partition, key, { json, version: expectedVersion + 1, ...expiry(options) });
  }

  async query<T>(partition: string, sortPrefix = ''): Promise<Versioned<T>[]> {
    assertQueryArguments(partition, sortPrefix);
    const items = [...(this.#partitions.get(partition) ?? new Map<string, Stored>()).entries()];
    return items
      .filter(([sort]) => sort.startsWith(sortPrefix))
      .sort(([a], [b]) => compareSortKeys(a, b))
      .map(([sort, stored]) => toVersioned<T>({ partition, sort }, stored));
  }

  #partition(name: string): Map<string, Stored> {
    let partition = this.#partitions.get(name);
    if (!partition) {
      partition = new Map();
      this.#partitions.set(name, partition);
    }
    return partition;
  }

  #put<T>(partition: Map<string, Stored>, key: ItemKey, stored: Stored): Versioned<T> {
    partition.set(key.sort, stored);
    return toVersioned<T>(key, stored);
  }
}

function expiry(options: WriteOptions | undefined): { expiresAt?: number } {
  return options?.expiresAt ? { expiresAt: options.expiresAt.getTime() } : {};
}

function toVersioned<T>(key: ItemKey, stored: Stored): Versioned<T> {
  return {
    key: { partition: key.partition, sort: key.sort },
    value: JSON.parse(stored.json) as T,
    version: stored.version,
    ...(stored.expiresAt === undefined ? {} : { expiresAt: new Date(stored.expiresAt) }),
  };
}

function describe(key: ItemKey): string {
  return `${JSON.stringify(key.partition)}/${JSON.stringify(key.sort)}`;
}
