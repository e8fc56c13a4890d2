/**
 * Deletes an EKS cluster a drill's restore created (`eks` `cluster/<name>`).
 *
 * AWS Backup restores an EKS backup into a target cluster: the source cluster, an existing one, or a
 * new cluster it creates when the restore metadata sets `newCluster` "true" (with `clusterName`). Only
 * that new cluster is the drill's: anything else is refused — never delete a cluster the restore did
 * not create.
 *
 * Course of action, one move per call (the engine calls again every 30 s while it answers `deleting`):
 * 0. refuse unless `newCluster` is "true", the cluster is the `clusterName` the drill restored under,
 *    and it is not the backed-up cluster;
 * 1. `DescribeCluster`: `ResourceNotFoundException` → deleted; `DELETING` → deleting;
 * 2. managed node groups and Fargate profiles go first ("If you have managed node groups or Fargate
 *    profiles attached to the cluster, you must delete them first"): `DeleteNodegroup` for each node
 *    group not already deleting; `DeleteFargateProfile` for one profile, and only while none is
 *    deleting ("Only one Fargate profile in a cluster can be in the DELETING status at a time") →
 *    deleting. Add-ons go with the cluster;
 * 3. deletion protection on (the restore's own cluster) → `UpdateClusterConfig` off → deleting;
 * 4. `DeleteCluster` → deleting (`ResourceInUseException`: something still going → deleting).
 */
import {
  DeleteClusterCommand,
  DeleteFargateProfileCommand,
  DeleteNodegroupCommand,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  type EKSClient,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import type { Arn } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { DeleteOutcome } from '#shared/ports/recovery-actions.ts';
import { errorName } from './outcomes.ts';
import { failed, requireName, requireNew } from './restore-proof.ts';
import type { ServiceDeletes } from './service-delete.ts';

const PREFIX = 'cluster/';
const DELETE = 'eks:DeleteCluster';
const NOT_FOUND = 'ResourceNotFoundException';

/** The EKS deletes, by ARN service and resource-type prefix; `clientFor` gives the client of a region. */
export function eksDeletes(clientFor: (region: string) => EKSClient): ServiceDeletes {
  return { eks: { [PREFIX]: (arn, resource) => deleteCluster(clientFor(arn.region), arn, resource) } };
}

async function deleteCluster(eks: EKSClient, arn: Arn, resource: ProtectedResource): Promise<DeleteOutcome> {
  const name = arn.resource.slice(PREFIX.length);
  const metadata = requireNew(DELETE, arn, resource, 'newCluster', 'cluster');
  requireName(DELETE, arn, resource, metadata, 'clusterName', name);
  const gone: DeleteOutcome = { state: 'deleted', detail: `EKS cluster ${name} is deleted` };

  let status: string | undefined;
  let deletionProtection = false;
  try {
    const { cluster } = await eks.send(new DescribeClusterCommand({ name }));
    if (!cluster) return gone;
    status = cluster.status;
    deletionProtection = cluster.deletionProtection === true;
  } catch (error) {
    if (errorName(error) === NOT_FOUND) return gone;
    throw failed('eks:DescribeCluster', arn, error);
  }
  if (status === 'DELETING') return { state: 'deleting', detail: `EKS cluster ${name} is deleting` };

  const before = await deleteAttached(eks, arn, name);
  if (before) return { state: 'deleting', detail: before };

  if (deletionProtection) {
    try {
      await eks.send(new UpdateClusterConfigCommand({ name, deletionProtection: false }));
    } catch (error) {
      throw failed('eks:UpdateClusterConfig', arn, error);
    }
    return { state: 'deleting', detail: `eks:UpdateClusterConfig deletionProtection false on ${name}` };
  }

  try {
    await eks.send(new DeleteClusterCommand({ name }));
  } catch (error) {
    const why = errorName(error);
    if (why === NOT_FOUND) return gone;
    if (why === 'ResourceInUseException')
      return {
        state: 'deleting',
        detail: `EKS cluster ${name} is still in use (${(error as Error).message})`,
      };
    throw failed(DELETE, arn, error);
  }
  return { state: 'deleting', detail: `${DELETE} ${name}; waiting for it to be deleted` };
}

/**
 * Deletes the cluster's node groups and (one at a time) Fargate profiles; says what it did and what it
 * waits for, or `undefined` when none is left.
 */
async function deleteAttached(eks: EKSClient, arn: Arn, clusterName: string): Promise<string | undefined> {
  const nodegroups = await statuses(eks, arn, clusterName, 'nodegroup');
  const profiles = await statuses(eks, arn, clusterName, 'fargate');
  if (!nodegroups.length && !profiles.length) return undefined;
  const asked: string[] = [];
  for (const [nodegroupName] of nodegroups.filter(([, s]) => s !== 'DELETING'))
    if (
      await send(arn, 'eks:DeleteNodegroup', () =>
        eks.send(new DeleteNodegroupCommand({ clusterName, nodegroupName })),
      )
    )
      asked.push(`eks:DeleteNodegroup ${nodegroupName}`);
  const next = profiles.find(([, s]) => s !== 'DELETING');
  if (next && !profiles.some(([, s]) => s === 'DELETING')) {
    const [fargateProfileName] = next;
    if (
      await send(arn, 'eks:DeleteFargateProfile', () =>
        eks.send(new DeleteFargateProfileCommand({ clusterName, fargateProfileName })),
      )
    )
      asked.push(`eks:DeleteFargateProfile ${fargateProfileName}`);
  }
  return `${asked.length ? `${asked.join(', ')}; ` : ''}waiting for ${nodegroups.length} node group(s) and ${profiles.length} Fargate profile(s) of ${clusterName} to be deleted`;
}

/** Sends a delete; false when what it deletes is gone already. */
async function send(arn: Arn, operation: string, call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (errorName(error) === NOT_FOUND) return false;
    throw failed(operation, arn, error);
  }
}

/** The node groups or Fargate profiles of the cluster with their status (all pages; one gone meanwhile is left out). */
async function statuses(
  eks: EKSClient,
  arn: Arn,
  clusterName: string,
  kind: 'nodegroup' | 'fargate',
): Promise<[string, string | undefined][]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    try {
      const page =
        kind === 'nodegroup'
          ? await eks.send(new ListNodegroupsCommand({ clusterName, nextToken })).then((p) => ({
              names: p.nodegroups,
              nextToken: p.nextToken,
            }))
          : await eks.send(new ListFargateProfilesCommand({ clusterName, nextToken })).then((p) => ({
              names: p.fargateProfileNames,
              nextToken: p.nextToken,
            }));
      names.push(...(page.names ?? []));
      nextToken = page.nextToken;
    } catch (error) {
      throw failed(kind === 'nodegroup' ? 'eks:ListNodegroups' : 'eks:ListFargateProfiles', arn, error);
    }
  } while (nextToken);
  const found: [string, string | undefined][] = [];
  for (const name of names) {
    try {
      const status =
        kind === 'nodegroup'
          ? (await eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName: name }))).nodegroup
              ?.status
          : (await eks.send(new DescribeFargateProfileCommand({ clusterName, fargateProfileName: name })))
              .fargateProfile?.status;
      found.push([name, status]);
    } catch (error) {
      if (errorName(error) !== NOT_FOUND)
        throw failed(
          kind === 'nodegroup' ? 'eks:DescribeNodegroup' : 'eks:DescribeFargateProfile',
          arn,
          error,
        );
    }
  }
  return found;
}
