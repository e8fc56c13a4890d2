/**
 * What deletes a drill's restored copies for the CLI: the simulated cloud's resources in a
 * simulation; against the real clouds, the AWS tear-down (RDS instances and DynamoDB tables — anything
 * else is refused, named, and left for a human), its SDK clients loaded on the first delete only.
 */
import { builtOnce } from '#platform/lazy.ts';
import type { RestoredResourceCleaner } from '#shared/ports/recovery-actions.ts';
import type { SimulatedCloud } from '#sim/cloud.ts';
import { SimulatedRestoredResourceCleaner } from '#sim/restored-resources.ts';

/** The cleaner of the simulated cloud when one is given, else the real AWS one. */
export function restoredResourceCleaner(cloud: SimulatedCloud | undefined): RestoredResourceCleaner {
  if (cloud) return new SimulatedRestoredResourceCleaner(cloud);
  const aws = builtOnce(awsCleaner);
  return { delete: async (resource, createdResource) => (await aws()).delete(resource, createdResource) };
}

async function awsCleaner(): Promise<RestoredResourceCleaner> {
  const [{ AwsRestoredResourceCleaner }, { RDSClient }, { DynamoDBClient }] = await Promise.all([
    import('#functions/adapters/aws-restored-resource-cleaner.ts'),
    import('@aws-sdk/client-rds'),
    import('@aws-sdk/client-dynamodb'),
  ]);
  return new AwsRestoredResourceCleaner({
    rdsFor: (region) => new RDSClient({ region }),
    dynamodbFor: (region) => new DynamoDBClient({ region }),
  });
}
