/**
 * What deletes a drill's restored copies for the CLI: the simulated cloud's resources in a
 * simulation; against the real clouds, the cleaner of the cloud the created id belongs to — an ARM id
 * (`/subscriptions/…`) goes to the Azure tear-down (disks, VMs with their own disks and NICs), an ARN
 * to the AWS dispatcher (`functions/cleanup/cleaner.ts`) called directly — no clean-up Lambda — with
 * the caller's credentials, in the account they belong to (`sts:GetCallerIdentity`; a resource of
 * another account is refused); anything else is refused, named, and left for a human. Each cloud's
 * clients are loaded on its first delete only.
 */
import { builtOnce, builtPerKey } from '#platform/lazy.ts';
import { ProviderError } from '#shared/domain/errors.ts';
import type { RestoredResourceCleaner } from '#shared/ports/recovery-actions.ts';
import type { SimulatedCloud } from '#sim/cloud.ts';
import { SimulatedRestoredResourceCleaner } from '#sim/restored-resources.ts';

/** How a real cleaner is built, per cloud: replaced in tests. */
export interface CleanerFactories {
  readonly aws: () => Promise<RestoredResourceCleaner>;
  readonly azure: () => Promise<RestoredResourceCleaner>;
}

/** The cleaner of the simulated cloud when one is given, else the real one of the id's cloud. */
export function restoredResourceCleaner(
  cloud: SimulatedCloud | undefined,
  factories: CleanerFactories = { aws: awsCleaner, azure: azureCleaner },
): RestoredResourceCleaner {
  if (cloud) return new SimulatedRestoredResourceCleaner(cloud);
  const aws = builtOnce(factories.aws);
  const azure = builtOnce(factories.azure);
  return {
    delete: async (resource, createdResource) => {
      if (createdResource.startsWith('arn:')) return (await aws()).delete(resource, createdResource);
      if (/^\/subscriptions\//i.test(createdResource))
        return (await azure()).delete(resource, createdResource);
      throw new ProviderError(
        'standby:DeleteRestored',
        `cannot delete ${createdResource}: neither an AWS ARN nor an Azure resource id; delete it by hand`,
      );
    },
  };
}

async function awsCleaner(): Promise<RestoredResourceCleaner> {
  const [{ AwsRestoredResourceCleaner }, { awsServiceDeletes }, rds, dynamodb, ec2, efs, s3, eks, fsx, sts] =
    await Promise.all([
      import('#functions/cleanup/cleaner.ts'),
      import('#functions/cleanup/all-deletes.ts'),
      import('@aws-sdk/client-rds'),
      import('@aws-sdk/client-dynamodb'),
      import('@aws-sdk/client-ec2'),
      import('@aws-sdk/client-efs'),
      import('@aws-sdk/client-s3'),
      import('@aws-sdk/client-eks'),
      import('@aws-sdk/client-fsx'),
      import('@aws-sdk/client-sts'),
    ]);
  const identity = builtOnce(async () => {
    const { Account } = await new sts.STSClient({}).send(new sts.GetCallerIdentityCommand({}));
    if (!Account) throw new Error('sts:GetCallerIdentity answered no account');
    return Account;
  });
  return new AwsRestoredResourceCleaner({
    deletes: awsServiceDeletes({
      rds: builtPerKey((region: string) => new rds.RDSClient({ region })),
      dynamodb: builtPerKey((region: string) => new dynamodb.DynamoDBClient({ region })),
      ec2: builtPerKey((region: string) => new ec2.EC2Client({ region })),
      efs: builtPerKey((region: string) => new efs.EFSClient({ region })),
      s3: builtPerKey((region: string) => new s3.S3Client({ region })),
      eks: builtPerKey((region: string) => new eks.EKSClient({ region })),
      fsx: builtPerKey((region: string) => new fsx.FSxClient({ region })),
    }),
    account: identity,
  });
}

/** The Azure tear-down with the credential of whoever runs the CLI (`az login`, environment, managed identity). */
async function azureCleaner(): Promise<RestoredResourceCleaner> {
  const [{ ArmRestoredResourceCleaner }, { DefaultAzureCredential }] = await Promise.all([
    import('#azure/adapters/restored-resource-cleaner.ts'),
    import('@azure/identity'),
  ]);
  return new ArmRestoredResourceCleaner({ credential: new DefaultAzureCredential() });
}
