/**
 * A named lease with a fencing token, built on the state store's single-item conditional writes.
 *
 * Course of action of an acquire:
 * 1. Read the lease item. Absent: create it with token 1.
 * 2. Held by another owner and not yet expired (by the caller's `now`): report who holds it.
 * 3. Otherwise (free, released, expired, or ours): write it conditionally on the version read, with
 *    token + 1 — a new holding even when we held it, so an earlier round of the same owner is fenced
 *    out. Losing that race means someone else moved first: read again and decide again.
 *
 * The fencing token only ever grows, across owners, because the lease item is never deleted (no store
 * TTL on it: a TTL delete would restart the count at 1). A controller paused past its expiry still holds
 * its old token; `assertFencing` before acting, and `fencedUpdate` for writes, turn it away once someone
 * else has taken the lease.
 */
import { ConflictError, ErrorCode, InvalidInputError, StandbyError } from '../domain/errors.ts';
import type { ItemKey, StateStore, Versioned } from '../ports/state-store.ts';

/** A lease held by `owner`; `fencingToken` identifies this holding and grows with every new one. */
export interface Lease {
  readonly name: string;
  readonly owner: string;
  readonly fencingToken: number;
  readonly expiresAt: Date;
}

/** Outcome of {@link acquireLease}. */
export type AcquireResult =
  | { readonly acquired: true; readonly lease: Lease }
  | { readonly acquired: false; readonly heldBy: string; readonly expiresAt: Date };

/** Outcome of {@link renewLease}; `reason` says why the caller no longer holds the lease. */
export type RenewResult =
  | { readonly renewed: true; readonly lease: Lease }
  | { readonly renewed: false; readonly reason: LeaseLossReason; readonly heldBy?: string };

/** Why a holder lost a lease. */
export const LeaseLossReason = {
  /** Another owner acquired it since (the stored token is higher). */
  Superseded: 'superseded',
  /** Its time ran out; re-acquire to get a new token. */
  Expired: 'expired',
  /** It was released. */
  Released: 'released',
  /** There is no such lease. */
  Missing: 'missing',
} as const;
/** One of {@link LeaseLossReason}. */
export type LeaseLossReason = (typeof LeaseLossReason)[keyof typeof LeaseLossReason];

/** Outcome of {@link checkFence}. */
export type FenceCheck = { readonly ok: true } | { readonly ok: false; readonly reason: LeaseLossReason };

/**
 * A holder acted with a token that is no longer the lease's current holding. Its own code
 * (`LEASE_LOST`), not a conflict: a conflict is retried, a lost lease never is.
 */
export class LeaseLostError extends StandbyError {
  readonly reason: LeaseLossReason;
  constructor(name: string, token: number, reason: LeaseLossReason) {
    super(
      ErrorCode.LeaseLost,
      `lease ${JSON.stringify(name)} with fencing token ${token} is no longer held: ${reason}`,
    );
    this.reason = reason;
  }
}

/** What is stored in the lease item. `owner` is null once released; the token survives release. */
interface LeaseRecord {
  readonly owner: string | null;
  readonly fencingToken: number;
  readonly expiresAt: string;
  readonly acquiredAt: string;
}

/** Arguments of {@link acquireLease}. */
export interface AcquireRequest {
  readonly name: string;
  readonly owner: string;
  /** The caller's clock; leases expire by this time only, never by the store's TTL. */
  readonly now: Date;
  readonly ttlSeconds: number;
  /**
   * How far clocks of different holders may disagree: another owner's lease is taken over only this
   * long after it expired by the taker's clock, so a holder whose clock runs behind is not overtaken
   * while it still believes it holds the lease. Default 0.
   */
  readonly skewSeconds?: number;
}

/** Arguments of {@link renewLease}. */
export interface RenewRequest {
  readonly lease: Lease;
  readonly now: Date;
  readonly ttlSeconds: number;
}

/** Tries a conditional write this many times when other writers keep moving first. */
const MAX_ATTEMPTS = 3;

