/**
 * The composition root of the clean-up function (`handlers/cleanup.ts`): the dispatcher of
 * `cleanup/cleaner.ts` over SDK clients built per region on first use, in the controller's own
 * account. Environment (set by `cdk/stacks/standby-stack.ts`):
 * - `STANDBY_ACCOUNT` the account the function runs in: an ARN of any other account is refused
 *                     (a delete by identifier there would find nothing and count it as deleted).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { RDSClient } from '@aws-sdk/client-rds';
import { builtOnce } from '#platform/lazy.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { AwsRestoredResourceCleaner, awsServiceDeletes } from './cleanup/cleaner.ts';
import { logger, perRegion } from './foundation.ts';
import type { CleanupRuntime } from './handlers/cleanup.ts';

/** Builds the clean-up runtime; throws naming `STANDBY_ACCOUNT` when it is not an account id. */
export function createCleanupRuntime(env: NodeJS.ProcessEnv = process.env): CleanupRuntime {
  const account = env['STANDBY_ACCOUNT'] ?? '';
  if (!/^\d{12}$/.test(account))
    throw new InvalidInputError(
      `the clean-up function needs STANDBY_ACCOUNT, the 12-digit account it runs in (got "${account}"); the CDK stack sets it`,
    );
  const cleaner = new AwsRestoredResourceCleaner({
    deletes: awsServiceDeletes({
      rds: perRegion((region) => new RDSClient({ region })),
      dynamodb: perRegion((region) => new DynamoDBClient({ region })),
      ec2: perRegion((region) => new EC2Client({ region })),
      // Merge point (issue 12, helper DA2): efs, s3, eks, fsx clients.
    }),
    account: async () => account,
  });
  return { cleaner, logger };
}

/** The runtime of this container, built on first use. */
export const cleanupRuntime = builtOnce(async () => createCleanupRuntime());
