import {
  DeleteVolumeCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  EC2Client,
  EC2ServiceException,
  type Instance,
  type InstanceStateName,
  ModifyInstanceAttributeCommand,
  TerminateInstancesCommand,
  type Volume,
  type VolumeState,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { ec2Deletes } from '#functions/cleanup/ec2.ts';
import { parseArn } from '#shared/domain/identifiers.ts';
import { loadPlan } from '../../support/plans.ts';

const ec2 = mockClient(EC2Client);
const deletes = ec2Deletes((region) => new EC2Client({ region }));
const resource = loadPlan().resources[0]!;
const INSTANCE = 'arn:aws:ec2:eu-central-1:111122223333:instance/i-1234567890abcdef0';
const VOLUME = 'arn:aws:ec2:eu-central-1:111122223333:volume/vol-049df61146c4d7901';
const run = (prefix: 'instance/' | 'volume/', arn: string) =>
  deletes['ec2']![prefix]!(parseArn(arn)!, resource);
/** EC2 errors are not modeled: the SDK throws its service exception named by the error's `Code`. */
const ec2Error = (code: string, message = code) =>
  new EC2ServiceException({ name: code, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
const instance = (state: InstanceStateName, more: Partial<Instance> = {}) => ({
  Reservations: [{ Instances: [{ InstanceId: 'i-1234567890abcdef0', State: { Name: state }, ...more }] }],
});
const protection = (on: boolean) => ({
  InstanceId: 'i-1234567890abcdef0',
  DisableApiTermination: { Value: on },
});
const rootVolume = (deleteOnTermination: boolean): Partial<Instance> => ({
  BlockDeviceMappings: [
    {
      DeviceName: '/dev/xvda',
      Ebs: { VolumeId: 'vol-1', DeleteOnTermination: true, Status: 'attached' as const },
    },
    { DeviceName: '/dev/sdf', Ebs: { VolumeId: 'vol-2', DeleteOnTermination: deleteOnTermination } },
  ],
});

beforeEach(() => ec2.reset());

describe('ec2Deletes instance/', () => {
  it.each([
    {
      case: 'first call: terminates',
      setup: () => {
        ec2.on(DescribeInstancesCommand).resolves(instance('running', rootVolume(true)));
        ec2.on(DescribeInstanceAttributeCommand).resolves(protection(false));
        ec2.on(TerminateInstancesCommand).resolves({});
      },
      state: 'deleting',
      detail: 'ec2:TerminateInstances i-1234567890abcdef0: accepted; waiting until it is terminated',
    },
    {
      case: 'in progress: shutting down, nothing called again',
      setup: () => ec2.on(DescribeInstancesCommand).resolves(instance('shutting-down')),
      state: 'deleting',
      detail: 'instance i-1234567890abcdef0 is shutting down',
    },
    {
      case: 'gone: terminated',
      setup: () => ec2.on(DescribeInstancesCommand).resolves(instance('terminated')),
      state: 'deleted',
      detail: 'instance i-1234567890abcdef0 is gone (ec2:DescribeInstances: terminated)',
    },
    {
      case: 'already gone: InvalidInstanceID.NotFound',
      setup: () => ec2.on(DescribeInstancesCommand).rejects(ec2Error('InvalidInstanceID.NotFound')),
      state: 'deleted',
      detail: 'instance i-1234567890abcdef0 is gone (ec2:DescribeInstances: InvalidInstanceID.NotFound)',
    },
    {
      case: 'already gone: no reservation',
      setup: () => ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] }),
      state: 'deleted',
      detail: 'instance i-1234567890abcdef0 is gone (ec2:DescribeInstances: InvalidInstanceID.NotFound)',
    },
    {
      case: 'gone between the describe and the terminate',
      setup: () => {
        ec2.on(DescribeInstancesCommand).resolves(instance('stopped'));
        ec2.on(DescribeInstanceAttributeCommand).resolves(protection(false));
        ec2.on(TerminateInstancesCommand).rejects(ec2Error('InvalidInstanceID.NotFound'));
      },
      state: 'deleted',
      detail: 'instance i-1234567890abcdef0 is gone (ec2:TerminateInstances: InvalidInstanceID.NotFound)',
    },
    {
      case: 'termination protection: turned off, terminated at the next call',
      setup: () => {
        ec2.on(DescribeInstancesCommand).resolves(instance('running'));
        ec2.on(DescribeInstanceAttributeCommand).resolves(protection(true));
        ec2.on(ModifyInstanceAttributeCommand).resolves({});
      },
      state: 'deleting',
      detail:
        'ec2:ModifyInstanceAttribute i-1234567890abcdef0: termination protection turned off; terminated next',
    },
    {
      case: 'a volume kept on termination: set to go with the instance first',
      setup: () => {
        ec2.on(DescribeInstancesCommand).resolves(instance('running', rootVolume(false)));
        ec2.on(DescribeInstanceAttributeCommand).resolves(protection(false));
        ec2.on(ModifyInstanceAttributeCommand).resolves({});
      },
      state: 'deleting',
      detail:
        'ec2:ModifyInstanceAttribute i-1234567890abcdef0: volume(s) vol-2 set to be deleted on termination; terminated next',
    },
  ])('$case', async ({ setup, state, detail }) => {
    setup();
    expect(await run('instance/', INSTANCE)).toEqual({ state, detail });
  });

  it('sends the official parameters, one attribute per ModifyInstanceAttribute', async () => {
    ec2.on(DescribeInstancesCommand).resolves(instance('running', rootVolume(false)));
    ec2.on(DescribeInstanceAttributeCommand).resolves(protection(true));
    await run('instance/', INSTANCE);
    expect(ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, { InstanceIds: ['i-1234567890abcdef0'] });
    expect(ec2).toHaveReceivedCommandWith(DescribeInstanceAttributeCommand, {
      InstanceId: 'i-1234567890abcdef0',
      Attribute: 'disableApiTermination',
    });
    expect(ec2).toHaveReceivedCommandWith(ModifyInstanceAttributeCommand, {
      InstanceId: 'i-1234567890abcdef0',
      DisableApiTermination: { Value: false },
    });
    ec2.on(DescribeInstanceAttributeCommand).resolves(protection(false));
    await run('instance/', INSTANCE);
    expect(ec2.commandCalls(ModifyInstanceAttributeCommand)[1]!.args[0].input).toEqual({
      InstanceId: 'i-1234567890abcdef0',
      BlockDeviceMappings: [
        { DeviceName: '/dev/sdf', Ebs: { VolumeId: 'vol-2', DeleteOnTermination: true } },
      ],
    });
    expect(ec2).not.toHaveReceivedCommand(TerminateInstancesCommand);
    ec2.on(DescribeInstancesCommand).resolves(instance('running', rootVolume(true)));
    ec2.on(TerminateInstancesCommand).resolves({});
    await run('instance/', INSTANCE);
    expect(ec2).toHaveReceivedCommandWith(TerminateInstancesCommand, {
      InstanceIds: ['i-1234567890abcdef0'],
    });
  });

  it('throws a refusal of the service as a ProviderError naming the call', async () => {
    ec2.on(DescribeInstancesCommand).resolves(instance('running'));
    ec2.on(DescribeInstanceAttributeCommand).resolves(protection(false));
    ec2
      .on(TerminateInstancesCommand)
      .rejects(ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    await expect(run('instance/', INSTANCE)).rejects.toThrow(
      'ec2:TerminateInstances: delete of instance i-1234567890abcdef0: UnauthorizedOperation: You are not authorized to perform this operation.',
    );
  });
});

const volume = (state: VolumeState, more: Partial<Volume> = {}) => ({
  Volumes: [{ VolumeId: 'vol-049df61146c4d7901', State: state, Attachments: [], ...more }],
});

describe('ec2Deletes volume/', () => {
  it.each([
    {
      case: 'first call: deletes the volume',
      setup: () => {
        ec2.on(DescribeVolumesCommand).resolves(volume('available'));
        ec2.on(DeleteVolumeCommand).resolves({});
      },
      state: 'deleting',
      detail: 'ec2:DeleteVolume vol-049df61146c4d7901: accepted; waiting until it is gone',
    },
    {
      case: 'in progress: deleting',
      setup: () => ec2.on(DescribeVolumesCommand).resolves(volume('deleting')),
      state: 'deleting',
      detail: 'volume vol-049df61146c4d7901 is deleting',
    },
    {
      case: 'still being created: waits',
      setup: () => ec2.on(DescribeVolumesCommand).resolves(volume('creating')),
      state: 'deleting',
      detail: 'volume vol-049df61146c4d7901 is creating; deleted once it is available',
    },
    {
      case: 'gone: deleted',
      setup: () => ec2.on(DescribeVolumesCommand).resolves(volume('deleted')),
      state: 'deleted',
      detail: 'volume vol-049df61146c4d7901 is gone (ec2:DescribeVolumes: deleted)',
    },
    {
      case: 'already gone: InvalidVolume.NotFound',
      setup: () => ec2.on(DescribeVolumesCommand).rejects(ec2Error('InvalidVolume.NotFound')),
      state: 'deleted',
      detail: 'volume vol-049df61146c4d7901 is gone (ec2:DescribeVolumes: InvalidVolume.NotFound)',
    },
    {
      case: 'gone between the describe and the delete',
      setup: () => {
        ec2.on(DescribeVolumesCommand).resolves(volume('available'));
        ec2.on(DeleteVolumeCommand).rejects(ec2Error('InvalidVolume.NotFound'));
      },
      state: 'deleted',
      detail: 'volume vol-049df61146c4d7901 is gone (ec2:DeleteVolume: InvalidVolume.NotFound)',
    },
    {
      case: 'in an incorrect state for a delete: waits',
      setup: () => {
        ec2.on(DescribeVolumesCommand).resolves(volume('error'));
        ec2.on(DeleteVolumeCommand).rejects(ec2Error('IncorrectState', 'not now'));
      },
      state: 'deleting',
      detail: 'volume vol-049df61146c4d7901 cannot be deleted yet (not now)',
    },
  ])('$case', async ({ setup, state, detail }) => {
    setup();
    expect(await run('volume/', VOLUME)).toEqual({ state, detail });
  });

  it('refuses a volume attached to an instance, naming it, and deletes nothing', async () => {
    ec2
      .on(DescribeVolumesCommand)
      .resolves(volume('in-use', { Attachments: [{ InstanceId: 'i-0abc', State: 'attached' }] }));
    await expect(run('volume/', VOLUME)).rejects.toThrow(
      "ec2:DeleteVolume: volume vol-049df61146c4d7901: it is attached to i-0abc, which the drill's restore did not attach it to; not deleting it",
    );
    expect(ec2).not.toHaveReceivedCommand(DeleteVolumeCommand);
  });

  it('refuses a volume attached between the describe and the delete (VolumeInUse)', async () => {
    ec2.on(DescribeVolumesCommand).resolves(volume('available'));
    ec2
      .on(DeleteVolumeCommand)
      .rejects(ec2Error('VolumeInUse', 'Volume vol-049df61146c4d7901 is currently attached to i-0abc'));
    await expect(run('volume/', VOLUME)).rejects.toThrow(
      'ec2:DeleteVolume: volume vol-049df61146c4d7901: it was attached meanwhile (Volume vol-049df61146c4d7901 is currently attached to i-0abc)',
    );
  });
});
