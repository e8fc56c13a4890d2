/**
 * Simulated Amazon RDS (awsQuery protocol, API version 2014-10-31): the three operations Standby
 * sends to give a restored Aurora / DocumentDB / Neptune cluster its instances —
 * `DescribeDBClusters`, `DescribeDBInstances` (filter `db-cluster-id`) and `CreateDBInstance`.
 *
 * Clusters are the world's `aws.dbClusters` (DescribeDBClusters items) plus every cluster a completed
 * simulated restore job created (its `CreatedResourceArn`), `available` from the job's completion, as
 * AWS Backup leaves it: without instances. Instances are `aws.dbInstances` (DescribeDBInstances items);
 * `CreateDBInstance` adds one, `creating` until `aws.restore.instanceSeconds` later, then `available`.
 * Errors are the service's own codes (`DBClusterNotFoundFault`, `DBInstanceAlreadyExists`, ...), so
 * the SDK raises the exceptions its model names.
 */
import { randomUUID } from 'node:crypto';
import { type HttpRequest, HttpResponse } from '@smithy/protocol-http';
import { SimulatedApiError, type SimulatedCloud } from '../cloud.ts';
import { type RestoreJobRecord, restoreJobView } from './backup-restore.ts';
import { type AwsServiceModule, errorResponse, readBody } from './protocol.ts';

type Item = Record<string, unknown>;

const XMLNS = 'http://rds.amazonaws.com/doc/2014-10-31/';
const xmlText = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
const iso = (epochSeconds: unknown) =>
  typeof epochSeconds === 'number' ? new Date(epochSeconds * 1000).toISOString() : undefined;

/** `<Name>value</Name>` for the scalar fields present, in order. */
function fields(item: Item, names: readonly string[]): string {
  return names
    .filter((n) => item[n] !== undefined && item[n] !== null)
    .map((n) => `<${n}>${xmlText(String(item[n]))}</${n}>`)
    .join('');
}

/** Clusters restored by completed simulated restore jobs, as DescribeDBClusters items. */
function restoredClusters(cloud: SimulatedCloud): Item[] {
  return (cloud.world.aws.restoreJobs as RestoreJobRecord[]).flatMap((job) => {
    const view = restoreJobView(cloud, job);
    const arn = String(view['CreatedResourceArn'] ?? '');
    const m = /^arn:aws[a-z-]*:rds:([^:]+):([^:]*):cluster:(.+)$/.exec(arn);
    if (view['Status'] !== 'COMPLETED' || !m) return [];
    const metadata = (job['Metadata'] ?? {}) as Item;
    return [
      {
        DBClusterIdentifier: m[3],
        DBClusterArn: arn,
        Engine: metadata['Engine'] ?? engineOf(String(view['ResourceType'] ?? '')),
        Status: 'available',
        ClusterCreateTime: view['CompletionDate'],
        DBSubnetGroup: metadata['DBSubnetGroupName'],
      },
    ];
  });
}

/** The engine a restored cluster of an AWS Backup resource type runs, when the metadata does not say. */
function engineOf(resourceType: string): string {
  return resourceType === 'DocumentDB'
    ? 'docdb'
    : resourceType === 'Neptune'
      ? 'neptune'
      : 'aurora-postgresql';
}

function clustersIn(cloud: SimulatedCloud, region: string): Item[] {
  const all = [...cloud.world.aws.dbClusters, ...restoredClusters(cloud)];
  return all.filter((c) => String(c['DBClusterArn'] ?? '').split(':')[3] === region);
}

/** An instance as DescribeDBInstances answers it now: `creating` until its creation time has passed. */
function instanceView(cloud: SimulatedCloud, instance: Item): Item {
  if (instance['DBInstanceStatus'] !== 'creating' || typeof instance['InstanceCreateTime'] !== 'number')
    return instance;
  const readyAt = (instance['InstanceCreateTime'] as number) + cloud.world.aws.restore.instanceSeconds;
  return cloud.clock.now().getTime() / 1000 >= readyAt
    ? { ...instance, DBInstanceStatus: 'available' }
    : instance;
}

