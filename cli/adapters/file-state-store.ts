import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConflictError, InvalidInputError } from '#shared/domain/errors.ts';
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

/** One stored item of a partition file. */
interface FileItem {
  readonly value: unknown;
  readonly version: number;
  readonly expiresAt?: string;
}

/** A partition file: its partition key (file names are lossy) and its items by sort key. */
interface PartitionFile {
  readonly partition: string;
  readonly items: Record<string, FileItem>;
}

/** Options of {@link FileStateStore}. */
export interface FileStateStoreOptions {
  /** The directory of the state (`--state DIR`); created on the first write. */
  readonly dir: string;
}

/**
 * The state store as JSON files, one per partition, for the CLI's `--state DIR`. A write reads the
 * partition file, checks the version, writes a temporary file and renames it over the old one, so a
 * crash leaves either the old or the new file, never half of one. Conditional writes are serialised
 * per partition inside this process; two processes writing the same directory at once are not
 * supported (the CLI runs one command at a time).
 */
export class FileStateStore implements StateStore {
  readonly #dir: string;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(options: FileStateStoreOptions) {
    this.#dir = options.dir;
  }

  async get<T>(key: ItemKey): Promise<Versioned<T> | undefined> {
    assertItemKey(key);
    const item = itemOf(await this.#load(key.partition), key.sort);
    return item && toVersioned<T>(key, item);
  }

  async create<T>(key: ItemKey, value: T, options?: WriteOptions): Promise<Versioned<T>> {
    assertItemKey(key);
    assertWriteArguments(undefined, options);
    const stored = toStoredJson(value, key);
    return this.#write(key, (current) => {
      if (current) throw new ConflictError(`state item ${describe(key)} already exists`);
      return toItem(stored, 1, options);
    });
  }

  async update<T>(
    key: ItemKey,
    value: T,
    expectedVersion: number,
    options?: WriteOptions,
  ): Promise<Versioned<T>> {
    assertItemKey(key);
    assertWriteArguments(expectedVersion, options);
    const stored = toStoredJson(value, key);
    return this.#write(key, (current) => {
      if (current?.version !== expectedVersion)
        throw new ConflictError(
          `state item ${describe(key)} is ${current ? `at version ${current.version}` : 'absent'}, expected version ${expectedVersion}`,
        );
      return toItem(stored, expectedVersion + 1, options);
    });
  }

  async query<T>(partition: string, sortPrefix = ''): Promise<Versioned<T>[]> {
    assertQueryArguments(partition, sortPrefix);
    const data = await this.#load(partition);
    return Object.keys(data.items)
      .filter((sort) => sort.startsWith(sortPrefix))
      .sort(compareSortKeys)
      .map((sort) => toVersioned<T>({ partition, sort }, itemOf(data, sort)!));
  }

  /** Read-check-write of one item, queued behind every other write to the same partition file. */
  async #write<T>(key: ItemKey, next: (current: FileItem | undefined) => FileItem): Promise<Versioned<T>> {
    const file = this.#file(key.partition);
    const run = (this.#queues.get(file) ?? Promise.resolve()).then(async () => {
      const data = await this.#load(key.partition);
      const item = next(itemOf(data, key.sort));
      const items = { ...data.items };
      // defineProperty, not assignment: a sort key such as "__proto__" must stay an ordinary entry.
      Object.defineProperty(items, key.sort, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      await this.#save(file, { partition: key.partition, items });
      return toVersioned<T>(key, item);
    });
    const settled = run.catch(() => undefined);
    this.#queues.set(file, settled);
    void settled.then(() => {
      if (this.#queues.get(file) === settled) this.#queues.delete(file);
    });
    return run;
  }

  async #load(partition: string): Promise<PartitionFile> {
    const file = this.#file(partition);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { partition, items: {} };
      throw error;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new InvalidInputError(`state file ${file} is not valid JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const parsed = data as Partial<PartitionFile> | null;
    if (parsed?.partition !== partition || typeof parsed.items !== 'object' || parsed.items === null)
      throw new InvalidInputError(
        `state file ${file} is not the state of partition ${JSON.stringify(partition)} (needs "partition" and "items")`,
      );
    return parsed as PartitionFile;
  }

  async #save(file: string, data: PartitionFile): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${randomUUID()}.tmp`;
    // Owner-only: controller state is evidence and holds no secret, but nobody else needs to read it.
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(data, null, 2)}\n`, 'utf8');
      // Flushed before the rename, so the rename never publishes a file whose bytes are not on disk yet.
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temporary, file);
  }

  /**
   * A readable, collision-free file name: a slug of the partition (lower case, so case-insensitive
   * file systems do not merge two partitions) plus a hash of the exact key.
   */
  #file(partition: string): string {
    const slug = partition
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '_')
      .slice(0, 60);
    const hash = createHash('sha256').update(partition).digest('hex').slice(0, 12);
    return join(this.#dir, `${slug}.${hash}.json`);
  }
}

/** The item under `sort`, never something inherited from `Object.prototype` (a key like "constructor"). */
function itemOf(data: PartitionFile, sort: string): FileItem | undefined {
  return Object.hasOwn(data.items, sort) ? data.items[sort] : undefined;
}

function toItem(value: unknown, version: number, options: WriteOptions | undefined): FileItem {
  return { value, version, ...(options?.expiresAt ? { expiresAt: options.expiresAt.toISOString() } : {}) };
}

function toVersioned<T>(key: ItemKey, item: FileItem): Versioned<T> {
  return {
    key: { partition: key.partition, sort: key.sort },
    // A fresh copy each time, so a caller cannot change what the next reader sees.
    value: structuredClone(item.value) as T,
    version: item.version,
    ...(item.expiresAt ? { expiresAt: new Date(item.expiresAt) } : {}),
  };
}

function describe(key: ItemKey): string {
  return `${JSON.stringify(key.partition)}/${JSON.stringify(key.sort)}`;
}
