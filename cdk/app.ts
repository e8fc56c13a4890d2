/**
 * The CDK app: one `StandbyStack` per recovery region (docs/deploy.md). Settings come from context
 * (`-c key=value` or cdk.json):
 * - `plans`    comma-separated plan files or directories (default `examples/plans`);
 * - `region`   the recovery region to deploy the controller into (default `CDK_DEFAULT_REGION`);
 * - `replicas` comma-separated regions that get a replica of the state table (default none).
 * cdk-nag's AwsSolutions checks run at every synth; an unacknowledged finding fails it.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StandbyStack } from './stacks/standby-stack.ts';

const app = new App();
const list = (key: string): string[] =>
  String(app.node.tryGetContext(key) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const region = (app.node.tryGetContext('region') as string | undefined) ?? process.env['CDK_DEFAULT_REGION'];
if (!region)
  throw new Error('set the recovery region: cdk deploy -c region=<region> (or configure a default region)');
const plans = list('plans');

new StandbyStack(app, `Standby-${region}`, {
  env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region },
  planPaths: plans.length > 0 ? plans : ['examples/plans'],
  replicaRegions: list('replicas'),
  description: `Standby disaster-recovery controller for ${region}`,
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
