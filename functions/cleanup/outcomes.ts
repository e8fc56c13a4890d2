/**
 * What every per-service delete of `functions/cleanup/` shares: the two outcomes, the SDK error name a
 * delete branches on, and the one way a failed call becomes a `ProviderError` naming it.
 */
import { ProviderError } from '#shared/domain/errors.ts';
import type { Arn } from '#shared/domain/identifiers.ts';
import type { DeleteOutcome } from '#shared/ports/recovery-actions.ts';
import { toProviderError } from '../adapters/aws-retry.ts';

/** The resource is gone. */
export const deleted = (detail: string): DeleteOutcome => ({ state: 'deleted', detail });

/** The resource, or something that must go before it, is still being deleted. */
export const deleting = (detail: string): DeleteOutcome => ({ state: 'deleting', detail });

/** The `name` of an SDK v3 error: the modeled exception's (`DBInstanceNotFoundFault`) or EC2's `Code`. */
export const errorName = (error: unknown): string => {
  const name = error && typeof error === 'object' ? (error as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : '';
};

/** Runs one SDK call whose every failure becomes a `ProviderError` naming `operation` and `what` it was for. */
export async function call<T>(operation: string, what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toProviderError(operation, error, 1, `delete of ${what}`);
  }
}

/**
 * Runs one SDK call; a failure whose name is in `handled` is returned (for the caller to branch on),
 * any other becomes a `ProviderError` as {@link call} makes it.
 */
export async function attempt<T>(
  operation: string,
  what: string,
  send: () => Promise<T>,
  handled: readonly string[],
): Promise<{ ok: T } | { failed: string; message: string }> {
  try {
    return { ok: await send() };
  } catch (error) {
    const name = errorName(error);
    if (handled.includes(name)) return { failed: name, message: (error as Error).message };
    throw toProviderError(operation, error, 1, `delete of ${what}`);
  }
}

/** A refusal: the delete will not touch `what`, and says why and what a human should do. */
export const refusal = (operation: string, what: string, reason: string): ProviderError =>
  new ProviderError(
    operation,
    `${what}: ${reason}; not deleting it — delete it by hand if it is the drill's`,
  );

/** The id after the resource-type prefix (`db:case-db-drill` → `case-db-drill`). */
export const idOf = (arn: Arn, prefix: string): string => arn.resource.slice(prefix.length);
