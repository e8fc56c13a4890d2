/**
 * The example stack, synthesised offline with real esbuild bundling and cdk-nag, and the readers the
 * stack tests use (test/cdk/standby-stack.test.ts, test/cdk/constructs/cleanup-functions.test.ts).
 */
import { resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StandbyStack } from '../../cdk/stacks/standby-stack.ts';

/** A resource of the synthesised template, as far as these tests read it. */
export interface CfnResource {
  readonly Properties: Record<string, unknown>;
}
export interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

const root = resolve(import.meta.dirname, '../..');
export const PLANS = resolve(root, 'examples/plans');

/** Synthesises the stack of the example plans, offline, with real esbuild bundling of its functions. */
export function synth() {
  const app = new App();
  const stack = new StandbyStack(app, 'Standby-eu-central-1', {
    env: { account: '111122223333', region: 'eu-central-1' },
    planPaths: [PLANS],
    replicaRegions: ['eu-west-1'],
  });
  const nag = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(nag);
  return { app, stack, nag, template: Template.fromStack(stack) };
}

/** The statements of the role of the function whose description contains `described`. */
export function statementsOf(template: Template, described: string): Statement[] {
  const functions = template.findResources('AWS::Lambda::Function');
  const [, fn] = Object.entries(functions).find(([, f]) =>
    String((f as CfnResource).Properties['Description']).includes(described),
  )!;
  const role = ((fn as CfnResource).Properties['Role'] as { 'Fn::GetAtt': [string, string] })[
    'Fn::GetAtt'
  ][0];
  return (Object.values(template.findResources('AWS::IAM::Policy')) as CfnResource[])
    .filter((p) => JSON.stringify(p.Properties['Roles']).includes(role))
    .flatMap((p) => (p.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement);
}
