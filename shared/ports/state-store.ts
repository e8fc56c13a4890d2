/**
 * The controller's state store: single items addressed by (partition, sort) keys, every write
 * conditional on the version the writer expects. Implemented in memory, on DynamoDB and on Cosmos DB,
 * all held to one contract suite. No transactions: losing a race is a `ConflictError`, a normal outcome.
 */

import { InvalidInputError } from '../domain/errors.ts';

/** Address of one item. All items of one application share a partition. */
export interface ItemKey {
  readonly partition: string;
  readonly sort: string;
}

/** A stored item with its version (1 on create, +1 on every update). */
export interface Versioned<T> {
  readonly key: ItemKey;
  readonly value: T;
  readonly version: number;
  /** When the store may forget the item (TTL), if set. */
  readonly expiresAt?: Date;
}

/** Options of a write. */
export interface WriteOptions {
  /** Lets the store drop the item after this time; readers must still check it themselves. */
  readonly expiresAt?: Date;
}

/** The state store port. Values are JSON-serialisable objects. */
export interface StateStore {
  /** The item, or `undefined`. Reads are strongly consistent within the store's home region. */
  get<T>(key: ItemKey): Promise<Versioned<T> | undefined>;
  /** Creates the item at version 1; `ConflictError` when it already exists. */
  create<T>(key: ItemKey, value: T, options?: WriteOptions): Promise<Versioned<T>>;
  /** Replaces the item if it is at `expectedVersion`; `ConflictError` otherwise (or when absent). */
  update<T>(key: ItemKey, value: T, expectedVersion: number, options?: WriteOptions): Promise<Versioned<T>>;
  /** Every item of a partition whose sort key starts with `sortPrefix`, in sort-key order. */
  query<T>(partition: string, sortPrefix?: string): Promise<Versioned<T>[]>;
}

/** Longest partition key, in UTF-8 bytes, that every adapter accepts (DynamoDB allows 2048). */
export const MAX_PARTITION_KEY_BYTES = 1024;
/** Longest sort key, in UTF-8 bytes, that every adapter accepts: Cosmos escapes ids up to 5x into 1023 bytes. */
export const MAX_SORT_KEY_BYTES = 200;

const utf8 = new TextEncoder();

/** Throws `InvalidInputError` unless both parts of `key` are non-empty strings within the byte limits. */
export function assertItemKey(key: ItemKey): void {
  for (const [part, limit] of [
    ['partition', MAX_PARTITION_KEY_BYTES],
    ['sort', MAX_SORT_KEY_BYTES],
  ] as const) {
    const text: unknown = key?.[part];
    if (typeof text !== 'string' || text.length === 0)
      throw new InvalidInputError(
        `state key ${part} must be a non-empty string, got ${JSON.stringify(text)}`,
      );
    const bytes = utf8.encode(text).length;
    if (bytes > limit)
      throw new InvalidInputError(`state key ${part} is ${bytes} UTF-8 bytes; at most ${limit} are allowed`);
  }
}

/** Orders sort keys by Unicode code point, which is DynamoDB's order (UTF-8 bytes) in every adapter. */
export function compareSortKeys(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const l = left.next();
    const r = right.next();
    if (l.done || r.done) return (l.done ? 0 : 1) - (r.done ? 0 : 1);
    const diff = (l.value.codePointAt(0) ?? 0) - (r.value.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
}

/**
 * The JSON form of a value about to be stored: every adapter stores exactly what `JSON.stringify` keeps
 * (undefined properties dropped, dates as strings), so all stores return the same thing.
 */
export function toStoredJson<T>(value: T, key: ItemKey): T {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new InvalidInputError(`state value of ${key.partition}/${key.sort} is not JSON-serialisable`, {
      cause: error,
    });
  }
  if (text === undefined)
    throw new InvalidInputError(
      `state value of ${key.partition}/${key.sort} is not JSON (got ${typeof value})`,
    );
  return JSON.parse(text) as T;
}

/** Throws `InvalidInputError` unless `version` is a whole number >= 1 and any `expiresAt` is a valid date. */
export function assertWriteArguments(version: number | undefined, options: WriteOptions | undefined): void {
  if (version !== undefined && !(Number.isSafeInteger(version) && version >= 1))
    throw new InvalidInputError(`expected version must be a whole number >= 1, got ${String(version)}`);
  const at = options?.expiresAt;
  if (at !== undefined && !(at instanceof Date && Number.isFinite(at.getTime())))
    throw new InvalidInputError(`expiresAt must be a valid Date, got ${String(at)}`);
}

/** Throws `InvalidInputError` unless `partition` is a valid partition key and `sortPrefix` a string. */
export function assertQueryArguments(partition: string, sortPrefix: string): void {
  if (typeof sortPrefix !== 'string')
    throw new InvalidInputError(`sort prefix must be a string, got ${JSON.stringify(sortPrefix)}`);
  assertItemKey({ partition, sort: sortPrefix || ' ' });
}
