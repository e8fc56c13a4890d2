/** A store where every create of one item (by sort key) loses a race; counts those creates. */
import { ConflictError } from '#shared/domain/errors.ts';
import type { ItemKey, StateStore, Versioned, WriteOptions } from '#shared/ports/state-store.ts';

export class BeatenStore implements StateStore {
  writes = 0;
  constructor(
    private readonly inner: StateStore,
    /** The sort key whose creates always conflict (`current`: the failover item; `drill`: the drill's). */
    private readonly sort: string,
  ) {}
  get<T>(key: ItemKey) {
    return this.inner.get<T>(key);
  }
  query<T>(partition: string, prefix?: string) {
    return this.inner.query<T>(partition, prefix);
  }
  async create<T>(key: ItemKey, value: T, options?: WriteOptions): Promise<Versioned<T>> {
    if (key.sort !== this.sort) return this.inner.create(key, value, options);
    this.writes += 1;
    throw new ConflictError('beaten');
  }
  update<T>(key: ItemKey, value: T, version: number, options?: WriteOptions): Promise<Versioned<T>> {
    return this.inner.update(key, value, version, options);
  }
}