function instancesIn(cloud: SimulatedCloud, region: string): Item[] {
  return cloud.world.aws.dbInstances
    .filter((i) => String(i['DBInstanceArn'] ?? '').split(':')[3] === region)
    .map((i) => instanceView(cloud, i));
}

const clusterXml = (c: Item, members: readonly Item[]) =>
  `<DBCluster>${fields(c, ['DBClusterIdentifier', 'DBClusterArn', 'Engine', 'Status', 'DBSubnetGroup'])}` +
  (iso(c['ClusterCreateTime'])
    ? `<ClusterCreateTime>${iso(c['ClusterCreateTime'])}</ClusterCreateTime>`
    : '') +
  `<DBClusterMembers>${members
    .map(
      (m, i) =>
        `<DBClusterMember><DBInstanceIdentifier>${xmlText(String(m['DBInstanceIdentifier']))}</DBInstanceIdentifier><IsClusterWriter>${i === 0}</IsClusterWriter></DBClusterMember>`,
    )
    .join('')}</DBClusterMembers></DBCluster>`;

const instanceXml = (i: Item) =>
  `<DBInstance>${fields(i, ['DBInstanceIdentifier', 'DBInstanceClass', 'Engine', 'DBInstanceStatus', 'DBClusterIdentifier', 'DBInstanceArn'])}` +
  (iso(i['InstanceCreateTime'])
    ? `<InstanceCreateTime>${iso(i['InstanceCreateTime'])}</InstanceCreateTime>`
    : '') +
  '</DBInstance>';

