/**
 * Deletes what a drill's RDS restore created (the {@link ServiceDelete} contract, `service-delete.ts`):
 *
 * `db:` — a DB instance. Each call:
 * 1. `DescribeDBInstances`: `DBInstanceNotFoundFault` → deleted; status `deleting` → deleting;
 * 2. a member of a cluster → refused (the cluster is the created resource, not its instance);
 * 3. deletion protection on (the restore may copy it) → `ModifyDBInstance` it off on this instance,
 *    applied immediately → deleting (the next call deletes);
 * 4. `DeleteDBInstance` without a final snapshot and with its automated backups (the drill copy is
 *    disposable) → deleting until the describe says not found. `InvalidDBInstanceStateFault` (still
 *    `creating`, `modifying`, `backing-up`…) → deleting: asked again later.
 *
 * `cluster:` — an Aurora, DocumentDB or Neptune cluster (all `rds` cluster ARNs). AWS Backup restores
 * the cluster only; its instances are the ones Standby added (`rds-cluster-instances.ts`) and belong
 * to it. Each call:
 * 1. `DescribeDBClusters`: `DBClusterNotFoundFault` → deleted; status `deleting` → deleting;
 * 2. deletion protection on → `ModifyDBCluster` it off → deleting (a protected cluster's last
 *    instance cannot be deleted either);
 * 3. members left (`DBClusterMembers`) → delete each not yet `deleting` (as a `db:` instance, its own
 *    protection turned off first) → deleting;
 * 4. no member left → `DeleteDBCluster` without a final snapshot → deleting until not found
 *    (`InvalidDBClusterStateFault` → deleting).
 */
import {
  type DBCluster,
  type DBInstance,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { DeleteOutcome } from '#shared/ports/recovery-actions.ts';
import { attempt, call, deleted, deleting, idOf, refusal } from './outcomes.ts';
import type { ServiceDeletes } from './service-delete.ts';

const INSTANCE_GONE = 'DBInstanceNotFoundFault';
const CLUSTER_GONE = 'DBClusterNotFoundFault';
const INSTANCE_BUSY = 'InvalidDBInstanceStateFault';
const CLUSTER_BUSY = 'InvalidDBClusterStateFault';

/** The RDS deletes: DB instances (`db:`) and DB clusters (`cluster:`), with a client per region. */
export function rdsDeletes(clientFor: (region: string) => RDSClient): ServiceDeletes {
  return {
    rds: {
      'db:': (arn) => deleteInstance(clientFor(arn.region), idOf(arn, 'db:')),
      'cluster:': (arn) => deleteCluster(clientFor(arn.region), idOf(arn, 'cluster:')),
    },
  };
}

async function describeInstance(client: RDSClient, id: string): Promise<DBInstance | undefined> {
  const found = await attempt(
    'rds:DescribeDBInstances',
    `DB instance ${id}`,
    () => client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })),
    [INSTANCE_GONE],
  );
  return 'ok' in found ? found.ok.DBInstances?.[0] : undefined;
}

async function deleteInstance(client: RDSClient, id: string): Promise<DeleteOutcome> {
  const instance = await describeInstance(client, id);
  if (!instance) return deleted(`DB instance ${id} is gone (rds:DescribeDBInstances: ${INSTANCE_GONE})`);
  if (instance.DBClusterIdentifier)
    throw refusal(
      'rds:DeleteDBInstance',
      `DB instance ${id}`,
      `it is a member of cluster ${instance.DBClusterIdentifier}, which is what a restore creates`,
    );
  return stepInstance(client, instance, id);
}

/** One step of deleting a DB instance that exists: deleting already, protection off, or the delete. */
async function stepInstance(client: RDSClient, instance: DBInstance, id: string): Promise<DeleteOutcome> {
  const what = `DB instance ${id}`;
  if (instance.DBInstanceStatus === 'deleting') return deleting(`${what} is deleting`);
  if (instance.DeletionProtection) {
    await call('rds:ModifyDBInstance', what, () =>
      client.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: id,
          DeletionProtection: false,
          ApplyImmediately: true,
        }),
      ),
    );
    return deleting(`rds:ModifyDBInstance ${id}: deletion protection turned off; deleted next`);
  }
  const done = await attempt(
    'rds:DeleteDBInstance',
    what,
    () =>
      client.send(
        new DeleteDBInstanceCommand({
          DBInstanceIdentifier: id,
          SkipFinalSnapshot: true,
          // A cluster member's backups are the cluster's.
          ...(instance.DBClusterIdentifier ? {} : { DeleteAutomatedBackups: true }),
        }),
      ),
    [INSTANCE_GONE, INSTANCE_BUSY],
  );
  if ('ok' in done) return deleting(`rds:DeleteDBInstance ${id}: accepted; waiting until it is gone`);
  if (done.failed === INSTANCE_GONE)
    return deleted(`${what} is gone (rds:DeleteDBInstance: ${INSTANCE_GONE})`);
  return deleting(
    `${what} is ${instance.DBInstanceStatus ?? 'busy'} and cannot be deleted yet (${done.message})`,
  );
}

async function deleteCluster(client: RDSClient, id: string): Promise<DeleteOutcome> {
  const what = `DB cluster ${id}`;
  const found = await attempt(
    'rds:DescribeDBClusters',
    what,
    () => client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id })),
    [CLUSTER_GONE],
  );
  const cluster: DBCluster | undefined = 'ok' in found ? found.ok.DBClusters?.[0] : undefined;
  if (!cluster) return deleted(`${what} is gone (rds:DescribeDBClusters: ${CLUSTER_GONE})`);
  if (cluster.Status === 'deleting') return deleting(`${what} is deleting`);
  if (cluster.DeletionProtection) {
    await call('rds:ModifyDBCluster', what, () =>
      client.send(
        new ModifyDBClusterCommand({
          DBClusterIdentifier: id,
          DeletionProtection: false,
          ApplyImmediately: true,
        }),
      ),
    );
    return deleting(
      `rds:ModifyDBCluster ${id}: deletion protection turned off; its instances and it are deleted next`,
    );
  }
  const members = (cluster.DBClusterMembers ?? []).flatMap((m) => m.DBInstanceIdentifier ?? []);
  if (members.length > 0) {
    const steps: string[] = [];
    for (const member of members) {
      const instance = await describeInstance(client, member);
      steps.push(
        instance ? (await stepInstance(client, instance, member)).detail : `DB instance ${member} is gone`,
      );
    }
    return deleting(`${what}: deleting its ${members.length} instance(s) first — ${steps.join('; ')}`);
  }
  const done = await attempt(
    'rds:DeleteDBCluster',
    what,
    () => client.send(new DeleteDBClusterCommand({ DBClusterIdentifier: id, SkipFinalSnapshot: true })),
    [CLUSTER_GONE, CLUSTER_BUSY],
  );
  if ('ok' in done) return deleting(`rds:DeleteDBCluster ${id}: accepted; waiting until it is gone`);
  if (done.failed === CLUSTER_GONE) return deleted(`${what} is gone (rds:DeleteDBCluster: ${CLUSTER_GONE})`);
  return deleting(`${what} is ${cluster.Status ?? 'busy'} and cannot be deleted yet (${done.message})`);
}
