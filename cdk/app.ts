/**
 * The CDK app: the controller of one recovery region and everything around it (docs/deploy-aws.md):
 * - `Standby-<region>`: the controller (its state table replicated into the `replicas` regions);
 * - `Standby-Forwarder-<account>-<region>`: one per account and region where the plans' alarms live
 *   (Route 53 health-check alarms: us-east-1) or their backups run, forwarding to the controller's bus;
 * - `Standby-Member-<account>`: the role the controller assumes in each other account the plans name.
 *
 * Settings come from context (`-c key=value`, or cdk.json, which holds the examples' settings):
 * - `plans`    comma-separated plan files or directories (default `examples/plans`);
 * - `region`   the recovery region of the controller (default `CDK_DEFAULT_REGION`);
 * - `account`  the controller's account (default `CDK_DEFAULT_ACCOUNT`);
 * - `replicas` comma-separated regions that get a replica of the state table (default none);
 * - `auditInterval` the audit's interval as a duration (`5m`); default: a third of the smallest RPO,
 *   between 1 and 15 minutes;
 * - `createRestoreRoles` `true`: member stacks also create the plans' restore roles.
 * Synth is offline: no lookups, bundling by the local esbuild. cdk-nag's AwsSolutions checks run on
 * every stack; an unacknowledged finding fails the synth.
 */
import { App, Duration, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseDuration } from '#shared/domain/duration.ts';
import { ForwarderStack } from './stacks/forwarder-stack.ts';
import { MemberStack } from './stacks/member-stack.ts';
import { StandbyStack } from './stacks/standby-stack.ts';

const app = new App();
const context = (key: string): string | undefined => {
  const value = app.node.tryGetContext(key) as unknown;
  return value === undefined || value === null || value === '' ? undefined : String(value);
};
const list = (key: string): string[] =>
  (context(key) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const region = context('region') ?? process.env['CDK_DEFAULT_REGION'];
const account = context('account') ?? process.env['CDK_DEFAULT_ACCOUNT'];
if (!region || !account)
  throw new Error(
    'set the controller account and recovery region: cdk deploy -c account=<account> -c region=<region> (or in cdk.json)',
  );
const plans = list('plans');
const auditInterval = context('auditInterval');
const auditSeconds = auditInterval === undefined ? undefined : parseDuration(auditInterval);
if (
  auditInterval !== undefined &&
  (auditSeconds === undefined || auditSeconds < 60 || auditSeconds % 60 !== 0)
)
  throw new Error(`auditInterval "${auditInterval}" must be whole minutes, at least 1m (e.g. 5m)`);

const controller = new StandbyStack(app, `Standby-${region}`, {
  env: { account, region },
  planPaths: plans.length > 0 ? plans : ['examples/plans'],
  replicaRegions: list('replicas'),
  ...(auditSeconds ? { auditInterval: Duration.seconds(auditSeconds) } : {}),
  description: `Standby disaster-recovery controller for ${region}`,
});
const recoveryBusArn = `arn:aws:events:${region}:${account}:event-bus/default`;
for (const forwarder of controller.topology.forwarders)
  new ForwarderStack(app, `Standby-Forwarder-${forwarder.account}-${forwarder.region}`, {
    forwarder,
    recoveryBusArn,
  });
for (const member of controller.topology.members)
  new MemberStack(app, `Standby-Member-${member.account}`, {
    member,
    env: { region },
    controllerAccount: account,
    controllerStackName: controller.stackName,
    createRestoreRoles: context('createRestoreRoles') === 'true',
  });

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
