import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { grantNotifications, notificationTargets } from '../../cdk/constructs/notification-grants.ts';
import type { StandbyFunction } from '../../cdk/constructs/standby-function.ts';
import { awsPlanDoc, ids, loadPlan, withPlan } from '../support/plans.ts';

const plan = loadPlan(
  withPlan(awsPlanDoc(), (d) => {
    d.spec.failover = {
      mode: 'approval',
      approval: {
        notify: [
          { sns: ids.topic },
          { teams: { webhookUrl: 'secretsmanager:standby/teams/case' } },
          { teams: { webhookUrl: 'env:TEAMS_WEBHOOK_URL' } },
        ],
        timeout: '30m',
      },
    };
  }),
);

describe('notification grants', () => {
  it('names the plans’ topics and the Secrets Manager webhooks (other reference forms need no grant)', () => {
    expect(notificationTargets([plan, plan])).toEqual({
      topicArns: [ids.topic],
      teamsWebhookSecrets: ['standby/teams/case'],
      unreadableWebhooks: ['env:TEAMS_WEBHOOK_URL'],
    });
  });

  it('grants GetSecretValue on exactly the named secrets (with the six characters Secrets Manager appends)', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '111122223333', region: 'eu-central-1' } });
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    grantNotifications({ role } as unknown as StandbyFunction, notificationTargets([plan]));
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument
          .Statement,
    );
    expect(statements).toEqual([
      expect.objectContaining({ Action: 'sns:Publish', Resource: ids.topic }),
      expect.objectContaining({
        Action: 'secretsmanager:GetSecretValue',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':secretsmanager:eu-central-1:111122223333:secret:standby/teams/case-??????',
            ],
          ],
        },
      }),
    ]);
  });
});
