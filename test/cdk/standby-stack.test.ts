import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { stateTableDefinition } from '#functions/adapters/dynamodb-state-store.ts';
import { StandbyStack } from '../../cdk/stacks/standby-stack.ts';
import {
  type CfnResource,
  PLANS,
  type Statement,
  statementsOf as statementsIn,
  synth,
} from './standby-synth.ts';

interface RuleTarget {
  readonly Arn: { readonly 'Fn::GetAtt': [string, string] };
  readonly DeadLetterConfig?: unknown;
}

describe('StandbyStack', () => {
  let s: ReturnType<typeof synth>;
  beforeAll(() => {
    s = synth();
  }, 120_000);

  const resourcesOf = (type: string) => Object.values(s.template.findResources(type)) as CfnResource[];
  const isCleanup = (fn: CfnResource) =>
    JSON.stringify(fn.Properties['Description']).includes('deletes what drills');
  const policyStatements = () =>
    resourcesOf('AWS::IAM::Policy').flatMap(
      (p) => (p.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement,
    );

  it('leaves no unacknowledged AwsSolutions finding, error or warning', () => {
    const report = s.nag.validateScope(s.stack);
    expect(
      report.violations.map(
        (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`,
      ),
    ).toEqual([]);
    expect(report.success).toBe(true);
    const annotations = Annotations.fromStack(s.stack);
    expect(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    expect(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
  });

  it('runs every function on Node 22, ARM64, with active tracing and the plans bundled', () => {
    const functions = resourcesOf('AWS::Lambda::Function');
    // Four controller functions and the clean-up of the example's drills (RDS, DynamoDB): its
    // EC2 resources are in another account, so no EC2 clean-up function.
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      const cleanup = isCleanup(fn);
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: expect.anything() },
        Handler: 'index.handler',
        Environment: {
          Variables: cleanup
            ? { STANDBY_ACCOUNT: '111122223333' } // no plans: it deletes only what it is asked to
            : expect.objectContaining({ STANDBY_PLANS_PATH: '/var/task/plans/plans.json' }),
        },
      });
      // Source maps ship beside the bundle but are not parsed at import (cold start).
      expect(JSON.stringify(fn.Properties['Environment'])).not.toContain('--enable-source-maps');
    }
    s.template.resourceCountIs('AWS::Logs::LogGroup', 6); // five functions and the approval API's access log
    s.template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('makes the state table a global table with the key schema the DynamoDB store expects', () => {
    s.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: stateTableDefinition.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: stateTableDefinition.sortKey.name, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: stateTableDefinition.partitionKey.type },
        { AttributeName: 'sk', AttributeType: stateTableDefinition.sortKey.type },
      ]),
      BillingMode: stateTableDefinition.billingMode,
      TimeToLiveSpecification: { AttributeName: stateTableDefinition.timeToLiveAttribute, Enabled: true },
      Replicas: Match.arrayWith([
        Match.objectLike({
          Region: 'eu-west-1',
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
        Match.objectLike({ Region: 'eu-central-1', DeletionProtectionEnabled: true }),
      ]),
    });
  });

  it('sends failed asynchronous invocations of every function to the encrypted dead-letter queue', () => {
    const [queueId] = Object.keys(s.template.findResources('AWS::SQS::Queue'));
    s.template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    const configs = resourcesOf('AWS::Lambda::EventInvokeConfig');
    const [cleanup, ...others] = [
      ...configs.filter((c) => JSON.stringify(c.Properties['FunctionName']).includes('Cleanup')),
      ...configs.filter((c) => !JSON.stringify(c.Properties['FunctionName']).includes('Cleanup')),
    ];
    expect(others).toHaveLength(4);
    for (const c of others)
      expect(c.Properties['DestinationConfig']).toEqual({
        OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      });
    // The clean-up is only ever invoked synchronously: nothing is retried or queued in the background.
    expect(cleanup!.Properties).toMatchObject({ MaximumRetryAttempts: 0 });
    expect(cleanup!.Properties['DestinationConfig']).toBeUndefined();
  });

  it.each([
    ['AlarmRule', 'EventsFunction'],
    ['BackupRule', 'EventsFunction'],
    ['AuditSchedule', 'AuditFunction'],
    ['AdvanceSchedule', 'AdvanceFunction'],
  ])('targets %s at the %s with the dead-letter queue', (rule, fn) => {
    const [queueId] = Object.keys(s.template.findResources('AWS::SQS::Queue'));
    const rules = s.template.findResources('AWS::Events::Rule');
    const found = Object.entries(rules).find(([id]) => id.startsWith(rule));
    expect(found).toBeDefined();
    const [target] = (found![1] as CfnResource).Properties['Targets'] as RuleTarget[];
    expect(target!.Arn['Fn::GetAtt'][0]).toMatch(new RegExp(`^${fn}`));
    expect(target!.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
  });

  it('listens to the alarms the plans name', () => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        resources: [
          'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health',
          'arn:aws:cloudwatch:eu-west-1:444455556666:alarm:payments-api-5xx',
          'arn:aws:cloudwatch:eu-west-1:444455556666:alarm:payments-health-composite',
        ],
      },
    });
  });

  it('lets the functions pass only the plans’ restore roles of their own account, and only to AWS Backup', () => {
    const passRole = policyStatements().filter((st) => [st.Action].flat().includes('iam:PassRole'));
    expect(passRole.length).toBeGreaterThan(0);
    for (const st of passRole) {
      expect(st.Resource).toBe('arn:aws:iam::111122223333:role/standby-restore');
      expect(st.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } });
    }
  });

  it('changes records only in the plans’ hosted zone', () => {
    const changes = policyStatements().filter((st) =>
      [st.Action].flat().includes('route53:ChangeResourceRecordSets'),
    );
    expect(changes).toHaveLength(2);
    for (const st of changes)
      expect(st.Resource).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/Z0123456789ABCDEFGHIJ']],
      });
  });

  it('lets every function assume only the member role the plans name, and nothing of that account directly', () => {
    const assume = policyStatements().filter((st) => [st.Action].flat().includes('sts:AssumeRole'));
    // Events, audit, advance and approval (which reads points in that account for its page).
    expect(assume).toHaveLength(4);
    for (const st of assume) expect(st.Resource).toBe('arn:aws:iam::444455556666:role/standby-controller');
    const direct = policyStatements().filter((st) => JSON.stringify(st.Resource).includes('444455556666'));
    // The member role does the rest; a topic of that account is published to under its own policy.
    expect(new Set(direct.flatMap((st) => [st.Action].flat()))).toEqual(
      new Set(['sts:AssumeRole', 'sns:Publish']),
    );
  });

  it('lets the accounts whose forwarders send events put them on this region’s default bus', () => {
    s.template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: 'default',
      StatementId: 'standby-forwarder-444455556666',
      Statement: {
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Principal: {
          AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::444455556666:root']] },
        },
      },
    });
    s.template.resourceCountIs('AWS::Events::EventBusPolicy', 1);
  });

  it('lets the functions that publish (events, audit, advance; not approval) put events on this region’s default bus only', () => {
    const puts = policyStatements().filter((st) => [st.Action].flat().includes('events:PutEvents'));
    expect(puts).toHaveLength(3);
    for (const st of puts)
      expect(JSON.stringify(st.Resource)).toContain(':events:eu-central-1:111122223333:event-bus/default');
  });

  it('alarms on the dead-letter queue, each function’s errors and throttles, a missed audit and each resource’s freshness', () => {
    const alarms = resourcesOf('AWS::CloudWatch::Alarm').map((a) => a.Properties);
    const [topicId] = Object.keys(s.template.findResources('AWS::SNS::Topic')).filter((id) =>
      id.startsWith('AlertTopic'),
    );
    for (const a of alarms) expect(a['AlarmActions']).toEqual([{ Ref: topicId }]);
    const byMetric = (name: string) => alarms.filter((a) => a['MetricName'] === name);
    expect(byMetric('ApproximateNumberOfMessagesVisible')).toHaveLength(1);
    // Events, audit, advance, the approval endpoint's function and the clean-up function the examples'
    // drills need (they restore no EC2 copy, so there is no cleanup-ec2).
    expect(byMetric('Errors')).toHaveLength(5);
    expect(byMetric('Throttles')).toHaveLength(5);
    expect(
      Object.keys(s.template.findResources('AWS::CloudWatch::Alarm')).filter((id) => id.includes('Cleanup')),
    ).toHaveLength(2);
    // The examples' smallest RPO is 5 minutes: an audit every minute (5m / 3, whole minutes), alarmed after 2.
    expect(byMetric('AuditSucceeded')).toEqual([
      expect.objectContaining({
        Namespace: 'Standby',
        Period: 120,
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
        Dimensions: [{ Name: 'Controller', Value: 'eu-central-1' }],
      }),
    ]);
    const freshness = byMetric('FreshnessAgeSeconds');
    expect(freshness).toHaveLength(8);
    expect(freshness).toContainEqual(
      expect.objectContaining({
        Threshold: 300,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'breaching',
        Dimensions: [
          { Name: 'App', Value: 'payments' },
          { Name: 'Resource', Value: 'payments-db' },
        ],
      }),
    );
  });

  it('audits at the interval the plans call for', () => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Description: Match.stringLikeRegexp('^Freshness audit'),
    });
  });

  it('grants no action on every resource except those AWS cannot scope', () => {
    const unscopable = new Set([
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'backup:ListBackupJobs',
      'backup:ListCopyJobs',
      'backup:DescribeRestoreJob',
    ]);
    const wildcard = policyStatements().filter((st) => [st.Resource].flat().includes('*'));
    for (const st of wildcard) for (const action of [st.Action].flat()) expect(unscopable).toContain(action);
  });

  it('allows no `*` action in any statement', () => {
    for (const st of policyStatements())
      for (const action of [st.Action].flat()) expect(action).not.toMatch(/^\*$|:\*$/);
  });

  it('refuses a plan that acts in another account without naming a role there', () => {
    expect(
      () =>
        new StandbyStack(new App(), 'Standby-eu-central-1', {
          env: { account: '444455556666', region: 'eu-central-1' },
          planPaths: [PLANS],
        }),
    ).toThrow(
      /plan case-management names account 111122223333 \(vault of case-db, restore role of case-db.*\) but no role there; add spec\.accounts/,
    );
  });

  it('exposes the approval function on a throttled HTTP API: GET, HEAD and POST of /approve, /reject, /override only', () => {
    const routes = resourcesOf('AWS::ApiGatewayV2::Route').map((r) => r.Properties['RouteKey']);
    expect(routes.sort()).toEqual(
      ['approve', 'override', 'reject']
        .flatMap((p) => ['GET', 'HEAD', 'POST'].map((m) => `${m} /${p}`))
        .sort(),
    );
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 20 },
    });
    s.template.hasOutput('ApprovalEndpointUrl', {});
  });

  it('keeps the token out of the access log: no path, query string or body in its format', () => {
    const [stage] = resourcesOf('AWS::ApiGatewayV2::Stage');
    const format = (stage!.Properties['AccessLogSettings'] as { Format: string }).Format;
    expect(JSON.parse(format)).toEqual({
      requestId: '$context.requestId',
      time: '$context.requestTime',
      method: '$context.httpMethod',
      route: '$context.routeKey',
      status: '$context.status',
      sourceIp: '$context.identity.sourceIp',
    });
  });

  it('links every notifying function to the endpoint, and lets the approval function decide but never restore or switch', () => {
    const functions = s.template.findResources('AWS::Lambda::Function');
    const [approvalId] = Object.entries(functions).find(([, f]) =>
      String((f as CfnResource).Properties['Description']).includes('approval, rejection'),
    )!;
    const withUrl = Object.values(functions).filter(
      (f) =>
        ((f as CfnResource).Properties['Environment'] as { Variables: Record<string, unknown> }).Variables[
          'APPROVAL_BASE_URL'
        ],
    );
    expect(withUrl).toHaveLength(4);
    const roleOf = (functions[approvalId] as CfnResource).Properties['Role'] as {
      'Fn::GetAtt': [string, string];
    };
    const policies = Object.values(s.template.findResources('AWS::IAM::Policy')) as CfnResource[];
    const actions = policies
      .filter((p) => JSON.stringify(p.Properties['Roles']).includes(roleOf['Fn::GetAtt'][0]))
      .flatMap((p) => (p.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement)
      .flatMap((st) => [st.Action].flat());
    expect(actions).toEqual(
      expect.arrayContaining(['dynamodb:UpdateItem', 'secretsmanager:GetSecretValue', 'sns:Publish']),
    );
    expect(
      actions.filter((a) => /^(backup:StartRestoreJob|route53:Change|iam:PassRole|rds:Create)/.test(a)),
    ).toEqual([]);
  });

  const _statementsOf = (described: string) => statementsIn(s.template, described);

  it('warns at synth about a Teams webhook the AWS controller cannot read (env:NAME)', () => {
    const warnings = Annotations.fromStack(s.stack).findWarning(
      '*',
      Match.stringLikeRegexp('Teams webhook env:TEAMS_WEBHOOK_URL cannot be read by the AWS controller'),
    );
    expect(warnings).toHaveLength(1);
  });

  it('refuses a region that no plan recovers into', () => {
    expect(
      () =>
        new StandbyStack(new App(), 'Standby-us-east-1', {
          env: { account: '111122223333', region: 'us-east-1' },
          planPaths: [PLANS],
        }),
    ).toThrow(
      /no plan recovers into AWS us-east-1; the plans recover into aws eu-central-1, azure northeurope/,
    );
  });
});
