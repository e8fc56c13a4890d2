/**
 * Deletes what a drill's EC2 or EBS restore created (the {@link ServiceDelete} contract,
 * `service-delete.ts`). EC2 names its errors by their `Code` (`InvalidInstanceID.NotFound`), which
 * the SDK gives the thrown error as its `name`.
 *
 * `instance/` — each call:
 * 1. `DescribeInstances`: `InvalidInstanceID.NotFound`, no reservation or `terminated` → deleted;
 *    `shutting-down` → deleting;
 * 2. termination protection on (`DescribeInstanceAttribute` `disableApiTermination`) →
 *    `ModifyInstanceAttribute` it off → deleting;
 * 3. EBS volumes attached with `DeleteOnTermination` false (an AMI's mapping can say so) →
 *    `ModifyInstanceAttribute` them to true, so terminating leaves none of the restore's volumes behind;
 * 4. `TerminateInstances` → deleting until the describe says `terminated`.
 *
 * `volume/` — an EBS restore's volume. Each call: `DescribeVolumes`: `InvalidVolume.NotFound` or
 * `deleted` → deleted; `deleting` → deleting; attached (`in-use`) → refused, naming the instance: the
 * drill did not create that attachment; `creating` → deleting (asked again later); else
 * `DeleteVolume` → deleting until gone (`VolumeInUse` refused as above).
 */
import {
  DeleteVolumeCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  type EC2Client,
  type Instance,
  ModifyInstanceAttributeCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { DeleteOutcome } from '#shared/ports/recovery-actions.ts';
import { attempt, call, deleted, deleting, idOf, refusal } from './outcomes.ts';
import type { ServiceDeletes } from './service-delete.ts';

const INSTANCE_GONE = 'InvalidInstanceID.NotFound';
const VOLUME_GONE = 'InvalidVolume.NotFound';
const VOLUME_IN_USE = 'VolumeInUse';
const INCORRECT_STATE = 'IncorrectState';

/** The EC2 deletes: instances (`instance/`) and EBS volumes (`volume/`), with a client per region. */
export function ec2Deletes(clientFor: (region: string) => EC2Client): ServiceDeletes {
  return {
    ec2: {
      'instance/': (arn) => terminateInstance(clientFor(arn.region), idOf(arn, 'instance/')),
      'volume/': (arn) => deleteVolume(clientFor(arn.region), idOf(arn, 'volume/')),
    },
  };
}

async function terminateInstance(client: EC2Client, id: string): Promise<DeleteOutcome> {
  const what = `instance ${id}`;
  const found = await attempt(
    'ec2:DescribeInstances',
    what,
    () => client.send(new DescribeInstancesCommand({ InstanceIds: [id] })),
    [INSTANCE_GONE],
  );
  const instance: Instance | undefined =
    'ok' in found ? found.ok.Reservations?.flatMap((r) => r.Instances ?? [])[0] : undefined;
  const state = instance?.State?.Name;
  if (!instance || state === 'terminated')
    return deleted(`${what} is gone (ec2:DescribeInstances: ${instance ? 'terminated' : INSTANCE_GONE})`);
  if (state === 'shutting-down') return deleting(`${what} is shutting down`);
  const protection = await call('ec2:DescribeInstanceAttribute', what, () =>
    client.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'disableApiTermination' })),
  );
  if (protection.DisableApiTermination?.Value) {
    await call('ec2:ModifyInstanceAttribute', what, () =>
      client.send(
        new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: false } }),
      ),
    );
    return deleting(`ec2:ModifyInstanceAttribute ${id}: termination protection turned off; terminated next`);
  }
  const kept = (instance.BlockDeviceMappings ?? []).filter(
    (m) => m.Ebs && m.Ebs.DeleteOnTermination === false,
  );
  if (kept.length > 0) {
    await call('ec2:ModifyInstanceAttribute', what, () =>
      client.send(
        new ModifyInstanceAttributeCommand({
          InstanceId: id,
          BlockDeviceMappings: kept.map((m) => ({
            DeviceName: m.DeviceName,
            Ebs: { VolumeId: m.Ebs?.VolumeId, DeleteOnTermination: true },
          })),
        }),
      ),
    );
    return deleting(
      `ec2:ModifyInstanceAttribute ${id}: volume(s) ${kept.map((m) => m.Ebs?.VolumeId ?? m.DeviceName).join(', ')} set to be deleted on termination; terminated next`,
    );
  }
  const done = await attempt(
    'ec2:TerminateInstances',
    what,
    () => client.send(new TerminateInstancesCommand({ InstanceIds: [id] })),
    [INSTANCE_GONE],
  );
  if ('ok' in done) return deleting(`ec2:TerminateInstances ${id}: accepted; waiting until it is terminated`);
  return deleted(`${what} is gone (ec2:TerminateInstances: ${INSTANCE_GONE})`);
}

async function deleteVolume(client: EC2Client, id: string): Promise<DeleteOutcome> {
  const what = `volume ${id}`;
  const found = await attempt(
    'ec2:DescribeVolumes',
    what,
    () => client.send(new DescribeVolumesCommand({ VolumeIds: [id] })),
    [VOLUME_GONE],
  );
  const volume = 'ok' in found ? found.ok.Volumes?.[0] : undefined;
  if (!volume || volume.State === 'deleted')
    return deleted(`${what} is gone (ec2:DescribeVolumes: ${volume ? 'deleted' : VOLUME_GONE})`);
  if (volume.State === 'deleting') return deleting(`${what} is deleting`);
  const attachedTo = (volume.Attachments ?? []).flatMap((a) => a.InstanceId ?? []);
  if (volume.State === 'in-use' || attachedTo.length > 0)
    throw refusal(
      'ec2:DeleteVolume',
      what,
      `it is attached to ${attachedTo.join(', ') || 'an instance'}, which the drill's restore did not attach it to`,
    );
  if (volume.State === 'creating') return deleting(`${what} is creating; deleted once it is available`);
  const done = await attempt(
    'ec2:DeleteVolume',
    what,
    () => client.send(new DeleteVolumeCommand({ VolumeId: id })),
    [VOLUME_GONE, VOLUME_IN_USE, INCORRECT_STATE],
  );
  if ('ok' in done) return deleting(`ec2:DeleteVolume ${id}: accepted; waiting until it is gone`);
  if (done.failed === VOLUME_GONE) return deleted(`${what} is gone (ec2:DeleteVolume: ${VOLUME_GONE})`);
  if (done.failed === VOLUME_IN_USE)
    throw refusal('ec2:DeleteVolume', what, `it was attached meanwhile (${done.message})`);
  return deleting(`${what} cannot be deleted yet (${done.message})`);
}