/** Where the lease `name` is stored: one partition per lease, outside the application partitions. */
export function leaseKey(name: string): ItemKey {
  return { partition: `lease/${name}`, sort: 'lease' };
}

/** Takes the lease `name` for `owner` unless another owner holds it unexpired at `now`. */
export async function acquireLease(store: StateStore, request: AcquireRequest): Promise<AcquireResult> {
  const { name, owner, now, ttlSeconds } = request;
  assertLeaseArguments(name, owner, now, ttlSeconds);
  const key = leaseKey(name);
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  const skewMs = (request.skewSeconds ?? 0) * 1000;
  for (let attempt = 1; ; attempt++) {
    const current = await store.get<LeaseRecord>(key);
    // Another owner's lease counts as held until it expired by more than the allowed clock skew.
    const heldByOther =
      current && current.value.owner !== owner && heldAt(current.value, new Date(now.getTime() - skewMs));
    if (heldByOther)
      return {
        acquired: false,
        // Stryker disable next-line StringLiteral: a lease counts as held only while it has an owner (heldAt).
        heldBy: current.value.owner ?? '',
        expiresAt: new Date(current.value.expiresAt),
      };
    // Every acquisition is a new holding with a higher token — also by the same owner while it holds the
    // lease: two rounds of one owner (concurrent invocations of one instance, or a run that died) must
    // not both act, so the earlier holding is fenced out by the later one.
    const fencingToken = current ? current.value.fencingToken + 1 : 1;
    const record: LeaseRecord = {
      owner,
      fencingToken,
      expiresAt: expiresAt.toISOString(),
      acquiredAt: now.toISOString(),
    };
    try {
      if (current) await store.update(key, record, current.version);
      else await store.create(key, record);
      return { acquired: true, lease: { name, owner, fencingToken, expiresAt } };
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** Extends the caller's lease to `now + ttlSeconds` if it still holds it (same token, unexpired). */
export async function renewLease(store: StateStore, request: RenewRequest): Promise<RenewResult> {
  const { lease, now, ttlSeconds } = request;
  assertLeaseArguments(lease.name, lease.owner, now, ttlSeconds);
  const key = leaseKey(lease.name);
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  for (let attempt = 1; ; attempt++) {
    const current = await store.get<LeaseRecord>(key);
    const lost = lossReason(current?.value, lease.fencingToken, now);
    if (lost) return { renewed: false, reason: lost, ...heldBy(current?.value, now) };
    try {
      await store.update(key, { ...current!.value, expiresAt: expiresAt.toISOString() }, current!.version);
      return { renewed: true, lease: { ...lease, expiresAt } };
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** Gives the lease up so another owner need not wait for expiry; `false` when the caller no longer held it. */
export async function releaseLease(store: StateStore, lease: Lease, now: Date): Promise<boolean> {
  assertLeaseArguments(lease.name, lease.owner, now, 1);
  const key = leaseKey(lease.name);
  for (let attempt = 1; ; attempt++) {
    const current = await store.get<LeaseRecord>(key);
    if (lossReason(current?.value, lease.fencingToken, now)) return false;
    try {
      // The token stays in the item so the next holder gets a higher one.
      await store.update(
        key,
        { ...current!.value, owner: null, expiresAt: now.toISOString() },
        current!.version,
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** Whether `fencingToken` is still the current, unexpired holding of lease `name` at `now`. */
export async function checkFence(
  store: StateStore,
  name: string,
  fencingToken: number,
  now: Date,
): Promise<FenceCheck> {
  const current = await store.get<LeaseRecord>(leaseKey(name));
  const reason = lossReason(current?.value, fencingToken, now);
  return reason ? { ok: false, reason } : { ok: true };
}

/**
 * Throws `LeaseLostError` unless `fencingToken` still holds lease `name` at `now`. Call it before each
 * step with side effects (starting a restore, switching DNS). It narrows, but cannot close, the window
 * between check and act; writes of controller state close it with {@link fencedUpdate}.
 */
export async function assertFencing(
  store: StateStore,
  name: string,
  fencingToken: number,
  now: Date,
): Promise<void> {
  const check = await checkFence(store, name, fencingToken, now);
  if (!check.ok) throw new LeaseLostError(name, fencingToken, check.reason);
}

/**
 * Throws `LeaseLostError` unless `fencingToken` still holds lease `name`, with at least `marginSeconds`
 * left. Unlike {@link assertFencing} it takes the time only AFTER reading the lease, so a caller that
 * stalled during the read is judged by the time it resumes — the last check before acting on a cloud.
 */
export async function assertHolding(
  store: StateStore,
  name: string,
  fencingToken: number,
  clock: { now(): Date },
  marginSeconds = 0,
): Promise<void> {
  const current = await store.get<LeaseRecord>(leaseKey(name));
  const reason = lossReason(
    current?.value,
    fencingToken,
    new Date(clock.now().getTime() + marginSeconds * 1000),
  );
  if (reason) throw new LeaseLostError(name, fencingToken, reason);
}

/** A value that records the fencing token of the holder that last wrote it. */
export interface Fenced {
  readonly fencingToken: number;
}

/**
 * Updates an item guarded by a lease: refused with `LeaseLostError` when the stored value was written
 * under a higher token, and with `ConflictError` when the item moved past `expectedVersion`.
 *
 * Timeline of the stale writer: A holds token 4 and read the item at version 7 (token 4); A pauses past
 * its expiry; B acquires token 5 and writes the item: version 8, token 5. A wakes and calls this with
 * expected version 7: the read finds token 5 > 4 and A is fenced out. Had B's write landed between
 * that read and A's write, the version condition (7, stored 8) refuses A instead, and A's next read
 * finds token 5. Only the version condition is atomic; the token check makes the refusal final.
 * A new holder should write its token into the items it guards first thing, so that stale writers
 * meet the higher token even before it has anything else to write.
 */
export async function fencedUpdate<T extends Fenced>(
  store: StateStore,
  key: ItemKey,
  value: T,
  expectedVersion: number,
): Promise<Versioned<T>> {
  const current = await store.get<Partial<Fenced>>(key);
  const stored = current?.value.fencingToken;
  if (typeof stored === 'number' && stored > value.fencingToken)
    throw new LeaseLostError(`${key.partition}/${key.sort}`, value.fencingToken, LeaseLossReason.Superseded);
  return store.update(key, value, expectedVersion);
}

function heldAt(record: LeaseRecord, now: Date): boolean {
  return record.owner !== null && new Date(record.expiresAt).getTime() > now.getTime();
}

function lossReason(
  record: LeaseRecord | undefined,
  fencingToken: number,
  now: Date,
): LeaseLossReason | undefined {
  if (!record) return LeaseLossReason.Missing;
  if (record.fencingToken !== fencingToken) return LeaseLossReason.Superseded;
  if (record.owner === null) return LeaseLossReason.Released;
  if (!heldAt(record, now)) return LeaseLossReason.Expired;
  return undefined;
}

function heldBy(record: LeaseRecord | undefined, now: Date): { heldBy?: string } {
  return record?.owner && heldAt(record, now) ? { heldBy: record.owner } : {};
}

function assertLeaseArguments(name: string, owner: string, now: Date, ttlSeconds: number): void {
  if (typeof name !== 'string' || name.length === 0)
    throw new InvalidInputError(`lease name must be a non-empty string, got ${JSON.stringify(name)}`);
  if (typeof owner !== 'string' || owner.length === 0)
    throw new InvalidInputError(`lease owner must be a non-empty string, got ${JSON.stringify(owner)}`);
  if (!(now instanceof Date) || !Number.isFinite(now.getTime()))
    throw new InvalidInputError(`lease time "now" must be a valid Date, got ${String(now)}`);
  if (!(Number.isFinite(ttlSeconds) && ttlSeconds > 0))
    throw new InvalidInputError(
      `lease ttlSeconds must be a positive number of seconds, got ${String(ttlSeconds)}`,
    );
}
