import {
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  InvalidDBClusterStateFault,
  InvalidDBInstanceStateFault,
  KMSKeyNotAccessibleFault,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { rdsDeletes } from '#functions/cleanup/rds.ts';
import { ProviderError } from '#shared/domain/errors.ts';
import { parseArn } from '#shared/domain/identifiers.ts';
import { loadPlan } from '../../support/plans.ts';

const rds = mockClient(RDSClient);
const regions: string[] = [];
const deletes = rdsDeletes((region) => {
  regions.push(region);
  return new RDSClient({ region });
});
const resource = loadPlan().resources[0]!;
const DB = 'arn:aws:rds:eu-central-1:111122223333:db:case-db-drill';
const CLUSTER = 'arn:aws:rds:eu-central-1:111122223333:cluster:payments-drill';
const run = (prefix: 'db:' | 'cluster:', arn: string) => deletes['rds']![prefix]!(parseArn(arn)!, resource);
const meta = { $metadata: {} };
const instance = (status: string, more: Record<string, unknown> = {}) => ({
  DBInstances: [{ DBInstanceIdentifier: 'case-db-drill', DBInstanceStatus: status, ...more }],
});

beforeEach(() => {
  rds.reset();
  regions.length = 0;
});

describe('rdsDeletes db: (a DB instance)', () => {
  it.each([
    {
      case: 'first call: deletes without a final snapshot, with its automated backups',
      setup: () => {
        rds.on(DescribeDBInstancesCommand).resolves(instance('available'));
        rds.on(DeleteDBInstanceCommand).resolves({ DBInstance: { DBInstanceStatus: 'deleting' } });
      },
      state: 'deleting',
      detail: 'rds:DeleteDBInstance case-db-drill: accepted; waiting until it is gone',
    },
    {
      case: 'in progress: the describe says deleting, and nothing is called again',
      setup: () => rds.on(DescribeDBInstancesCommand).resolves(instance('deleting')),
      state: 'deleting',
      detail: 'DB instance case-db-drill is deleting',
    },
    {
      case: 'not deletable yet (still backing up): waits',
      setup: () => {
        rds.on(DescribeDBInstancesCommand).resolves(instance('backing-up'));
        rds
          .on(DeleteDBInstanceCommand)
          .rejects(
            new InvalidDBInstanceStateFault({ message: 'Instance is not in available state', ...meta }),
          );
      },
      state: 'deleting',
      detail:
        'DB instance case-db-drill is backing-up and cannot be deleted yet (Instance is not in available state)',
    },
    {
      case: 'gone: the describe says not found',
      setup: () =>
        rds
          .on(DescribeDBInstancesCommand)
          .rejects(new DBInstanceNotFoundFault({ message: 'not found', ...meta })),
      state: 'deleted',
      detail: 'DB instance case-db-drill is gone (rds:DescribeDBInstances: DBInstanceNotFoundFault)',
    },
    {
      case: 'already gone between the describe and the delete',
      setup: () => {
        rds.on(DescribeDBInstancesCommand).resolves(instance('available'));
        rds
          .on(DeleteDBInstanceCommand)
          .rejects(new DBInstanceNotFoundFault({ message: 'not found', ...meta }));
      },
      state: 'deleted',
      detail: 'DB instance case-db-drill is gone (rds:DeleteDBInstance: DBInstanceNotFoundFault)',
    },
    {
      case: 'deletion protection: turned off on this instance, deleted at the next call',
      setup: () =>
        rds.on(DescribeDBInstancesCommand).resolves(instance('available', { DeletionProtection: true })),
      state: 'deleting',
      detail: 'rds:ModifyDBInstance case-db-drill: deletion protection turned off; deleted next',
    },
  ])('$case', async ({ setup, state, detail }) => {
    setup();
    expect(await run('db:', DB)).toEqual({ state, detail });
    expect(regions).toEqual(['eu-central-1']);
  });

  it('sends the delete and the protection change with the official parameters', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available', { DeletionProtection: true }));
    await run('db:', DB);
    expect(rds).toHaveReceivedCommandWith(DescribeDBInstancesCommand, {
      DBInstanceIdentifier: 'case-db-drill',
    });
    expect(rds).toHaveReceivedCommandWith(ModifyDBInstanceCommand, {
      DBInstanceIdentifier: 'case-db-drill',
      DeletionProtection: false,
      ApplyImmediately: true,
    });
    expect(rds).not.toHaveReceivedCommand(DeleteDBInstanceCommand);
    rds.on(DescribeDBInstancesCommand).resolves(instance('available'));
    await run('db:', DB);
    expect(rds).toHaveReceivedCommandWith(DeleteDBInstanceCommand, {
      DBInstanceIdentifier: 'case-db-drill',
      SkipFinalSnapshot: true,
      DeleteAutomatedBackups: true,
    });
  });

  it('refuses an instance that belongs to a cluster: the cluster is what a restore creates', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available', { DBClusterIdentifier: 'payments' }));
    await expect(run('db:', DB)).rejects.toThrow(
      'rds:DeleteDBInstance: DB instance case-db-drill: it is a member of cluster payments, which is what a restore creates; not deleting it',
    );
    expect(rds).not.toHaveReceivedCommand(DeleteDBInstanceCommand);
  });

  it('throws a refusal of the service as a ProviderError naming the call', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available'));
    rds
      .on(DeleteDBInstanceCommand)
      .rejects(new KMSKeyNotAccessibleFault({ message: 'key disabled', ...meta }));
    const error = await run('db:', DB).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toBe(
      'rds:DeleteDBInstance: delete of DB instance case-db-drill: KMSKeyNotAccessibleFault: key disabled',
    );
  });
});

