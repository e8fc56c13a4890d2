/**
 * The controller's store in a state directory that belongs to one cloud: before the first write, the
 * directory is bound (a simulation saves its world snapshot first), so a command that dies half-way
 * still leaves a directory that says which cloud its state is of.
 */
import type { ItemKey, StateStore, Versioned, WriteOptions } from '#shared/ports/state-store.ts';

export class BoundStateStore implements StateStore {
  #bound: Promise<void> | undefined;
  constructor(
    private readonly inner: StateStore,
    private readonly bind: () => Promise<void>,
  ) {}

  get<T>(key: ItemKey): Promise<Versioned<T> | undefined> {
    return this.inner.get<T>(key);
  }
  query<T>(partition: string, sortPrefix?: string): Promise<Versioned<T>[]> {
    return this.inner.query<T>(partition, sortPrefix);
  }
  async create<T>(key: ItemKey, value: T, options?: WriteOptions): Promise<Versioned<T>> {
    await this.#bindOnce();
    return this.inner.create(key, value, options);
  }
  async update<T>(key: ItemKey, value: T, version: number, options?: WriteOptions): Promise<Versioned<T>> {
    await this.#bindOnce();
    return this.inner.update(key, value, version, options);
  }
  #bindOnce(): Promise<void> {
    this.#bound ??= this.bind().catch((error: unknown) => {
      this.#bound = undefined;
      throw error;
    });
    return this.#bound;
  }
}
