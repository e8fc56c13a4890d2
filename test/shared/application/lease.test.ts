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
  leaseKey,
  releaseLease,
  renewLease,
} from '#shared/application/lease.ts';
import { ConflictError, InvalidInputError } from '#shared/domain/errors.ts';
import type { ItemKey, StateStore, Versioned, WriteOptions } from '#shared/ports/state-store.ts';

const t0 = new Date('2025-06-01T12:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

async function holding(store: StateStore, owner: string, now = t0, ttlSeconds = 30): Promise<Lease> {
  const result = await acquireLease(store, { name: 'failover/app', owner, now, ttlSeconds });
  if (!result.acquired) throw new Error(`${owner} should have acquired the lease`);
  return result.lease;
}

describe('acquireLease', () => {
  it('lets another owner take an expired lease only once it expired by more than the allowed clock skew', async () => {
    const store = new InMemoryStateStore();
    await holding(store, 'a');
    const request = { name: 'failover/app', owner: 'b', ttlSeconds: 30, skewSeconds: 20 };
    expect(await acquireLease(store, { ...request, now: at(45) })).toMatchObject({
      acquired: false,
      heldBy: 'a',
    });
    expect(await acquireLease(store, { ...request, now: at(50) })).toMatchObject({
      acquired: true,
      lease: { owner: 'b', fencingToken: 2 },
    });
  });

  it('gives a free lease token 1 and an expiry of now + ttl', async () => {
    const result = await acquireLease(new InMemoryStateStore(), {
      name: 'failover/app',
      owner: 'a',
      now: t0,
      ttlSeconds: 30,
    });
    expect(result).toEqual({
      acquired: true,
      lease: { name: 'failover/app', owner: 'a', fencingToken: 1, expiresAt: at(30) },
    });
  });

  it('reports the holder and its expiry to another owner while the lease is unexpired', async () => {
    const store = new InMemoryStateStore();
    await holding(store, 'a');
    expect(
      await acquireLease(store, { name: 'failover/app', owner: 'b', now: at(29), ttlSeconds: 30 }),
    ).toEqual({
      acquired: false,
      heldBy: 'a',
      expiresAt: at(30),
    });
  });

  it('treats the expiry instant as expired', async () => {
    const store = new InMemoryStateStore();
    await holding(store, 'a');
    expect((await holding(store, 'b', at(30))).fencingToken).toBe(2);
  });

  it('gives the holder a new, higher token when it acquires again, fencing out its earlier round', async () => {
    const store = new InMemoryStateStore();
    const first = await holding(store, 'a');
    const again = await holding(store, 'a', at(10));
    expect(again).toEqual({ ...first, fencingToken: first.fencingToken + 1, expiresAt: at(40) });
    await expect(assertFencing(store, 'failover/app', first.fencingToken, at(11))).rejects.toBeInstanceOf(
      LeaseLostError,
    );
  });

  it('gives the same owner a new token when it comes back after expiry', async () => {
    const store = new InMemoryStateStore();
    await holding(store, 'a');
    expect((await holding(store, 'a', at(60))).fencingToken).toBe(2);
  });

  it('never puts a store TTL on the lease item, so its token count is never forgotten', async () => {
    const store = new InMemoryStateStore();
    await holding(store, 'a');
    expect((await store.get(leaseKey('failover/app')))?.expiresAt).toBeUndefined();
  });

  it('decides again when it loses the write race, and reports the winner', async () => {
    const inner = new InMemoryStateStore();
    // Owner b slips in between a's read and a's write.
    const racing: StateStore = {
      get: (key) => inner.get(key),
      query: (p, s) => inner.query(p, s),
      update: (key, value, version, options) => inner.update(key, value, version, options),
      create: async <T>(key: ItemKey, value: T, options?: WriteOptions): Promise<Versioned<T>> => {
        await acquireLease(inner, { name: 'failover/app', owner: 'b', now: t0, ttlSeconds: 30 });
        return inner.create(key, value, options);
      },
    };
    expect(await acquireLease(racing, { name: 'failover/app', owner: 'a', now: t0, ttlSeconds: 30 })).toEqual(
      {
        acquired: false,
        heldBy: 'b',
        expiresAt: at(30),
      },
    );
  });

  it.each([
    ['an empty name', { name: '', owner: 'a', now: t0, ttlSeconds: 30 }],
    ['an empty owner', { name: 'n', owner: '', now: t0, ttlSeconds: 30 }],
    ['an invalid time', { name: 'n', owner: 'a', now: new Date('nope'), ttlSeconds: 30 }],
    ['a zero ttl', { name: 'n', owner: 'a', now: t0, ttlSeconds: 0 }],
    ['an infinite ttl', { name: 'n', owner: 'a', now: t0, ttlSeconds: Number.POSITIVE_INFINITY }],
  ])('refuses %s with InvalidInputError', async (_, request) => {
    await expect(acquireLease(new InMemoryStateStore(), request)).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('renewLease', () => {
  it('extends the lease of its unexpired holder and keeps the token', async () => {
    const store = new InMemoryStateStore();
    const lease = await holding(store, 'a');
    expect(await renewLease(store, { lease, now: at(25), ttlSeconds: 30 })).toEqual({
      renewed: true,
      lease: { ...lease, expiresAt: at(55) },
    });
    expect(
      await acquireLease(store, { name: 'failover/app', owner: 'b', now: at(40), ttlSeconds: 30 }),
    ).toMatchObject({
      acquired: false,
    });
  });

  it.each([
    ['expired', 'expired', async (store: StateStore, lease: Lease) => ({ store, lease, now: at(31) })],
    [
      'superseded',
      'superseded',
      async (store: StateStore, lease: Lease) => {
        await holding(store, 'b', at(31));
        return { store, lease, now: at(32) };
      },
    ],
    [
      'released',
      'released',
      async (store: StateStore, lease: Lease) => {
        await releaseLease(store, lease, at(1));
        return { store, lease, now: at(2) };
      },
    ],
    [
      'held by nobody (forged)',
      'missing',
      async (_: StateStore, lease: Lease) => ({ store: new InMemoryStateStore(), lease, now: at(1) }),
    ],
  ])('refuses to renew a lease that is %s', async (_, reason, arrange) => {
    const store = new InMemoryStateStore();
    const setup = await arrange(store, await holding(store, 'a'));
    const result = await renewLease(setup.store, { lease: setup.lease, now: setup.now, ttlSeconds: 30 });
    expect(result).toMatchObject({ renewed: false, reason });
  });
});

describe('releaseLease', () => {
  it('frees the lease at once for another owner, who gets a higher token', async () => {
    const store = new InMemoryStateStore();
    const lease = await holding(store, 'a');
    expect(await releaseLease(store, lease, at(5))).toBe(true);
    expect((await holding(store, 'b', at(6))).fencingToken).toBe(2);
  });

  it('does nothing for a holder that was already superseded', async () => {
    const store = new InMemoryStateStore();
    const stale = await holding(store, 'a');
    const current = await holding(store, 'b', at(31));
    expect(await releaseLease(store, stale, at(32))).toBe(false);
    expect(await checkFence(store, 'failover/app', current.fencingToken, at(33))).toEqual({ ok: true });
  });
});

describe('checkFence and assertFencing', () => {
  it('accepts the current token until the lease expires', async () => {
    const store = new InMemoryStateStore();
    const lease = await holding(store, 'a');
    expect(await checkFence(store, 'failover/app', lease.fencingToken, at(29))).toEqual({ ok: true });
    expect(await checkFence(store, 'failover/app', lease.fencingToken, at(30))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('throws LeaseLostError (code LEASE_LOST, never a retryable conflict) for a stale token', async () => {
    const store = new InMemoryStateStore();
    const stale = await holding(store, 'a');
    await holding(store, 'b', at(31));
    const check = assertFencing(store, 'failover/app', stale.fencingToken, at(32));
    await expect(check).rejects.toBeInstanceOf(LeaseLostError);
    await expect(check).rejects.not.toBeInstanceOf(ConflictError);
    await expect(check).rejects.toMatchObject({ reason: 'superseded', code: 'LEASE_LOST' });
  });
});

describe('fencedUpdate', () => {
  const key = { partition: 'app', sort: 'failover' };

  it('writes when the stored token is not higher than the writer’s', async () => {
    const store = new InMemoryStateStore();
    await store.create(key, { fencingToken: 1, phase: 'restoring' });
    const written = await fencedUpdate(store, key, { fencingToken: 2, phase: 'validating' }, 1);
    expect(written).toMatchObject({ version: 2, value: { fencingToken: 2, phase: 'validating' } });
  });

  it('refuses a writer whose token is lower than the stored one, even at the right version', async () => {
    const store = new InMemoryStateStore();
    await store.create(key, { fencingToken: 5, phase: 'restoring' });
    await expect(fencedUpdate(store, key, { fencingToken: 4, phase: 'switching' }, 1)).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    expect((await store.get(key))?.value).toEqual({ fencingToken: 5, phase: 'restoring' });
  });

  it('refuses a stale version with ConflictError like any update', async () => {
    const store = new InMemoryStateStore();
    await store.create(key, { fencingToken: 1 });
    await store.update(key, { fencingToken: 1 }, 1);
    await expect(fencedUpdate(store, key, { fencingToken: 1 }, 1)).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('assertHolding', () => {
  it('judges the lease by the time after the read, so a stall during the read is not hidden', async () => {
    const store = new InMemoryStateStore();
    const lease = await holding(store, 'a');
    let now = at(10);
    const stalling: StateStore = {
      ...store,
      get: async (key) => {
        const value = await store.get(key);
        now = at(45); // the read came back 35s later: the lease (30s) has run out meanwhile
        return value as never;
      },
      create: store.create.bind(store),
      update: store.update.bind(store),
      query: store.query.bind(store),
    };
    await expect(
      assertHolding(stalling, 'failover/app', lease.fencingToken, { now: () => now }),
    ).rejects.toMatchObject({ reason: 'expired' });
  });

  it('wants a margin of lease time left for the call it guards', async () => {
    const store = new InMemoryStateStore();
    const lease = await holding(store, 'a');
    const clock = { now: () => at(20) };
    await expect(assertHolding(store, 'failover/app', lease.fencingToken, clock, 5)).resolves.toBeUndefined();
    await expect(assertHolding(store, 'failover/app', lease.fencingToken, clock, 15)).rejects.toBeInstanceOf(
      LeaseLostError,
    );
  });
});
