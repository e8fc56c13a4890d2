import {
  CreateDBInstanceCommand,
  DBInstanceAlreadyExistsFault,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AwsCallPolicy } from '#functions/adapters/aws-retry.ts';
import { clusterOf, RdsClusterInstances } from '#functions/adapters/rds-cluster-instances.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { createSimulatedAwsClientConfig } from '#sim/aws/request-handler.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const CLUSTER = 'arn:aws:rds:eu-central-1:444455556666:cluster:payments-aurora-dr';
const SPEC = { instanceClass: 'db.r6g.large', count: 2 };
const policy = new AwsCallPolicy({
  maxCallsPerSecond: Number.POSITIVE_INFINITY,
  maxAttempts: 2,
  baseDelayMs: 1,
  maxDelayMs: 1,
});

describe('clusterOf', () => {
  it('reads region and identifier of a cluster ARN', () => {
    expect(clusterOf(CLUSTER)).toEqual({ region: 'eu-central-1', id: 'payments-aurora-dr' });
  });

  it.each(['arn:aws:rds:eu-central-1:1:db:x', 'arn:aws:dynamodb:eu-central-1:1:table/x', 'cluster'])(
    'refuses %s, naming the shape expected',
    (arn) => {
      expect(() => clusterOf(arn)).toThrow(InvalidInputError);
      expect(() => clusterOf(arn)).toThrow(/arn:aws:rds:<region>:<account>:cluster:<id>/);
    },
  );
});

describe('RdsClusterInstances (mocked client)', () => {
  const rds = mockClient(RDSClient);
  afterAll(() => rds.restore());
  afterEach(() => rds.reset());
  const instances = () => new RdsClusterInstances((region) => new RDSClient({ region }), policy);
  const cluster = (Status: string) =>
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ Status, Engine: 'aurora-postgresql' }] });

  it('waits, creating nothing, while the restored cluster is not available', async () => {
    cluster('creating');
    expect(await instances().ensure(CLUSTER, SPEC, 'ctx')).toMatchObject({
      state: 'running',
      message: expect.stringContaining('payments-aurora-dr is creating'),
      createdResource: CLUSTER,
    });
    expect(rds).toHaveReceivedCommandTimes(CreateDBInstanceCommand, 0);
  });

  it('creates only the missing instances, and takes one an earlier pass created as there', async () => {
    cluster('available');
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [{ DBInstanceIdentifier: 'payments-aurora-dr-1', DBInstanceStatus: 'creating' }],
    });
    rds
      .on(CreateDBInstanceCommand)
      .rejects(new DBInstanceAlreadyExistsFault({ message: 'exists', $metadata: {} }));

    const status = await instances().ensure(CLUSTER, SPEC, 'ctx');

    expect(status).toMatchObject({
      state: 'running',
      message: expect.stringContaining('payments-aurora-dr-2'),
    });
    expect(rds).toHaveReceivedCommandExactlyOnceWith(CreateDBInstanceCommand, {
      DBInstanceIdentifier: 'payments-aurora-dr-2',
      DBClusterIdentifier: 'payments-aurora-dr',
      DBInstanceClass: 'db.r6g.large',
      Engine: 'aurora-postgresql',
    });
    expect(rds).toHaveReceivedCommandWith(DescribeDBInstancesCommand, {
      Filters: [{ Name: 'db-cluster-id', Values: ['payments-aurora-dr'] }],
    });
  });

  it.each([
    { states: ['available', 'available'], state: 'succeeded' },
    { states: ['available', 'modifying'], state: 'running' },
    { states: ['available', 'incompatible-parameters'], state: 'failed' },
  ])('reads instances $states as $state', async ({ states, state }) => {
    cluster('available');
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: states.map((s, i) => ({
        DBInstanceIdentifier: `payments-aurora-dr-${i + 1}`,
        DBInstanceStatus: s,
      })),
    });
    expect((await instances().ensure(CLUSTER, SPEC, 'ctx')).state).toBe(state);
    expect(rds).toHaveReceivedCommandTimes(CreateDBInstanceCommand, 0);
  });
});

describe('RdsClusterInstances (simulated RDS through the real SDK)', () => {
  const world = () =>
    new SimulatedCloud(
      parseWorld(
        'world.yaml',
        JSON.stringify({
          clock: '2026-11-21T12:00:00Z',
          aws: {
            dbClusters: [
              {
                DBClusterIdentifier: 'payments-aurora-dr',
                DBClusterArn: CLUSTER,
                Engine: 'aurora-postgresql',
                Status: 'available',
              },
            ],
          },
        }),
      ),
    );

  it('creates the instances once, and succeeds when the simulated instances are available', async () => {
    const cloud = world();
    const service = new RdsClusterInstances(
      (r) => new RDSClient(createSimulatedAwsClientConfig(cloud, r)),
      policy,
    );

    expect((await service.ensure(CLUSTER, SPEC, 'ctx')).state).toBe('running');
    expect((await service.ensure(CLUSTER, SPEC, 'ctx')).state).toBe('running');
    cloud.clock.advance(300);
    expect(await service.ensure(CLUSTER, SPEC, 'ctx')).toMatchObject({
      state: 'succeeded',
      createdResource: CLUSTER,
    });
    expect(cloud.stats()['rds:CreateDBInstance']).toBe(2);
  });

  it('reports a cluster the region does not have as NotFound', async () => {
    const cloud = world();
    const service = new RdsClusterInstances(
      (r) => new RDSClient(createSimulatedAwsClientConfig(cloud, r)),
      policy,
    );
    await expect(
      service.ensure('arn:aws:rds:eu-central-1:444455556666:cluster:gone', SPEC, 'ctx'),
    ).rejects.toMatchObject({
      operation: 'rds:DescribeDBClusters',
      message: expect.stringContaining('DBClusterNotFoundFault'),
    });
  });
});
