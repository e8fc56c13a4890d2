import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  acquireLease,
  assertFencing,
  fencedUpdate,
  LeaseLostError,
  releaseLease,
  renewLease,
} from '#shared/application/lease.ts';
import { ConflictError, InvalidInputError } from '#shared/domain/errors.ts';
import type { StateStore } from '#shared/ports/state-store.ts';

/** Builds a fresh store for the suite, and how to let go of it. */
export type MakeStateStore = () => Promise<{ store: StateStore; close(): Promise<void> }>;

/** The behaviour every `StateStore` adapter must have; run it from each adapter's test file. */
export function describeStateStoreContract(name: string, makeStore: MakeStateStore): void {
  describe(`${name} (state store contract)`, () => {
    let store: StateStore;
    let close: () => Promise<void>;
    // Each test writes under its own partition, so one store per file is enough and tests stay independent.
    let partition: string;
    let counter = 0;

    beforeAll(async () => {
      ({ store, close } = await makeStore());
    });
    afterAll(async () => {
      await close?.();
    });
    beforeEach(() => {
      counter += 1;
      partition = `app-${counter}-${Math.random().toString(36).slice(2, 8)}`;
    });

    it('returns a created item at version 1', async () => {
      const created = await store.create({ partition, sort: 'failover' }, { phase: 'restoring' });
      expect(created).toEqual({
        key: { partition, sort: 'failover' },
        value: { phase: 'restoring' },
        version: 1,
      });
      expect(await store.get({ partition, sort: 'failover' })).toEqual(created);
    });

    it('returns undefined for an item never written', async () => {
      expect(await store.get({ partition, sort: 'nothing' })).toBeUndefined();
    });

    it('refuses to create an item twice and keeps the first value', async () => {
      await store.create({ partition, sort: 'a' }, { n: 1 });
      await expect(store.create({ partition, sort: 'a' }, { n: 2 })).rejects.toBeInstanceOf(ConflictError);
      expect((await store.get({ partition, sort: 'a' }))?.value).toEqual({ n: 1 });
    });

    it('increments the version on each update at the right version', async () => {
      const key = { partition, sort: 'a' };
      await store.create(key, { n: 1 });
      const second = await store.update(key, { n: 2 }, 1);
      const third = await store.update(key, { n: 3 }, 2);
      expect([second.version, third.version]).toEqual([2, 3]);
      expect(await store.get(key)).toEqual({ key, value: { n: 3 }, version: 3 });
    });

    it('refuses an update at a stale version and leaves the stored value unchanged', async () => {
      const key = { partition, sort: 'a' };
      await store.create(key, { n: 1 });
      await store.update(key, { n: 2 }, 1);
      await expect(store.update(key, { n: 99 }, 1)).rejects.toBeInstanceOf(ConflictError);
      expect(await store.get(key)).toEqual({ key, value: { n: 2 }, version: 2 });
    });

    it('refuses to update an item that does not exist, and does not create it', async () => {
      const key = { partition, sort: 'ghost' };
      await expect(store.update(key, { n: 1 }, 1)).rejects.toBeInstanceOf(ConflictError);
      expect(await store.get(key)).toBeUndefined();
    });

    it('queries a partition by sort prefix, in sort-key order, without crossing partitions', async () => {
      const other = `${partition}-other`;
      for (const sort of ['step#3', 'step#1', 'steps', 'step#2', 'approval', 'step#10'])
        await store.create({ partition, sort }, { sort });
      await store.create({ partition: other, sort: 'step#1' }, { sort: 'foreign' });
      const found = await store.query<{ sort: string }>(partition, 'step#');
      expect(found.map((i) => i.key.sort)).toEqual(['step#1', 'step#10', 'step#2', 'step#3']);
      expect(found.every((i) => i.key.partition === partition && i.value.sort === i.key.sort)).toBe(true);
      expect((await store.query(partition)).map((i) => i.key.sort)).toEqual([
        'approval',
        'step#1',
        'step#10',
        'step#2',
        'step#3',
        'steps',
      ]);
      expect(await store.query(`${partition}-empty`, 'step#')).toEqual([]);
    });

    it('orders sort keys by code point, the same in every store', async () => {
      for (const sort of ['b', 'a~', 'a/', 'a#', 'a%', 'A', 'é', '😀', '\uffee'])
        await store.create({ partition, sort }, {});
      expect((await store.query(partition)).map((i) => i.key.sort)).toEqual([
        'A',
        'a#',
        'a%',
        'a/',
        'a~',
        'b',
        'é',
        '\uffee',
        '😀',
      ]);
    });

    it('round-trips nested objects, arrays, unicode strings, numbers, booleans and null', async () => {
      const value = {
        text: 'Zürich – 東京 – 😀 "quoted" \\ back\nslash',
        empty: '',
        numbers: [0, -1, 3.25, 1e21, 123456789012],
        flags: { yes: true, no: false },
        nothing: null,
        nested: { deeper: { list: [{ a: 1 }, [], {}, ['x', null]] } },
      };
      const key = { partition, sort: 'value' };
      await store.create(key, value);
      expect((await store.get(key))?.value).toEqual(value);
      await store.update(key, { ...value, text: 'again ✓' }, 1);
      expect((await store.get(key))?.value).toEqual({ ...value, text: 'again ✓' });
    });

    it('stores the JSON form of a value: undefined properties dropped, dates as ISO strings', async () => {
      const key = { partition, sort: 'json' };
      await store.create(key, { at: new Date('2025-03-01T10:00:00.000Z'), gone: undefined, kept: 1 });
      expect((await store.get(key))?.value).toEqual({ at: '2025-03-01T10:00:00.000Z', kept: 1 });
    });

    it('does not let a caller change stored values through objects it passed in or got back', async () => {
      const key = { partition, sort: 'copy' };
      const value = { list: [1, 2] };
      await store.create(key, value);
      value.list.push(3);
      const read = await store.get<{ list: number[] }>(key);
      read?.value.list.push(4);
      expect((await store.get(key))?.value).toEqual({ list: [1, 2] });
    });

    it('lets exactly one of five concurrent updates from the same version win', async () => {
      const key = { partition, sort: 'race' };
      await store.create(key, { winner: 'none' });
      const results = await Promise.allSettled(
        [0, 1, 2, 3, 4].map((i) => store.update(key, { winner: `writer-${i}` }, 1)),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.every((r) => r.reason instanceof ConflictError)).toBe(true);
      const stored = await store.get<{ winner: string }>(key);
      expect(stored?.version).toBe(2);
      expect(stored?.value).toEqual(won[0]?.value.value);
    });

    it('lets exactly one of five concurrent creates win', async () => {
      const key = { partition, sort: 'first' };
      const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => store.create(key, { i })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await store.get(key))?.version).toBe(1);
    });

    it('round-trips expiresAt to the millisecond, and returns expired items (readers check it)', async () => {
      const later = new Date('2031-05-06T07:08:09.123Z');
      const past = new Date('2001-01-01T00:00:00.500Z');
      await store.create({ partition, sort: 'later' }, { n: 1 }, { expiresAt: later });
      await store.create({ partition, sort: 'past' }, { n: 1 }, { expiresAt: past });
      expect((await store.get({ partition, sort: 'later' }))?.expiresAt).toEqual(later);
      expect((await store.get({ partition, sort: 'past' }))?.expiresAt).toEqual(past);
      expect((await store.query(partition)).map((i) => i.expiresAt)).toEqual([later, past]);
    });

    it('sets or clears expiresAt with each update', async () => {
      const key = { partition, sort: 'ttl' };
      await store.create(key, { n: 1 });
      const at = new Date('2030-01-01T00:00:00.000Z');
      expect((await store.update(key, { n: 2 }, 1, { expiresAt: at })).expiresAt).toEqual(at);
      expect((await store.get(key))?.expiresAt).toEqual(at);
      await store.update(key, { n: 3 }, 2);
      expect((await store.get(key))?.expiresAt).toBeUndefined();
    });

    it.each([
      ['slashes', 'tenant/eu-west-1', 'restore/db/primary'],
      ['hashes and colons', 'app#1:x', 'job#arn:aws:backup:eu-west-1:111122223333:recovery-point:abc'],
      ['backslashes, question marks and percents', 'p\\q?%41', 'sort\\key?%2F#%'],
      ['spaces and tildes', ' spaced ', 'trailing ~0041 '],
      ['unicode', 'ünïcödé', 'これは/キー#😀'],
      ['prototype names', 'constructor', '__proto__'],
    ])('works with keys containing %s', async (_, rawPartition, sort) => {
      const key = { partition: `${partition}${rawPartition}`, sort };
      await store.create(key, { sort });
      await store.update(key, { sort, again: true }, 1);
      expect(await store.get(key)).toEqual({ key, value: { sort, again: true }, version: 2 });
      expect((await store.query(key.partition, sort.slice(0, 5))).map((i) => i.key)).toEqual([key]);
      expect(await store.get({ partition: key.partition, sort: `${sort}.` })).toBeUndefined();
    });

    it('keeps keys that differ only in letter case apart', async () => {
      await store.create({ partition, sort: 'Key' }, { n: 1 });
      await store.create({ partition: partition.toUpperCase(), sort: 'key' }, { n: 2 });
      expect((await store.get({ partition, sort: 'Key' }))?.value).toEqual({ n: 1 });
      expect(await store.get({ partition, sort: 'key' })).toBeUndefined();
      expect((await store.get({ partition: partition.toUpperCase(), sort: 'key' }))?.value).toEqual({ n: 2 });
    });

    it.each([
      ['an empty partition', { partition: '', sort: 'a' }],
      ['an empty sort key', { partition: 'p', sort: '' }],
      ['a sort key over 200 bytes', { partition: 'p', sort: 'é'.repeat(101) }],
      ['a partition over 1024 bytes', { partition: 'x'.repeat(1025), sort: 'a' }],
    ])('refuses %s with InvalidInputError', async (_, key) => {
      await expect(store.get(key)).rejects.toBeInstanceOf(InvalidInputError);
      await expect(store.create(key, {})).rejects.toBeInstanceOf(InvalidInputError);
    });

    it.each([
      ['zero', 0],
      ['a fraction', 1.5],
      ['NaN', Number.NaN],
    ])('refuses an expected version of %s with InvalidInputError', async (_, version) => {
      await expect(store.update({ partition, sort: 'a' }, {}, version)).rejects.toBeInstanceOf(
        InvalidInputError,
      );
    });

    it('refuses a value that is not JSON with InvalidInputError', async () => {
      await expect(store.create({ partition, sort: 'a' }, undefined)).rejects.toBeInstanceOf(
        InvalidInputError,
      );
      await expect(store.create({ partition, sort: 'b' }, { big: 1n })).rejects.toBeInstanceOf(
        InvalidInputError,
      );
    });

    describeLeaseContract(() => store);
  });
}

