import { App, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import {
  acknowledgeCleanupWildcards,
  cleanupStatements,
  EC2_UNSCOPED_READS,
} from '../../cdk/cleanup-grants.ts';
import { awsPlanDoc, ids, loadPlan, withPlan } from '../support/plans.ts';

const OTHER_VAULT = 'arn:aws:backup:eu-central-1:444455556666:backup-vault:payments-dr';
const resource = (name: string, resourceArn: string, drill?: Record<string, string>, extra = {}) => ({
  name,
  awsBackup: { resourceArn, vaultArn: ids.vault, restore: { iamRoleArn: ids.role, metadata: {}, ...extra } },
  ...(drill ? { drill: { metadata: drill } } : {}),
});
const plan = loadPlan(
  withPlan(awsPlanDoc(), (p) => {
    p.spec['resources'] = [
      resource('db', `arn:aws:rds:eu-west-1:${ids.account}:db:case-db`, {
        DBInstanceIdentifier: 'case-db-drill',
      }),
      resource(
        'aurora',
        `arn:aws:rds:eu-west-1:${ids.account}:cluster:payments`,
        { DBClusterIdentifier: 'payments-drill' },
        { clusterInstances: { instanceClass: 'db.r6g.large', count: 2 } },
      ),
      resource('table', `arn:aws:dynamodb:eu-west-1:${ids.account}:table/sessions`, {
        targetTableName: 'sessions-drill',
      }),
      resource('vm', `arn:aws:ec2:eu-west-1:${ids.account}:instance/i-0f1e2d3c4b5a69788`, {}),
      resource('disk', `arn:aws:ec2:eu-west-1:${ids.account}:volume/vol-049df61146c4d7901`, {}),
      resource('no-drill-name', `arn:aws:rds:eu-west-1:${ids.account}:db:other`, {}),
      resource('never-drilled', `arn:aws:ec2:eu-west-1:${ids.account}:instance/i-0aaaaaaaaaaaaaaaa`),
      resource(
        'files',
        `arn:aws:elasticfilesystem:eu-west-1:${ids.account}:file-system/fs-0a1b2c3d4e5f60718`,
        {
          CreationToken: 'files-drill',
          newFileSystem: 'true',
        },
      ),
      resource('documents', `arn:aws:s3:::documents-${ids.account}`, {
        DestinationBucketName: 'documents-drill',
        NewBucket: 'true',
      }),
      resource('k8s', `arn:aws:eks:eu-west-1:${ids.account}:cluster/case`, {
        clusterName: 'case-drill',
        newCluster: 'true',
      }),
      resource('shares', `arn:aws:fsx:eu-west-1:${ids.account}:file-system/fs-0123456789abcdef0`, {}),
      {
        ...resource('elsewhere', 'arn:aws:dynamodb:eu-west-1:444455556666:table/ledger', {
          targetTableName: 'ledger-drill',
        }),
        awsBackup: {
          resourceArn: 'arn:aws:dynamodb:eu-west-1:444455556666:table/ledger',
          vaultArn: OTHER_VAULT,
        },
      },
    ];
    p.spec['accounts'] = [{ roleArn: 'arn:aws:iam::444455556666:role/standby' }];
    p.spec['routing'] = undefined;
  }),
);
const json = (statements: ReturnType<typeof cleanupStatements>) =>
  Object.fromEntries(
    [...statements].map(([service, list]) => [service, list.map((s) => s.toStatementJson())]),
  );

describe('cleanupStatements', () => {
  it('scopes by the drill names where the ARN carries one, else by account, region and type; nothing undrilled or of other accounts', () => {
    expect(json(cleanupStatements([plan], ids.account))).toEqual({
      rds: [
        {
          Action: ['rds:DescribeDBInstances', 'rds:DeleteDBInstance', 'rds:ModifyDBInstance'],
          Effect: 'Allow',
          Resource: [
            'arn:aws:rds:eu-central-1:111122223333:db:case-db-drill',
            'arn:aws:rds:eu-central-1:111122223333:db:payments-drill-1',
            'arn:aws:rds:eu-central-1:111122223333:db:payments-drill-2',
          ],
        },
        {
          Action: ['rds:DescribeDBClusters', 'rds:DeleteDBCluster', 'rds:ModifyDBCluster'],
          Effect: 'Allow',
          Resource: 'arn:aws:rds:eu-central-1:111122223333:cluster:payments-drill',
        },
      ],
      dynamodb: [
        {
          Action: ['dynamodb:DescribeTable', 'dynamodb:DeleteTable', 'dynamodb:UpdateTable'],
          Effect: 'Allow',
          Resource: 'arn:aws:dynamodb:eu-central-1:111122223333:table/sessions-drill',
        },
      ],
      ec2: [
        {
          Action: ['ec2:TerminateInstances', 'ec2:ModifyInstanceAttribute'],
          Effect: 'Allow',
          Resource: 'arn:aws:ec2:eu-central-1:111122223333:instance/*',
        },
        {
          Action: 'ec2:DeleteVolume',
          Effect: 'Allow',
          Resource: 'arn:aws:ec2:eu-central-1:111122223333:volume/*',
        },
        { Action: [...EC2_UNSCOPED_READS], Effect: 'Allow', Resource: '*' },
      ],
      elasticfilesystem: [
        {
          Action: [
            'elasticfilesystem:DescribeFileSystems',
            'elasticfilesystem:DescribeMountTargets',
            'elasticfilesystem:DeleteMountTarget',
            'elasticfilesystem:DescribeReplicationConfigurations',
            'elasticfilesystem:DeleteFileSystem',
          ],
          Effect: 'Allow',
          Resource: 'arn:aws:elasticfilesystem:eu-central-1:111122223333:file-system/*',
        },
        {
          Action: 'ec2:DeleteNetworkInterface',
          Effect: 'Allow',
          Resource: 'arn:aws:ec2:eu-central-1:111122223333:network-interface/*',
        },
      ],
      s3: [
        {
          Action: ['s3:GetBucketObjectLockConfiguration', 's3:ListBucketVersions', 's3:DeleteBucket'],
          Effect: 'Allow',
          Resource: 'arn:aws:s3:::documents-drill',
        },
        {
          Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
          Effect: 'Allow',
          Resource: 'arn:aws:s3:::documents-drill/*',
        },
      ],
      eks: [
        {
          Action: [
            'eks:DescribeCluster',
            'eks:ListNodegroups',
            'eks:ListFargateProfiles',
            'eks:UpdateClusterConfig',
            'eks:DeleteCluster',
          ],
          Effect: 'Allow',
          Resource: 'arn:aws:eks:eu-central-1:111122223333:cluster/case-drill',
        },
        {
          Action: ['eks:DescribeNodegroup', 'eks:DeleteNodegroup'],
          Effect: 'Allow',
          Resource: 'arn:aws:eks:eu-central-1:111122223333:nodegroup/case-drill/*',
        },
        {
          Action: ['eks:DescribeFargateProfile', 'eks:DeleteFargateProfile'],
          Effect: 'Allow',
          Resource: 'arn:aws:eks:eu-central-1:111122223333:fargateprofile/case-drill/*',
        },
      ],
      fsx: [
        {
          Action: ['fsx:DescribeFileSystems', 'fsx:DeleteFileSystem'],
          Effect: 'Allow',
          Resource: 'arn:aws:fsx:eu-central-1:111122223333:file-system/*',
        },
        {
          Action: ['fsx:DescribeVolumes', 'fsx:DeleteVolume'],
          Effect: 'Allow',
          Resource: 'arn:aws:fsx:eu-central-1:111122223333:volume/*/*',
        },
      ],
    });
  });

  it('grants nothing for plans without a drillable AWS resource in the account', () => {
    expect(cleanupStatements([plan], '999988887777').size).toBe(0);
  });
});

describe('acknowledgeCleanupWildcards', () => {
  /** cdk-nag's AwsSolutions findings of a role holding every clean-up statement of the test plan. */
  function findings(acknowledge: boolean): string[] {
    const app = new App();
    const stack = new Stack(app, 'S');
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    const all = [...cleanupStatements([plan], ids.account).values()].flat();
    for (const statement of all) role.addToPrincipalPolicy(statement);
    if (acknowledge) acknowledgeCleanupWildcards(role, all);
    const nag = new AwsSolutionsChecks(app);
    Validations.of(app).addPlugins(nag);
    return nag.validateScope(stack).violations.map((v) => v.ruleName);
  }

  it('acknowledges exactly the wildcards AWS gives no narrower form of, each with its reason', () => {
    expect(findings(false).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:aws:ec2:eu-central-1:111122223333:instance/*]',
      'AwsSolutions-IAM5[Resource::arn:aws:ec2:eu-central-1:111122223333:network-interface/*]',
      'AwsSolutions-IAM5[Resource::arn:aws:ec2:eu-central-1:111122223333:volume/*]',
      'AwsSolutions-IAM5[Resource::arn:aws:eks:eu-central-1:111122223333:fargateprofile/case-drill/*]',
      'AwsSolutions-IAM5[Resource::arn:aws:eks:eu-central-1:111122223333:nodegroup/case-drill/*]',
      'AwsSolutions-IAM5[Resource::arn:aws:elasticfilesystem:eu-central-1:111122223333:file-system/*]',
      'AwsSolutions-IAM5[Resource::arn:aws:fsx:eu-central-1:111122223333:file-system/*]',
      'AwsSolutions-IAM5[Resource::arn:aws:fsx:eu-central-1:111122223333:volume/*/*]',
      'AwsSolutions-IAM5[Resource::arn:aws:s3:::documents-drill/*]',
    ]);
    expect(findings(true)).toEqual([]);
  });
});
