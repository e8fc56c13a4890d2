import { describe, expect, it } from 'vitest';
import { ArmRestoredResourceCleaner } from '#azure/adapters/restored-resource-cleaner.ts';
import { createSimulatedAzureHttpClient, simulatedCredential } from '#sim/azure/http-client.ts';
import { DELETE_SECONDS } from '#sim/azure/resources.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';
import {
  DISK,
  diskResource,
  OS_DISK,
  restoredDisk,
  restoredVm,
  VM,
  VM_RG,
  vmResource,
} from './restored-resources.fixtures.ts';

describe('ArmRestoredResourceCleaner against the simulated ARM', () => {
  /** A world holding the restored disk and the restored VM (the official GET bodies), with its disks and NIC. */
  function world(): SimulatedCloud {
    const disk = (id: string) => ({ ...restoredDisk, id, name: id.split('/').pop() });
    const resources = [
      restoredDisk,
      restoredVm,
      ...[
        OS_DISK,
        `${VM_RG}/providers/Microsoft.Compute/disks/myDataDisk0`,
        `${VM_RG}/providers/Microsoft.Compute/disks/myDataDisk1`,
      ].map(disk),
    ];
    return new SimulatedCloud(
      parseWorld('world.json', JSON.stringify({ clock: '2026-11-30T12:00:00Z', azure: { resources } })),
    );
  }
  const simulated = (cloud: SimulatedCloud) =>
    new ArmRestoredResourceCleaner({
      credential: simulatedCredential,
      httpClient: createSimulatedAzureHttpClient(cloud),
    });
  const ids = (cloud: SimulatedCloud) =>
    cloud.world.azure.resources.map((r) => String(r['id']).split('/').pop());

  it('deletes a disk: deleting while the simulated delete runs, deleted once it is gone', async () => {
    const cloud = world();
    const c = simulated(cloud);

    expect((await c.delete(diskResource(), DISK)).state).toBe('deleting');
    expect((await c.delete(diskResource(), DISK)).detail).toBe(
      `${DISK} is being deleted (provisioningState Deleting)`,
    );
    cloud.clock.advance(DELETE_SECONDS);
    expect((await c.delete(diskResource(), DISK)).state).toBe('deleted');

    expect(ids(cloud)).toEqual(['RSMDALRVM981435', 'myOsDisk', 'myDataDisk0', 'myDataDisk1']);
    expect(cloud.stats()['resources:DeleteById']).toBe(1);
  });

  it('deletes a VM with its own disks, through deleteOption, and leaves everything else', async () => {
    const cloud = world();
    const c = simulated(cloud);

    const states = [];
    for (let i = 0; i < 3; i += 1) states.push((await c.delete(vmResource, VM)).state);
    cloud.clock.advance(DELETE_SECONDS);
    states.push((await c.delete(vmResource, VM)).state);

    expect(states).toEqual(['deleting', 'deleting', 'deleting', 'deleted']);
    expect(ids(cloud)).toEqual(['case-disk-drill']);
    expect(cloud.stats()['compute:VirtualMachines_Update']).toBe(1);
    expect(cloud.stats()['resources:DeleteById']).toBe(1);
  });
});
