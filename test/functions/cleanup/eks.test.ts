import {
  type Cluster,
  DeleteClusterCommand,
  DeleteFargateProfileCommand,
  DeleteNodegroupCommand,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  EKSClient,
  InvalidRequestException,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { eksDeletes } from '#functions/cleanup/eks.ts';
import { ProviderError } from '#shared/domain/errors.ts';
import { arn, drillResource, example, withoutRestore } from './drill-resources.ts';

const eks = mockClient(EKSClient);
const regions: string[] = [];
const remove = eksDeletes((region) => {
  regions.push(region);
  return new EKSClient({ region });
}).eks!['cluster/']!;

// The official DescribeCluster example, restored by a drill as `devel` in us-west-2.
const official = example<{ cluster: Cluster }>('eks-describe-cluster').response.cluster;
const CREATED = arn(official.arn!);
const SOURCE = 'arn:aws:eks:eu-west-1:012345678910:cluster/prod';
const restored = drillResource(SOURCE, { clusterName: 'devel', newCluster: 'true' });
const fault = { $metadata: {} };
const notFound = () => new ResourceNotFoundException({ message: 'No cluster found', ...fault });
const cluster = (extra: Partial<Cluster> = {}) =>
  eks.on(DescribeClusterCommand).resolves({ cluster: { ...official, ...extra } });
const attached = (nodegroups: Record<string, string>, profiles: Record<string, string>) => {
  eks.on(ListNodegroupsCommand).resolves({ nodegroups: Object.keys(nodegroups) });
  eks.on(ListFargateProfilesCommand).resolves({ fargateProfileNames: Object.keys(profiles) });
  for (const [nodegroupName, status] of Object.entries(nodegroups))
    eks
      .on(DescribeNodegroupCommand, { nodegroupName })
      .resolves({ nodegroup: { nodegroupName, status: status as 'ACTIVE' } });
  for (const [fargateProfileName, status] of Object.entries(profiles))
    eks
      .on(DescribeFargateProfileCommand, { fargateProfileName })
      .resolves({ fargateProfile: { fargateProfileName, status: status as 'ACTIVE' } });
};

beforeEach(() => {
  eks.reset();
  regions.length = 0;
});

describe('eksDeletes', () => {
  it('first deletes every node group and one Fargate profile, in the ARN region', async () => {
    cluster();
    attached({ ng1: 'ACTIVE', ng2: 'ACTIVE' }, { fp1: 'ACTIVE', fp2: 'ACTIVE' });
    eks.on(DeleteNodegroupCommand).resolves({});
    eks.on(DeleteFargateProfileCommand).resolves({});
    expect(await remove(CREATED, restored)).toEqual({
      state: 'deleting',
      detail:
        'eks:DeleteNodegroup ng1, eks:DeleteNodegroup ng2, eks:DeleteFargateProfile fp1; waiting for 2 node group(s) and 2 Fargate profile(s) of devel to be deleted',
    });
    expect(eks).toHaveReceivedCommandWith(DeleteNodegroupCommand, {
      clusterName: 'devel',
      nodegroupName: 'ng2',
    });
    expect(eks).toHaveReceivedCommandTimes(DeleteFargateProfileCommand, 1);
    expect(eks).toHaveReceivedCommandWith(DeleteFargateProfileCommand, {
      clusterName: 'devel',
      fargateProfileName: 'fp1',
    });
    expect(eks).not.toHaveReceivedCommand(DeleteClusterCommand);
    expect(regions).toEqual(['us-west-2']);
  });

  it('asks nothing again of node groups deleting, and deletes no Fargate profile while one is deleting', async () => {
    cluster();
    attached({ ng1: 'DELETING' }, { fp1: 'DELETING', fp2: 'ACTIVE' });
    expect(await remove(CREATED, restored)).toEqual({
      state: 'deleting',
      detail: 'waiting for 1 node group(s) and 2 Fargate profile(s) of devel to be deleted',
    });
    expect(eks).not.toHaveReceivedCommand(DeleteNodegroupCommand);
    expect(eks).not.toHaveReceivedCommand(DeleteFargateProfileCommand);
  });

  it('goes on to the next Fargate profile once the one deleting is gone', async () => {
    cluster();
    attached({}, { fp2: 'ACTIVE' });
    eks.on(DeleteFargateProfileCommand).resolves({});
    expect((await remove(CREATED, restored)).detail).toBe(
      'eks:DeleteFargateProfile fp2; waiting for 0 node group(s) and 1 Fargate profile(s) of devel to be deleted',
    );
  });

  it('reads every page of node groups', async () => {
    cluster();
    eks
      .on(ListNodegroupsCommand)
      .resolvesOnce({ nodegroups: ['a'], nextToken: 't' })
      .resolves({ nodegroups: ['b'] });
    eks.on(ListFargateProfilesCommand).resolves({ fargateProfileNames: [] });
    eks.on(DescribeNodegroupCommand).resolves({ nodegroup: { status: 'ACTIVE' } });
    eks.on(DeleteNodegroupCommand).resolves({});
    await remove(CREATED, restored);
    expect(eks).toHaveReceivedCommandWith(ListNodegroupsCommand, { clusterName: 'devel', nextToken: 't' });
    expect(eks).toHaveReceivedCommandTimes(DeleteNodegroupCommand, 2);
  });

  it.each([
    [
      'accepted',
      () => eks.on(DeleteClusterCommand).resolves({}),
      'deleting',
      'eks:DeleteCluster devel; waiting for it to be deleted',
    ],
    [
      'refused while something is in use (ResourceInUseException)',
      () =>
        eks
          .on(DeleteClusterCommand)
          .rejects(new ResourceInUseException({ message: 'Cluster has nodegroups attached', ...fault })),
      'deleting',
      'EKS cluster devel is still in use (Cluster has nodegroups attached)',
    ],
    [
      'answered ResourceNotFoundException (gone meanwhile)',
      () => eks.on(DeleteClusterCommand).rejects(notFound()),
      'deleted',
      'EKS cluster devel is deleted',
    ],
  ])('with nothing attached, deletes the cluster: %s', async (_case, answer, state, detail) => {
    cluster();
    attached({}, {});
    answer();
    expect(await remove(CREATED, restored)).toEqual({ state, detail });
    expect(eks).toHaveReceivedCommandWith(DeleteClusterCommand, { name: 'devel' });
  });

  it('turns deletion protection off on the restored cluster before deleting it', async () => {
    cluster({ deletionProtection: true });
    attached({}, {});
    eks.on(UpdateClusterConfigCommand).resolves({});
    expect(await remove(CREATED, restored)).toEqual({
      state: 'deleting',
      detail: 'eks:UpdateClusterConfig deletionProtection false on devel',
    });
    expect(eks).toHaveReceivedCommandWith(UpdateClusterConfigCommand, {
      name: 'devel',
      deletionProtection: false,
    });
    expect(eks).not.toHaveReceivedCommand(DeleteClusterCommand);
  });

  it.each([
    [
      'is deleting',
      () => cluster({ status: 'DELETING' }),
      { state: 'deleting', detail: 'EKS cluster devel is deleting' },
    ],
    [
      'is not found (already gone)',
      () => eks.on(DescribeClusterCommand).rejects(notFound()),
      { state: 'deleted', detail: 'EKS cluster devel is deleted' },
    ],
  ])('calls nothing more when the cluster %s', async (_case, answer, outcome) => {
    answer();
    expect(await remove(CREATED, restored)).toEqual(outcome);
    expect(eks.calls()).toHaveLength(1);
  });

  it.each([
    [
      'newCluster is "false" (a restore into an existing cluster)',
      drillResource(SOURCE, { clusterName: 'devel', newCluster: 'false' }),
      'does not set newCluster "true" (it is "false"), so the restore may have gone into an existing cluster',
    ],
    [
      'newCluster is unset',
      drillResource(SOURCE, { clusterName: 'devel' }),
      'does not set newCluster "true" (it is unset)',
    ],
    [
      'the cluster is not the one the drill named',
      drillResource(SOURCE, { clusterName: 'case-drill', newCluster: 'true' }),
      'its name "devel" is not the clusterName the drill restored files under ("case-drill")',
    ],
    [
      'the cluster is the backed-up one',
      drillResource(official.arn!, { clusterName: 'devel', newCluster: 'true' }),
      'it is the backed-up resource of files',
    ],
    [
      'the resource has no restore metadata',
      withoutRestore(restored),
      'files has no AWS Backup restore metadata',
    ],
  ])('refuses, calling nothing, when %s', async (_case, resource, reason) => {
    const refusal = remove(CREATED, resource);
    await expect(refusal).rejects.toThrow(ProviderError);
    await expect(refusal).rejects.toThrow(reason);
    await expect(refusal).rejects.toThrow(
      /^eks:DeleteCluster: refused to delete arn:aws:eks:us-west-2:012345678910:cluster\/devel: .*; delete it by hand$/,
    );
    expect(eks.calls()).toHaveLength(0);
  });

  it('names the call and the service message when the service refuses', async () => {
    cluster();
    attached({ ng1: 'ACTIVE' }, {});
    eks.on(DeleteNodegroupCommand).rejects(new InvalidRequestException({ message: 'not allowed', ...fault }));
    await expect(remove(CREATED, restored)).rejects.toThrow(
      'eks:DeleteNodegroup: arn:aws:eks:us-west-2:012345678910:cluster/devel: InvalidRequestException: not allowed',
    );
  });
});
