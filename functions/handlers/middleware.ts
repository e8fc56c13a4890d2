/**
 * The middlewares every Standby Lambda runs, in this order: `withRuntime` (the cold-start composition
 * and a per-invocation logger) and `logErrors` (the one place errors become log lines; the error is
 * then rethrown so Lambda retries the invocation and finally sends it to the on-failure destination).
 */
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Logger } from 'pino';
import { StandbyError } from '#shared/domain/errors.ts';
import { logger as rootLogger } from '../foundation.ts';

/** What `withRuntime` attaches to one invocation. */
export interface Invocation<R> {
  readonly runtime: R;
  readonly log: Logger;
}

// Keyed by the invocation's context object, so the handler's signature stays Lambda's own.
const invocations = new WeakMap<Context, Invocation<unknown>>();

/** The runtime and logger of this invocation; `withRuntime` must run first. */
export function invocation<R>(context: Context): Invocation<R> {
  const found = invocations.get(context);
  if (!found) throw new Error('withRuntime() middleware did not run before the handler');
  return found as Invocation<R>;
}

/** Loads the runtime (once per container, the loader caches it) and a request-scoped child logger. */
export function withRuntime<R extends { readonly logger: Logger }>(load: () => Promise<R>): MiddlewareObj {
  return {
    name: 'standby-runtime',
    before: async ({ context }) => {
      const runtime = await load();
      const log = runtime.logger.child({ requestId: context.awsRequestId, function: context.functionName });
      invocations.set(context, { runtime, log });
    },
  };
}

/** Logs a failed invocation once, with its stable code, and lets the error propagate. */
export function logErrors(): MiddlewareObj {
  return {
    name: 'standby-errors',
    onError: async ({ context, error }) => {
      const log = invocations.get(context)?.log ?? rootLogger.child({ requestId: context.awsRequestId });
      log.error(
        {
          code: error instanceof StandbyError ? error.code : 'UNEXPECTED',
          errorName: error?.name,
          cause: error?.cause instanceof Error ? error.cause.name : undefined,
        },
        `invocation failed, Lambda will retry it: ${error?.message}`,
      );
    },
  };
}
