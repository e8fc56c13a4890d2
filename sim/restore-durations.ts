/**
 * How long a restore takes in a simulated world, as a default for estimates that have seen no restore
 * of a type yet: the world's configured restore duration per cloud (`aws.restore.durationSeconds`,
 * `azure.restore.durationSeconds`), plus `aws.restore.instanceSeconds` when a cluster's instances
 * are created after its restore.
 */
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { RestoreDefault } from '#shared/domain/rto-estimate.ts';
import type { World } from './world.ts';

/** The simulated restore duration of `resource` in `world`, and where it comes from. */
export function simulatedRestoreDefault(world: World, resource: ProtectedResource): RestoreDefault {
  const source = resource.source;
  if (source.kind !== 'aws-backup') {
    const seconds = world.azure.restore.durationSeconds;
    return { seconds, basis: `the simulated world's azure.restore.durationSeconds (${seconds}s)` };
  }
  const { durationSeconds, instanceSeconds } = world.aws.restore;
  if (!source.restore?.clusterInstances)
    return {
      seconds: durationSeconds,
      basis: `the simulated world's aws.restore.durationSeconds (${durationSeconds}s)`,
    };
  return {
    seconds: durationSeconds + instanceSeconds,
    basis: `the simulated world's aws.restore.durationSeconds (${durationSeconds}s) + instanceSeconds (${instanceSeconds}s) for the cluster's instances`,
  };
}