function respond(action: string, result: string): HttpResponse {
  const body =
    `<${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  return new HttpResponse({
    statusCode: 200,
    headers: { 'content-type': 'text/xml' },
    body: Buffer.from(body, 'utf8'),
  });
}

const ACTIONS: Readonly<
  Record<string, (cloud: SimulatedCloud, form: URLSearchParams, region: string) => HttpResponse>
> = {
  DescribeDBClusters: (cloud, form, region) => {
    const id = form.get('DBClusterIdentifier');
    const clusters = clustersIn(cloud, region).filter((c) => !id || c['DBClusterIdentifier'] === id);
    if (id && clusters.length === 0)
      throw new SimulatedApiError('DBClusterNotFoundFault', 404, `DBCluster ${id} not found.`);
    const instances = instancesIn(cloud, region);
    return respond(
      'DescribeDBClusters',
      `<DBClusters>${clusters
        .map((c) =>
          clusterXml(
            c,
            instances.filter((i) => i['DBClusterIdentifier'] === c['DBClusterIdentifier']),
          ),
        )
        .join('')}</DBClusters>`,
    );
  },
  DescribeDBInstances: (cloud, form, region) => {
    const id = form.get('DBInstanceIdentifier');
    const filters = new Map<string, string[]>();
    for (let n = 1; form.has(`Filters.Filter.${n}.Name`); n += 1)
      filters.set(
        form.get(`Filters.Filter.${n}.Name`)!,
        [...form.entries()]
          .filter(([k]) => k.startsWith(`Filters.Filter.${n}.Values.Value.`))
          .map(([, v]) => v),
      );
    const unknown = [...filters.keys()].filter((f) => f !== 'db-cluster-id' && f !== 'db-instance-id');
    if (unknown.length > 0)
      throw new SimulatedApiError('InvalidParameterValue', 400, `Unrecognized filter name: ${unknown[0]}`);
    const match = (i: Item, filter: string, key: string) =>
      !filters.has(filter) || filters.get(filter)!.includes(String(i[key]));
    const instances = instancesIn(cloud, region).filter(
      (i) =>
        (!id || i['DBInstanceIdentifier'] === id) &&
        match(i, 'db-cluster-id', 'DBClusterIdentifier') &&
        match(i, 'db-instance-id', 'DBInstanceIdentifier'),
    );
    if (id && instances.length === 0)
      throw new SimulatedApiError('DBInstanceNotFound', 404, `DBInstance ${id} not found.`);
    return respond(
      'DescribeDBInstances',
      `<DBInstances>${instances.map(instanceXml).join('')}</DBInstances>`,
    );
  },
  CreateDBInstance: (cloud, form, region) => {
    const required = (name: string) => {
      const value = form.get(name);
      if (!value)
        throw new SimulatedApiError(
          'MissingParameter',
          400,
          `The request must contain the parameter ${name}`,
        );
      return value;
    };
    const id = required('DBInstanceIdentifier');
    const instanceClass = required('DBInstanceClass');
    const engine = required('Engine');
    const clusterId = form.get('DBClusterIdentifier') ?? undefined;
    if (instancesIn(cloud, region).some((i) => i['DBInstanceIdentifier'] === id))
      throw new SimulatedApiError('DBInstanceAlreadyExists', 400, `DB instance already exists`);
    const cluster = clusterId
      ? clustersIn(cloud, region).find((c) => c['DBClusterIdentifier'] === clusterId)
      : undefined;
    if (clusterId && !cluster)
      throw new SimulatedApiError('DBClusterNotFoundFault', 404, `DBCluster ${clusterId} not found.`);
    if (cluster && cluster['Status'] !== 'available')
      throw new SimulatedApiError(
        'InvalidDBClusterStateFault',
        400,
        `DBCluster ${clusterId} is not available.`,
      );
    if (cluster && cluster['Engine'] !== engine)
      throw new SimulatedApiError(
        'InvalidParameterCombination',
        400,
        `Engine ${engine} does not match the cluster's engine ${String(cluster['Engine'])}.`,
      );
    const account = String(cluster?.['DBClusterArn'] ?? '').split(':')[4] ?? '';
    const instance: Item = {
      DBInstanceIdentifier: id,
      DBInstanceClass: instanceClass,
      Engine: engine,
      DBInstanceStatus: 'creating',
      ...(clusterId ? { DBClusterIdentifier: clusterId } : {}),
      DBInstanceArn: `arn:aws:rds:${region}:${account}:db:${id}`,
      InstanceCreateTime: cloud.clock.now().getTime() / 1000,
    };
    cloud.world.aws.dbInstances.push(instance);
    return respond('CreateDBInstance', instanceXml(instance));
  },
};

/** The RDS operations the simulation serves, as `rds:Action` (fault and limit names). */
export const RDS_OPERATIONS: readonly string[] = Object.keys(ACTIONS).map((action) => `rds:${action}`);

/** The RDS service module for the simulated AWS handler registry. */
export const rdsService: AwsServiceModule = async (
  cloud: SimulatedCloud,
  request: HttpRequest,
  region: string,
) => {
  const form = new URLSearchParams(await readBody(request));
  const action = form.get('Action') ?? '';
  const handler = ACTIONS[action];
  try {
    if (!handler)
      throw new SimulatedApiError(
        'InvalidAction',
        400,
        `The action ${action || '(none)'} is not valid for this web service.`,
      );
    return await cloud.call(`rds:${action}`, () => handler(cloud, form, region));
  } catch (error) {
    if (error instanceof SimulatedApiError) return errorResponse('awsQuery', error);
    throw error;
  }
};

/** The earliest time a simulated DB instance being created becomes available; `undefined` when none is. */
export function nextInstanceAvailable(cloud: SimulatedCloud): Date | undefined {
  const now = cloud.clock.now().getTime() / 1000;
  const times = cloud.world.aws.dbInstances
    .filter((i) => i['DBInstanceStatus'] === 'creating' && typeof i['InstanceCreateTime'] === 'number')
    .map((i) => (i['InstanceCreateTime'] as number) + cloud.world.aws.restore.instanceSeconds)
    .filter((t) => t > now);
  return times.length === 0 ? undefined : new Date(Math.min(...times) * 1000);
}
