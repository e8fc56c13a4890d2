/**
 * Forwards, from one account and region, the events a recovery region's controller needs to its
 * default event bus: CloudWatch alarm state changes of the plans' alarms there (Route 53 health-check
 * alarms live in us-east-1) and AWS Backup job, copy, restore, recovery point and vault events.
 * CloudWatch and AWS Backup emit them only in their own region and account.
 *
 * StackSet-ready: no assets, no lookups, no bootstrap-version rule, and every name derived from the
 * stack's own account and region — the synthesized template deploys with `cdk deploy`, with
 * CloudFormation directly, or as a StackSet instance in that account and region.
 */
import { DefaultStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { type Forwarder, ROUTE53_HEALTH_CHECK_REGION } from '../topology.ts';
import { BACKUP_DETAIL_TYPES } from './standby-stack.ts';

/** Properties of {@link ForwarderStack}. */
export interface ForwarderStackProps extends StackProps {
  /** What this account and region forwards (cdk/topology.ts). */
  readonly forwarder: Forwarder;
  /** The recovery region's default event bus, where the controller's rules listen. */
  readonly recoveryBusArn: string;
}

/** The forwarding rules of one account and region. */
export class ForwarderStack extends Stack {
  /** The rules, by kind. */
  readonly rules: { readonly alarms?: Rule; readonly backup?: Rule };

  constructor(scope: Construct, id: string, props: ForwarderStackProps) {
    const { forwarder } = props;
    super(scope, id, {
      ...props,
      env: { account: forwarder.account, region: forwarder.region },
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      description:
        props.description ??
        `Standby: forwards ${[forwarder.alarmArns.length > 0 ? 'alarm state changes' : '', forwarder.backupEvents ? 'AWS Backup events' : ''].filter(Boolean).join(' and ')} from ${forwarder.account} ${forwarder.region}${forwarder.region === ROUTE53_HEALTH_CHECK_REGION ? ' (Route 53 health-check alarms live here)' : ''} to ${props.recoveryBusArn}`,
    });
    if (forwarder.alarmArns.length === 0 && !forwarder.backupEvents)
      throw new InvalidInputError(`${id}: nothing to forward from ${forwarder.account} ${forwarder.region}`);
    const strayed = forwarder.alarmArns.filter(
      (arn) => !arn.includes(`:cloudwatch:${forwarder.region}:${forwarder.account}:alarm:`),
    );
    if (strayed.length > 0)
      throw new InvalidInputError(
        `${id}: alarm(s) ${strayed.join(', ')} are not in ${forwarder.account} ${forwarder.region}; each forwarder forwards its own region's alarms`,
      );

    const bus = EventBus.fromEventBusArn(this, 'RecoveryBus', props.recoveryBusArn);
    // EventBridge assumes this role to put events on a bus in another region or account.
    const role = new Role(this, 'ForwardingRole', {
      assumedBy: new ServicePrincipal('events.amazonaws.com'),
      description: `Lets EventBridge put Standby's forwarded events on ${props.recoveryBusArn}`,
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['events:PutEvents'], resources: [props.recoveryBusArn] }),
    );
    const target = new EventBusTarget(bus, { role });

    this.rules = {
      ...(forwarder.alarmArns.length > 0
        ? {
            alarms: new Rule(this, 'AlarmForwarding', {
              description: 'Standby: state changes of the plans’ alarms, to the recovery region',
              eventPattern: {
                source: ['aws.cloudwatch'],
                detailType: ['CloudWatch Alarm State Change'],
                resources: [...forwarder.alarmArns],
              },
              targets: [target],
            }),
          }
        : {}),
      ...(forwarder.backupEvents
        ? {
            backup: new Rule(this, 'BackupForwarding', {
              description:
                'Standby: AWS Backup job, copy, restore, recovery point and vault events, to the recovery region',
              eventPattern: { source: ['aws.backup'], detailType: [...BACKUP_DETAIL_TYPES] },
              targets: [target],
            }),
          }
        : {}),
    };
  }
}
