/**
 * A state store that lets a test run something in the middle of a use case: `at(op, sort, n, action)`
 * runs `action` right after the n-th matching call returned (or, with `when: 'before'`, right before it
 * runs; with `fail`, the call throws after `action` — a crash at that point: with `before`, the call
 * never reaches the store; with `after`, it landed and the caller never learns it). Used to replay, one by
 * one, the interleavings the simulation harness finds.
 */
import type { ItemKey, StateStore, Versioned, WriteOptions } from '#shared/ports/state-store.ts';

type Op = 'get' | 'create' | 'update' | 'query';

interface Hook {
  readonly op: Op;
  readonly sort: string;
  n: number;
  readonly action: () => Promise<void>;
  readonly when: 'before' | 'after';
  readonly fail?: Error;
}

export class InterleavingStore implements StateStore {
  readonly #hooks: Hook[] = [];
  constructor(readonly inner: StateStore) {}

  /** Runs `action` around the n-th (1-based) `op` on an item whose sort key starts with `sort`. */
  at(
    op: Op,
    sort: string,
    n: number,
    action: () => Promise<void>,
    options: { when?: 'before' | 'after'; fail?: Error } = {},
  ): this {
    this.#hooks.push({
      op,
      sort,
      n,
      action,
      when: options.when ?? 'after',
      ...(options.fail ? { fail: options.fail } : {}),
    });
    return this;
  }

  async #around<T>(op: Op, sort: string, call: () => Promise<T>): Promise<T> {
    const hook = this.#hooks.find((h) => h.op === op && sort.startsWith(h.sort) && --h.n === 0);
    if (hook) this.#hooks.splice(this.#hooks.indexOf(hook), 1);
    if (hook?.when === 'before') {
      await hook.action();
      if (hook.fail) throw hook.fail; // the call never reached the store
    }
    const result = await call();
    if (hook?.when === 'after') await hook.action();
    if (hook?.fail) throw hook.fail;
    return result;
  }

  get<T>(key: ItemKey): Promise<Versioned<T> | undefined> {
    return this.#around('get', key.sort, () => this.inner.get<T>(key));
  }
  create<T>(key: ItemKey, value: T, options?: WriteOptions): Promise<Versioned<T>> {
    return this.#around('create', key.sort, () => this.inner.create(key, value, options));
  }
  update<T>(key: ItemKey, value: T, version: number, options?: WriteOptions): Promise<Versioned<T>> {
    return this.#around('update', key.sort, () => this.inner.update(key, value, version, options));
  }
  query<T>(partition: string, prefix?: string): Promise<Versioned<T>[]> {
    return this.#around('query', prefix ?? '', () => this.inner.query<T>(partition, prefix));
  }
}
