/**
 * The clean-up functions in the example stack: their roles delete only the plans' drill names (or,
 * where AWS mints the ids, only by account, region and type), and only the events and advance
 * functions may invoke them, knowing which one deletes what.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type CfnResource, statementsOf as statementsIn, synth } from '../standby-synth.ts';

describe('CleanupFunctions in the StandbyStack', () => {
  let s: ReturnType<typeof synth>;
  beforeAll(() => {
    s = synth();
  }, 120_000);
  const statementsOf = (described: string) => statementsIn(s.template, described);

  it('lets the clean-up delete only the drill names of the plans, in the vault region of this account', () => {
    const deletes = statementsOf('deletes what drills restored').filter((st) =>
      [st.Action].flat().some((a) => /^(rds|dynamodb|ec2|elasticfilesystem|s3|eks|fsx):/.test(a)),
    );
    // The example drills case-db, case-sessions, case-files (EFS), case-documents (S3), case-cluster (EKS).
    expect(deletes.map((st) => st.Resource).sort()).toEqual([
      'arn:aws:dynamodb:eu-central-1:111122223333:table/case-sessions-drill',
      'arn:aws:ec2:eu-central-1:111122223333:network-interface/*',
      'arn:aws:eks:eu-central-1:111122223333:cluster/case-cluster-drill',
      'arn:aws:eks:eu-central-1:111122223333:fargateprofile/case-cluster-drill/*',
      'arn:aws:eks:eu-central-1:111122223333:nodegroup/case-cluster-drill/*',
      'arn:aws:elasticfilesystem:eu-central-1:111122223333:file-system/*',
      'arn:aws:rds:eu-central-1:111122223333:db:case-db-drill',
      'arn:aws:s3:::case-documents-drill-111122223333',
      'arn:aws:s3:::case-documents-drill-111122223333/*',
    ]);
    const actionsOn = (arn: string) => deletes.find((st) => st.Resource === arn)?.Action;
    expect(actionsOn('arn:aws:rds:eu-central-1:111122223333:db:case-db-drill')).toEqual([
      'rds:DescribeDBInstances',
      'rds:DeleteDBInstance',
      'rds:ModifyDBInstance',
    ]);
    expect(actionsOn('arn:aws:dynamodb:eu-central-1:111122223333:table/case-sessions-drill')).toEqual([
      'dynamodb:DescribeTable',
      'dynamodb:DeleteTable',
      'dynamodb:UpdateTable',
    ]);
  });

  it('lets only the events and advance functions invoke the clean-up, that function only, and tells them its name', () => {
    const functions = Object.values(s.template.findResources('AWS::Lambda::Function')) as CfnResource[];
    const cleanupId = Object.keys(s.template.findResources('AWS::Lambda::Function')).find((id) =>
      id.startsWith('CleanupCleanupFunction'),
    )!;
    for (const [described, invokes] of [
      ['alarms, AWS Backup events', true],
      ['carries failovers on', true],
      ['scheduled freshness audit', false],
      ['approval, rejection', false],
    ] as const) {
      const invoke = statementsOf(described).filter((st) =>
        [st.Action].flat().includes('lambda:InvokeFunction'),
      );
      expect(invoke, described).toEqual(
        invokes
          ? [
              {
                Action: 'lambda:InvokeFunction',
                Effect: 'Allow',
                Resource: { 'Fn::GetAtt': [cleanupId, 'Arn'] },
              },
            ]
          : [],
      );
      const fn = functions.find((f) => String(f.Properties['Description']).includes(described))!;
      const variables = (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
      if (invokes)
        expect(JSON.stringify(variables['CLEANUP_FUNCTIONS'])).toMatch(
          new RegExp(`rds=.*${cleanupId}.*dynamodb=.*${cleanupId}`),
        );
      else expect(variables['CLEANUP_FUNCTIONS']).toBeUndefined();
    }
  });
});
