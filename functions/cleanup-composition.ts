/**
 * What every clean-up function's composition root shares (`handlers/cleanup.ts`,
 * `handlers/cleanup-ec2.ts`): the dispatcher of `cleanup/cleaner.ts` over the deletes the function
 * carries, in the controller's own account. Each entry builds its SDK clients per region, on first
 * use. Environment (set by `cdk/stacks/standby-stack.ts`):
 * - `STANDBY_ACCOUNT` the account the function runs in: an ARN of any other account is refused
 *                     (a delete by identifier there would find nothing and count it as deleted).
 */
import { builtOnce } from '#platform/lazy.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { AwsRestoredResourceCleaner } from './cleanup/cleaner.ts';
import type { ServiceDeletes } from './cleanup/service-delete.ts';
import { logger } from './foundation.ts';
import type { CleanupRuntime } from './handlers/cleanup-handler.ts';

export { perRegion } from './foundation.ts';

/** Builds a clean-up runtime over `deletes`; throws naming `STANDBY_ACCOUNT` when it is not an account id. */
export function createCleanupRuntime(
  deletes: ServiceDeletes,
  env: NodeJS.ProcessEnv = process.env,
): CleanupRuntime {
  const account = env['STANDBY_ACCOUNT'] ?? '';
  if (!/^\d{12}$/.test(account))
    throw new InvalidInputError(
      `the clean-up function needs STANDBY_ACCOUNT, the 12-digit account it runs in (got "${account}"); the CDK stack sets it`,
    );
  return { cleaner: new AwsRestoredResourceCleaner({ deletes, account: async () => account }), logger };
}

/** The runtime of this container over the deletes `build` makes, built on first use. */
export const cleanupRuntimeOf = (build: () => ServiceDeletes) =>
  builtOnce(async () => createCleanupRuntime(build()));
