import { describe, expect, it } from 'vitest';
import {
  appendEvidence,
  evidenceKeys,
  listEvidenceApps,
  readChain,
  readHead,
} from '#shared/application/evidence-log.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { verifyEvidence } from '#shared/application/verify-evidence.ts';
import { ConflictError } from '#shared/domain/errors.ts';
import type { EvidenceDraft } from '#shared/domain/evidence.ts';
import type { ItemKey, StateStore, Versioned, WriteOptions } from '#shared/ports/state-store.ts';
import { InterleavingStore } from '../../support/interleaving-store.ts';

const draft = (ref: string): EvidenceDraft => ({
  kind: 'audit',
  at: '2026-11-21T12:00:00.000Z',
  ref,
  data: { ref },
});
const refs = async (store: StateStore, app = 'a') => (await readChain(store, app)).map((r) => r.value.ref);

/** A store whose writes to items with a sort key starting with `sort` always lose a race; counts them. */
class Beaten implements StateStore {
  writes = 0;
  constructor(
    private readonly inner: StateStore,
    private readonly sort: string,
  ) {}
  get<T>(key: ItemKey) {
    return this.inner.get<T>(key);
  }
  query<T>(partition: string, prefix?: string) {
    return this.inner.query<T>(partition, prefix);
  }
  create<T>(key: ItemKey, value: T, options?: WriteOptions): Promise<Versioned<T>> {
    return this.#write(key, () => this.inner.create(key, value, options));
  }
  update<T>(key: ItemKey, value: T, version: number, options?: WriteOptions): Promise<Versioned<T>> {
    return this.#write(key, () => this.inner.update(key, value, version, options));
  }
  async #write<T>(key: ItemKey, write: () => Promise<T>): Promise<T> {
    if (!key.sort.startsWith(this.sort)) return write();
    this.writes += 1;
    throw new ConflictError('beaten');
  }
}

describe('appendEvidence under races and failures', () => {
  it('appends nothing for no drafts', async () => {
    const store = new InMemoryStateStore();
    expect(await appendEvidence(store, 'a', [])).toEqual([]);
    expect(await listEvidenceApps(store)).toEqual([]);
  });

  it('has no head before the first record, and the newest record’s after', async () => {
    const store = new InMemoryStateStore();
    expect(await readHead(store, 'a')).toBeUndefined();
    const [, second] = await appendEvidence(store, 'a', [draft('x'), draft('y')]);
    expect(await readHead(store, 'a')).toEqual({ seq: 2, hash: second!.hash });
  });

  it('appends the rest of a batch after another writer took the next position', async () => {
    const inner = new InMemoryStateStore();
    const store = new InterleavingStore(inner).at(
      'create',
      'record#000000000002',
      1,
      async () => {
        await appendEvidence(inner, 'a', [draft('z')]);
      },
      { when: 'before' },
    );
    const created = await appendEvidence(store, 'a', [draft('x'), draft('y')]);
    expect(created.map((r) => [r.seq, r.ref])).toEqual([
      [1, 'x'],
      [3, 'y'],
    ]);
    expect(await refs(inner)).toEqual(['x', 'z', 'y']);
    expect(await verifyEvidence(inner, 'a')).toEqual([{ ok: true, app: 'a', records: 3 }]);
  });

  it('gives up after 16 lost races with a conflict naming the application', async () => {
    const store = new Beaten(new InMemoryStateStore(), 'record#');
    const failure = appendEvidence(store, 'a', [draft('x')]);
    await expect(failure).rejects.toThrow(
      new ConflictError('could not append to the evidence chain of a after 16 attempts'),
    );
    await expect(failure).rejects.toMatchObject({ cause: new ConflictError('beaten') });
    expect(store.writes).toBe(16);
  });

  it.each([
    ['a record', 'record#'],
    ['the registry entry', 'app#'],
  ])('fails on a store error writing %s other than a lost race', async (_, sort) => {
    const inner = new InMemoryStateStore();
    const store = new InterleavingStore(inner).at('create', sort, 1, async () => {}, {
      when: 'before',
      fail: new Error('ProvisionedThroughputExceeded'),
    });
    await expect(appendEvidence(store, 'a', [draft('x')])).rejects.toThrow('ProvisionedThroughputExceeded');
  });

  it('never moves the head back when another writer moved it further meanwhile', async () => {
    const inner = new InMemoryStateStore();
    await appendEvidence(inner, 'a', [draft('x')]);
    const store = new InterleavingStore(inner).at(
      'get',
      'head',
      1,
      async () => {
        await appendEvidence(inner, 'a', [draft('z1'), draft('z2')]);
      },
      { when: 'before' },
    );
    await appendEvidence(store, 'a', [draft('y')]);
    expect(await refs(inner)).toEqual(['x', 'y', 'z1', 'z2']);
    expect((await readHead(inner, 'a'))?.seq).toBe(4);
    expect(await verifyEvidence(inner, 'a')).toEqual([{ ok: true, app: 'a', records: 4 }]);
  });

  it('moves the head after losing a race for it, and gives up after 16, the records kept', async () => {
    const inner = new InMemoryStateStore();
    await appendEvidence(inner, 'a', [draft('x')]);
    const racing = new InterleavingStore(inner).at(
      'update',
      'head',
      1,
      async () => {
        const head = (await inner.get(evidenceKeys.head('a')))!;
        await inner.update(evidenceKeys.head('a'), head.value, head.version);
      },
      { when: 'before' },
    );
    await appendEvidence(racing, 'a', [draft('y')]);
    expect((await readHead(inner, 'a'))?.seq).toBe(2);

    const beaten = new Beaten(inner, 'head');
    await appendEvidence(beaten, 'a', [draft('z')]);
    expect(beaten.writes).toBe(16);
    expect(await refs(inner)).toEqual(['x', 'y', 'z']);
    expect((await readHead(inner, 'a'))?.seq).toBe(2);
  });

  it('fails on a store error moving the head other than a lost race', async () => {
    const inner = new InMemoryStateStore();
    const store = new InterleavingStore(inner).at('create', 'head', 1, async () => {}, {
      when: 'before',
      fail: new Error('ProvisionedThroughputExceeded'),
    });
    await expect(appendEvidence(store, 'a', [draft('x')])).rejects.toThrow('ProvisionedThroughputExceeded');
    expect(await refs(inner)).toEqual(['x']);
  });
});
