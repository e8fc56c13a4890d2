/**
 * Runs one seed: picks the cloud the world runs on (seeds ending in 9: the real AWS adapters on the
 * simulated cloud of `sim/`; ending in 4: the real Traffic Manager adapter on the simulated ARM),
 * builds the world and runs it.
 */
import { awsAdapterCloud } from './aws-cloud.ts';
import { azureAdapterCloud } from './azure-cloud.ts';
import { FakeCloud } from './fake-cloud.ts';
import type { Flavour } from './workload.ts';
import { type CloudFactory, type Family, World, type WorldResult } from './world.ts';

/** Which cloud a seed runs on. */
export type CloudKind = 'fake-aws' | 'fake-azure' | 'aws-adapters' | 'azure-adapters';

/** The cloud of a seed: fake mostly, the real adapters on one seed in five. */
export function cloudOf(seed: number): CloudKind {
  if (seed % 10 === 9) return 'aws-adapters';
  if (seed % 10 === 4) return 'azure-adapters';
  return seed % 3 === 2 ? 'fake-azure' : 'fake-aws';
}

const FACTORIES: { readonly [K in CloudKind]: { flavour: Flavour; factory: () => CloudFactory } } = {
  'fake-aws': { flavour: 'aws', factory: () => fakeCloudFactory },
  'fake-azure': { flavour: 'azure', factory: () => fakeCloudFactory },
  'aws-adapters': { flavour: 'aws', factory: () => awsAdapterCloud },
  'azure-adapters': { flavour: 'azure', factory: () => azureAdapterCloud },
};

export const fakeCloudFactory: CloudFactory = ({ clock, random, workload }) => {
  const level = random.pick([0, 0.15, 0.3]);
  const cloud = new FakeCloud(
    clock,
    random,
    { jobFailRate: level, probeFailRate: level / 5, durationSeconds: [60, 900] },
    workload.apps.filter((a) => a.routing).map((a) => a.name),
  );
  return { truth: cloud, restores: cloud, prober: cloud, traffic: cloud, cleaner: cloud };
};

/** What one seed ended with. */
export interface SeedResult extends WorldResult {
  readonly seed: number;
  readonly cloud: CloudKind;
  readonly family: Family;
}

/**
 * Runs `seed` of `family` once. Drill worlds run on the fake cloud only: the simulated AWS and Azure
 * clouds of `sim/` cannot delete what a restore created.
 */
export async function runSeed(seed: number, family: Family = 'standard'): Promise<SeedResult> {
  const drawn = cloudOf(seed);
  const cloud =
    family !== 'drill'
      ? drawn
      : drawn === 'azure-adapters'
        ? 'fake-azure'
        : drawn === 'aws-adapters'
          ? 'fake-aws'
          : drawn;
  const { flavour, factory } = FACTORIES[cloud];
  const result = await new World(seed, flavour, factory(), family).run();
  return { ...result, seed, cloud, family };
}
