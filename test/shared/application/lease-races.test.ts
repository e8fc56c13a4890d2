import { describe, expect, it } from 'vitest';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import {
  acquireLease,
  assertFencing,
  assertHolding,
  checkFence,
  fencedUpdate,
  type Lease,
  LeaseLostError,
  releaseLease,
  renewLease,
} from '#shared/application/lease.ts';
import { ConflictError, InvalidInputError } from '#shared/domain/errors.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import type { ItemKey, StateStore, Versioned, WriteOptions } from '#shared/ports/state-store.ts';

const t0 = new Date('2025-06-01T12:00:00.000Z');
const NAME = 'failover/app';

/** A store whose writes fail: `conflicts` first lose a race, then `error` (if any) is thrown; counts writes. */
class FailingWrites implements StateStore {
  writes = 0;
  constructor(
    private readonly inner: StateStore,
    private conflicts: number,
    private readonly error?: Error,
  ) {}
  get<T>(key: ItemKey) {
    return this.inner.get<T>(key);
  }
  query<T>(partition: string, prefix?: string) {
    return this.inner.query<T>(partition, prefix);
  }
  create<T>(key: ItemKey, value: T, options?: WriteOptions): Promise<Versioned<T>> {
    return this.#write(() => this.inner.create(key, value, options));
  }
  update<T>(key: ItemKey, value: T, version: number, options?: WriteOptions): Promise<Versioned<T>> {
    return this.#write(() => this.inner.update(key, value, version, options));
  }
  async #write<T>(write: () => Promise<T>): Promise<T> {
    this.writes += 1;
    if (this.conflicts > 0) {
      this.conflicts -= 1;
      throw new ConflictError('lost a race');
    }
    if (this.error) throw this.error;
    return write();
  }
}

async function held(store: StateStore): Promise<Lease> {
  const r = await acquireLease(store, { name: NAME, owner: 'a', now: t0, ttlSeconds: 30 });
  if (!r.acquired) throw new Error('expected the lease');
  return r.lease;
}
const throttled = () => new Error('ProvisionedThroughputExceeded');

describe('the lease under lost races and store failures', () => {
  type Op = (store: StateStore, lease: Lease) => Promise<unknown>;
  const ops: [string, Op][] = [
    [
      'acquireLease',
      (s) =>
        acquireLease(s, { name: NAME, owner: 'b', now: new Date(t0.getTime() + 60_000), ttlSeconds: 30 }),
    ],
    ['renewLease', (s, lease) => renewLease(s, { lease, now: t0, ttlSeconds: 30 })],
    ['releaseLease', (s, lease) => releaseLease(s, lease, t0)],
  ];

  it.each(ops)('%s tries again after a lost race', async (_, op) => {
    const inner = new InMemoryStateStore();
    const lease = await held(inner);
    const store = new FailingWrites(inner, 2);
    await op(store, lease);
    expect(store.writes).toBe(3);
  });

  it.each(ops)('%s gives up after 3 lost races with the conflict', async (_, op) => {
    const inner = new InMemoryStateStore();
    const lease = await held(inner);
    const store = new FailingWrites(inner, 99);
    await expect(op(store, lease)).rejects.toBeInstanceOf(ConflictError);
    expect(store.writes).toBe(3);
  });

  it.each(ops)('%s fails at once on any other store error', async (_, op) => {
    const inner = new InMemoryStateStore();
    const lease = await held(inner);
    const store = new FailingWrites(inner, 0, throttled());
    await expect(op(store, lease)).rejects.toThrow('ProvisionedThroughputExceeded');
    expect(store.writes).toBe(1);
  });
});

describe('the lease when there is none', () => {
  const ghost: Lease = {
    name: NAME,
    owner: 'a',
    fencingToken: 1,
    expiresAt: new Date(t0.getTime() + 30_000),
  };

  it('is released by nobody, fences every token out, and says it is missing', async () => {
    const store = new InMemoryStateStore();
    expect(await releaseLease(store, ghost, t0)).toBe(false);
    expect(await checkFence(store, NAME, 1, t0)).toEqual({ ok: false, reason: 'missing' });
    await expect(assertFencing(store, NAME, 1, t0)).rejects.toThrow(new LeaseLostError(NAME, 1, 'missing'));
    await expect(assertHolding(store, NAME, 1, new ManualClock(t0))).rejects.toThrow(
      'lease "failover/app" with fencing token 1 is no longer held: missing',
    );
    expect(await store.query(`lease/${NAME}`)).toEqual([]);
  });
});

describe('fencedUpdate, what it compares', () => {
  const key = { partition: 'app#a', sort: 'current' };

  it('writes over a value without a token, and refuses an absent item as a conflict', async () => {
    const store = new InMemoryStateStore();
    await store.create(key, { note: 'written before leases' });
    expect((await fencedUpdate(store, key, { fencingToken: 1 }, 1)).value).toEqual({ fencingToken: 1 });
    await expect(
      fencedUpdate(store, { ...key, sort: 'none' }, { fencingToken: 1 }, 1),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('names the item it refuses a stale writer for', async () => {
    const store = new InMemoryStateStore();
    await store.create(key, { fencingToken: 5 });
    await expect(fencedUpdate(store, key, { fencingToken: 4 }, 1)).rejects.toThrow(
      'lease "app#a/current" with fencing token 4 is no longer held: superseded',
    );
  });
});

describe('lease arguments', () => {
  const acquire = (change: Partial<{ name: string; owner: string; now: Date; ttlSeconds: number }>) =>
    acquireLease(new InMemoryStateStore(), { name: NAME, owner: 'a', now: t0, ttlSeconds: 30, ...change });

  it('refuses an empty name, naming it', async () => {
    await expect(acquire({ name: '' })).rejects.toThrow(
      new InvalidInputError('lease name must be a non-empty string, got ""'),
    );
  });

  it('refuses an empty owner, naming it', async () => {
    await expect(acquire({ owner: '' })).rejects.toThrow(
      new InvalidInputError('lease owner must be a non-empty string, got ""'),
    );
  });

  it('refuses a name or owner that is not text (a JavaScript caller), naming it', async () => {
    await expect(acquire({ name: 42 as unknown as string })).rejects.toThrow(
      new InvalidInputError('lease name must be a non-empty string, got 42'),
    );
    await expect(acquire({ owner: 7 as unknown as string })).rejects.toThrow(
      new InvalidInputError('lease owner must be a non-empty string, got 7'),
    );
  });

  it('refuses an invalid time, naming it', async () => {
    await expect(acquire({ now: new Date('nope') })).rejects.toThrow(
      new InvalidInputError('lease time "now" must be a valid Date, got Invalid Date'),
    );
  });

  it('refuses a ttl that is not a positive number of seconds, naming it', async () => {
    await expect(acquire({ ttlSeconds: -5 })).rejects.toThrow(
      new InvalidInputError('lease ttlSeconds must be a positive number of seconds, got -5'),
    );
  });
});
