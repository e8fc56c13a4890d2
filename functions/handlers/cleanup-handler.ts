/**
 * The handler of every clean-up Lambda (`cleanup.ts`, `cleanup-ec2.ts`, one per group of services in
 * `functions/cleanup/groups.ts`), invoked synchronously by the controller's functions, never by an
 * event: deletes, or goes on deleting, one resource a drill's restore created, and returns the
 * `DeleteOutcome`. A malformed request, a refusal or a failed call throws: the caller's invoke
 * answers `FunctionError` with the message (`lambda-restored-resource-cleaner.ts`). The request is
 * checked with `zod/mini` (a few KiB instead of ~100: the EC2 client leaves little room).
 */
import middy from '@middy/core';
import type { Logger } from 'pino';
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { DeleteOutcome, RestoredResourceCleaner } from '#shared/ports/recovery-actions.ts';
import { invocation, logErrors, withRuntime } from './middleware.ts';

/** What the clean-up function needs from its composition root. */
export interface CleanupRuntime {
  readonly cleaner: RestoredResourceCleaner;
  readonly logger: Logger;
}

/** The request: the plan's resource as the drill restored it, and the ARN its restore job reported. */
export const cleanupRequestSchema = z.strictObject({
  resource: z.looseObject({
    app: z.string().check(z.minLength(1)),
    name: z.string().check(z.minLength(1)),
    rpoSeconds: z.number(),
    dependsOn: z.array(z.string()),
    source: z.looseObject({ kind: z.enum(['aws-backup', 'azure-backup', 'azure-recovery-services']) }),
  }),
  createdResource: z.string().check(z.startsWith('arn:')),
});

// zod/mini carries no messages of its own: the English ones say what was expected and received.
z.config(en());

/** The request's fields, or an {@link InvalidInputError} naming each one that is wrong. */
export function parseCleanupRequest(event: unknown): {
  resource: ProtectedResource;
  createdResource: string;
} {
  const parsed = cleanupRequestSchema.safeParse(event);
  if (!parsed.success)
    throw new InvalidInputError(
      `clean-up request refused: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`).join('; ')}; expected { resource, createdResource: "arn:…" }`,
    );
  // Checked above for what the deletes read; the rest of the resource is the controller's own plan.
  return {
    resource: parsed.data.resource as unknown as ProtectedResource,
    createdResource: parsed.data.createdResource,
  };
}

/** The clean-up handler over a runtime loader (the real composition root, or fakes in tests). */
export function createCleanupHandler(load: () => Promise<CleanupRuntime>) {
  return middy<unknown, DeleteOutcome>()
    .use(withRuntime(load))
    .use(logErrors())
    .handler(async (event, context) => {
      const {
        runtime: { cleaner },
        log,
      } = invocation<CleanupRuntime>(context);
      const { resource, createdResource } = parseCleanupRequest(event);
      const outcome = await cleaner.delete(resource, createdResource);
      log.info({ app: resource.app, resource: resource.name, createdResource, outcome }, outcome.detail);
      return outcome;
    });
}
