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
      resource('vm', `arn:aws:ec2:eu-west-1:${ids.account}:instance/i-0f1e2d3c4b5a69788`),
      resource('disk', `arn:aws:ec2:eu-west-1:${ids.account}:volume/vol-049df61146c4d7901`),
      resource('no-drill-name', `arn:aws:rds:eu-west-1:${ids.account}:db:other`),
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
  it('scopes RDS and DynamoDB by the drill names, EC2 by account, region and type; nothing of other accounts', () => {
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
    });
  });

  it('grants nothing for plans without a drillable AWS resource in the account', () => {
    expect(cleanupStatements([plan], '999988887777').size).toBe(0);
  });
});

describe('acknowledgeCleanupWildcards', () => {
  /** cdk-nag's AwsSolutions findings of a role holding the EC2 clean-up statements. */
  function findings(acknowledge: boolean): string[] {
    const app = new App();
    const stack = new Stack(app, 'S');
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    const ec2 = cleanupStatements([plan], ids.account).get('ec2')!;
    for (const statement of ec2) role.addToPrincipalPolicy(statement);
    if (acknowledge) acknowledgeCleanupWildcards(role, ec2);
    const nag = new AwsSolutionsChecks(app);
    Validations.of(app).addPlugins(nag);
    return nag.validateScope(stack).violations.map((v) => v.ruleName);
  }

  it('acknowledges exactly the EC2 wildcards AWS gives no narrower form of', () => {
    expect(findings(false).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:aws:ec2:eu-central-1:111122223333:instance/*]',
      'AwsSolutions-IAM5[Resource::arn:aws:ec2:eu-central-1:111122223333:volume/*]',
    ]);
    expect(findings(true)).toEqual([]);
  });
});
