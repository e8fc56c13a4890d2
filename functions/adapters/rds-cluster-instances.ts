/**
 * The DB instances of a restored Aurora, DocumentDB or Neptune cluster. AWS Backup restores the
 * cluster only ("it does not create or attach an Amazon RDS instance to your cluster",
 * restoring-aur.html), and RDS creates instances "only after the ... operation has completed and the
 * DB cluster is available" (RestoreDBClusterFromS3 reference, the same rule for every cluster
 * restore). So, each time the restore is described after its job completed:
 * 1. read the cluster (`DescribeDBClusters`); not `available` yet → running;
 * 2. read its instances (`DescribeDBInstances`, filter `db-cluster-id`);
 * 3. create each missing one (`CreateDBInstance`) under a name derived from the cluster's, so a
 *    repeated or concurrent describe finds it instead of creating another (`DBInstanceAlreadyExists`
 *    is that case);
 * 4. all `available` → succeeded; one in a state it cannot leave by itself → failed; else running.
 * Nothing here waits: each describe does one pass.
 */
import {
  CreateDBInstanceCommand,
  type DBInstance,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { ErrorCode, InvalidInputError, ProviderError } from '#shared/domain/errors.ts';
import { parseArn } from '#shared/domain/identifiers.ts';
import { clusterInstanceName } from '#shared/domain/restore-requests.ts';
import type { RestoreJobStatus } from '#shared/ports/recovery-actions.ts';
import type { AwsCallPolicy } from './aws-retry.ts';

/** The instances a plan asks for in a restored cluster. */
export interface ClusterInstancesSpec {
  readonly instanceClass: string;
  readonly count: number;
}

/** DB instance states it does not leave without someone acting (RDS "DB instance status" table). */
const STUCK = new Set([
  'failed',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-parameters',
  'incompatible-restore',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
  'storage-full',
  'deleting',
  'stopped',
]);

/** The region and identifier of a cluster ARN (`arn:aws:rds:{region}:{account}:cluster:{id}`). */
export function clusterOf(clusterArn: string): { region: string; id: string } {
  const arn = parseArn(clusterArn);
  const id = arn?.resource.startsWith('cluster:') ? arn.resource.slice('cluster:'.length) : '';
  if (arn?.service !== 'rds' || !arn.region || !id)
    throw new InvalidInputError(
      `"${clusterArn}" is not a DB cluster ARN (arn:aws:rds:<region>:<account>:cluster:<id>); cannot create its instances`,
    );
  return { region: arn.region, id };
}

/** Creates and follows the instances of restored clusters. */
export class RdsClusterInstances {
  constructor(
    private readonly clientFor: (region: string) => RDSClient,
    private readonly policy: AwsCallPolicy,
  ) {}

  /**
   * True when a DB cluster (or instance) of that identifier exists in `region`: a restore that would
   * create one of that name is refused by RDS. For the preflight.
   */
  async exists(region: string, kind: 'cluster' | 'instance', id: string, context: string): Promise<boolean> {
    const client = this.clientFor(region);
    try {
      if (kind === 'cluster')
        await this.policy.run(
          region,
          'rds:DescribeDBClusters',
          () => client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id })),
          context,
        );
      else
        await this.policy.run(
          region,
          'rds:DescribeDBInstances',
          () => client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })),
          context,
        );
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === ErrorCode.NotFound) return false;
      throw error;
    }
  }

  /** One pass over the cluster `clusterArn` towards `spec`; see the module comment. */
  async ensure(clusterArn: string, spec: ClusterInstancesSpec, context: string): Promise<RestoreJobStatus> {
    const { region, id } = clusterOf(clusterArn);
    const client = this.clientFor(region);
    const clusters = await this.policy.run(
      region,
      'rds:DescribeDBClusters',
      () => client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id })),
      context,
    );
    const cluster = clusters.DBClusters?.[0];
    if (!cluster)
      throw new ProviderError('rds:DescribeDBClusters', `${context}: cluster ${id} is not in the answer`);
    const created = { createdResource: clusterArn };
    if (cluster.Status !== 'available')
      return {
        state: 'running',
        message: `restored cluster ${id} is ${cluster.Status ?? 'in an unknown state'}; its instances are created once it is available`,
        ...created,
      };
    const listed = await this.policy.run(
      region,
      'rds:DescribeDBInstances',
      () =>
        client.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [id] }] })),
      context,
    );
    const byName = new Map((listed.DBInstances ?? []).map((i) => [i.DBInstanceIdentifier ?? '', i]));
    const wanted = Array.from({ length: spec.count }, (_, i) => clusterInstanceName(id, i + 1));
    const missing = wanted.filter((name) => !byName.has(name));
    for (const name of missing) await this.#create(client, region, id, name, cluster.Engine, spec, context);
    if (missing.length > 0)
      return {
        state: 'running',
        message: `creating ${missing.length} instance(s) of class ${spec.instanceClass} in restored cluster ${id}: ${missing.join(', ')}`,
        ...created,
      };
    return instancesState(
      id,
      wanted.map((name) => byName.get(name)!),
      clusterArn,
    );
  }

  async #create(
    client: RDSClient,
    region: string,
    clusterId: string,
    name: string,
    engine: string | undefined,
    spec: ClusterInstancesSpec,
    context: string,
  ): Promise<void> {
    if (!engine)
      throw new ProviderError('rds:DescribeDBClusters', `${context}: cluster ${clusterId} names no Engine`);
    try {
      await this.policy.run(
        region,
        'rds:CreateDBInstance',
        () =>
          client.send(
            new CreateDBInstanceCommand({
              DBInstanceIdentifier: name,
              DBClusterIdentifier: clusterId,
              DBInstanceClass: spec.instanceClass,
              Engine: engine,
            }),
          ),
        context,
      );
    } catch (error) {
      // Created by an earlier pass whose answer was lost, or by a concurrent one: the name is the key.
      if ((error as { cause?: { name?: string } }).cause?.name === 'DBInstanceAlreadyExistsFault') return;
      throw error;
    }
  }
}

/** The restore's state from the instances it created. */
function instancesState(
  clusterId: string,
  instances: readonly DBInstance[],
  clusterArn: string,
): RestoreJobStatus {
  const states = instances.map((i) => `${i.DBInstanceIdentifier} ${i.DBInstanceStatus ?? 'unknown'}`);
  const stuck = instances.filter((i) => STUCK.has(i.DBInstanceStatus ?? ''));
  if (stuck.length > 0)
    return {
      state: 'failed',
      message: `restored cluster ${clusterId}: instance(s) ${stuck.map((i) => `${i.DBInstanceIdentifier} ${i.DBInstanceStatus}`).join(', ')}`,
      createdResource: clusterArn,
    };
  if (instances.every((i) => i.DBInstanceStatus === 'available'))
    return {
      state: 'succeeded',
      message: `restored cluster ${clusterId} with ${instances.length} available instance(s): ${states.join(', ')}`,
      createdResource: clusterArn,
    };
  return {
    state: 'running',
    message: `restored cluster ${clusterId}, instances: ${states.join(', ')}`,
    createdResource: clusterArn,
  };
}
