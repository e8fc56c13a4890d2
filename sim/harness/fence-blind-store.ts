/**
 * The store of the `fence-blind` seed family: it hides the fencing token of every app item from the
 * engine (reads show token 0), so `fencedUpdate` never turns a superseded lease holder away. What
 * then keeps a stale round from acting on a newer failover is the failover id every event names —
 * the family proves that layer holds on its own (docs/reliability.md, "Defence in depth").
 */
import type { ItemKey, StateStore, Versioned, WriteOptions } from '#shared/ports/state-store.ts';

/** App items (the failover's and the drill's) carry the fencing token. */
const fenced = (key: ItemKey) => key.partition.startsWith('app#') && !key.sort.includes('#');

export class FenceBlindStore implements StateStore {
  constructor(private readonly inner: StateStore) {}

  async get<T>(key: ItemKey): Promise<Versioned<T> | undefined> {
    const item = await this.inner.get<T>(key);
    return item && fenced(key) ? { ...item, value: blind(item.value) } : item;
  }

  query<T>(partition: string, sortPrefix?: string): Promise<Versioned<T>[]> {
    return this.inner.query<T>(partition, sortPrefix);
  }

  create<T>(key: ItemKey, value: T, options?: WriteOptions): Promise<Versioned<T>> {
    return this.inner.create(key, value, options);
  }

  update<T>(key: ItemKey, value: T, expected: number, options?: WriteOptions): Promise<Versioned<T>> {
    return this.inner.update(key, value, expected, options);
  }
}

function blind<T>(value: T): T {
  return value && typeof value === 'object' && 'fencingToken' in value
    ? { ...value, fencingToken: 0 }
    : value;
}