/** The lease behaviour, which must hold on every store (the lease uses only the port). */
function describeLeaseContract(getStore: () => StateStore): void {
  describe('lease on this store', () => {
    const t0 = new Date('2025-06-01T12:00:00.000Z');
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    let name: string;
    let counter = 0;
    beforeEach(() => {
      counter += 1;
      name = `failover/app-${counter}-${Math.random().toString(36).slice(2, 8)}`;
    });

    it('gives the lease to exactly one of five owners racing for it', async () => {
      const store = getStore();
      const results = await Promise.all(
        ['a', 'b', 'c', 'd', 'e'].map((owner) =>
          acquireLease(store, { name, owner, now: t0, ttlSeconds: 30 }),
        ),
      );
      const winners = results.filter((r) => r.acquired);
      expect(winners).toHaveLength(1);
      const winner = winners[0]!.lease.owner;
      for (const r of results.filter((r) => !r.acquired))
        expect(r).toEqual({ acquired: false, heldBy: winner, expiresAt: at(30) });
    });

    it('lets another owner take an expired lease with a higher token, and fences the old holder out', async () => {
      const store = getStore();
      const first = await acquireLease(store, { name, owner: 'a', now: t0, ttlSeconds: 30 });
      const second = await acquireLease(store, { name, owner: 'b', now: at(31), ttlSeconds: 30 });
      if (!first.acquired || !second.acquired) throw new Error('both acquisitions should succeed');
      expect(second.lease.fencingToken).toBeGreaterThan(first.lease.fencingToken);
      await expect(assertFencing(store, name, first.lease.fencingToken, at(32))).rejects.toBeInstanceOf(
        LeaseLostError,
      );
      await expect(assertFencing(store, name, second.lease.fencingToken, at(32))).resolves.toBeUndefined();
    });

    it('extends the lease when the holder renews it, and refuses a renewal by a superseded holder', async () => {
      const store = getStore();
      const first = await acquireLease(store, { name, owner: 'a', now: t0, ttlSeconds: 30 });
      if (!first.acquired) throw new Error('should acquire');
      const renewed = await renewLease(store, { lease: first.lease, now: at(20), ttlSeconds: 30 });
      expect(renewed).toEqual({ renewed: true, lease: { ...first.lease, expiresAt: at(50) } });
      expect(await acquireLease(store, { name, owner: 'b', now: at(40), ttlSeconds: 30 })).toMatchObject({
        acquired: false,
        heldBy: 'a',
      });
      const taken = await acquireLease(store, { name, owner: 'b', now: at(51), ttlSeconds: 30 });
      expect(taken.acquired).toBe(true);
      expect(await renewLease(store, { lease: first.lease, now: at(52), ttlSeconds: 30 })).toEqual({
        renewed: false,
        reason: 'superseded',
        heldBy: 'b',
      });
    });

    it('hands out a higher token after a release, so tokens never repeat', async () => {
      const store = getStore();
      const first = await acquireLease(store, { name, owner: 'a', now: t0, ttlSeconds: 30 });
      if (!first.acquired) throw new Error('should acquire');
      expect(await releaseLease(store, first.lease, at(1))).toBe(true);
      const again = await acquireLease(store, { name, owner: 'a', now: at(2), ttlSeconds: 30 });
      if (!again.acquired) throw new Error('should acquire after release');
      expect(again.lease.fencingToken).toBe(first.lease.fencingToken + 1);
    });

    it('refuses a fenced write from a holder that was paused past its expiry', async () => {
      const store = getStore();
      const key = { partition: `${name}-state`, sort: 'failover' };
      const a = await acquireLease(store, { name, owner: 'a', now: t0, ttlSeconds: 30 });
      if (!a.acquired) throw new Error('should acquire');
      await store.create(key, { fencingToken: a.lease.fencingToken, phase: 'restoring' });
      // a pauses; b takes the expired lease and stamps its token on the state first thing.
      const b = await acquireLease(store, { name, owner: 'b', now: at(40), ttlSeconds: 30 });
      if (!b.acquired) throw new Error('should acquire');
      await fencedUpdate(store, key, { fencingToken: b.lease.fencingToken, phase: 'restoring' }, 1);
      const stale = fencedUpdate(store, key, { fencingToken: a.lease.fencingToken, phase: 'switching' }, 2);
      await expect(stale).rejects.toBeInstanceOf(LeaseLostError);
      expect((await store.get(key))?.value).toEqual({
        fencingToken: b.lease.fencingToken,
        phase: 'restoring',
      });
    });
  });
}
