/**
 * Deleting what a drill restored, in the simulated cloud. Each delete is counted under the operation
 * the resource type's own API has for it (`rds:DeleteDBInstance`, `dynamodb:DeleteTable`,
 * `elasticfilesystem:DeleteFileSystem`, `s3:DeleteBucket`, `eks:DeleteCluster`,
 * `ec2:TerminateInstances`; Azure Resource Manager `DELETE {resourceId}` — `resources:DeleteById`), so
 * `--stats` shows one delete per created resource. Only what a restore job of this world created can be
 * deleted: anything else (a production resource) is refused with ResourceNotFoundException.
 *
 * The simulation answers these calls directly: the AWS SDK clients of those services (RDS, EFS, S3,
 * EKS, EC2) are not dependencies of Standby yet, so there is no real adapter to put in front of them.
 * Azure ids are answered here too (at once, every type), not by the real `ArmRestoredResourceCleaner`:
 * the simulated ARM serves that adapter's calls only for the resources a world lists in
 * `azure.resources` (sim/azure/resources.ts), which restores do not fill in.
 */
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { DeleteOutcome, RestoredResourceCleaner } from '#shared/ports/recovery-actions.ts';
import { type RestoreJobRecord, restoreJobView } from './aws/backup-restore.ts';
import { SimulatedApiError, type SimulatedCloud } from './cloud.ts';

/** The delete operation of each AWS service whose resources AWS Backup restores, by ARN service. */
const AWS_DELETE_OPERATIONS: Readonly<Record<string, (arn: string) => string>> = {
  rds: (arn) => (arn.split(':')[5] === 'cluster' ? 'rds:DeleteDBCluster' : 'rds:DeleteDBInstance'),
  dynamodb: () => 'dynamodb:DeleteTable',
  elasticfilesystem: () => 'elasticfilesystem:DeleteFileSystem',
  s3: () => 's3:DeleteBucket',
  eks: () => 'eks:DeleteCluster',
  ec2: () => 'ec2:TerminateInstances',
  fsx: () => 'fsx:DeleteFileSystem',
  docdb: () => 'rds:DeleteDBCluster',
  neptune: () => 'rds:DeleteDBCluster',
};

/** Every delete operation a drill's tear-down is counted under (fault and limit names). */
export const DELETE_OPERATIONS: readonly string[] = [
  ...new Set([
    ...Object.entries(AWS_DELETE_OPERATIONS).flatMap(([service, operation]) => [
      operation(`arn:aws:${service}:r:1:cluster:x`),
      operation(`arn:aws:${service}:r:1:db:x`),
    ]),
    'resources:DeleteById',
  ]),
];

/** The simulated cloud's side of {@link RestoredResourceCleaner}. */
export class SimulatedRestoredResourceCleaner implements RestoredResourceCleaner {
  readonly #deleted = new Set<string>();
  constructor(private readonly cloud: SimulatedCloud) {}

  async delete(_resource: ProtectedResource, createdResource: string): Promise<DeleteOutcome> {
    const operation = createdResource.startsWith('arn:')
      ? awsOperation(createdResource)
      : 'resources:DeleteById';
    return this.cloud.call(operation, () => {
      if (this.#deleted.has(createdResource))
        return { state: 'deleted', detail: `${createdResource} was already deleted` };
      if (createdResource.startsWith('arn:') && !this.#restoredInWorld(createdResource))
        throw new SimulatedApiError(
          'ResourceNotFoundException',
          404,
          `${createdResource} was not created by a restore job of this world; Standby only deletes what its restores created`,
        );
      this.#deleted.add(createdResource);
      return { state: 'deleted', detail: `${operation} ${createdResource}` };
    });
  }

  #restoredInWorld(arn: string): boolean {
    return (this.cloud.world.aws.restoreJobs as RestoreJobRecord[]).some(
      (job) => restoreJobView(this.cloud, job)['CreatedResourceArn'] === arn,
    );
  }
}

function awsOperation(arn: string): string {
  const service = arn.split(':')[2] ?? '';
  const operation = AWS_DELETE_OPERATIONS[service];
  if (!operation)
    throw new SimulatedApiError(
      'UnknownOperationException',
      400,
      `no delete operation known for ${service} (${arn})`,
    );
  return operation(arn);
}
