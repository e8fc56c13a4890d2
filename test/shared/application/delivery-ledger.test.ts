import { describe, expect, it } from 'vitest';
import { firstDelivery, markDelivered, recordTriggerState } from '#shared/application/delivery-ledger.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { ConflictError } from '#shared/domain/errors.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import type { ItemKey, StateStore, Versioned, WriteOptions } from '#shared/ports/state-store.ts';
import { InterleavingStore } from '../../support/interleaving-store.ts';

const t0 = new Date('2026-11-21T12:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const ALARM = 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:Case-API-Health';

/** A store where every write loses a race (someone else always wrote first); counts the writes. */
class AlwaysBeaten implements StateStore {
  writes = 0;
  constructor(private readonly inner: StateStore) {}
  get<T>(key: ItemKey) {
    return this.inner.get<T>(key);
  }
  query<T>(partition: string, prefix?: string) {
    return this.inner.query<T>(partition, prefix);
  }
  async create<T>(_key: ItemKey, _value: T, _options?: WriteOptions): Promise<Versioned<T>> {
    this.writes += 1;
    throw new ConflictError('beaten');
  }
  async update<T>(_key: ItemKey, _value: T, _version: number): Promise<Versioned<T>> {
    this.writes += 1;
    throw new ConflictError('beaten');
  }
}

describe('the delivery ledger', () => {
  it('knows an event as delivered once it is marked, per application', async () => {
    const store = new InMemoryStateStore();
    const deps = { store, clock: new ManualClock(t0) };
    expect(await firstDelivery(store, 'a', 'e1')).toBe(true);
    await markDelivered(deps, 'a', 'e1');
    await markDelivered(deps, 'a', 'e1'); // marking twice is fine
    expect(await firstDelivery(store, 'a', 'e1')).toBe(false);
    expect(await firstDelivery(store, 'b', 'e1')).toBe(true);
    expect(await firstDelivery(store, 'a', 'e2')).toBe(true);
  });

  it('keeps a marker for seven days, with the time it was marked', async () => {
    const store = new InMemoryStateStore();
    await markDelivered({ store, clock: new ManualClock(t0) }, 'a', 'e1');
    const marker = await store.get({ partition: 'app#a', sort: 'event#e1' });
    expect(marker?.value).toEqual({ at: '2026-11-21T12:00:00.000Z' });
    expect(marker?.expiresAt).toEqual(new Date('2026-11-28T12:00:00Z'));
  });

  it('fails to mark on a store error other than a lost race, so the event is handled again', async () => {
    const store = new InterleavingStore(new InMemoryStateStore()).at('create', 'event#', 1, async () => {}, {
      when: 'before',
      fail: new Error('ProvisionedThroughputExceeded'),
    });
    await expect(markDelivered({ store, clock: new ManualClock(t0) }, 'a', 'e1')).rejects.toThrow(
      'ProvisionedThroughputExceeded',
    );
    expect(await firstDelivery(store, 'a', 'e1')).toBe(true);
  });
});

describe('recordTriggerState', () => {
  it('records each newer state change and returns nothing; an older one gets the newer state back', async () => {
    const store = new InMemoryStateStore();
    expect(await recordTriggerState(store, 'a', ALARM, 'alarm', at(10))).toBeUndefined();
    expect(await recordTriggerState(store, 'a', ALARM, 'alarm-cleared', at(20))).toBeUndefined();
    expect(await recordTriggerState(store, 'a', ALARM, 'alarm', at(15))).toEqual({
      state: 'alarm-cleared',
      at: at(20).toISOString(),
    });
    // A change at the same instant is not older: it is recorded.
    expect(await recordTriggerState(store, 'a', ALARM, 'alarm', at(20))).toBeUndefined();
    expect(await recordTriggerState(store, 'a', ALARM, 'alarm-cleared', at(19))).toEqual({
      state: 'alarm',
      at: at(20).toISOString(),
    });
  });

  it('keeps one state per trigger whatever the case of its ref, under its lower-cased ref, and one per app', async () => {
    const store = new InMemoryStateStore();
    await recordTriggerState(store, 'a', ALARM, 'alarm', at(20));
    expect(await recordTriggerState(store, 'a', ALARM.toUpperCase(), 'alarm-cleared', at(10))).toEqual({
      state: 'alarm',
      at: at(20).toISOString(),
    });
    expect(await recordTriggerState(store, 'b', ALARM, 'alarm-cleared', at(10))).toBeUndefined();
    expect((await store.query('app#a', 'trigger#')).map((i) => i.key.sort)).toEqual([
      `trigger#${ALARM.toLowerCase()}`,
    ]);
  });

  it('gives up after five lost races with a conflict naming the trigger, so the platform retries the event', async () => {
    const inner = new InMemoryStateStore();
    const beaten = new AlwaysBeaten(inner);
    await expect(recordTriggerState(beaten, 'a', ALARM, 'alarm', at(10))).rejects.toThrow(
      new ConflictError(`could not record the state of ${ALARM} for a: too many concurrent writers`),
    );
    expect(beaten.writes).toBe(5);
    await recordTriggerState(inner, 'a', ALARM, 'alarm', at(10));
    const beatenAgain = new AlwaysBeaten(inner);
    await expect(recordTriggerState(beatenAgain, 'a', ALARM, 'alarm', at(20))).rejects.toThrow(ConflictError);
    expect(beatenAgain.writes).toBe(5);
  });

  it('reads again after a lost race and keeps the newer state the winner wrote', async () => {
    const inner = new InMemoryStateStore();
    await recordTriggerState(inner, 'a', ALARM, 'alarm', at(10));
    const store = new InterleavingStore(inner).at(
      'update',
      'trigger#',
      1,
      async () => {
        await recordTriggerState(inner, 'a', ALARM, 'alarm-cleared', at(30));
      },
      { when: 'before' },
    );
    expect(await recordTriggerState(store, 'a', ALARM, 'alarm', at(20))).toEqual({
      state: 'alarm-cleared',
      at: at(30).toISOString(),
    });
  });

  it('fails on a store error other than a lost race', async () => {
    const store = new InterleavingStore(new InMemoryStateStore()).at(
      'create',
      'trigger#',
      1,
      async () => {},
      {
        when: 'before',
        fail: new Error('ProvisionedThroughputExceeded'),
      },
    );
    await expect(recordTriggerState(store, 'a', ALARM, 'alarm', at(10))).rejects.toThrow(
      'ProvisionedThroughputExceeded',
    );
  });
});