const cluster = (more: Record<string, unknown> = {}) => ({
  DBClusters: [{ DBClusterIdentifier: 'payments-drill', Status: 'available', DBClusterMembers: [], ...more }],
});
const members = [
  { DBInstanceIdentifier: 'payments-drill-1', IsClusterWriter: true },
  { DBInstanceIdentifier: 'payments-drill-2', IsClusterWriter: false },
];

describe('rdsDeletes cluster: (Aurora, DocumentDB, Neptune)', () => {
  it.each([
    {
      case: 'first call: deletes each member instance first',
      setup: () => {
        rds.on(DescribeDBClustersCommand).resolves(cluster({ DBClusterMembers: members }));
        rds
          .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'payments-drill-1' })
          .resolves({
            DBInstances: [{ DBInstanceStatus: 'available', DBClusterIdentifier: 'payments-drill' }],
          })
          .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'payments-drill-2' })
          .resolves({
            DBInstances: [{ DBInstanceStatus: 'available', DBClusterIdentifier: 'payments-drill' }],
          });
        rds.on(DeleteDBInstanceCommand).resolves({});
      },
      state: 'deleting',
      detail:
        'DB cluster payments-drill: deleting its 2 instance(s) first — rds:DeleteDBInstance payments-drill-1: accepted; waiting until it is gone; rds:DeleteDBInstance payments-drill-2: accepted; waiting until it is gone',
    },
    {
      case: 'in progress: members deleting, one already gone',
      setup: () => {
        rds.on(DescribeDBClustersCommand).resolves(cluster({ DBClusterMembers: members }));
        rds
          .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'payments-drill-1' })
          .resolves({
            DBInstances: [{ DBInstanceStatus: 'deleting', DBClusterIdentifier: 'payments-drill' }],
          })
          .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'payments-drill-2' })
          .rejects(new DBInstanceNotFoundFault({ message: 'gone', ...meta }));
      },
      state: 'deleting',
      detail:
        'DB cluster payments-drill: deleting its 2 instance(s) first — DB instance payments-drill-1 is deleting; DB instance payments-drill-2 is gone',
    },
    {
      case: 'no member left: deletes the cluster without a final snapshot',
      setup: () => {
        rds.on(DescribeDBClustersCommand).resolves(cluster());
        rds.on(DeleteDBClusterCommand).resolves({});
      },
      state: 'deleting',
      detail: 'rds:DeleteDBCluster payments-drill: accepted; waiting until it is gone',
    },
    {
      case: 'in progress: the cluster is deleting',
      setup: () => rds.on(DescribeDBClustersCommand).resolves(cluster({ Status: 'deleting' })),
      state: 'deleting',
      detail: 'DB cluster payments-drill is deleting',
    },
    {
      case: 'not deletable yet: waits',
      setup: () => {
        rds.on(DescribeDBClustersCommand).resolves(cluster({ Status: 'backing-up' }));
        rds.on(DeleteDBClusterCommand).rejects(new InvalidDBClusterStateFault({ message: 'busy', ...meta }));
      },
      state: 'deleting',
      detail: 'DB cluster payments-drill is backing-up and cannot be deleted yet (busy)',
    },
    {
      case: 'gone',
      setup: () =>
        rds
          .on(DescribeDBClustersCommand)
          .rejects(new DBClusterNotFoundFault({ message: 'not found', ...meta })),
      state: 'deleted',
      detail: 'DB cluster payments-drill is gone (rds:DescribeDBClusters: DBClusterNotFoundFault)',
    },
    {
      case: 'already gone between the describe and the delete',
      setup: () => {
        rds.on(DescribeDBClustersCommand).resolves(cluster());
        rds.on(DeleteDBClusterCommand).rejects(new DBClusterNotFoundFault({ message: 'not found', ...meta }));
      },
      state: 'deleted',
      detail: 'DB cluster payments-drill is gone (rds:DeleteDBCluster: DBClusterNotFoundFault)',
    },
    {
      case: 'deletion protection: turned off on the cluster before anything is deleted',
      setup: () =>
        rds
          .on(DescribeDBClustersCommand)
          .resolves(cluster({ DeletionProtection: true, DBClusterMembers: members })),
      state: 'deleting',
      detail:
        'rds:ModifyDBCluster payments-drill: deletion protection turned off; its instances and it are deleted next',
    },
  ])('$case', async ({ setup, state, detail }) => {
    setup();
    expect(await run('cluster:', CLUSTER)).toEqual({ state, detail });
  });

  it('sends the official parameters, and deletes no instance while the cluster is protected', async () => {
    rds
      .on(DescribeDBClustersCommand)
      .resolves(cluster({ DeletionProtection: true, DBClusterMembers: members }));
    await run('cluster:', CLUSTER);
    expect(rds).toHaveReceivedCommandWith(ModifyDBClusterCommand, {
      DBClusterIdentifier: 'payments-drill',
      DeletionProtection: false,
      ApplyImmediately: true,
    });
    expect(rds).not.toHaveReceivedCommand(DeleteDBInstanceCommand);
    rds.reset();
    rds.on(DescribeDBClustersCommand).resolves(cluster());
    await run('cluster:', CLUSTER);
    expect(rds).toHaveReceivedCommandWith(DeleteDBClusterCommand, {
      DBClusterIdentifier: 'payments-drill',
      SkipFinalSnapshot: true,
    });
  });

  it('deletes a member without DeleteAutomatedBackups (the backups are the cluster’s)', async () => {
    rds.on(DescribeDBClustersCommand).resolves(cluster({ DBClusterMembers: [members[0]] }));
    rds
      .on(DescribeDBInstancesCommand)
      .resolves({ DBInstances: [{ DBInstanceStatus: 'available', DBClusterIdentifier: 'payments-drill' }] });
    rds.on(DeleteDBInstanceCommand).resolves({});
    await run('cluster:', CLUSTER);
    expect(rds.commandCalls(DeleteDBInstanceCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'payments-drill-1',
      SkipFinalSnapshot: true,
    });
  });
});
