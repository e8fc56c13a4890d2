/**
 * What a member account gives the controller of another account: the role the plans name for it in
 * `spec.accounts`, which only the controller's function roles may assume, allowed no more than the
 * plans need there — list the vaults' recovery points and the job listings, read restore metadata,
 * start and describe restore jobs passing only the plans' restore roles (to AWS Backup), create a
 * restored cluster's instances, change the plans' hosted zones and routing controls in that account.
 * Optionally it also creates the restore roles themselves (AWS Backup's managed restore policy).
 *
 * IAM is global: deploy it once per member account, in any region. StackSet-ready like the forwarder.
 */
import { CfnOutput, DefaultStackSynthesizer, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccountPrincipal, ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { parseArn } from '#shared/domain/identifiers.ts';
import { acknowledgeUnscopedReads, grantBackupReads, grantFailoverActions } from '../plan-grants.ts';
import { type Member, restoreRolesIn } from '../topology.ts';

/** Properties of {@link MemberStack}. */
export interface MemberStackProps extends StackProps {
  readonly member: Member;
  /** The account the controller runs in. */
  readonly controllerAccount: string;
  /**
   * The name of the controller's stack: only roles it created (`<stack name>-…`) may assume the role.
   */
  readonly controllerStackName: string;
  /**
   * Also create the plans' restore roles in this account (trusted by AWS Backup, with
   * `AWSBackupServiceRolePolicyForRestores`).
   * @default false (they exist already)
   */
  readonly createRestoreRoles?: boolean;
}

/** `role/path/name` → its path and name. */
function roleNameOf(arn: string): { path: string; name: string } {
  const resource = parseArn(arn)?.resource ?? '';
  const parts = resource.replace(/^role\//, '').split('/');
  const name = parts.pop() ?? '';
  if (!name) throw new InvalidInputError(`"${arn}" does not name a role`);
  return { path: parts.length > 0 ? `/${parts.join('/')}/` : '/', name };
}

/** The controller's role in one member account. */
export class MemberStack extends Stack {
  readonly controllerRole: Role;
  readonly restoreRoles: readonly Role[];

  constructor(scope: Construct, id: string, props: MemberStackProps) {
    const { member } = props;
    super(scope, id, {
      ...props,
      env: { account: member.account, region: props.env?.region },
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      description:
        props.description ??
        `Standby: the role the controller in ${props.controllerAccount} assumes in ${member.account}`,
    });
    const { path, name } = roleNameOf(member.roleArn);
    this.controllerRole = new Role(this, 'ControllerRole', {
      roleName: name,
      path,
      description: `Assumed by the Standby controller (${props.controllerStackName}, account ${props.controllerAccount})`,
      assumedBy: new AccountPrincipal(props.controllerAccount).withConditions({
        ArnLike: {
          'aws:PrincipalArn': `arn:${this.partition}:iam::${props.controllerAccount}:role/${props.controllerStackName}-*`,
        },
      }),
    });
    grantBackupReads(this.controllerRole, member.permissions);
    grantFailoverActions(this.controllerRole, member.permissions, this.partition, this.controllerRole);
    acknowledgeUnscopedReads(this.controllerRole, false);

    this.restoreRoles = props.createRestoreRoles
      ? restoreRolesIn(member).map((arn, i) => {
          const role = roleNameOf(arn);
          const restore = new Role(this, `RestoreRole${i}`, {
            roleName: role.name,
            path: role.path,
            description: 'AWS Backup restores of the Standby plans',
            assumedBy: new ServicePrincipal('backup.amazonaws.com'),
            managedPolicies: [
              ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForRestores'),
            ],
          });
          Validations.of(restore).acknowledge({
            id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores]',
            reason:
              'AWS maintains the permissions each resource type needs to be restored; a hand-written copy would fall behind new resource types.',
          });
          return restore;
        })
      : [];

    new CfnOutput(this, 'ControllerRoleArn', { value: this.controllerRole.roleArn });
  }
}
