import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { App, type Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { readPlans } from '#shared/domain/plan-file.ts';
import { ForwarderStack } from '../../cdk/stacks/forwarder-stack.ts';
import { MemberStack } from '../../cdk/stacks/member-stack.ts';
import { BACKUP_DETAIL_TYPES, planFilesOf } from '../../cdk/stacks/standby-stack.ts';
import { topologyOf } from '../../cdk/topology.ts';

const root = resolve(import.meta.dirname, '../..');
const RECOVERY_BUS = 'arn:aws:events:eu-central-1:111122223333:event-bus/default';
const plansOf = (path: string) =>
  readPlans(
    planFilesOf([resolve(root, path)]).map((file) => ({ file, text: readFileSync(file, 'utf8') })),
  ).map((l) => l.plan);
const topology = topologyOf(
  [...plansOf('examples/plans'), ...plansOf('test/fixtures/cdk/cross-account.yaml')],
  '111122223333',
  'eu-central-1',
);

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** Synthesises one stack with cdk-nag, offline; returns its template and unacknowledged findings. */
function synth(make: (app: App) => Stack) {
  const app = new App();
  const stack = make(app);
  const nag = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(nag);
  const template = Template.fromStack(stack);
  const findings = nag
    .validateScope(stack)
    .violations.map(
      (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`,
    );
  const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );
  return { stack, template, findings, statements };
}

const forwarder = (account: string, region: string) => {
  const f = topology.forwarders.find((x) => x.account === account && x.region === region);
  if (!f) throw new Error(`no forwarder for ${account} ${region}`);
  return synth(
    (app) =>
      new ForwarderStack(app, `Standby-Forwarder-${account}-${region}`, {
        forwarder: f,
        recoveryBusArn: RECOVERY_BUS,
      }),
  );
};

describe('ForwarderStack', () => {
  const payments = forwarder('444455556666', 'eu-west-1');
  const healthCheck = forwarder('777788889999', 'us-east-1');
  const vaults = forwarder('444455556666', 'eu-central-1');

  it.each([
    [
      'payments-api-5xx (eu-west-1)',
      payments,
      [
        'arn:aws:cloudwatch:eu-west-1:444455556666:alarm:payments-api-5xx',
        'arn:aws:cloudwatch:eu-west-1:444455556666:alarm:payments-health-composite',
      ],
    ],
    [
      'a Route 53 health-check alarm (us-east-1)',
      healthCheck,
      ['arn:aws:cloudwatch:us-east-1:777788889999:alarm:ledger-health-check'],
    ],
  ])('forwards the state changes of %s to the recovery bus with its own role', (_name, s, alarms) => {
    const rules = Object.values(s.template.findResources('AWS::Events::Rule')) as {
      Properties: { EventPattern: Record<string, unknown>; Targets: { Arn: unknown; RoleArn: unknown }[] };
    }[];
    const alarmRule = rules.find(
      (r) => (r.Properties.EventPattern['source'] as string[])[0] === 'aws.cloudwatch',
    );
    expect(alarmRule?.Properties.EventPattern).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      resources: alarms,
    });
    const [roleId] = Object.keys(s.template.findResources('AWS::IAM::Role'));
    expect(alarmRule?.Properties.Targets).toEqual([
      { Arn: RECOVERY_BUS, Id: 'Target0', RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } },
    ]);
  });

  it.each([
    ['where a resource is backed up', payments],
    ['where its vault is (restores, arriving copies)', vaults],
  ])('forwards AWS Backup events from %s to the recovery bus', (_name, s) => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.backup'], 'detail-type': [...BACKUP_DETAIL_TYPES] },
      Targets: [{ Arn: RECOVERY_BUS, Id: 'Target0', RoleArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } }],
    });
  });

  it('has no Backup rule where only alarms live, and no alarm rule where only backups run', () => {
    healthCheck.template.resourceCountIs('AWS::Events::Rule', 1);
    vaults.template.resourceCountIs('AWS::Events::Rule', 1);
  });

  it.each([payments, healthCheck, vaults].map((s) => [s.stack.stackName, s]))(
    '%s: lets EventBridge only put events on the recovery bus; cdk-nag clean; StackSet-ready',
    (_name, s) => {
      expect(s.statements).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: RECOVERY_BUS }]);
      s.template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } },
          ],
        },
      });
      expect(s.findings).toEqual([]);
      const json = s.template.toJSON() as Record<string, unknown>;
      expect(json['Parameters']).toBeUndefined();
      expect(json['Rules']).toBeUndefined();
    },
  );
});

describe('MemberStack', () => {
  const ledger = topology.members.find((m) => m.account === '777788889999')!;
  const member = (createRestoreRoles: boolean) =>
    synth(
      (app) =>
        new MemberStack(app, 'Standby-Member-777788889999', {
          member: ledger,
          env: { region: 'eu-central-1' },
          controllerAccount: '111122223333',
          controllerStackName: 'Standby-eu-central-1',
          createRestoreRoles,
        }),
    );
  const s = member(false);
  const actions = (st: Statement) => [st.Action].flat();

  it('creates the role the plan names, assumable only by the controller stack’s roles', () => {
    s.template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'standby-controller',
      Path: '/',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: {
              AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] },
            },
            Condition: {
              ArnLike: {
                'aws:PrincipalArn': {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:role/Standby-eu-central-1-*'],
                  ],
                },
              },
            },
          },
        ],
      },
    });
  });

  it.each([
    [
      'backup:ListRecoveryPointsByBackupVault',
      ['arn:aws:backup:eu-central-1:777788889999:backup-vault:ledger-dr'],
    ],
    ['backup:DescribeBackupVault', ['arn:aws:backup:eu-central-1:777788889999:backup-vault:ledger-dr']],
    [
      'backup:GetRecoveryPointRestoreMetadata',
      ['arn:aws:backup:eu-central-1:777788889999:backup-vault:ledger-dr'],
    ],
    ['iam:PassRole', ['arn:aws:iam::777788889999:role/dr/ledger-restore']],
  ])('allows %s on the plan’s resources in that account only', (action, resources) => {
    const found = s.statements.filter((st) => actions(st).includes(action));
    expect(found.map((st) => [st.Resource].flat())).toEqual([resources]);
  });

  it('lets it start restores only from points of the plan vault’s account and region, and describe them', () => {
    const [start] = s.statements.filter((st) => actions(st).includes('backup:StartRestoreJob'));
    for (const arn of [start!.Resource].flat() as string[])
      expect(arn).toMatch(/^arn:aws:(backup|rds|ec2|dynamodb):eu-central-1:(777788889999)?:/);
    expect(s.statements.some((st) => actions(st).includes('backup:DescribeRestoreJob'))).toBe(true);
  });

  it('passes the restore role only to AWS Backup', () => {
    const [pass] = s.statements.filter((st) => actions(st).includes('iam:PassRole'));
    expect(pass!.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } });
  });

  it('changes records only in the plan’s hosted zone of that account', () => {
    const changes = s.statements.filter((st) => actions(st).includes('route53:ChangeResourceRecordSets'));
    expect(changes.map((st) => st.Resource)).toEqual([
      {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/Z0LEDGER0000000000000']],
      },
    ]);
  });

  it('allows no `*` action; `*` resources only for the Backup APIs without resource scope; cdk-nag clean', () => {
    for (const st of s.statements) for (const a of actions(st)) expect(a).not.toMatch(/^\*$|:\*$/);
    const unscoped = s.statements.filter((st) => [st.Resource].flat().includes('*')).flatMap(actions);
    expect(unscoped.sort()).toEqual([
      'backup:DescribeRestoreJob',
      'backup:ListBackupJobs',
      'backup:ListCopyJobs',
    ]);
    expect(s.findings).toEqual([]);
  });

  it('creates the restore role on request, trusted by AWS Backup, still cdk-nag clean', () => {
    const withRoles = member(true);
    withRoles.template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'ledger-restore',
      Path: '/dr/',
      AssumeRolePolicyDocument: {
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' } },
        ],
      },
    });
    expect(withRoles.findings).toEqual([]);
    s.template.resourceCountIs('AWS::IAM::Role', 1);
  });
});
