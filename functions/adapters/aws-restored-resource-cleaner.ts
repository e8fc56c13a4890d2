/**
 * Deletes what a drill's AWS Backup restore created, by the `CreatedResourceArn` its restore job
 * reported, with the owning service's own delete call. One map entry per ARN service: an RDS DB
 * instance (`DeleteDBInstance`, no final snapshot — the drill copy is disposable) and a DynamoDB table
 * (`DeleteTable`). A resource already gone counts as deleted. Other services' resources need their
 * SDK clients, which are not dependencies yet: the delete is refused naming the call it needs, and the
 * drill ends naming what it left behind.
 */
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteDBInstanceCommand, type RDSClient } from '@aws-sdk/client-rds';
import { ProviderError } from '#shared/domain/errors.ts';
import { parseArn } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { DeleteOutcome, RestoredResourceCleaner } from '#shared/ports/recovery-actions.ts';

/** What {@link AwsRestoredResourceCleaner} is built from: one client per region, built on first use. */
export interface AwsRestoredResourceCleanerOptions {
  readonly rdsFor: (region: string) => RDSClient;
  readonly dynamodbFor: (region: string) => DynamoDBClient;
}

type Delete = (options: AwsRestoredResourceCleanerOptions, region: string, id: string) => Promise<string>;

/** Errors that mean "already deleted". */
const GONE = new Set(['DBInstanceNotFoundFault', 'DBInstanceNotFound', 'ResourceNotFoundException']);

/** The delete of each resource type, by ARN service and resource-type prefix. */
const DELETES: Readonly<Record<string, { readonly prefix: string; readonly run: Delete }>> = {
  rds: {
    prefix: 'db:',
    run: async (o, region, id) => {
      await o.rdsFor(region).send(
        new DeleteDBInstanceCommand({
          DBInstanceIdentifier: id,
          SkipFinalSnapshot: true,
          DeleteAutomatedBackups: true,
        }),
      );
      return `rds:DeleteDBInstance ${id}`;
    },
  },
  dynamodb: {
    prefix: 'table/',
    run: async (o, region, id) => {
      await o.dynamodbFor(region).send(new DeleteTableCommand({ TableName: id }));
      return `dynamodb:DeleteTable ${id}`;
    },
  },
};

/** The delete call each other restorable service needs, for the refusal message. */
const NOT_YET: Readonly<Record<string, string>> = {
  elasticfilesystem: 'elasticfilesystem:DeleteFileSystem (@aws-sdk/client-efs)',
  s3: 's3:DeleteBucket (@aws-sdk/client-s3)',
  eks: 'eks:DeleteCluster (@aws-sdk/client-eks)',
  ec2: 'ec2:TerminateInstances (@aws-sdk/client-ec2)',
  fsx: 'fsx:DeleteFileSystem (@aws-sdk/client-fsx)',
};

/** The AWS side of {@link RestoredResourceCleaner}. */
export class AwsRestoredResourceCleaner implements RestoredResourceCleaner {
  constructor(private readonly options: AwsRestoredResourceCleanerOptions) {}

  async delete(_resource: ProtectedResource, createdResource: string): Promise<DeleteOutcome> {
    const arn = parseArn(createdResource);
    const entry = arn && DELETES[arn.service];
    if (!arn || !entry || !arn.resource.startsWith(entry.prefix))
      throw new ProviderError(
        'standby:DeleteRestored',
        `cannot delete ${createdResource}: ${arn && NOT_YET[arn.service] ? `needs ${NOT_YET[arn.service]}, not built in yet` : 'no delete call known for this resource type'}; delete it by hand`,
      );
    const id = arn.resource.slice(entry.prefix.length);
    try {
      return { state: 'deleted', detail: await entry.run(this.options, arn.region, id) };
    } catch (error) {
      if (GONE.has((error as { name?: string }).name ?? ''))
        return { state: 'deleted', detail: `${createdResource} was already deleted` };
      throw new ProviderError(`${arn.service}:delete`, `${createdResource}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}
